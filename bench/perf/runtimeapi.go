package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// runtimeAPI is the smallest Lambda Runtime API a function's runtime loop
// needs: GET /2018-06-01/runtime/invocation/next hands out one queued
// event at a time, POST …/invocation/{id}/response (or /error) answers it.
// One function process talks to it at a time.
type runtimeAPI struct {
	addr   string // host:port, the AWS_LAMBDA_RUNTIME_API of the process
	srv    *http.Server
	queue  chan *invocation
	mu     sync.Mutex
	active map[string]*invocation
	seq    int
	// firstNext is when the process first asked for an event since reset:
	// the end of its initialisation.
	firstNext time.Time
}

// invocation is one event and, once answered, its answer.
type invocation struct {
	id      string
	payload []byte
	handed  time.Time // when /next handed it out
	done    chan struct{}
	answer  []byte
	failed  bool
	at      time.Time // when the answer arrived
}

func startRuntimeAPI() (*runtimeAPI, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	r := &runtimeAPI{addr: l.Addr().String(), queue: make(chan *invocation, 1), active: map[string]*invocation{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /2018-06-01/runtime/invocation/next", r.next)
	mux.HandleFunc("POST /2018-06-01/runtime/invocation/{id}/response", func(w http.ResponseWriter, req *http.Request) { r.answer(w, req, false) })
	mux.HandleFunc("POST /2018-06-01/runtime/invocation/{id}/error", func(w http.ResponseWriter, req *http.Request) { r.answer(w, req, true) })
	mux.HandleFunc("POST /2018-06-01/runtime/init/error", func(w http.ResponseWriter, req *http.Request) {
		b, _ := io.ReadAll(req.Body)
		fmt.Printf("bench: init error: %s\n", b)
		w.WriteHeader(http.StatusAccepted)
	})
	r.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = r.srv.Serve(l) }()
	return r, nil
}

func (r *runtimeAPI) close() { _ = r.srv.Close() }

// reset forgets when the last process first asked for an event.
func (r *runtimeAPI) reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.firstNext = time.Time{}
}

func (r *runtimeAPI) initDone() time.Time {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.firstNext
}

func (r *runtimeAPI) next(w http.ResponseWriter, req *http.Request) {
	now := time.Now()
	r.mu.Lock()
	if r.firstNext.IsZero() {
		r.firstNext = now
	}
	r.mu.Unlock()
	var inv *invocation
	select {
	case inv = <-r.queue:
	case <-req.Context().Done():
		return
	}
	inv.handed = time.Now()
	h := w.Header()
	h.Set("Lambda-Runtime-Aws-Request-Id", inv.id)
	h.Set("Lambda-Runtime-Deadline-Ms", strconv.FormatInt(inv.handed.Add(29*time.Second).UnixMilli(), 10))
	h.Set("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:123456789012:function:connector")
	h.Set("Lambda-Runtime-Trace-Id", "Root=1-00000000-000000000000000000000000;Sampled=0")
	h.Set("Content-Type", "application/json")
	_, _ = w.Write(inv.payload)
}

func (r *runtimeAPI) answer(w http.ResponseWriter, req *http.Request, failed bool) {
	body, _ := io.ReadAll(req.Body)
	at := time.Now()
	r.mu.Lock()
	inv := r.active[req.PathValue("id")]
	delete(r.active, req.PathValue("id"))
	r.mu.Unlock()
	if inv == nil {
		http.Error(w, "unknown request id", http.StatusNotFound)
		return
	}
	w.WriteHeader(http.StatusAccepted)
	inv.answer, inv.failed, inv.at = body, failed, at
	close(inv.done)
}

// errNoAnswer is invoke's error when the process took the invocation but
// did not answer it in time.
var errNoAnswer = errors.New("no answer")

// invoke queues payload for the process and waits for its answer, at most
// limit. It returns the invocation, answered.
func (r *runtimeAPI) invoke(ctx context.Context, payload []byte, limit time.Duration) (*invocation, error) {
	r.mu.Lock()
	r.seq++
	inv := &invocation{id: "bench-" + strconv.Itoa(r.seq), payload: payload, done: make(chan struct{})}
	r.active[inv.id] = inv
	r.mu.Unlock()
	timer := time.NewTimer(limit)
	defer timer.Stop()
	select {
	case r.queue <- inv:
	case <-timer.C:
		return nil, fmt.Errorf("no process asked for invocation %s within %v", inv.id, limit)
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	select {
	case <-inv.done:
	case <-timer.C:
		return nil, fmt.Errorf("invocation %s: %w within %v", inv.id, errNoAnswer, limit)
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if inv.failed {
		return inv, fmt.Errorf("invocation %s failed: %s", inv.id, strings.TrimSpace(string(inv.answer)))
	}
	return inv, nil
}

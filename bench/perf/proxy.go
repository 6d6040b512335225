package main

import (
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"sync"
	"time"
)

// awsProxy stands between the functions and moto_server and notes when
// each AWS request arrives, so the benchmark can see whether a function
// called AWS before it asked for its first invocation.
type awsProxy struct {
	url string
	srv *http.Server
	mu  sync.Mutex
	at  []time.Time // arrivals since the last reset
}

func startProxy(target string) (*awsProxy, error) {
	u, err := url.Parse(target)
	if err != nil {
		return nil, err
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &awsProxy{url: "http://" + l.Addr().String()}
	rp := httputil.NewSingleHostReverseProxy(u)
	p.srv = &http.Server{ReadHeaderTimeout: 10 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		p.at = append(p.at, time.Now())
		p.mu.Unlock()
		rp.ServeHTTP(w, r)
	})}
	go func() { _ = p.srv.Serve(l) }()
	return p, nil
}

func (p *awsProxy) close() { _ = p.srv.Close() }

// reset forgets the arrivals so far.
func (p *awsProxy) reset() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.at = p.at[:0]
}

// before returns how many requests arrived before t, and how many in all.
func (p *awsProxy) before(t time.Time) (early, all int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, a := range p.at {
		if a.Before(t) {
			early++
		}
	}
	return early, len(p.at)
}

// firstAfter returns the first arrival after t, or the zero time.
func (p *awsProxy) firstAfter(t time.Time) time.Time {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, a := range p.at {
		if !a.Before(t) {
			return a
		}
	}
	return time.Time{}
}

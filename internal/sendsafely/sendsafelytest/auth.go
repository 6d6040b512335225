package sendsafelytest

import (
	"bytes"
	"crypto/hmac"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/sendsafely/chatbot-connector/internal/sendsafely"
)

// Request is one call as it arrived on the wire.
type Request struct {
	Method string
	// Path is the request path as sent, escapes kept; Query the raw query.
	Path, Query string
	Header      http.Header
	Body        string
}

// KeptRequests is how many calls the request log keeps: the newest, so
// that a long-running stand-in (the dev server under load) does not grow
// without bound.
const KeptRequests = 1000

// maxKeptBody bounds the body kept for each logged call; what a test
// looks at (a key registration: a few KiB) is far smaller.
const maxKeptBody = 64 << 10

// Requests returns the calls received since the last ClearRequests, oldest
// first: all of them, or the newest KeptRequests.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.log.all()
}

// RequestCount returns how many calls were received since the last
// ClearRequests, kept or not.
func (s *Server) RequestCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.log.total
}

// ClearRequests forgets the calls received so far.
func (s *Server) ClearRequests() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log = requestLog{}
}

// requestLog is a ring of the newest KeptRequests calls and a count of
// all of them.
type requestLog struct {
	ring  []Request
	next  int // where the next call goes once the ring is full
	total int
}

func (l *requestLog) add(r Request) {
	l.total++
	if len(l.ring) < KeptRequests {
		l.ring = append(l.ring, r)
		return
	}
	l.ring[l.next] = r
	l.next = (l.next + 1) % KeptRequests
}

func (l *requestLog) all() []Request {
	out := make([]Request, 0, len(l.ring))
	out = append(out, l.ring[l.next:]...)
	return append(out, l.ring[:l.next]...)
}

// middleware logs each request, applies the fault switches and checks
// the signature before the API sees the request.
func (s *Server) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err != nil {
			reply(w, http.StatusBadRequest, map[string]string{"response": "FAIL", "message": "unreadable body"})
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		path, query, _ := strings.Cut(r.RequestURI, "?")
		s.mu.Lock()
		kept := body[:min(len(body), maxKeptBody)]
		s.log.add(Request{Method: r.Method, Path: path, Query: query, Header: r.Header.Clone(), Body: string(kept)})
		s.mu.Unlock()

		if s.before(w, r) {
			return
		}
		if !s.authentic(r, path, string(body)) {
			// As SendSafely refuses: a JSON answer whose response is not
			// SUCCESS.
			reply(w, http.StatusOK, map[string]string{"response": "AUTHENTICATION_FAILED", "message": "Invalid API key or request signature"})
			return
		}
		next.ServeHTTP(w, r)
	})
}

// authentic reports whether r carries the accepted API key, a readable
// timestamp and the signature of path, timestamp and body under the
// accepted secret. The timestamp's age is not checked: clocks in tests
// are fake.
func (s *Server) authentic(r *http.Request, path, body string) bool {
	s.mu.Lock()
	refuse := s.faults.refuse
	s.mu.Unlock()
	key, ts, sig := r.Header.Get(sendsafely.HeaderAPIKey), r.Header.Get(sendsafely.HeaderTimestamp), r.Header.Get(sendsafely.HeaderSignature)
	if refuse || !hmac.Equal([]byte(key), []byte(s.cfg.APIKey)) {
		return false
	}
	if _, err := time.Parse(sendsafely.TimestampLayout, ts); err != nil {
		return false
	}
	want := sendsafely.Sign(s.cfg.APIKey, s.cfg.APISecret, path, ts, body)
	return hmac.Equal([]byte(sig), []byte(want))
}

// reply writes v as the JSON answer with status.
func reply(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "encode", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(b)
}

// Package sendsafelytest is a stand-in for SendSafely's REST API, for
// tests and the local dev server: a small HTTP server of ours that checks
// request signatures, keeps packages and public keys, answers the calls
// verified mode makes and those an upload page makes when it finalizes a
// package, and encrypts each package's keycode to the registered keys as
// the page does. It is not a mock: clients talk to it over HTTP and what
// arrived is in its request log.
package sendsafelytest

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// Config is what a Server needs. The zero value of a field takes the
// default shown.
type Config struct {
	// Host is put into secure links (default acme.sendsafely.com).
	Host string
	// APIKey and APISecret are the only credentials accepted (defaults
	// test-api-key and test-api-secret).
	APIKey, APISecret string
	// Now stamps packages (default time.Now).
	Now func() time.Time
	// TimeLayout is how answers write dates, in UTC (default TimeISO;
	// TimeJava as SendSafely's answers have been seen to).
	TimeLayout string
}

// Server is the stand-in. Its methods are safe for concurrent use.
type Server struct {
	cfg Config

	mu       sync.Mutex
	packages map[string]*pkg
	order    []string // package ids, oldest first
	keys     map[string]publicKey
	keyOrder []string
	faults   faults
	log      requestLog

	url string // set by Start
}

// New returns a Server that is not listening; serve Handler() yourself,
// or use Start.
func New(cfg Config) *Server {
	if cfg.Host == "" {
		cfg.Host = "acme.sendsafely.com"
	}
	if cfg.APIKey == "" {
		cfg.APIKey = "test-api-key"
	}
	if cfg.APISecret == "" {
		cfg.APISecret = "test-api-secret"
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.TimeLayout == "" {
		cfg.TimeLayout = TimeISO
	}
	return &Server{cfg: cfg, packages: map[string]*pkg{}, keys: map[string]publicKey{}}
}

// Start starts a Server on a free port of 127.0.0.1, closed when the test
// ends.
func Start(tb testing.TB, cfg Config) *Server {
	tb.Helper()
	s := New(cfg)
	ts := httptest.NewServer(s.Handler())
	tb.Cleanup(func() {
		s.Resume() // let paused handlers go, or Close waits for them
		ts.Close()
	})
	s.url = ts.URL
	return s
}

// URL is the base URL of a started Server, for SENDSAFELY_API_URL.
func (s *Server) URL() string { return s.url }

// Host is the host put into secure links.
func (s *Server) Host() string { return s.cfg.Host }

// APIKey returns the accepted API key.
func (s *Server) APIKey() string { return s.cfg.APIKey }

// APISecret returns the accepted API secret.
func (s *Server) APISecret() string { return s.cfg.APISecret }

// Handler serves SendSafely's API paths under /api/v2.0/.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v2.0/package/received/{$}", s.received)
	mux.HandleFunc("GET /api/v2.0/package/{id}/{$}", s.packageInfo)
	mux.HandleFunc("GET /api/v2.0/package/{id}/link/{key}/{$}", s.keycode)
	mux.HandleFunc("PUT /api/v2.0/package/{id}/link/{key}/{$}", s.putKeycode)
	mux.HandleFunc("GET /api/v2.0/package/{id}/public-keys/{$}", s.publicKeys)
	mux.HandleFunc("PUT /api/v2.0/public-key/{$}", s.registerKey)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		reply(w, http.StatusNotFound, map[string]string{"response": "FAIL", "message": "No such API call"})
	})
	return s.middleware(mux)
}

package wiring

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

// TestLazyMCP: the MCP endpoint is built on its first request, once
// however many requests come at once, and a build that fails answers 500.
func TestLazyMCP(t *testing.T) {
	builds := 0
	ok := lazyMCP(sync.OnceValues(func() (http.Handler, error) {
		builds++
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusTeapot) }), nil
	}))
	if builds != 0 {
		t.Fatalf("built %d times before any request", builds)
	}
	var wg sync.WaitGroup
	codes := make([]int, 8)
	for i := range codes {
		wg.Go(func() {
			rec := httptest.NewRecorder()
			ok.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/mcp", nil))
			codes[i] = rec.Code
		})
	}
	wg.Wait()
	for _, c := range codes {
		if c != http.StatusTeapot {
			t.Errorf("answered %d, want the built handler's 418", c)
		}
	}
	if builds != 1 {
		t.Errorf("built %d times, want 1", builds)
	}
	bad := lazyMCP(func() (http.Handler, error) { return nil, errors.New("schema") })
	rec := httptest.NewRecorder()
	bad.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/mcp", nil))
	if rec.Code != http.StatusInternalServerError {
		t.Errorf("a failed build answered %d, want 500", rec.Code)
	}
}

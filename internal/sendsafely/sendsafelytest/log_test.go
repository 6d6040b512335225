package sendsafelytest_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/sendsafely/chatbot-connector/internal/sendsafely/sendsafelytest"
)

// TestRequestLogIsBounded: a stand-in that runs for long (the dev server
// under load) keeps the newest KeptRequests calls and a count of all, not
// every call it ever got.
func TestRequestLogIsBounded(t *testing.T) {
	s := sendsafelytest.New(sendsafelytest.Config{})
	h := s.Handler()
	const n = 100_000
	for i := range n {
		req := httptest.NewRequest("GET", fmt.Sprintf("/api/v2.0/package/P-%d/", i), strings.NewReader("x"))
		h.ServeHTTP(httptest.NewRecorder(), req)
	}
	got := s.Requests()
	if len(got) != sendsafelytest.KeptRequests {
		t.Fatalf("kept %d requests, want %d", len(got), sendsafelytest.KeptRequests)
	}
	if s.RequestCount() != n {
		t.Errorf("count: got %d, want %d", s.RequestCount(), n)
	}
	for i, r := range []sendsafelytest.Request{got[0], got[len(got)-1]} {
		want := fmt.Sprintf("/api/v2.0/package/P-%d/", []int{n - sendsafelytest.KeptRequests, n - 1}[i])
		if r.Path != want {
			t.Errorf("kept request %d: got %s, want %s (the newest, oldest first)", i, r.Path, want)
		}
	}
	s.ClearRequests()
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/api/v2.0/package/received/", nil))
	if got := s.Requests(); len(got) != 1 || s.RequestCount() != 1 {
		t.Errorf("after ClearRequests: %d kept, %d counted; want 1 and 1", len(got), s.RequestCount())
	}
}

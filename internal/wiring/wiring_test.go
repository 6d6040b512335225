package wiring_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/sendsafely/chatbot-connector/internal/apigw"
	"github.com/sendsafely/chatbot-connector/internal/config"
	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/memory"
	"github.com/sendsafely/chatbot-connector/internal/wiring"
)

func TestHandler(t *testing.T) {
	cfg, err := config.LoadOptions(func(k string) string {
		return map[string]string{config.SendSafelyHost: "acme.sendsafely.com", config.DropzoneID: "DZ1"}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	full := func() wiring.Parts {
		return wiring.Parts{Store: &memory.Store{}, Publisher: &memory.Publisher{}, Keys: memory.NewKeys(connector.KeySet{})}
	}
	for _, tt := range []struct {
		name    string
		parts   func() wiring.Parts
		wantErr string
	}{
		{"all parts", full, ""},
		{"no store", func() wiring.Parts { p := full(); p.Store = nil; return p }, "no store"},
		{"no publisher", func() wiring.Parts { p := full(); p.Publisher = nil; return p }, "no publisher"},
		{"no keys", func() wiring.Parts { p := full(); p.Keys = nil; return p }, "no keys"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var logs bytes.Buffer
			h, err := wiring.Handler(cfg, tt.parts(), wiring.Platform{Logs: &logs})
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("got %v, want an error saying %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var ev apigw.Event
			ev.Version, ev.RawPath, ev.Body = "2.0", "/", `{"action":"generateId"}`
			ev.RequestContext.HTTP.Method = "POST"
			resp, err := h.HTTP.(*apigw.Handler).Handle(context.Background(), ev)
			if err != nil || resp.StatusCode != 200 || !strings.Contains(resp.Body, "dz=DZ1&h=acme.sendsafely.com") {
				t.Fatalf("generateId: %v %d %s", err, resp.StatusCode, resp.Body)
			}
			if !strings.Contains(logs.String(), `"route":"/"`) {
				t.Errorf("no log line: %q", logs.String())
			}
		})
	}
}

func TestNewUploadID(t *testing.T) {
	seen := map[string]bool{}
	for range 100 {
		id, err := wiring.NewUploadID()
		if err != nil {
			t.Fatal(err)
		}
		u, err := uuid.Parse(id)
		if err != nil || u.Version() != 4 || u.String() != id || seen[id] {
			t.Fatalf("id %q: %v, version %d, seen before %v", id, err, u.Version(), seen[id])
		}
		seen[id] = true
	}
}

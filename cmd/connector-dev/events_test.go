package main

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

func TestLinePublisher(t *testing.T) {
	var out syncBuffer
	p := newLinePublisher(&out)
	ev := connector.Event{Type: connector.EventSubmitted, UploadID: "u", Email: "a&b@example.com", PackageID: "ABCD-1234",
		SubmittedAt: "2026-11-21T08:00:00Z", SecureLink: "https://h/receive/?thread=ABCD-1234&packageCode=pc#keyCode=k"}
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			if err := p.Publish(context.Background(), ev); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != 20 {
		t.Fatalf("got %d lines, want 20", len(lines))
	}
	for _, l := range lines {
		var got connector.Event
		if err := json.Unmarshal([]byte(l), &got); err != nil || !reflect.DeepEqual(got, ev) {
			t.Fatalf("line %q: %v; want the event as JSON", l, err)
		}
		if !strings.Contains(l, "&packageCode") {
			t.Errorf("line %q escapes & as \\u0026", l)
		}
	}
}

type brokenWriter struct{}

func (brokenWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestLinePublisherWriterFails(t *testing.T) {
	err := newLinePublisher(brokenWriter{}).Publish(context.Background(), connector.Event{Type: connector.EventSubmitted})
	if !errors.Is(err, connector.ErrUnavailable) {
		t.Errorf("got %v, want ErrUnavailable", err)
	}
}

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sync"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// linePublisher is the local stand-in for the SNS topic: a
// connector.Publisher that writes each event as one JSON line, the message
// subscribers would get. With deliver set, it hands each event to it too,
// in the background, as the topic's delivery queue would.
type linePublisher struct {
	mu sync.Mutex
	w  io.Writer
	// deliver, when set, is called with every event after it is written,
	// on a goroutine of its own; set it before the first Publish.
	deliver func(connector.Event)
	running sync.WaitGroup
}

var _ connector.Publisher = (*linePublisher)(nil)

func newLinePublisher(w io.Writer) *linePublisher { return &linePublisher{w: w} }

// Publish writes ev as one line. It returns ErrUnavailable if the writer
// fails.
func (p *linePublisher) Publish(_ context.Context, ev connector.Event) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(ev); err != nil {
		return fmt.Errorf("events: encode %s: %w", ev.Type, err)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, err := p.w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("events: write %s: %w: %w", ev.Type, connector.ErrUnavailable, err)
	}
	if p.deliver != nil {
		p.running.Go(func() { p.deliver(ev) })
	}
	return nil
}

// wait waits for the deliveries under way.
func (p *linePublisher) wait() {
	if p != nil {
		p.running.Wait()
	}
}

package memory

import (
	"context"
	"sync"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// Publisher is a connector.Publisher that keeps what it is given. The zero
// value is ready to use.
type Publisher struct {
	mu     sync.Mutex
	events []connector.Event
	// Err, when set, is returned by Publish and nothing is kept: a topic
	// that is down.
	Err error
	// OnPublish, when set, is called with each event kept.
	OnPublish func(connector.Event)
}

var _ connector.Publisher = (*Publisher)(nil)

// Publish keeps ev, or returns Err.
func (p *Publisher) Publish(_ context.Context, ev connector.Event) error {
	p.mu.Lock()
	if p.Err != nil {
		defer p.mu.Unlock()
		return p.Err
	}
	p.events = append(p.events, ev)
	hook := p.OnPublish
	p.mu.Unlock()
	if hook != nil {
		hook(ev)
	}
	return nil
}

// Events returns a copy of the events published so far.
func (p *Publisher) Events() []connector.Event {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]connector.Event(nil), p.events...)
}

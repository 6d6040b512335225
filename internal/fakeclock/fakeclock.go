// Package fakeclock is a clock for tests: it stands still until told to
// move, and its Sleep moves it instead of waiting, so tests never sleep to
// wait for time to pass.
package fakeclock

import (
	"context"
	"sync"
	"time"
)

// Clock is a settable clock. Its methods fit connector.Deps' Now and Sleep.
type Clock struct {
	mu      sync.Mutex
	t       time.Time
	slept   []time.Duration
	onSleep func(d time.Duration)
}

// New returns a clock that reads t.
func New(t time.Time) *Clock { return &Clock{t: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// Sleep moves the clock forward by d and then calls the OnSleep hook, if
// any. It returns ctx.Err() without moving if ctx is already done.
func (c *Clock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.slept = append(c.slept, d)
	hook := c.onSleep
	c.mu.Unlock()
	if hook != nil {
		hook(d)
	}
	return nil
}

// OnSleep sets a hook called after each Sleep: the place for a test to
// make something happen "while" the code under test waits.
func (c *Clock) OnSleep(f func(d time.Duration)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.onSleep = f
}

// Slept returns the durations Sleep was called with, in order.
func (c *Clock) Slept() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.slept...)
}

package fakeclock_test

import (
	"context"
	"testing"
	"time"

	"github.com/sendsafely/chatbot-connector/internal/fakeclock"
)

func TestClock(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c := fakeclock.New(t0)
	var hooked time.Duration
	c.OnSleep(func(d time.Duration) { hooked += d })
	c.Advance(time.Minute)
	if err := c.Sleep(context.Background(), time.Second); err != nil {
		t.Fatal(err)
	}
	if got, want := c.Now(), t0.Add(time.Minute+time.Second); !got.Equal(want) {
		t.Errorf("Now: got %v, want %v", got, want)
	}
	if hooked != time.Second || len(c.Slept()) != 1 {
		t.Errorf("hook saw %v, slept %v", hooked, c.Slept())
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := c.Sleep(ctx, time.Hour); err == nil || c.Now().After(t0.Add(2*time.Minute)) {
		t.Errorf("Sleep on a done context: err %v, now %v", err, c.Now())
	}
}

package sqsdelivery_test

import (
	"testing"
	"time"

	"github.com/sendsafely/chatbot-connector/internal/sqsdelivery"
)

func TestScheduleDelay(t *testing.T) {
	s := sqsdelivery.Schedule{Base: time.Minute, Max: 4 * time.Hour, MaxReceives: 14}
	for _, tt := range []struct {
		receives int
		want     time.Duration
	}{
		{0, time.Minute}, {1, time.Minute}, {2, 2 * time.Minute}, {3, 4 * time.Minute},
		{8, 128 * time.Minute}, {9, 4 * time.Hour}, {13, 4 * time.Hour}, {1000, 4 * time.Hour},
	} {
		if got := s.Delay(tt.receives); got != tt.want {
			t.Errorf("Delay(%d): got %v, want %v", tt.receives, got, tt.want)
		}
	}
}

// TestDefaultScheduleLastsADay: the contract retries for at least 24 hours
// and SQS keeps a message invisible for at most 12 hours.
func TestDefaultScheduleLastsADay(t *testing.T) {
	s := sqsdelivery.DefaultSchedule()
	if err := s.Check(); err != nil {
		t.Fatal(err)
	}
	if got := s.Budget(); got < 24*time.Hour {
		t.Errorf("got a budget of %v, want at least 24h", got)
	}
	if got, want := s.Budget(), 24*time.Hour+15*time.Minute; got != want {
		t.Errorf("got a budget of %v, want %v as documented", got, want)
	}
	for n := 1; n <= s.MaxReceives; n++ {
		if d := s.Delay(n); d > sqsdelivery.MaxVisibility {
			t.Errorf("Delay(%d) = %v, beyond SQS's 12h", n, d)
		}
	}
}

func TestScheduleCheck(t *testing.T) {
	for _, tt := range []struct {
		name string
		s    sqsdelivery.Schedule
		ok   bool
	}{
		{"default", sqsdelivery.DefaultSchedule(), true},
		{"short for tests", sqsdelivery.Schedule{Base: time.Second, Max: 2 * time.Second, MaxReceives: 3}, true},
		{"twelve hours", sqsdelivery.Schedule{Base: time.Hour, Max: 12 * time.Hour, MaxReceives: 5}, true},
		{"zero", sqsdelivery.Schedule{}, false},
		{"sub-second base", sqsdelivery.Schedule{Base: 500 * time.Millisecond, Max: time.Minute, MaxReceives: 3}, false},
		{"max below base", sqsdelivery.Schedule{Base: time.Minute, Max: time.Second, MaxReceives: 3}, false},
		{"beyond 12h", sqsdelivery.Schedule{Base: time.Minute, Max: 13 * time.Hour, MaxReceives: 3}, false},
		{"no receives", sqsdelivery.Schedule{Base: time.Minute, Max: time.Hour}, false},
	} {
		if err := tt.s.Check(); (err == nil) != tt.ok {
			t.Errorf("%s: got %v, want ok %v", tt.name, err, tt.ok)
		}
	}
}

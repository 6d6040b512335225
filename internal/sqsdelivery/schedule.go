package sqsdelivery

import (
	"errors"
	"fmt"
	"time"
)

// MaxVisibility is the longest SQS lets a message stay invisible after a
// receive: 12 hours.
const MaxVisibility = 12 * time.Hour

// Schedule is when a failed delivery is tried again: Base after the first
// attempt, doubling after each further one, never more than Max; the
// queue's redrive policy moves the message to the dead-letter queue after
// MaxReceives attempts. It is configuration, so a test can shorten it.
type Schedule struct {
	Base        time.Duration // delay after the first failed attempt (whole seconds)
	Max         time.Duration // the longest delay, at most MaxVisibility
	MaxReceives int           // the redrive policy's maxReceiveCount
}

// DefaultSchedule retries after 1, 2, 4 … minutes, at most 4 hours apart,
// 14 attempts in all: the last comes 24 h 15 min after the first
// (Budget), as the contract's "at least 24 hours" asks. The queue's
// redrive policy must say maxReceiveCount 14.
func DefaultSchedule() Schedule {
	return Schedule{Base: time.Minute, Max: 4 * time.Hour, MaxReceives: 14}
}

// Check returns an error naming what is wrong with s.
func (s Schedule) Check() error {
	switch {
	case s.Base < time.Second || s.Base%time.Second != 0:
		return fmt.Errorf("sqsdelivery: the base delay %v is not a whole number of seconds", s.Base)
	case s.Max < s.Base || s.Max > MaxVisibility || s.Max%time.Second != 0:
		return fmt.Errorf("sqsdelivery: the longest delay %v is not whole seconds between the base delay and 12h", s.Max)
	case s.MaxReceives < 1:
		return errors.New("sqsdelivery: max receives must be at least 1")
	}
	return nil
}

// Delay is how long the message stays invisible after its attempt number
// receives (1 for the first) failed: Base·2^(receives-1), at most Max.
func (s Schedule) Delay(receives int) time.Duration {
	d := s.Base
	for i := 1; i < receives && d < s.Max; i++ {
		d *= 2
	}
	return min(d, s.Max)
}

// Budget is the time from the first attempt to the last: the sum of the
// delays between the MaxReceives attempts.
func (s Schedule) Budget() time.Duration {
	var total time.Duration
	for n := 1; n < s.MaxReceives; n++ {
		total += s.Delay(n)
	}
	return total
}

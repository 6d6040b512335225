package secrets_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	"github.com/aws/smithy-go"

	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/secrets"
)

// TestCache: Keys serves the secret from memory for the TTL. Refresh reads
// it anew, bypassing the cache, but reads of its own happen at most once
// per connector.RefreshInterval; what it reads refreshes the cache that
// Keys serves.
func TestCache(t *testing.T) {
	type step struct {
		at        time.Duration // since the first call
		refresh   bool          // Refresh, else Keys
		rotate    string        // if set, the secret's new value before the call
		want      string        // the validation key the call returns
		wantCalls int           // reads of the secret so far
	}
	for _, tt := range []struct {
		name  string
		ttl   time.Duration
		steps []step
	}{
		{
			name: "within the ttl, no second read",
			ttl:  5 * time.Minute,
			steps: []step{
				{at: 0, want: "vk-1", wantCalls: 1},
				{at: time.Minute, rotate: "vk-2", want: "vk-1", wantCalls: 1},
				{at: 5*time.Minute - time.Nanosecond, want: "vk-1", wantCalls: 1},
			},
		},
		{
			name: "after the ttl, read again",
			ttl:  5 * time.Minute,
			steps: []step{
				{at: 0, want: "vk-1", wantCalls: 1},
				{at: time.Minute, rotate: "vk-2", want: "vk-1", wantCalls: 1},
				{at: 5 * time.Minute, want: "vk-2", wantCalls: 2},
				{at: 9 * time.Minute, want: "vk-2", wantCalls: 2},
				{at: 10 * time.Minute, want: "vk-2", wantCalls: 3},
			},
		},
		{
			name: "ttl 0, read every time",
			ttl:  0,
			steps: []step{
				{at: 0, want: "vk-1", wantCalls: 1},
				{at: 0, want: "vk-1", wantCalls: 2},
				{at: 0, rotate: "vk-2", want: "vk-2", wantCalls: 3},
			},
		},
		{
			name: "a rotated key is read at once, then served from the cache",
			ttl:  5 * time.Minute,
			steps: []step{
				{at: 0, want: "vk-1", wantCalls: 1},
				{at: time.Minute, rotate: "vk-2", want: "vk-1", wantCalls: 1},
				{at: time.Minute, refresh: true, want: "vk-2", wantCalls: 2},
				{at: 2 * time.Minute, want: "vk-2", wantCalls: 2},
			},
		},
		{
			name: "a key rotated just after the cache was filled",
			ttl:  5 * time.Minute,
			steps: []step{
				{at: 0, want: "vk-1", wantCalls: 1},
				{at: time.Second, rotate: "vk-2", refresh: true, want: "vk-2", wantCalls: 2},
			},
		},
		{
			name: "refreshes read at most once per 30 s",
			ttl:  5 * time.Minute,
			steps: []step{
				{at: 0, want: "vk-1", wantCalls: 1},
				{at: 10 * time.Second, refresh: true, want: "vk-1", wantCalls: 2},
				{at: 11 * time.Second, refresh: true, want: "vk-1", wantCalls: 2},
				{at: 39 * time.Second, rotate: "vk-2", refresh: true, want: "vk-1", wantCalls: 2},
				{at: 40 * time.Second, refresh: true, want: "vk-2", wantCalls: 3},
				{at: 50 * time.Second, rotate: "vk-3", refresh: true, want: "vk-2", wantCalls: 3},
				{at: 70 * time.Second, refresh: true, want: "vk-3", wantCalls: 4},
				{at: 71 * time.Second, want: "vk-3", wantCalls: 4},
			},
		},
		{
			name: "the first call may be a refresh",
			ttl:  5 * time.Minute,
			steps: []step{
				{at: 0, refresh: true, want: "vk-1", wantCalls: 1},
				{at: time.Second, want: "vk-1", wantCalls: 1},
			},
		},
		{
			name: "ttl 0, refresh reads every time",
			ttl:  0,
			steps: []step{
				{at: 0, refresh: true, want: "vk-1", wantCalls: 1},
				{at: 0, refresh: true, rotate: "vk-2", want: "vk-2", wantCalls: 2},
			},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			fake := &fakeSecret{text: "vk-1"}
			clk := newClock()
			start := clk.Now()
			k := secrets.New(fake, secretARN, tt.ttl, secrets.WithClock(clk.Now))
			if n := fake.callCount(); n != 0 {
				t.Fatalf("New read the secret %d times, want 0", n)
			}
			for i, s := range tt.steps {
				clk.Advance(start.Add(s.at).Sub(clk.Now()))
				if s.rotate != "" {
					fake.set(s.rotate, nil)
				}
				get := k.Keys
				if s.refresh {
					get = k.Refresh
				}
				ks, err := get(t.Context())
				if err != nil {
					t.Fatalf("step %d: %v", i, err)
				}
				if got := string(ks.ValidationKey); got != s.want {
					t.Errorf("step %d: got key %q, want %q", i, got, s.want)
				}
				if got := fake.callCount(); got != s.wantCalls {
					t.Errorf("step %d: got %d reads, want %d", i, got, s.wantCalls)
				}
			}
		})
	}
}

func TestFailedReadServesNothingStale(t *testing.T) {
	const value = `{"validationKey":"vk-hunter2","previousValidationKey":"vk-old-hunter1","apiToken":"tok-swordfish"}`
	fake := &fakeSecret{text: value}
	clk := newClock()
	k := secrets.New(fake, secretARN, 5*time.Minute, secrets.WithClock(clk.Now))
	if _, err := k.Keys(t.Context()); err != nil {
		t.Fatal(err)
	}

	for _, failure := range []error{
		&types.ResourceNotFoundException{},
		&types.DecryptionFailure{},
		&types.InternalServiceError{},
		&smithy.GenericAPIError{Code: "AccessDeniedException"},
		&smithy.CanceledError{Err: context.Canceled},
	} {
		clk.Advance(5 * time.Minute)
		fake.set(value, failure)
		ks, err := k.Keys(t.Context())
		if !errors.Is(err, connector.ErrUnavailable) {
			t.Fatalf("%T: got %v, want ErrUnavailable", failure, err)
		}
		if (ks != connector.KeySet{}) {
			t.Errorf("%T: got keys %+v with the error, want none", failure, plain(ks))
		}
		assertNoSecret(t, err, "hunter", "swordfish")
	}

	fake.set(value, nil)
	ks, err := k.Keys(t.Context())
	if err != nil {
		t.Fatalf("after recovery: %v", err)
	}
	if got := string(ks.APIToken); got != "tok-swordfish" {
		t.Errorf("after recovery: got token %q, want tok-swordfish", got)
	}
}

func TestConcurrentCallersReadOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		fake := &fakeSecret{text: "vk-1", release: make(chan struct{})}
		k := secrets.New(fake, secretARN, time.Minute, secrets.WithClock(newClock().Now))
		const callers = 20
		var wg sync.WaitGroup
		got := make([]string, callers)
		errs := make([]error, callers)
		for i := range callers {
			wg.Go(func() {
				ks, err := k.Keys(t.Context())
				got[i], errs[i] = string(ks.ValidationKey), err
			})
		}
		synctest.Wait() // every caller is now inside Keys, one of them reading
		if n := fake.callCount(); n != 1 {
			t.Errorf("got %d reads in flight, want 1", n)
		}
		close(fake.release)
		wg.Wait()
		for i := range callers {
			if errs[i] != nil || got[i] != "vk-1" {
				t.Errorf("caller %d: got %q, %v; want vk-1, nil", i, got[i], errs[i])
			}
		}
		if n := fake.callCount(); n != 1 {
			t.Errorf("got %d reads, want 1", n)
		}
	})
}

func TestWaiterGivesUpWithItsContext(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		fake := &fakeSecret{text: "vk-1", release: make(chan struct{})}
		k := secrets.New(fake, secretARN, time.Minute, secrets.WithClock(newClock().Now))
		var wg sync.WaitGroup
		wg.Go(func() {
			if _, err := k.Keys(t.Context()); err != nil {
				t.Errorf("first caller: %v", err)
			}
		})
		synctest.Wait() // the first caller is reading

		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan error)
		go func() {
			_, err := k.Keys(ctx)
			done <- err
		}()
		synctest.Wait() // the second caller waits for the first
		cancel()
		if err := <-done; !errors.Is(err, connector.ErrUnavailable) || !errors.Is(err, context.Canceled) {
			t.Errorf("second caller: got %v, want ErrUnavailable and context.Canceled", err)
		}
		close(fake.release)
		wg.Wait()
	})
}

package secrets_test

import (
	"testing"
	"time"

	"github.com/sendsafely/chatbot-connector/internal/secrets"
)

// TestRefresh: Refresh reads the secret anew, bypassing the cache, but
// reads of its own happen at most once per connector.RefreshInterval; what
// it reads refreshes the cache that Keys serves.
func TestRefresh(t *testing.T) {
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
			name: "ttl 0, read every time",
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

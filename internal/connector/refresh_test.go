package connector_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/dropzone"
)

// cachedKeys serves a stale key set from Keys and the current one from
// Refresh, counting refreshes: a cache that has not seen a rotation yet.
type cachedKeys struct {
	mu             sync.Mutex
	stale, current connector.KeySet
	refreshes      int
	refreshErr     error
}

func (k *cachedKeys) Keys(context.Context) (connector.KeySet, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.stale, nil
}

func (k *cachedKeys) Refresh(context.Context) (connector.KeySet, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.refreshes++
	return k.current, k.refreshErr
}

// TestNotifyRereadsTheSecret: a notification whose digest matches no cached
// key, or that finds no validation key in the cache, reads the secret again
// once, so a key just put into the secret works at once.
func TestNotifyRereadsTheSecret(t *testing.T) {
	for _, tt := range []struct {
		name          string
		stale         connector.KeySet
		current       connector.KeySet
		refreshErr    error
		signWith      string
		want          error
		wantRefreshes int
	}{
		{name: "cached key matches: no read", stale: connector.KeySet{ValidationKey: testKey},
			current: connector.KeySet{ValidationKey: testKey}, signWith: testKey, wantRefreshes: 0},
		{name: "key rotated since the cache", stale: connector.KeySet{ValidationKey: "old"},
			current: connector.KeySet{ValidationKey: testKey}, signWith: testKey, wantRefreshes: 1},
		{name: "key put into an empty secret", stale: connector.KeySet{},
			current: connector.KeySet{ValidationKey: testKey}, signWith: testKey, wantRefreshes: 1},
		{name: "forged digest: one read, then 401", stale: connector.KeySet{ValidationKey: testKey},
			current: connector.KeySet{ValidationKey: testKey}, signWith: "forger", want: connector.ErrUnauthorized, wantRefreshes: 1},
		{name: "still no key: 503", stale: connector.KeySet{}, current: connector.KeySet{}, signWith: testKey,
			want: connector.ErrUnavailable, wantRefreshes: 1},
		{name: "the read fails: 503", stale: connector.KeySet{ValidationKey: "old"}, refreshErr: connector.ErrUnavailable,
			signWith: testKey, want: connector.ErrUnavailable, wantRefreshes: 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			id := e.generate(t, testEmail)
			keys := &cachedKeys{stale: tt.stale, current: tt.current, refreshErr: tt.refreshErr}
			svc, err := connector.New(e.set, connector.Deps{Store: e.store, Publisher: e.pub, Keys: keys,
				Dropzone: dropzone.Codec{}, NewID: e.newID, Now: e.clock.Now, Sleep: e.clock.Sleep})
			if err != nil {
				t.Fatal(err)
			}
			_, err = svc.Notify(t.Context(), sign(t, e.payload(id, "P1"), tt.signWith))
			if tt.want == nil && err != nil || tt.want != nil && !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
			if keys.refreshes != tt.wantRefreshes {
				t.Errorf("refreshes: got %d, want %d", keys.refreshes, tt.wantRefreshes)
			}
		})
	}
}

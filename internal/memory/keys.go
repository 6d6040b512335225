package memory

import (
	"context"
	"sync"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// Keys is a connector.Keys holding a fixed KeySet that can be changed.
type Keys struct {
	mu  sync.Mutex
	set connector.KeySet
	err error
}

var _ connector.Keys = (*Keys)(nil)

// NewKeys returns Keys that hold ks.
func NewKeys(ks connector.KeySet) *Keys { return &Keys{set: ks} }

// Keys returns the key set, or the error set with Fail.
func (k *Keys) Keys(context.Context) (connector.KeySet, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.set, k.err
}

// Refresh returns what Keys does: there is no cache to bypass.
func (k *Keys) Refresh(ctx context.Context) (connector.KeySet, error) { return k.Keys(ctx) }

// Set replaces the key set (a rotation).
func (k *Keys) Set(ks connector.KeySet) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.set = ks
}

// Fail makes Keys return err (nil to recover): a secret that cannot be read.
func (k *Keys) Fail(err error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.err = err
}

// Package secrets reads the connector's keys from one Secrets Manager
// secret and keeps them in memory for a while, so that a warm function
// does not call Secrets Manager on every request.
package secrets

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// API is the part of the Secrets Manager client that Keys calls.
// *secretsmanager.Client implements it; tests use a fake.
type API interface {
	GetSecretValue(ctx context.Context, in *secretsmanager.GetSecretValueInput, optFns ...func(*secretsmanager.Options)) (*secretsmanager.GetSecretValueOutput, error)
}

// Keys is a connector.Keys that reads one secret and caches its value. It
// is safe for concurrent use.
type Keys struct {
	api      API
	secretID string
	ttl      time.Duration
	now      func() time.Time

	// lock guards the cache. It is a channel rather than a sync.Mutex so
	// that a caller waiting behind another's fetch gives up when its own
	// context ends.
	lock   chan struct{}
	cached connector.KeySet
	until  time.Time // the cache is fresh before this instant
	forced time.Time // when Refresh last read the secret; zero before it did
}

var _ connector.Keys = (*Keys)(nil)

// Option changes how New builds Keys.
type Option func(*Keys)

// WithClock makes Keys read the time from now instead of time.Now, so
// that tests can move time without sleeping.
func WithClock(now func() time.Time) Option {
	return func(k *Keys) { k.now = now }
}

// New returns Keys that read the secret secretID (its ARN or name) through
// api and keep its value for ttl; a ttl of 0 reads the secret on every
// call. Nothing is read until the first call.
func New(api API, secretID string, ttl time.Duration, opts ...Option) *Keys {
	k := &Keys{api: api, secretID: secretID, ttl: ttl, now: time.Now, lock: make(chan struct{}, 1)}
	for _, opt := range opts {
		opt(k)
	}
	return k
}

// Keys returns the keys in the secret, from memory while the last read is
// younger than the TTL. Concurrent callers on an expired cache cause one
// read, not one each. It returns ErrUnavailable if the secret cannot be
// read or its value is not in a form it knows; then nothing older is
// served. The error never holds the secret's value.
func (k *Keys) Keys(ctx context.Context) (connector.KeySet, error) {
	return k.get(ctx, false)
}

// Refresh reads the secret anew, bypassing the cache, unless Refresh read
// it less than connector.RefreshInterval ago; then it returns the cached
// value. What it reads refreshes the cache. Errors are those of Keys.
func (k *Keys) Refresh(ctx context.Context) (connector.KeySet, error) {
	return k.get(ctx, true)
}

// get returns the cached keys while fresh, else reads them; with refresh,
// it reads them unless a refresh did less than connector.RefreshInterval
// ago.
func (k *Keys) get(ctx context.Context, refresh bool) (connector.KeySet, error) {
	if k.ttl <= 0 {
		return k.fetch(ctx)
	}
	select {
	case k.lock <- struct{}{}:
	case <-ctx.Done():
		return connector.KeySet{}, fmt.Errorf("secrets: read keys: %w: %w", connector.ErrUnavailable, context.Cause(ctx))
	}
	defer func() { <-k.lock }()
	start := k.now()
	fresh := start.Before(k.until)
	if refresh {
		fresh = !k.forced.IsZero() && start.Before(k.forced.Add(connector.RefreshInterval))
		if !fresh {
			k.forced = start
		}
	}
	if fresh {
		return k.cached, nil
	}
	ks, err := k.fetch(ctx)
	if err != nil {
		return connector.KeySet{}, err
	}
	// The value was current when the read began; its age counts from then.
	k.cached, k.until = ks, start.Add(k.ttl)
	return ks, nil
}

// fetch reads and parses the secret.
func (k *Keys) fetch(ctx context.Context) (connector.KeySet, error) {
	out, err := k.api.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(k.secretID)})
	if err != nil {
		return connector.KeySet{}, fmt.Errorf("secrets: read keys: %w: %w", connector.ErrUnavailable, err)
	}
	raw := out.SecretBinary
	if out.SecretString != nil {
		raw = []byte(*out.SecretString)
	}
	ks, err := parse(raw)
	if err != nil {
		return connector.KeySet{}, fmt.Errorf("secrets: read keys: %w", err)
	}
	return ks, nil
}

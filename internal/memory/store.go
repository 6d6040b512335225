// Package memory provides in-process implementations of the connector's
// ports: a Store, a Publisher and Keys. They keep the same contracts as the
// AWS adapters and serve unit tests, benchmarks and local runs.
package memory

import (
	"context"
	"fmt"
	"sync"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// Store is a connector.Store in a map. The zero value is ready to use.
type Store struct {
	mu   sync.Mutex
	recs map[string]connector.Record
	// Err, when set, is returned by every call: a store that is down.
	Err error
}

var _ connector.Store = (*Store)(nil)

// Get returns the record under key; ErrNotFound if there is none.
func (s *Store) Get(_ context.Context, key string) (connector.Record, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Err != nil {
		return connector.Record{}, s.Err
	}
	rec, ok := s.recs[key]
	if !ok {
		return connector.Record{}, fmt.Errorf("memory: get: %w", connector.ErrNotFound)
	}
	rec.Sealed = append([]byte(nil), rec.Sealed...)
	return rec, nil
}

// Create stores rec; ErrConflict if a record exists under its key.
func (s *Store) Create(_ context.Context, rec connector.Record) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Err != nil {
		return s.Err
	}
	if _, ok := s.recs[rec.Key]; ok {
		return fmt.Errorf("memory: create: %w", connector.ErrConflict)
	}
	if s.recs == nil {
		s.recs = make(map[string]connector.Record)
	}
	rec.Sealed = append([]byte(nil), rec.Sealed...)
	s.recs[rec.Key] = rec
	return nil
}

// Replace stores rec if the stored version is prev; ErrConflict otherwise.
func (s *Store) Replace(_ context.Context, rec connector.Record, prev int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Err != nil {
		return s.Err
	}
	if old, ok := s.recs[rec.Key]; !ok || old.Version != prev {
		return fmt.Errorf("memory: replace: %w", connector.ErrConflict)
	}
	rec.Sealed = append([]byte(nil), rec.Sealed...)
	s.recs[rec.Key] = rec
	return nil
}

// Records returns a copy of everything stored, for inspection.
func (s *Store) Records() []connector.Record {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]connector.Record, 0, len(s.recs))
	for _, r := range s.recs {
		out = append(out, r)
	}
	return out
}

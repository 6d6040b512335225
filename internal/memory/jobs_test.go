package memory_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"

	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/memory"
)

// TestJobs: every job sent runs, a job may send more, and each outcome is
// reported.
func TestJobs(t *testing.T) {
	var mu sync.Mutex
	var done []string
	q := &memory.Jobs{}
	q.Run = func(ctx context.Context, job connector.FileJob) error {
		if job.FileID == "" {
			return q.Send(ctx, []connector.FileJob{{FileID: "a"}, {FileID: "b"}})
		}
		if job.FileID == "b" {
			return connector.ErrUnavailable
		}
		return nil
	}
	q.Done = func(job connector.FileJob, err error) {
		mu.Lock()
		defer mu.Unlock()
		outcome := job.FileID + ":ok"
		if errors.Is(err, connector.ErrUnavailable) {
			outcome = job.FileID + ":failed"
		}
		done = append(done, outcome)
	}
	ctx, cancel := context.WithCancel(context.Background())
	if err := q.Send(ctx, []connector.FileJob{{}}); err != nil {
		t.Fatal(err)
	}
	cancel() // the request that sent them ends
	q.Wait()
	slices.Sort(done)
	if want := []string{":ok", "a:ok", "b:failed"}; !slices.Equal(done, want) {
		t.Errorf("got %v, want %v", done, want)
	}
}

package memory

import (
	"context"
	"sync"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// Jobs is a connector.FileQueue that does each job in the process, for
// local runs where there is no files queue: each job sent is handed to
// Run in a goroutine of its own (the jobs a fan-out sends run in
// parallel, as on separate invocations), and its outcome to Done. There
// is no retry: locally a failed job is reported and left, as a local
// delivery is.
type Jobs struct {
	// Run does one job; (*connector.Retriever).Retrieve is one.
	Run func(ctx context.Context, job connector.FileJob) error
	// Done, when set, gets each job's outcome.
	Done func(job connector.FileJob, err error)
	wg   sync.WaitGroup
}

var _ connector.FileQueue = (*Jobs)(nil)

// Send starts jobs and returns at once. The jobs outlive ctx's
// cancellation (the request that sent them ends first) but keep its
// values.
func (q *Jobs) Send(ctx context.Context, jobs []connector.FileJob) error {
	ctx = context.WithoutCancel(ctx)
	for _, job := range jobs {
		q.wg.Go(func() {
			err := q.Run(ctx, job)
			if q.Done != nil {
				q.Done(job, err)
			}
		})
	}
	return nil
}

// Wait waits for the jobs started so far, and those they start, to end.
func (q *Jobs) Wait() { q.wg.Wait() }

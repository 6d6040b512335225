// Package sqsdelivery drives hand-off deliveries from the SQS queue that is
// subscribed to the events topic (raw delivery, so each message body is
// one event): it answers Lambda with a partial-batch response and spaces
// out the retries of a failed delivery by extending its message's
// visibility, until the redrive policy moves it to the dead-letter queue.
package sqsdelivery

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// Deliverer delivers one event; connector.Deliverer is one.
type Deliverer interface {
	// Deliver returns ErrUnavailable (or an unclassified error) when the
	// delivery is to be tried again; nil when it is done, delivered or
	// given up.
	Deliver(ctx context.Context, ev connector.Event) (connector.Delivery, error)
}

// API is the part of the SQS client the handler calls.
type API interface {
	ChangeMessageVisibility(ctx context.Context, in *sqs.ChangeMessageVisibilityInput, optFns ...func(*sqs.Options)) (*sqs.ChangeMessageVisibilityOutput, error)
}

// Handler handles SQS batches of events.
type Handler struct {
	d        Deliverer
	api      API
	queueURL string
	sched    Schedule
	log      *slog.Logger
}

// New returns a Handler that delivers through d and reschedules failed
// messages of the queue at queueURL through api. log gets one line per
// message (nil: none). It returns an error if sched does not Check.
func New(d Deliverer, api API, queueURL string, sched Schedule, log *slog.Logger) (*Handler, error) {
	if d == nil || api == nil || queueURL == "" {
		return nil, errors.New("sqsdelivery: a deliverer, an sqs client and the queue url are required")
	}
	if err := sched.Check(); err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Handler{d: d, api: api, queueURL: queueURL, sched: sched, log: log}, nil
}

// Handle delivers the events of a batch, all at once, and answers with the
// messages to try again: those whose delivery failed in a way worth
// retrying. Each of them first gets its visibility extended to the
// schedule's delay for its receive count (the last attempt's to zero, so
// the redrive policy moves it to the dead-letter queue at once). A message
// that is not an event, or whose delivery is done, delivered or given up,
// is not named, so Lambda deletes it. Handle never returns an error: a
// failure is a message to retry, never a failed invocation, which would
// retry the whole batch.
func (h *Handler) Handle(ctx context.Context, batch events.SQSEvent) (events.SQSEventResponse, error) {
	retry := make([]bool, len(batch.Records))
	var wg sync.WaitGroup
	for i, m := range batch.Records {
		wg.Add(1)
		go func() {
			defer wg.Done()
			retry[i] = h.handle(ctx, m)
		}()
	}
	wg.Wait()
	resp := events.SQSEventResponse{BatchItemFailures: []events.SQSBatchItemFailure{}}
	for i, m := range batch.Records {
		if retry[i] {
			resp.BatchItemFailures = append(resp.BatchItemFailures, events.SQSBatchItemFailure{ItemIdentifier: m.MessageId})
		}
	}
	return resp, nil
}

// handle delivers one message and reports whether it is to be retried.
func (h *Handler) handle(ctx context.Context, m events.SQSMessage) bool {
	receives := receiveCount(m)
	attrs := []slog.Attr{slog.String("messageId", m.MessageId), slog.Int("receive", receives)}
	var ev connector.Event
	if err := json.Unmarshal([]byte(m.Body), &ev); err != nil || ev.Type == "" {
		// It will never parse, so retrying cannot help: the error line
		// is its trace.
		h.log.LogAttrs(ctx, slog.LevelError, "delivery", append(attrs, slog.String("outcome", "dropped"),
			slog.String("error", "the message is not an event"))...)
		return false
	}
	attrs = append(attrs, slog.Any("event", ev))
	d, err := h.d.Deliver(ctx, ev)
	attrs = append(attrs, slog.Any("delivery", d))
	switch {
	case err == nil:
		h.log.LogAttrs(ctx, slog.LevelInfo, "delivery", append(attrs, slog.String("outcome", "done"))...)
		return false
	case errors.Is(err, connector.ErrInvalid), errors.Is(err, connector.ErrGone):
		h.log.LogAttrs(ctx, slog.LevelError, "delivery", append(attrs, slog.String("outcome", "dropped"),
			slog.String("error", err.Error()))...)
		return false
	}
	delay := h.sched.Delay(receives)
	outcome := "retry"
	if receives >= h.sched.MaxReceives {
		delay, outcome = 0, "dead-letter"
	}
	attrs = append(attrs, slog.String("outcome", outcome), slog.String("retryIn", delay.String()), slog.String("error", err.Error()))
	if verr := h.reschedule(ctx, m, delay); verr != nil {
		attrs = append(attrs, slog.String("rescheduleError", verr.Error()))
	}
	h.log.LogAttrs(ctx, slog.LevelWarn, "delivery", attrs...)
	return true
}

// reschedule makes m visible again after delay. If it fails, the message
// comes back after the queue's own visibility timeout instead.
func (h *Handler) reschedule(ctx context.Context, m events.SQSMessage, delay time.Duration) error {
	_, err := h.api.ChangeMessageVisibility(ctx, &sqs.ChangeMessageVisibilityInput{
		QueueUrl:          aws.String(h.queueURL),
		ReceiptHandle:     aws.String(m.ReceiptHandle),
		VisibilityTimeout: int32(delay / time.Second),
	})
	if err != nil {
		return fmt.Errorf("sqsdelivery: change visibility: %w", err)
	}
	return nil
}

// receiveCount is the message's ApproximateReceiveCount, 1 if absent.
func receiveCount(m events.SQSMessage) int {
	n, err := strconv.Atoi(m.Attributes["ApproximateReceiveCount"])
	if err != nil || n < 1 {
		return 1
	}
	return n
}

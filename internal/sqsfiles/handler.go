package sqsfiles

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// Retriever does retrieval jobs; *connector.Retriever is one.
type Retriever interface {
	// Retrieve returns nil when the job is done, ErrInvalid when it can
	// never be done, and another error when it is to be tried again.
	Retrieve(ctx context.Context, job connector.FileJob) error
	// GiveUp ends a job that failed on its last attempt.
	GiveUp(ctx context.Context, job connector.FileJob) error
}

// VisibilityAPI is the part of the SQS client the handler calls.
type VisibilityAPI interface {
	ChangeMessageVisibility(ctx context.Context, in *sqs.ChangeMessageVisibilityInput, optFns ...func(*sqs.Options)) (*sqs.ChangeMessageVisibilityOutput, error)
}

// Retry is when a failed job is tried again: Delay(n) after its attempt
// number n failed, and no more after MaxReceives attempts (the redrive
// policy's maxReceiveCount).
type Retry struct {
	Delay       func(receives int) time.Duration
	MaxReceives int
}

// Deliverer delivers the file callback's events (upload.stored and
// upload.scanned); *connector.Deliverer is one. Deliver returns nil when
// the delivery is done, ErrInvalid when it can never be, and another
// error when it is to be tried again.
type Deliverer interface {
	Deliver(ctx context.Context, ev connector.Event) (connector.Delivery, error)
	// GiveUpFiles records that the delivery of ev failed on its last
	// attempt.
	GiveUpFiles(ctx context.Context, ev connector.Event) error
}

// Handler handles SQS batches of the files queue.
type Handler struct {
	r        Retriever
	files    Deliverer
	api      VisibilityAPI
	queueURL string
	retry    Retry
	log      *slog.Logger
}

// Option configures a Handler.
type Option func(*Handler)

// WithFileCallback has the handler deliver the upload.stored and
// upload.scanned events the queue gets (its subscription takes them when
// the file callback is on) through d: the file callback runs where
// retrieval does, with the time and memory a large file takes, and is
// retried on the same schedule.
func WithFileCallback(d Deliverer) Option { return func(h *Handler) { h.files = d } }

// NewHandler returns a Handler that does jobs with r and reschedules
// failed ones on the queue at queueURL through api. log gets one line per
// message (nil: none).
func NewHandler(r Retriever, api VisibilityAPI, queueURL string, retry Retry, log *slog.Logger, opts ...Option) (*Handler, error) {
	if r == nil || api == nil || queueURL == "" || retry.Delay == nil || retry.MaxReceives < 1 {
		return nil, errors.New("sqsfiles: a retriever, an sqs client, the queue url and a retry schedule are required")
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	h := &Handler{r: r, api: api, queueURL: queueURL, retry: retry, log: log}
	for _, o := range opts {
		o(h)
	}
	return h, nil
}

// Handle does the jobs of a batch one after the other (the event source
// mapping sends one at a time, so that an invocation's memory holds one
// range), and answers with the messages to try again. Each first gets its
// visibility set to the delay for its receive count; on the last attempt
// the job is given up (its file failed) and its visibility set to zero,
// so the redrive policy moves it to the dead-letter queue at once. Handle
// never returns an error: that would retry the whole batch.
func (h *Handler) Handle(ctx context.Context, batch events.SQSEvent) (events.SQSEventResponse, error) {
	resp := events.SQSEventResponse{BatchItemFailures: []events.SQSBatchItemFailure{}}
	for _, m := range batch.Records {
		if h.handle(ctx, m) {
			resp.BatchItemFailures = append(resp.BatchItemFailures, events.SQSBatchItemFailure{ItemIdentifier: m.MessageId})
		}
	}
	return resp, nil
}

// handle does one message and reports whether it is to be retried.
func (h *Handler) handle(ctx context.Context, m events.SQSMessage) bool {
	receives := receiveCount(m)
	attrs := []slog.Attr{slog.String("route", "files"), slog.String("messageId", m.MessageId), slog.Int("receive", receives)}
	if ev, ok := decodeDelivery(m.Body); ok {
		return h.deliver(ctx, m, ev, receives, attrs)
	}
	job, ok := decode(m.Body)
	if !ok {
		h.log.LogAttrs(ctx, slog.LevelInfo, "retrieval", append(attrs, slog.String("outcome", "skipped"))...)
		return false
	}
	attrs = append(attrs, slog.Any("job", job))
	start := time.Now()
	err := h.r.Retrieve(ctx, job)
	attrs = append(attrs, slog.Int64("ms", time.Since(start).Milliseconds()))
	switch {
	case err == nil:
		h.log.LogAttrs(ctx, slog.LevelInfo, "retrieval", append(attrs, slog.String("outcome", "done"))...)
		return false
	case errors.Is(err, connector.ErrInvalid):
		h.log.LogAttrs(ctx, slog.LevelError, "retrieval", append(attrs, slog.String("outcome", "dropped"),
			slog.String("error", err.Error()))...)
		return false
	}
	h.failed(ctx, m, "retrieval", receives, attrs, err, func() error { return h.r.GiveUp(ctx, job) })
	return true
}

// failed reschedules message m, whose work failed with err on attempt
// receives, and logs it as msg: on its last attempt giveUp runs and the
// message goes to the dead-letter queue at once.
func (h *Handler) failed(ctx context.Context, m events.SQSMessage, msg string, receives int, attrs []slog.Attr, err error, giveUp func() error) {
	delay, outcome := h.retry.Delay(receives), "retry"
	if receives >= h.retry.MaxReceives {
		delay, outcome = 0, "dead-letter"
		if gerr := giveUp(); gerr != nil {
			attrs = append(attrs, slog.String("giveUpError", gerr.Error()))
		}
	}
	attrs = append(attrs, slog.String("outcome", outcome), slog.String("retryIn", delay.String()), slog.String("error", err.Error()))
	if verr := h.reschedule(ctx, m, delay); verr != nil {
		attrs = append(attrs, slog.String("rescheduleError", verr.Error()))
	}
	h.log.LogAttrs(ctx, slog.LevelWarn, msg, attrs...)
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
		return fmt.Errorf("sqsfiles: change visibility: %w", err)
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

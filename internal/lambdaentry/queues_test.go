package lambdaentry_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/google/go-cmp/cmp"

	"github.com/sendsafely/chatbot-connector/internal/lambdaentry"
)

const (
	deliveryARN = "arn:aws:sqs:us-east-1:123456789012:stack-DeliveryQueue-ABC"
	filesARN    = "arn:aws:sqs:us-east-1:123456789012:stack-FilesQueue-XYZ"
	filesURL    = "https://sqs.us-east-1.amazonaws.com/123456789012/stack-FilesQueue-XYZ"
)

// TestSortsQueues: records of the files queue go to Files, the others to
// SQS, and the answer names the failures of both.
func TestSortsQueues(t *testing.T) {
	got := map[string][]string{}
	handler := func(name string) func(context.Context, events.SQSEvent) (events.SQSEventResponse, error) {
		return func(_ context.Context, ev events.SQSEvent) (events.SQSEventResponse, error) {
			resp := events.SQSEventResponse{}
			for _, r := range ev.Records {
				got[name] = append(got[name], r.MessageId)
				resp.BatchItemFailures = append(resp.BatchItemFailures, events.SQSBatchItemFailure{ItemIdentifier: r.MessageId})
			}
			return resp, nil
		}
	}
	e := &lambdaentry.Entry{SQS: handler("deliveries"), Files: handler("files"), FilesQueue: lambdaentry.QueueName(filesURL)}
	raw := `{"Records":[{"messageId":"d1","eventSource":"aws:sqs","eventSourceARN":"` + deliveryARN + `"},` +
		`{"messageId":"f1","eventSource":"aws:sqs","eventSourceARN":"` + filesARN + `"}]}`
	out, err := e.Invoke(context.Background(), []byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string][]string{"deliveries": {"d1"}, "files": {"f1"}}, got); diff != "" {
		t.Errorf("handed (-want +got):\n%s", diff)
	}
	if want := `{"batchItemFailures":[{"itemIdentifier":"f1"},{"itemIdentifier":"d1"}]}`; string(out) != want {
		t.Errorf("got %s, want %s", out, want)
	}

	var logs bytes.Buffer
	e = &lambdaentry.Entry{SQS: handler("deliveries"), FilesQueue: "stack-FilesQueue-XYZ", Log: slog.New(slog.NewJSONHandler(&logs, nil))}
	if _, err := e.Invoke(context.Background(), []byte(raw)); !errors.Is(err, lambdaentry.ErrUnknownEvent) {
		t.Errorf("files records without a Files handler: got %v, want ErrUnknownEvent", err)
	}
}

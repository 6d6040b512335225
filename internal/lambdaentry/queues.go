package lambdaentry

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/aws/aws-lambda-go/events"
)

// sqs sorts the records of an SQS batch by the queue they come from (the
// files queue's to Files, the rest to SQS) and answers with the failures
// of both. A batch comes from one event source mapping, so from one
// queue, but nothing here relies on it.
func (e *Entry) sqs(ctx context.Context, payload []byte) ([]byte, error) {
	var ev events.SQSEvent
	if err := json.Unmarshal(payload, &ev); err != nil {
		return nil, fmt.Errorf("lambdaentry: sqs event: %w", err)
	}
	var files, others events.SQSEvent
	for _, r := range ev.Records {
		if e.FilesQueue != "" && queueName(r.EventSourceARN) == e.FilesQueue {
			files.Records = append(files.Records, r)
		} else {
			others.Records = append(others.Records, r)
		}
	}
	switch {
	case len(files.Records) > 0 && e.Files == nil:
		return e.refuse(ctx, "sqs-files")
	case len(others.Records) > 0 && e.SQS == nil:
		return e.refuse(ctx, "sqs")
	}
	resp := events.SQSEventResponse{BatchItemFailures: []events.SQSBatchItemFailure{}}
	for _, part := range []struct {
		batch  events.SQSEvent
		handle func(context.Context, events.SQSEvent) (events.SQSEventResponse, error)
	}{{files, e.Files}, {others, e.SQS}} {
		if len(part.batch.Records) == 0 {
			continue
		}
		got, err := part.handle(ctx, part.batch)
		if err != nil {
			return nil, err
		}
		resp.BatchItemFailures = append(resp.BatchItemFailures, got.BatchItemFailures...)
	}
	return json.Marshal(resp)
}

// queueName is the name of the queue an ARN or URL names: its last part.
func queueName(arnOrURL string) string {
	return arnOrURL[strings.LastIndexAny(arnOrURL, ":/")+1:]
}

// QueueName is the name of the queue a URL names, for Entry.FilesQueue.
func QueueName(url string) string { return queueName(url) }

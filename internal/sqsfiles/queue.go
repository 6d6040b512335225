// Package sqsfiles carries retrieval jobs over the files queue: it sends
// them (connector.FileQueue, with SendMessageBatch) and handles the
// batches Lambda delivers from the queue, where upload.submitted events
// (the queue is subscribed to the topic, raw delivery) start a package's
// fan-out and the jobs it sent do the rest. A job that fails is retried
// with growing delays by extending its message's visibility, and given up
// on its last attempt, when the redrive policy moves it to the
// dead-letter queue.
package sqsfiles

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// maxBatch is how many messages one SendMessageBatch takes.
const maxBatch = 10

// SendAPI is the part of the SQS client the queue calls.
type SendAPI interface {
	SendMessageBatch(ctx context.Context, in *sqs.SendMessageBatchInput, optFns ...func(*sqs.Options)) (*sqs.SendMessageBatchOutput, error)
}

// Queue sends jobs to the files queue.
type Queue struct {
	api SendAPI
	url string
}

var _ connector.FileQueue = (*Queue)(nil)

// NewQueue returns the queue at url, sent to through api.
func NewQueue(api SendAPI, url string) (*Queue, error) {
	if api == nil || url == "" {
		return nil, errors.New("sqsfiles: an sqs client and the files queue url are required")
	}
	return &Queue{api: api, url: url}, nil
}

// message is a job on the wire: ids only.
type message struct {
	UploadID  string `json:"uploadId"`
	PackageID string `json:"packageId"`
	FileID    string `json:"fileId"`
	Range     int    `json:"range"`
}

// Send sends jobs in batches of ten. It returns ErrUnavailable if SQS
// fails or refuses any of them; those sent stay sent.
func (q *Queue) Send(ctx context.Context, jobs []connector.FileJob) error {
	for start := 0; start < len(jobs); start += maxBatch {
		batch := jobs[start:min(start+maxBatch, len(jobs))]
		entries := make([]sqstypes.SendMessageBatchRequestEntry, len(batch))
		for i, j := range batch {
			body, err := json.Marshal(message{UploadID: j.UploadID, PackageID: j.PackageID, FileID: j.FileID, Range: j.Range})
			if err != nil {
				return fmt.Errorf("sqsfiles: encode job: %w", err)
			}
			entries[i] = sqstypes.SendMessageBatchRequestEntry{Id: aws.String(strconv.Itoa(i)), MessageBody: aws.String(string(body))}
		}
		out, err := q.api.SendMessageBatch(ctx, &sqs.SendMessageBatchInput{QueueUrl: aws.String(q.url), Entries: entries})
		if err != nil {
			return fmt.Errorf("%w: sqsfiles: send: %w", connector.ErrUnavailable, err)
		}
		if len(out.Failed) > 0 {
			return fmt.Errorf("%w: sqsfiles: send: %d of %d jobs refused (%s)", connector.ErrUnavailable,
				len(out.Failed), len(batch), aws.ToString(out.Failed[0].Code))
		}
	}
	return nil
}

// decode reads a message body: a job, or an event from the topic (an
// upload.submitted starts its package's fan-out). It reports false for
// a body that is neither, or an event of another type: nothing to do.
func decode(body string) (connector.FileJob, bool) {
	var probe struct {
		Type string `json:"type"`
		message
	}
	if err := json.Unmarshal([]byte(body), &probe); err != nil {
		return connector.FileJob{}, false
	}
	switch {
	case probe.Type == connector.EventSubmitted:
		return connector.FileJob{UploadID: probe.UploadID, PackageID: probe.PackageID}, probe.UploadID != ""
	case probe.Type != "":
		return connector.FileJob{}, false
	}
	m := probe.message
	return connector.FileJob{UploadID: m.UploadID, PackageID: m.PackageID, FileID: m.FileID, Range: m.Range}, m.UploadID != ""
}

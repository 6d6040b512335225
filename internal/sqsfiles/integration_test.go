package sqsfiles_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	awssns "github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"github.com/google/go-cmp/cmp"

	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/motoserver"
	"github.com/sendsafely/chatbot-connector/internal/sns"
	"github.com/sendsafely/chatbot-connector/internal/sqsfiles"
)

const (
	uploadID   = "8e2b1c7e-2f0a-4a57-9d83-6c1f1d0c9a4e"
	maxReceive = 3
	fileCount  = 23 // more than two batches of SendMessageBatch
)

// scripted is a Retriever whose fan-out sends fileCount jobs through the
// real queue; file "flaky" fails its first attempt, "down" every attempt.
type scripted struct {
	q       connector.FileQueue
	mu      sync.Mutex
	done    []string
	tries   map[string]int
	gaveUp  []string
	fanOuts int
}

func (s *scripted) Retrieve(ctx context.Context, job connector.FileJob) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if job.FileID == "" {
		s.fanOuts++
		jobs := []connector.FileJob{{UploadID: job.UploadID, PackageID: job.PackageID, FileID: "flaky"},
			{UploadID: job.UploadID, PackageID: job.PackageID, FileID: "down"}}
		for i := range fileCount - 2 {
			jobs = append(jobs, connector.FileJob{UploadID: job.UploadID, PackageID: job.PackageID, FileID: fmt.Sprintf("F%02d", i), Range: i})
		}
		return s.q.Send(ctx, jobs)
	}
	s.tries[job.FileID]++
	if job.FileID == "down" || job.FileID == "flaky" && s.tries["flaky"] == 1 {
		return fmt.Errorf("sendsafely: %w", connector.ErrUnavailable)
	}
	s.done = append(s.done, fmt.Sprintf("%s/%d", job.FileID, job.Range))
	return nil
}

func (s *scripted) GiveUp(_ context.Context, job connector.FileJob) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.gaveUp = append(s.gaveUp, job.FileID)
	return nil
}

// TestFilesQueueOnMoto plays Lambda's event source mapping over a files
// queue on moto subscribed to the topic: upload.submitted fans out into
// jobs sent with SendMessageBatch, other events are filtered out, a job
// that fails once is retried after its delay, and one that always fails
// is given up on its last attempt and moved to the dead-letter queue.
func TestFilesQueueOnMoto(t *testing.T) {
	srv := motoserver.Start(t)
	cfg := srv.Config(t)
	topics, queues := awssns.NewFromConfig(cfg), sqs.NewFromConfig(cfg)
	ctx := t.Context()
	topic, err := topics.CreateTopic(ctx, &awssns.CreateTopicInput{Name: aws.String("events")})
	if err != nil {
		t.Fatal(err)
	}
	dlqURL, dlqARN := createQueue(t, queues, "files-dlq", nil)
	queueURL, queueARN := createQueue(t, queues, "files", map[string]string{
		"RedrivePolicy":     fmt.Sprintf(`{"deadLetterTargetArn":%q,"maxReceiveCount":"%d"}`, dlqARN, maxReceive),
		"VisibilityTimeout": "30",
	})
	if _, err := topics.Subscribe(ctx, &awssns.SubscribeInput{TopicArn: topic.TopicArn, Protocol: aws.String("sqs"),
		Endpoint: aws.String(queueARN), Attributes: map[string]string{"RawMessageDelivery": "true",
			"FilterPolicy": `{"type":["upload.submitted"]}`}}); err != nil {
		t.Fatal(err)
	}
	pub := sns.New(topics, aws.ToString(topic.TopicArn))
	for _, typ := range []string{connector.EventStored, connector.EventSubmitted} {
		if err := pub.Publish(ctx, connector.Event{Type: typ, UploadID: uploadID, PackageID: "PKG-1"}); err != nil {
			t.Fatal(err)
		}
	}

	q, err := sqsfiles.NewQueue(queues, queueURL)
	if err != nil {
		t.Fatal(err)
	}
	r := &scripted{q: q, tries: map[string]int{}}
	h, err := sqsfiles.NewHandler(r, queues, queueURL,
		sqsfiles.Retry{Delay: func(int) time.Duration { return time.Second }, MaxReceives: maxReceive}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var dead []sqstypes.Message
	for deadline := time.Now().Add(45 * time.Second); len(dead) == 0 && time.Now().Before(deadline); {
		out, err := queues.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: aws.String(queueURL),
			MaxNumberOfMessages: 10, WaitTimeSeconds: 1,
			MessageSystemAttributeNames: []sqstypes.MessageSystemAttributeName{sqstypes.MessageSystemAttributeNameApproximateReceiveCount}})
		if err != nil {
			t.Fatalf("receive: %v", err)
		}
		if len(out.Messages) > 0 {
			play(t, queues, queueURL, queueARN, h, out.Messages)
			continue
		}
		got, err := queues.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: aws.String(dlqURL), MaxNumberOfMessages: 10})
		if err != nil {
			t.Fatalf("receive from the dead-letter queue: %v", err)
		}
		dead = got.Messages
	}

	if r.fanOuts != 1 {
		t.Errorf("got %d fan-outs, want 1 (upload.stored is filtered out)", r.fanOuts)
	}
	want := []string{"flaky/0"}
	for i := range fileCount - 2 {
		want = append(want, fmt.Sprintf("F%02d/%d", i, i))
	}
	slices.Sort(want)
	slices.Sort(r.done)
	if diff := cmp.Diff(want, r.done); diff != "" {
		t.Errorf("jobs done (-want +got):\n%s", diff)
	}
	if r.tries["flaky"] != 2 || r.tries["down"] != maxReceive {
		t.Errorf("got %d tries of flaky and %d of down, want 2 and %d", r.tries["flaky"], r.tries["down"], maxReceive)
	}
	if diff := cmp.Diff([]string{"down"}, r.gaveUp); diff != "" {
		t.Errorf("given up (-want +got):\n%s", diff)
	}
	if len(dead) != 1 || aws.ToString(dead[0].Body) != `{"uploadId":"`+uploadID+`","packageId":"PKG-1","fileId":"down","range":0}` {
		t.Errorf("got dead letters %v, want the job of down", dead)
	}
}

func TestSendRefused(t *testing.T) {
	q, err := sqsfiles.NewQueue(refusing{}, "https://sqs.example/q")
	if err != nil {
		t.Fatal(err)
	}
	err = q.Send(t.Context(), []connector.FileJob{{UploadID: uploadID, PackageID: "P", FileID: "F"}})
	if !errors.Is(err, connector.ErrUnavailable) {
		t.Errorf("got %v, want ErrUnavailable", err)
	}
}

type refusing struct{}

func (refusing) SendMessageBatch(_ context.Context, in *sqs.SendMessageBatchInput, _ ...func(*sqs.Options)) (*sqs.SendMessageBatchOutput, error) {
	return &sqs.SendMessageBatchOutput{Failed: []sqstypes.BatchResultErrorEntry{{Id: in.Entries[0].Id, Code: aws.String("Throttled")}}}, nil
}

// play hands msgs to h as Lambda would and deletes those it did not name.
func play(t *testing.T, queues *sqs.Client, queueURL, arn string, h *sqsfiles.Handler, msgs []sqstypes.Message) {
	t.Helper()
	batch := events.SQSEvent{}
	for _, m := range msgs {
		batch.Records = append(batch.Records, events.SQSMessage{MessageId: aws.ToString(m.MessageId),
			ReceiptHandle: aws.ToString(m.ReceiptHandle), Body: aws.ToString(m.Body), Attributes: m.Attributes,
			EventSource: "aws:sqs", EventSourceARN: arn, AWSRegion: motoserver.Region})
	}
	resp, err := h.Handle(t.Context(), batch)
	if err != nil {
		t.Fatalf("Handle: %v", err)
	}
	retry := map[string]bool{}
	for _, f := range resp.BatchItemFailures {
		retry[f.ItemIdentifier] = true
	}
	for _, m := range msgs {
		if !retry[aws.ToString(m.MessageId)] {
			if _, err := queues.DeleteMessage(t.Context(), &sqs.DeleteMessageInput{QueueUrl: aws.String(queueURL),
				ReceiptHandle: m.ReceiptHandle}); err != nil {
				t.Fatalf("delete: %v", err)
			}
		}
	}
}

func createQueue(t *testing.T, queues *sqs.Client, name string, attrs map[string]string) (string, string) {
	t.Helper()
	q, err := queues.CreateQueue(t.Context(), &sqs.CreateQueueInput{QueueName: aws.String(name), Attributes: attrs})
	if err != nil {
		t.Fatalf("create queue %s: %v", name, err)
	}
	a, err := queues.GetQueueAttributes(t.Context(), &sqs.GetQueueAttributesInput{QueueUrl: q.QueueUrl,
		AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameQueueArn}})
	if err != nil {
		t.Fatalf("queue attributes: %v", err)
	}
	return aws.ToString(q.QueueUrl), a.Attributes[string(sqstypes.QueueAttributeNameQueueArn)]
}

package sns_test

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awssns "github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sns/types"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"

	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/sns"
)

const topicARN = "arn:aws:sns:us-east-1:123456789012:events"

// fakeTopic records what is published to it, or fails with err.
type fakeTopic struct {
	mu  sync.Mutex
	in  []*awssns.PublishInput
	err error
}

func (f *fakeTopic) Publish(_ context.Context, in *awssns.PublishInput, _ ...func(*awssns.Options)) (*awssns.PublishOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.in = append(f.in, in)
	if f.err != nil {
		return nil, &smithy.OperationError{ServiceID: "SNS", OperationName: "Publish", Err: f.err}
	}
	return &awssns.PublishOutput{MessageId: aws.String("m-1")}, nil
}

var submitted = connector.Event{
	Type:           connector.EventSubmitted,
	UploadID:       "8e2b1c7e-2f0a-4a57-9d83-6c1f1d0c9a4e",
	ConversationID: "conv-1",
	Email:          "user@example.com",
	PackageID:      "ABCD-1234",
	DropzoneID:     "dz-1",
	SubmittedAt:    "2026-11-21T08:00:00Z",
	SecureLink:     "https://acme.sendsafely.com/receive/?thread=ABCD-1234&packageCode=pc#keyCode=kc",
}

func TestPublishMessage(t *testing.T) {
	for _, tt := range []struct {
		name string
		ev   connector.Event
		want map[string]any
	}{
		{
			name: "submitted, with link",
			ev:   submitted,
			want: map[string]any{
				"type": "upload.submitted", "uploadId": submitted.UploadID, "conversationId": "conv-1",
				"email": "user@example.com", "packageId": "ABCD-1234", "dropzoneId": "dz-1",
				"submittedAt": "2026-11-21T08:00:00Z", "secureLink": string(submitted.SecureLink),
			},
		},
		{
			name: "unmatched, optional fields empty",
			ev: connector.Event{Type: connector.EventUnmatched, UploadID: "not-a-uuid", Email: "user@example.com",
				PackageID: "ABCD-1234", SubmittedAt: "2026-11-21T08:00:00Z"},
			want: map[string]any{
				"type": "upload.unmatched", "uploadId": "not-a-uuid", "email": "user@example.com",
				"packageId": "ABCD-1234", "submittedAt": "2026-11-21T08:00:00Z",
			},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			fake := &fakeTopic{}
			if err := sns.New(fake, topicARN).Publish(t.Context(), tt.ev); err != nil {
				t.Fatalf("Publish: %v", err)
			}
			if len(fake.in) != 1 {
				t.Fatalf("got %d calls, want 1", len(fake.in))
			}
			in := fake.in[0]
			if got := aws.ToString(in.TopicArn); got != topicARN {
				t.Errorf("topic: got %q, want %q", got, topicARN)
			}
			var got map[string]any
			if err := json.Unmarshal([]byte(aws.ToString(in.Message)), &got); err != nil {
				t.Fatalf("message is not JSON: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("message (-want +got):\n%s", diff)
			}
			attr, ok := in.MessageAttributes["type"]
			if !ok {
				t.Fatal("no message attribute \"type\"")
			}
			if got := aws.ToString(attr.DataType); got != "String" {
				t.Errorf("type attribute DataType: got %q, want String", got)
			}
			if got := aws.ToString(attr.StringValue); got != tt.ev.Type {
				t.Errorf("type attribute: got %q, want %q", got, tt.ev.Type)
			}
		})
	}
}

func TestPublishErrors(t *testing.T) {
	for _, tt := range []struct {
		name string
		err  error
	}{
		{"topic missing", &types.NotFoundException{}},
		{"not authorized", &types.AuthorizationErrorException{}},
		{"throttled", &types.ThrottledException{}},
		{"internal error", &types.InternalErrorException{}},
		{"invalid parameter", &types.InvalidParameterException{}},
		{"kms denied", &types.KMSAccessDeniedException{}},
		{"unmodeled", &smithy.GenericAPIError{Code: "ServiceUnavailable", Fault: smithy.FaultServer}},
		{"connection refused", &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}},
		{"context canceled", &smithy.CanceledError{Err: context.Canceled}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := sns.New(&fakeTopic{err: tt.err}, topicARN).Publish(t.Context(), submitted)
			if !errors.Is(err, connector.ErrUnavailable) {
				t.Errorf("got %v, want ErrUnavailable", err)
			}
			if !errors.Is(err, tt.err) {
				t.Errorf("got %v, which does not wrap the SDK error", err)
			}
			for _, private := range []string{string(submitted.Email), string(submitted.SecureLink), submitted.UploadID} {
				if strings.Contains(err.Error(), private) {
					t.Errorf("error %q carries %q", err, private)
				}
			}
		})
	}
}

func TestPublishWithoutType(t *testing.T) {
	fake := &fakeTopic{}
	ev := submitted
	ev.Type = ""
	err := sns.New(fake, topicARN).Publish(t.Context(), ev)
	if err == nil || errors.Is(err, connector.ErrUnavailable) {
		t.Errorf("got %v, want an unclassified error", err)
	}
	if len(fake.in) != 0 {
		t.Errorf("got %d calls to SNS, want none", len(fake.in))
	}
}

package wiring_test

import (
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/sendsafely/chatbot-connector/internal/config"
	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/wiring"
)

// TestSlowPublishIsNotRepeated: a Publish that SNS answers slowly (past
// the per-attempt bound the other AWS calls have) must not be sent again
// by the SDK's retries: the first attempt may already have published, and
// an event is never published twice in the success path. The request's
// own bound still ends a publish that never answers.
func TestSlowPublishIsNotRepeated(t *testing.T) {
	var calls atomic.Int32
	sns := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			time.Sleep(3500 * time.Millisecond) // SNS busy: slower than an attempt of the other clients
		}
		w.Header().Set("Content-Type", "text/xml")
		_, _ = w.Write([]byte(`<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>m-1</MessageId></PublishResult><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></PublishResponse>`))
	}))
	t.Cleanup(sns.Close)
	awsCfg := aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(sns.URL),
		Credentials: credentials.NewStaticCredentialsProvider("id", "secret", "")}
	cfg := config.Config{TableName: "uploads", TopicARN: "arn:aws:sns:us-east-1:123456789012:events",
		SecretARN: "arn:aws:secretsmanager:us-east-1:123456789012:secret:s", SendSafelyAPIURL: "https://acme.sendsafely.com"}
	parts, err := wiring.AWS(cfg, awsCfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := parts.Publisher.Publish(t.Context(), connector.Event{Type: connector.EventSubmitted, UploadID: "u"}); err != nil {
		t.Fatalf("Publish: %v", err)
	}
	if n := calls.Load(); n != 1 {
		t.Errorf("SNS got %d Publish requests, want 1", n)
	}
}

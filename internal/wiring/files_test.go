package wiring_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/sendsafely/chatbot-connector/internal/config"
	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/memory"
	"github.com/sendsafely/chatbot-connector/internal/wiring"
	"github.com/sendsafely/chatbot-connector/internal/wiring/connectortest"
)

type noVisibility struct{}

func (noVisibility) ChangeMessageVisibility(context.Context, *sqs.ChangeMessageVisibilityInput, ...func(*sqs.Options)) (*sqs.ChangeMessageVisibilityOutput, error) {
	return &sqs.ChangeMessageVisibilityOutput{}, nil
}

const filesQueue = "https://sqs.us-east-1.amazonaws.com/123456789012/stack-FilesQueue-1"

// TestHandlerRetrieval: with retrieval's parts, the files queue's records
// reach the retriever; without the queue, the handler is not built.
func TestHandlerRetrieval(t *testing.T) {
	cfg, err := config.LoadOptions(func(k string) string {
		return map[string]string{config.SendSafelyHost: "acme.sendsafely.com", config.DropzoneID: "DZ1",
			config.FilesDir: t.TempDir()}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	parts := func(queue bool) wiring.Parts {
		p := wiring.Parts{Store: &memory.Store{}, Publisher: &memory.Publisher{}, Keys: memory.NewKeys(connector.KeySet{}),
			SendSafely: &connectortest.Packages{},
			Files:      wiring.Files{Source: &connectortest.Source{}, Objects: &connectortest.Objects{}}}
		if queue {
			p.Files.Queue, p.Files.Visibility, p.Files.QueueURL = &connectortest.Jobs{}, noVisibility{}, filesQueue
		}
		return p
	}
	if _, err := wiring.Handler(cfg, parts(false), wiring.Platform{}); err == nil || !strings.Contains(err.Error(), config.FilesQueueURL) {
		t.Errorf("without a queue: got %v, want an error naming %s", err, config.FilesQueueURL)
	}
	var logs bytes.Buffer
	h, err := wiring.Handler(cfg, parts(true), wiring.Platform{Logs: &logs})
	if err != nil {
		t.Fatal(err)
	}
	// A job of an upload that does not exist: done, nothing to retry.
	raw := `{"Records":[{"messageId":"m1","eventSource":"aws:sqs","eventSourceARN":"arn:aws:sqs:us-east-1:123456789012:stack-FilesQueue-1",` +
		`"body":"{\"uploadId\":\"8e2b1c7e-2f0a-4a57-9d83-6c1f1d0c9a4e\",\"packageId\":\"P\",\"fileId\":\"F\",\"range\":0}"}]}`
	out, err := h.Invoke(context.Background(), []byte(raw))
	if err != nil || string(out) != `{"batchItemFailures":[]}` {
		t.Errorf("got %s, %v; want no failures", out, err)
	}
	if !strings.Contains(logs.String(), `"route":"files"`) || !strings.Contains(logs.String(), `"outcome":"done"`) {
		t.Errorf("log %s: want the job's line", logs.String())
	}
}

// TestAWSRefusesADirectory: deployed, the file store is a bucket; a
// FILES_DIR without FILES_BUCKET stops the function at start, naming it,
// and a bucket is taken.
func TestAWSRefusesADirectory(t *testing.T) {
	awsCfg := aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("id", "secret", "")}
	base := config.Config{TableName: "uploads", TopicARN: "arn:aws:sns:us-east-1:123456789012:events",
		SecretARN: "arn:aws:secretsmanager:us-east-1:123456789012:secret:s", SendSafelyAPIURL: "https://acme.sendsafely.com"}
	dir := base
	dir.Files = config.Files{Dir: t.TempDir(), Prefix: "uploads/", QueueURL: filesQueue}
	if _, err := wiring.AWS(dir, awsCfg, nil); err == nil || !strings.Contains(err.Error(), config.FilesDir+":") {
		t.Errorf("FILES_DIR deployed: got %v, want an error naming %s", err, config.FilesDir)
	}
	bucket := base
	bucket.Files = config.Files{Bucket: "customer-files", Prefix: "uploads/", QueueURL: filesQueue}
	parts, err := wiring.AWS(bucket, awsCfg, nil)
	if err != nil || parts.Files.Objects == nil || parts.Files.Objects.Location("k") != "s3://customer-files/k" {
		t.Errorf("FILES_BUCKET deployed: %v, objects %v; want the bucket", err, parts.Files.Objects)
	}
}

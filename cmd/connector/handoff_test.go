package main

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/sendsafely/chatbot-connector/internal/lambdaentry"
)

// receiver is a callback receiver that checks Standard Webhooks signatures
// with the secret it was given.
type receiver struct {
	secret []byte
	mu     sync.Mutex
	got    []map[string]any
	bad    []string
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	id, ts := r.Header.Get("webhook-id"), r.Header.Get("webhook-timestamp")
	mac := hmac.New(sha256.New, rc.secret)
	fmt.Fprintf(mac, "%s.%s.%s", id, ts, body)
	want := "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil))
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if r.Header.Get("webhook-signature") != want || r.Header.Get("content-type") != "application/json" {
		rc.bad = append(rc.bad, r.Header.Get("webhook-signature"))
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	var ev map[string]any
	_ = json.Unmarshal(body, &ev)
	ev["webhook-id"] = id
	rc.got = append(rc.got, ev)
}

// TestCallbackThroughTheFunction: with CALLBACK_URL and the delivery queue
// configured, an upload.submitted that reaches the queue is handed to the
// function as an SQS batch, which POSTs it, signed, with the secure link
// read from the table; the batch answer names no failure.
func TestCallbackThroughTheFunction(t *testing.T) {
	c := newCloud(t)
	rc, srv := c.callbackReceiver(t)
	c.vars["CALLBACK_URL"] = srv.URL + "/hook"
	c.vars["DELIVERY_QUEUE_URL"] = c.queueURL
	h := c.instance(t)

	st, up := c.chat(t, `{"action":"generateId","email":"customer@example.com","conversationId":"conv-9"}`)
	if st != 200 {
		t.Fatalf("generateId: %d %v", st, up)
	}
	n := notice{uploadID: up["UploadId"].(string), email: "customer@example.com", packageID: "HAND-0001",
		keyCode: "KeyHand-0123456789abcdef", key: itKey, submittedAt: time.Now()}
	if st, err := post(h, n.form()); err != nil || st != 200 {
		t.Fatalf("webhook: %d, %v", st, err)
	}
	c.deliverQueued(t, h, 1)
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if len(rc.bad) != 0 || len(rc.got) != 1 {
		t.Fatalf("receiver: %d verified, %d refused", len(rc.got), len(rc.bad))
	}
	ev := rc.got[0]
	if ev["secureLink"] != n.link() || ev["type"] != "upload.submitted" || ev["conversationId"] != "conv-9" ||
		ev["webhook-id"] != ev["id"] || !strings.HasPrefix(fmt.Sprint(ev["id"]), "evt_") {
		t.Errorf("callback: %v", ev)
	}
}

// deliverQueued takes the n messages waiting on c's delivery queue and
// hands them to h as one SQS batch, as the event source mapping would;
// the queued bodies must carry no secure link, and the batch answer must
// name no failure.
func (c *cloud) deliverQueued(t testing.TB, h *lambdaentry.Entry, n int) {
	t.Helper()
	out, err := c.sqs.ReceiveMessage(context.Background(), &sqs.ReceiveMessageInput{QueueUrl: &c.queueURL, MaxNumberOfMessages: 10,
		MessageSystemAttributeNames: []sqstypes.MessageSystemAttributeName{sqstypes.MessageSystemAttributeNameAll}})
	if err != nil || len(out.Messages) != n {
		t.Fatalf("queue: %d messages, %v; want %d", len(out.Messages), err, n)
	}
	var batch events.SQSEvent
	for _, m := range out.Messages {
		if strings.Contains(aws.ToString(m.Body), "keyCode") {
			t.Error("the queued event carries the secure link; the topic must stay free of links")
		}
		batch.Records = append(batch.Records, events.SQSMessage{MessageId: aws.ToString(m.MessageId), ReceiptHandle: aws.ToString(m.ReceiptHandle),
			Body: aws.ToString(m.Body), Attributes: m.Attributes, EventSource: "aws:sqs", EventSourceARN: "arn:aws:sqs:us-east-1:123456789012:subscriber"})
	}
	raw, _ := json.Marshal(batch)
	answer, err := h.Invoke(context.Background(), raw)
	if err != nil {
		t.Fatalf("SQS batch: %v", err)
	}
	var resp events.SQSEventResponse
	if err := json.Unmarshal(answer, &resp); err != nil || len(resp.BatchItemFailures) != 0 {
		t.Fatalf("batch answer %s, %v; want no failures", answer, err)
	}
}

// callbackReceiver starts a signed-callback receiver for c and adds its
// secret to the connector's secret (keeping the fields there).
func (c *cloud) callbackReceiver(t *testing.T) (*receiver, *httptest.Server) {
	t.Helper()
	secret := []byte("0123456789abcdefghijklmnopqrstuv")
	rc := &receiver{secret: secret}
	srv := httptest.NewServer(rc)
	t.Cleanup(srv.Close)
	c.putCallbackSecret(t, secret)
	return rc, srv
}

// putCallbackSecret puts "whsec_" and the base64 of secret into the
// connector's secret as its callbackSecret.
func (c *cloud) putCallbackSecret(t *testing.T, secret []byte) {
	t.Helper()
	var fields map[string]string
	out, err := c.sm.GetSecretValue(context.Background(), &secretsmanager.GetSecretValueInput{SecretId: aws.String(c.vars["SECRET_ARN"])})
	if err != nil || json.Unmarshal([]byte(aws.ToString(out.SecretString)), &fields) != nil {
		t.Fatalf("secret: %v", err)
	}
	fields["callbackSecret"] = "whsec_" + base64.StdEncoding.EncodeToString(secret)
	raw, _ := json.Marshal(fields)
	if _, err := c.sm.PutSecretValue(context.Background(), &secretsmanager.PutSecretValueInput{SecretId: aws.String(c.vars["SECRET_ARN"]),
		SecretString: aws.String(string(raw))}); err != nil {
		t.Fatal(err)
	}
}

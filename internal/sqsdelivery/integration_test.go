package sqsdelivery_test

import (
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
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	awssns "github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"github.com/google/go-cmp/cmp"

	"github.com/sendsafely/chatbot-connector/internal/amazonconnect"
	"github.com/sendsafely/chatbot-connector/internal/callback"
	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/dropzone"
	"github.com/sendsafely/chatbot-connector/internal/memory"
	"github.com/sendsafely/chatbot-connector/internal/motoserver"
	"github.com/sendsafely/chatbot-connector/internal/sns"
	"github.com/sendsafely/chatbot-connector/internal/sqsdelivery"
)

const (
	itHost     = "acme.sendsafely.com"
	itDZ       = "DZ-IT-1"
	itKey      = "validation-key"
	itSecret   = connector.Secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
	maxReceive = 3

	instanceID  = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
	contactID   = "9a8b7c6d-5e4f-4031-9283-7a6b5c4d3e2f"
	instanceARN = "arn:aws:connect:us-east-1:123456789012:instance/" + instanceID
	contactARN  = instanceARN + "/contact/" + contactID
)

// hit is one callback as the receiver got it.
type hit struct {
	at        time.Time
	id, link  string
	signature bool
}

// flakyReceiver answers the callbacks of conversation "flaky" 500 the
// first time and 200 after, those of "down" always 500, and others 200.
type flakyReceiver struct {
	mu  sync.Mutex
	got map[string][]hit // by conversation id
}

func (rc *flakyReceiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	var ev connector.Event
	json.Unmarshal(body, &ev)
	ts := r.Header.Get("webhook-timestamp")
	var sec int64
	fmt.Sscan(ts, &sec)
	want, _ := callback.Sign(itSecret, r.Header.Get("webhook-id"), time.Unix(sec, 0), body)
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.got[ev.ConversationID] = append(rc.got[ev.ConversationID], hit{at: time.Now(), id: r.Header.Get("webhook-id"),
		link: string(ev.SecureLink), signature: want == r.Header.Get("webhook-signature")})
	switch {
	case ev.ConversationID == "down", ev.ConversationID == "flaky" && len(rc.got["flaky"]) == 1:
		w.WriteHeader(http.StatusInternalServerError)
	default:
		w.WriteHeader(http.StatusOK)
	}
}

func (rc *flakyReceiver) hits(conv string) []hit {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]hit(nil), rc.got[conv]...)
}

// TestDeliveryOnMoto runs the hand-off pipeline on real SNS and SQS: the
// connector publishes to a topic that a queue (with a dead-letter queue,
// maxReceiveCount 3) subscribes to with raw delivery; the test plays
// Lambda's event source mapping (receive, Handle, delete what is done)
// and a callback receiver plays the customer. A submission whose receiver
// answers 500 then 200 is delivered on the retry under the same
// webhook-id; one whose receiver always answers 500 is tried 3 times,
// spaced by the (shortened) schedule, then lands in the dead-letter queue,
// still without its link. The upload whose conversation id is an Amazon
// Connect contact (the endpoint played by a server of ours) gets its link
// attached to that contact once; the others call Amazon Connect not at all.
func TestDeliveryOnMoto(t *testing.T) {
	srv := motoserver.Start(t)
	cfg := srv.Config(t)
	topics, queues := awssns.NewFromConfig(cfg), sqs.NewFromConfig(cfg)
	ctx := t.Context()

	topic, err := topics.CreateTopic(ctx, &awssns.CreateTopicInput{Name: aws.String("events")})
	if err != nil {
		t.Fatal(err)
	}
	dlqURL, dlqARN := createQueue(t, queues, "deliveries-dlq", nil)
	queueURL, queueARN := createQueue(t, queues, "deliveries", map[string]string{
		"RedrivePolicy":     fmt.Sprintf(`{"deadLetterTargetArn":%q,"maxReceiveCount":"%d"}`, dlqARN, maxReceive),
		"VisibilityTimeout": "30",
	})
	if _, err := topics.Subscribe(ctx, &awssns.SubscribeInput{TopicArn: topic.TopicArn, Protocol: aws.String("sqs"),
		Endpoint: aws.String(queueARN), Attributes: map[string]string{"RawMessageDelivery": "true"}}); err != nil {
		t.Fatal(err)
	}

	n := 0
	svc, err := connector.New(connector.Settings{SendSafelyHost: itHost, DropzoneID: itDZ,
		UploadPageURL: "https://files.sendsafely.com/html/cb_upload.htm",
		UploadTTL:     time.Hour, LinkTTL: time.Hour, WebhookMaxAge: time.Hour,
	}, connector.Deps{Store: &memory.Store{}, Publisher: sns.New(topics, aws.ToString(topic.TopicArn)),
		Keys: memory.NewKeys(connector.KeySet{ValidationKey: itKey, CallbackSecret: itSecret}), Dropzone: dropzone.Codec{},
		NewID: func() (string, error) { n++; return fmt.Sprintf("00000000-0000-4000-8000-%012d", n), nil },
	})
	if err != nil {
		t.Fatal(err)
	}
	links := map[string]string{}
	for _, conv := range []string{"flaky", "down", contactARN} {
		up, err := svc.GenerateID(ctx, connector.GenerateRequest{Email: "customer@example.com", ConversationID: conv})
		if err != nil {
			t.Fatal(err)
		}
		pkgID := fmt.Sprintf("PKG-%d", n)
		p := dropzone.Payload{UploadID: up.ID, Email: "customer@example.com", PackageID: pkgID,
			PackageCode: "code-" + pkgID, DropzoneID: itDZ, SubmittedAt: time.Now().Add(-time.Minute).Format(time.RFC3339)}
		data, digest := dropzone.Encode(p, []byte(itKey))
		links[conv] = dropzone.Link(itHost, p.PackageID, p.PackageCode, fmt.Sprintf("KeyCode-0123456789-%d", n))
		if _, err := svc.Notify(ctx, connector.Notice{Data: data, Digest: digest, SecureLink: connector.Link(links[conv])}); err != nil {
			t.Fatalf("Notify: %v", err)
		}
	}

	rc := &flakyReceiver{got: map[string][]hit{}}
	receiver := httptest.NewServer(rc)
	defer receiver.Close()
	cb, err := callback.New(receiver.URL, callback.Options{AllowLoopbackHTTP: true})
	if err != nil {
		t.Fatal(err)
	}
	connectEP := &connectEndpoint{}
	connectSrv := httptest.NewServer(connectEP)
	defer connectSrv.Close()
	contacts := amazonconnect.New(connect.New(connect.Options{Region: motoserver.Region,
		Credentials: credentials.NewStaticCredentialsProvider("testing", "testing", ""), BaseEndpoint: aws.String(connectSrv.URL)}))
	d, err := svc.Deliverer(connector.Handoff{Callbacks: cb, Contacts: contacts, ConnectInstanceARN: instanceARN})
	if err != nil {
		t.Fatal(err)
	}
	sched := sqsdelivery.Schedule{Base: time.Second, Max: 2 * time.Second, MaxReceives: maxReceive}
	h, err := sqsdelivery.New(d, queues, queueURL, sched, nil)
	if err != nil {
		t.Fatal(err)
	}

	// Lambda's event source mapping, played until the queue stays empty
	// and the dead-letter queue holds a message.
	var dead []sqstypes.Message
	deadline := time.Now().Add(45 * time.Second)
	for len(dead) == 0 && time.Now().Before(deadline) {
		out, err := queues.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: aws.String(queueURL),
			MaxNumberOfMessages: 10, WaitTimeSeconds: 1,
			MessageSystemAttributeNames: []sqstypes.MessageSystemAttributeName{sqstypes.MessageSystemAttributeNameApproximateReceiveCount}})
		if err != nil {
			t.Fatalf("receive: %v", err)
		}
		if len(out.Messages) > 0 {
			play(t, queues, queueURL, h, out.Messages, queueARN)
			continue
		}
		got, err := queues.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: aws.String(dlqURL), MaxNumberOfMessages: 10})
		if err != nil {
			t.Fatalf("receive from the dead-letter queue: %v", err)
		}
		dead = got.Messages
	}

	flaky, down := rc.hits("flaky"), rc.hits("down")
	checkHits(t, "flaky", flaky, 2, links["flaky"], sched)
	checkHits(t, "down", down, maxReceive, links["down"], sched)
	checkHits(t, "contact", rc.hits(contactARN), 1, links[contactARN], sched)
	wantConnect := []string{"POST /contacts/" + instanceID + "/" + contactID + " Secure upload=URL:" + links[contactARN]}
	if diff := cmp.Diff(wantConnect, connectEP.calls()); diff != "" {
		t.Errorf("UpdateContact calls (-want +got):\n%s", diff)
	}
	if len(dead) != 1 {
		t.Fatalf("got %d messages in the dead-letter queue, want 1", len(dead))
	}
	var ev connector.Event
	if err := json.Unmarshal([]byte(aws.ToString(dead[0].Body)), &ev); err != nil {
		t.Fatalf("dead letter is not an event: %v", err)
	}
	if ev.ConversationID != "down" || len(down) == 0 || ev.ID != down[0].id {
		t.Errorf("got dead letter %s for %q, want the event of \"down\" (%v)", ev.ID, ev.ConversationID, down)
	}
	if strings.Contains(aws.ToString(dead[0].Body), "keycode") {
		t.Error("the dead letter carries the link: the topic must stay free of links")
	}
}

// connectEndpoint plays Amazon Connect's UpdateContact: it records each
// call as "METHOD path name=TYPE:value" and answers 200.
type connectEndpoint struct {
	mu  sync.Mutex
	got []string
}

func (c *connectEndpoint) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var in struct {
		References map[string]struct{ Type, Value string }
	}
	json.NewDecoder(r.Body).Decode(&in)
	call := r.Method + " " + r.URL.Path
	for name, ref := range in.References {
		call += " " + name + "=" + ref.Type + ":" + ref.Value
	}
	c.mu.Lock()
	c.got = append(c.got, call)
	c.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	w.Write([]byte("{}"))
}

func (c *connectEndpoint) calls() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.got...)
}

// play hands the received messages to h as Lambda would, and deletes those
// not named for retry.
func play(t *testing.T, queues *sqs.Client, queueURL string, h *sqsdelivery.Handler, msgs []sqstypes.Message, arn string) {
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
	for _, m := range batch.Records {
		t.Logf("message %s, receive %s", m.MessageId[:8], m.Attributes["ApproximateReceiveCount"])
	}
	t.Logf("retry %v", resp.BatchItemFailures)
	retry := map[string]bool{}
	for _, f := range resp.BatchItemFailures {
		retry[f.ItemIdentifier] = true
	}
	for _, m := range msgs {
		if retry[aws.ToString(m.MessageId)] {
			continue
		}
		if _, err := queues.DeleteMessage(t.Context(), &sqs.DeleteMessageInput{QueueUrl: aws.String(queueURL),
			ReceiptHandle: m.ReceiptHandle}); err != nil {
			t.Fatalf("delete: %v", err)
		}
	}
}

// checkHits checks that a receiver got want signed attempts with the link,
// all under one webhook-id, each at least the schedule's delay after the
// one before.
func checkHits(t *testing.T, conv string, hits []hit, want int, link string, sched sqsdelivery.Schedule) {
	t.Helper()
	if len(hits) != want {
		t.Fatalf("%s: got %d callbacks, want %d", conv, len(hits), want)
	}
	for i, h := range hits {
		if h.id != hits[0].id || !strings.HasPrefix(h.id, "evt_") {
			t.Errorf("%s attempt %d: got webhook-id %q, want %q", conv, i+1, h.id, hits[0].id)
		}
		if h.link != link {
			t.Errorf("%s attempt %d: the callback does not carry the submitted link", conv, i+1)
		}
		if !h.signature {
			t.Errorf("%s attempt %d: the signature does not verify", conv, i+1)
		}
		// SQS counts visibility in whole seconds; allow for the rounding
		// of the moments the receiver notes.
		if i > 0 {
			t.Logf("%s attempt %d: %v after the one before", conv, i+1, h.at.Sub(hits[i-1].at).Round(time.Millisecond))
			if gap, min := h.at.Sub(hits[i-1].at), sched.Delay(i)-200*time.Millisecond; gap < min {
				t.Errorf("%s attempt %d came %v after the one before, want at least %v", conv, i+1, gap, sched.Delay(i))
			}
		}
	}
}

// createQueue creates a queue with attrs and returns its URL and ARN.
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

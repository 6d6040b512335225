package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	awssns "github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/sendsafely/chatbot-connector/internal/apigw"
	"github.com/sendsafely/chatbot-connector/internal/dropzone"
	"github.com/sendsafely/chatbot-connector/internal/fakeclock"
	"github.com/sendsafely/chatbot-connector/internal/lambdaentry"
	"github.com/sendsafely/chatbot-connector/internal/motoserver"
)

const (
	itHost    = "acme.sendsafely.com"
	itDZ      = "DZ-IT"
	itKey     = "it-current-key"
	itPrevKey = "it-previous-key"
	itToken   = "it-api-token"
	itTopic   = "connector-events"
)

// cloud is a connector deployed on moto_server: its table, topic (with an
// SQS queue subscribed), secret, and the handler built by newHandler from
// the same environment variables the function gets.
type cloud struct {
	srv      *motoserver.Server
	ddb      *dynamodb.Client
	sns      *awssns.Client
	sqs      *sqs.Client
	sm       *secretsmanager.Client
	topicARN string
	queueURL string
	h        *lambdaentry.Entry
	clock    *fakeclock.Clock
	logs     *bytes.Buffer
	vars     map[string]string // the function's environment
}

// newCloud deploys a connector on a new moto_server; awsOptions are added
// to the handler's SDK configuration (not to the harness's own clients).
func newCloud(t testing.TB, awsOptions ...func(*aws.Config)) *cloud {
	t.Helper()
	srv := motoserver.Start(t)
	for _, kv := range srv.Env() {
		k, v, _ := cut(kv)
		t.Setenv(k, v)
	}
	cfg := srv.Config(t)
	ctx := context.Background()
	c := &cloud{srv: srv, ddb: dynamodb.NewFromConfig(cfg), sns: awssns.NewFromConfig(cfg), sqs: sqs.NewFromConfig(cfg),
		sm: secretsmanager.NewFromConfig(cfg), clock: fakeclock.New(time.Now().UTC().Truncate(time.Second)), logs: &bytes.Buffer{}}
	if _, err := c.ddb.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName:            aws.String("uploads"),
		AttributeDefinitions: []ddbtypes.AttributeDefinition{{AttributeName: aws.String("pk"), AttributeType: ddbtypes.ScalarAttributeTypeS}},
		KeySchema:            []ddbtypes.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: ddbtypes.KeyTypeHash}},
		BillingMode:          ddbtypes.BillingModePayPerRequest,
	}); err != nil {
		t.Fatal(err)
	}
	q, err := c.sqs.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String("subscriber")})
	if err != nil {
		t.Fatal(err)
	}
	c.queueURL = *q.QueueUrl
	c.createTopic(t)
	secret, err := c.sm.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("connector"),
		SecretString: aws.String(fmt.Sprintf(`{"validationKey":%q,"previousValidationKey":%q,"apiToken":%q}`, itKey, itPrevKey, itToken))})
	if err != nil {
		t.Fatal(err)
	}
	vars := map[string]string{
		"TABLE_NAME": "uploads", "TOPIC_ARN": c.topicARN, "SECRET_ARN": *secret.ARN,
		"SENDSAFELY_HOST": itHost, "DROPZONE_ID": itDZ, "UPLOAD_TTL": "2h", "SECRET_CACHE_TTL": "5m",
	}
	for _, kv := range srv.Env() {
		k, v, _ := cut(kv)
		vars[k] = v
	}
	c.vars = vars
	c.h, err = newHandler(ctx, platform{getenv: func(k string) string { return vars[k] }, logs: c.logs, now: c.clock.Now, sleep: c.clock.Sleep,
		awsOptions: awsOptions})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func cut(kv string) (string, string, bool) {
	for i := range kv {
		if kv[i] == '=' {
			return kv[:i], kv[i+1:], true
		}
	}
	return kv, "", false
}

// createTopic creates the topic (again) and subscribes the queue to it,
// with raw delivery so the type attribute arrives as an SQS attribute.
func (c *cloud) createTopic(t testing.TB) {
	t.Helper()
	ctx := context.Background()
	tp, err := c.sns.CreateTopic(ctx, &awssns.CreateTopicInput{Name: aws.String(itTopic)})
	if err != nil {
		t.Fatal(err)
	}
	c.topicARN = *tp.TopicArn
	qa, err := c.sqs.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: &c.queueURL, AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameQueueArn}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.sns.Subscribe(ctx, &awssns.SubscribeInput{TopicArn: &c.topicARN, Protocol: aws.String("sqs"),
		Endpoint: aws.String(qa.Attributes["QueueArn"]), Attributes: map[string]string{"RawMessageDelivery": "true"}}); err != nil {
		t.Fatal(err)
	}
}

// received is an event as the subscriber got it.
type received struct {
	Type string         // the message attribute
	Body map[string]any // the JSON message
}

// drain returns every message waiting in the subscriber queue.
func (c *cloud) drain(t testing.TB) []received {
	t.Helper()
	var out []received
	for {
		r, err := c.sqs.ReceiveMessage(context.Background(), &sqs.ReceiveMessageInput{QueueUrl: &c.queueURL,
			MaxNumberOfMessages: 10, MessageAttributeNames: []string{"All"}})
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Messages) == 0 {
			return out
		}
		for _, m := range r.Messages {
			var rc received
			if err := json.Unmarshal([]byte(*m.Body), &rc.Body); err != nil {
				t.Fatalf("event is not JSON: %v", err)
			}
			if a, ok := m.MessageAttributes["type"]; ok && a.StringValue != nil {
				rc.Type = *a.StringValue
			}
			out = append(out, rc)
			if _, err := c.sqs.DeleteMessage(context.Background(), &sqs.DeleteMessageInput{QueueUrl: &c.queueURL, ReceiptHandle: m.ReceiptHandle}); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// httpEvent is an HTTP API (payload 2.0) event for one request.
func httpEvent(method, path, body string, headers map[string]string) []byte {
	ev, _ := json.Marshal(map[string]any{"version": "2.0", "rawPath": path, "headers": headers, "body": body,
		"requestContext": map[string]any{"requestId": "it", "stage": "$default", "http": map[string]any{"method": method}}})
	return ev
}

// send sends one request through h, as the runtime would, and returns
// the API Gateway answer; an error means h failed as a function. It
// never calls t.Fatal, so goroutines may use it.
func send(h *lambdaentry.Entry, method, path, body string, headers map[string]string) (apigw.Response, error) {
	out, err := h.Invoke(context.Background(), httpEvent(method, path, body, headers))
	if err != nil {
		return apigw.Response{}, err
	}
	var resp apigw.Response
	err = json.Unmarshal(out, &resp)
	return resp, err
}

// callOn sends one request through h and returns its status, JSON body
// and headers.
func callOn(t testing.TB, h *lambdaentry.Entry, method, path, body string, headers map[string]string) (int, map[string]any, map[string]string) {
	t.Helper()
	resp, err := send(h, method, path, body, headers)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if resp.Body != "" {
		if err := json.Unmarshal([]byte(resp.Body), &m); err != nil {
			t.Fatalf("body %q: %v", resp.Body, err)
		}
	}
	return resp.StatusCode, m, resp.Headers
}

// call sends one request through the cloud's handler.
func (c *cloud) call(t testing.TB, method, path, body string, headers map[string]string) (int, map[string]any, map[string]string) {
	t.Helper()
	return callOn(t, c.h, method, path, body, headers)
}

var bearer = map[string]string{"authorization": "Bearer " + itToken, "content-type": "application/json"}

func (c *cloud) chat(t testing.TB, body string) (int, map[string]any) {
	t.Helper()
	st, m, _ := c.call(t, "POST", "/", body, bearer)
	return st, m
}

// notice is a signed webhook form for a package of an upload.
type notice struct {
	uploadID, email, packageID, keyCode, key string
	submittedAt                              time.Time
}

func (n notice) payload() dropzone.Payload {
	return dropzone.Payload{UploadID: n.uploadID, Email: n.email, PackageID: n.packageID, PackageCode: "pc-" + n.packageID,
		DropzoneID: itDZ, SubmittedAt: n.submittedAt.Format(time.RFC3339)}
}

func (n notice) form() string {
	return dropzone.Form(n.payload(), []byte(n.key), itHost, n.keyCode).Encode()
}

func (n notice) link() string {
	p := n.payload()
	return dropzone.Link(itHost, p.PackageID, p.PackageCode, n.keyCode)
}

func (c *cloud) webhook(t testing.TB, form string) (int, map[string]any) {
	t.Helper()
	st, m, _ := c.call(t, "POST", "/webhook", form, map[string]string{"content-type": "application/x-www-form-urlencoded", "origin": "https://files.sendsafely.com"})
	return st, m
}

// dumpItems renders scanned items as text, bytes as they are.
func dumpItems(items []map[string]ddbtypes.AttributeValue) string {
	var b strings.Builder
	for _, it := range items {
		for k, v := range it {
			b.WriteString(k)
			b.WriteByte('=')
			switch v := v.(type) {
			case *ddbtypes.AttributeValueMemberS:
				b.WriteString(v.Value)
			case *ddbtypes.AttributeValueMemberN:
				b.WriteString(v.Value)
			case *ddbtypes.AttributeValueMemberB:
				b.Write(v.Value)
			default:
				fmt.Fprintf(&b, "%v", v)
			}
			b.WriteByte('\n')
		}
	}
	return b.String()
}

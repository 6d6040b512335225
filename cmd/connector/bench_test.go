package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	awssns "github.com/aws/aws-sdk-go-v2/service/sns"
	snstypes "github.com/aws/aws-sdk-go-v2/service/sns/types"
)

// BenchmarkE2E measures each route end to end on moto_server, through the
// function's real SDK clients, beside its floor: the bare SDK calls the
// route must make (TestAWSCallsPerRoute), of the same items, from clients
// configured the same way, in the same run. A route's time over its
// floor's is what the connector adds per round trip. moto_server answers
// in milliseconds where DynamoDB answers in a few, so the ratio, not the
// time, is the figure (docs/performance.md).
func BenchmarkE2E(b *testing.B) {
	c := newCloud(b)
	e := newE2E(b, c)

	b.Run("generateId", func(b *testing.B) {
		raw := e.chatEvent(b, `{"action":"generateId","email":"customer@example.com","conversationId":"chat-123"}`)
		e.run(b, func(int) []byte { return raw })
	})
	b.Run("generateId-floor", func(b *testing.B) {
		// One conditional PutItem of a new item shaped like generateId's.
		keys := freshKeys(b.N)
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			e.put(b, e.openItem, keys[i], "attribute_not_exists(pk)", 0)
		}
	})
	b.Run("getLink", func(b *testing.B) {
		raw := e.chatEvent(b, `{"action":"getLink","uploadId":"`+e.submittedID+`","email":"customer@example.com"}`)
		e.run(b, func(int) []byte { return raw })
	})
	b.Run("getLink-floor", func(b *testing.B) {
		// One strongly consistent GetItem of the same submitted upload.
		for i := 0; i < b.N; i++ {
			e.get(b, e.submittedKey)
		}
	})
	b.Run("webhook", func(b *testing.B) {
		// Every call is a first delivery; the uploads are made first.
		events := make([][]byte, b.N)
		for i := range events {
			events[i] = e.webhookEvent(b, e.upload(b))
		}
		b.ResetTimer()
		e.run(b, func(i int) []byte { return events[i] })
	})
	b.Run("webhook-floor", func(b *testing.B) {
		// GetItem, PutItem (store), Publish, PutItem (mark published), of
		// items and a message the size of the route's.
		keys := freshKeys(b.N)
		for _, k := range keys {
			e.put(b, e.openItem, k, "", 0)
		}
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			e.get(b, keys[i])
			e.put(b, e.submittedItem, keys[i], "v = :prev", 1)
			e.publish(b)
			e.put(b, e.submittedItem, keys[i], "v = :prev", 2)
		}
	})
}

// e2e is the state of BenchmarkE2E: the cloud, floor clients built like
// the function's, and the items and message the routes really write.
type e2e struct {
	c   *cloud
	ddb *dynamodb.Client
	sns *awssns.Client

	openItem, submittedItem map[string]ddbtypes.AttributeValue // as the routes stored them
	submittedID             string                             // an upload with one package
	submittedKey            string
	message                 string // an event as the webhook published it
}

func newE2E(b *testing.B, c *cloud) *e2e {
	b.Helper()
	ctx := context.Background()
	// The same configuration the function loads: environment, default retryer.
	cfg, err := awsconfig.LoadDefaultConfig(ctx)
	if err != nil {
		b.Fatal(err)
	}
	e := &e2e{c: c, ddb: dynamodb.NewFromConfig(cfg), sns: awssns.NewFromConfig(cfg)}

	e.upload(b)
	e.openItem = e.only(b)
	e.submittedID = e.upload(b)
	if st, _ := c.webhook(b, notice{uploadID: e.submittedID, email: "customer@example.com", packageID: "PKG-1", keyCode: "k",
		key: itKey, submittedAt: c.clock.Now()}.form()); st != 200 {
		b.Fatalf("webhook: %d", st)
	}
	for _, it := range e.scan(b) {
		if it["v"].(*ddbtypes.AttributeValueMemberN).Value != "1" {
			e.submittedItem = it
			e.submittedKey = it["pk"].(*ddbtypes.AttributeValueMemberS).Value
		}
	}
	if e.submittedItem == nil {
		b.Fatal("no submitted item")
	}
	evs := c.drain(b)
	if len(evs) != 1 {
		b.Fatalf("%d events", len(evs))
	}
	msg, _ := json.Marshal(evs[0].Body)
	e.message = string(msg)
	return e
}

func (e *e2e) scan(b *testing.B) []map[string]ddbtypes.AttributeValue {
	b.Helper()
	out, err := e.ddb.Scan(context.Background(), &dynamodb.ScanInput{TableName: aws.String("uploads")})
	if err != nil {
		b.Fatal(err)
	}
	return out.Items
}

// only returns the one item in the table.
func (e *e2e) only(b *testing.B) map[string]ddbtypes.AttributeValue {
	b.Helper()
	items := e.scan(b)
	if len(items) != 1 {
		b.Fatalf("%d items, want 1", len(items))
	}
	return items[0]
}

func (e *e2e) upload(b *testing.B) string {
	b.Helper()
	st, m := e.c.chat(b, `{"action":"generateId","email":"customer@example.com","conversationId":"chat-123"}`)
	if st != 200 {
		b.Fatalf("generateId: %d %v", st, m)
	}
	return m["UploadId"].(string)
}

// run invokes event(i) b.N times through the function's handler.
func (e *e2e) run(b *testing.B, event func(i int) []byte) {
	b.Helper()
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		out, err := e.c.h.Invoke(ctx, event(i))
		if err != nil {
			b.Fatal(err)
		}
		if !strings.HasPrefix(string(out), `{"statusCode":200,`) {
			b.Fatalf("response: %s", out)
		}
	}
}

func (e *e2e) chatEvent(b *testing.B, body string) []byte {
	return e.event(b, "/", body, bearer)
}

func (e *e2e) webhookEvent(b *testing.B, uploadID string) []byte {
	n := notice{uploadID: uploadID, email: "customer@example.com", packageID: "PKG-1", keyCode: "k", key: itKey, submittedAt: e.c.clock.Now()}
	return e.event(b, "/webhook", n.form(), map[string]string{"content-type": "application/x-www-form-urlencoded", "origin": "https://files.sendsafely.com"})
}

func (e *e2e) event(b *testing.B, path, body string, headers map[string]string) []byte {
	b.Helper()
	ev, err := json.Marshal(map[string]any{"version": "2.0", "rawPath": path, "headers": headers, "body": body,
		"requestContext": map[string]any{"requestId": "bench", "stage": "$default", "http": map[string]any{"method": "POST"}}})
	if err != nil {
		b.Fatal(err)
	}
	return ev
}

// put writes item under key with condition cond, if any; a prev > 0 is
// the version the condition expects, and the item gets the next.
func (e *e2e) put(b *testing.B, item map[string]ddbtypes.AttributeValue, key, cond string, prev int) {
	in := &dynamodb.PutItemInput{TableName: aws.String("uploads"), Item: make(map[string]ddbtypes.AttributeValue, len(item))}
	for k, v := range item {
		in.Item[k] = v
	}
	in.Item["pk"] = &ddbtypes.AttributeValueMemberS{Value: key}
	if cond != "" {
		in.ConditionExpression = aws.String(cond)
	}
	if prev > 0 {
		in.ExpressionAttributeValues = map[string]ddbtypes.AttributeValue{":prev": &ddbtypes.AttributeValueMemberN{Value: strconv.Itoa(prev)}}
		in.Item["v"] = &ddbtypes.AttributeValueMemberN{Value: strconv.Itoa(prev + 1)}
	}
	if _, err := e.ddb.PutItem(context.Background(), in); err != nil {
		b.Fatal(err)
	}
}

func (e *e2e) get(b *testing.B, key string) {
	out, err := e.ddb.GetItem(context.Background(), &dynamodb.GetItemInput{TableName: aws.String("uploads"),
		Key: map[string]ddbtypes.AttributeValue{"pk": &ddbtypes.AttributeValueMemberS{Value: key}}, ConsistentRead: aws.Bool(true)})
	if err != nil || len(out.Item) == 0 {
		b.Fatalf("get: %v", err)
	}
}

func (e *e2e) publish(b *testing.B) {
	if _, err := e.sns.Publish(context.Background(), &awssns.PublishInput{TopicArn: aws.String(e.c.topicARN), Message: aws.String(e.message),
		MessageAttributes: map[string]snstypes.MessageAttributeValue{"type": {DataType: aws.String("String"), StringValue: aws.String("upload.submitted")}}}); err != nil {
		b.Fatal(err)
	}
}

// freshKeys returns n random table keys, shaped like the connector's.
func freshKeys(n int) []string {
	keys := make([]string, n)
	for i := range keys {
		k := make([]byte, 32)
		_, _ = rand.Read(k)
		keys[i] = hex.EncodeToString(k)
	}
	return keys
}

package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	awssns "github.com/aws/aws-sdk-go-v2/service/sns"
	snstypes "github.com/aws/aws-sdk-go-v2/service/sns/types"

	"github.com/sendsafely/chatbot-connector/internal/awsenv"
	"github.com/sendsafely/chatbot-connector/internal/sendsafely"
)

// BenchmarkE2E measures each route end to end on moto_server, through the
// function's real SDK clients, beside its floor: the bare SDK calls the
// route must make (TestAWSCallsPerRoute), of the same items, from clients
// configured the same way. Route and floor run interleaved, call by call,
// so drift in moto_server or in the machine's load hits both alike; each
// sub-benchmark reports the median route-ns/op and floor-ns/op and their
// ratio (ns/op is one route call plus one floor call). moto_server answers
// in milliseconds where DynamoDB answers in a few, so the ratio, not the
// time, is the figure (docs/performance.md).
func BenchmarkE2E(b *testing.B) {
	c := newCloud(b)
	e := newE2E(b, c)

	b.Run("generateId", func(b *testing.B) {
		// Floor: one conditional PutItem of a new item shaped like generateId's.
		raw := e.chatEvent(b, `{"action":"generateId","email":"customer@example.com","conversationId":"chat-123"}`)
		keys := freshKeys(b.N)
		e.pair(b, func(int) { e.invoke(b, raw) },
			func(i int) { e.put(b, e.openItem, keys[i], "attribute_not_exists(pk)", 0) })
	})
	b.Run("getLink", func(b *testing.B) {
		// Floor: one strongly consistent GetItem of the same submitted upload.
		raw := e.chatEvent(b, `{"action":"getLink","uploadId":"`+e.submittedID+`","email":"customer@example.com"}`)
		e.pair(b, func(int) { e.invoke(b, raw) }, func(int) { e.get(b, e.submittedKey) })
	})
	b.Run("webhook", func(b *testing.B) {
		// Every call is a first delivery; the uploads are made first. Floor:
		// GetItem, PutItem (store), Publish, PutItem (mark published), of
		// items and a message the size of the route's.
		events := make([][]byte, b.N)
		keys := freshKeys(b.N)
		for i := range events {
			events[i] = e.webhookEvent(b, e.upload(b))
			e.put(b, e.openItem, keys[i], "", 0)
		}
		e.pair(b, func(i int) { e.invoke(b, events[i]) }, func(i int) {
			e.get(b, keys[i])
			e.put(b, e.submittedItem, keys[i], "v = :prev", 1)
			e.publish(b)
			e.put(b, e.submittedItem, keys[i], "v = :prev", 2)
		})
	})
	b.Run("webhook-verified", func(b *testing.B) {
		// Verified mode against the SendSafely stand-in on loopback: every
		// call a first delivery of a package the stand-in holds. Floor: the
		// webhook's four calls plus the two SendSafely reads, made with the
		// same client the function uses (so the keycode's OpenPGP
		// decryption, inherent to the read, is in both).
		benchVerifiedWebhook(b, e, nil, 0)
	})
	b.Run("webhook-verified-40-files", func(b *testing.B) {
		// The same with a 40-file package under a file policy: the manifest
		// is read in the same package call, judged and sealed with the link,
		// and published in the event. The floor reads the same package.
		benchVerifiedWebhook(b, e, map[string]string{"ALLOWED_FILE_TYPES": "pdf|image/*", "MAX_FILE_SIZE": "10MB", "MAX_FILES": "45"}, 40)
	})
	b.Run("sweep", func(b *testing.B) {
		// A scheduled sweep that finds one upload no browser reported: the
		// stand-in holds that one package (the one before is deleted, so
		// every sweep reads a list of one). Floor: the list, the upload's
		// GetItem, the package and keycode reads, PutItem, Publish, PutItem.
		v := newVerifiedCloud(b)
		ss := sendsafely.New(v.ss.URL())
		ids := make([]string, b.N)
		keys := freshKeys(b.N)
		for i := range ids {
			ids[i] = v.generate(b, "customer@example.com")
			e.put(b, e.openItem, keys[i], "", 0)
		}
		sweep, _ := json.Marshal(map[string]string{"action": "sweep"})
		ctx := context.Background()
		var pkg string
		e.pairPrep(b, func(i int) {
			if pkg != "" {
				if err := v.ss.Delete(pkg); err != nil {
					b.Fatal(err)
				}
			}
			p, _, err := v.ss.Upload(ids[i], "customer@example.com")
			if err != nil {
				b.Fatal(err)
			}
			pkg = p.ID
		}, func(int) {
			if _, err := v.h.Invoke(ctx, sweep); err != nil {
				b.Fatalf("sweep: %v", err)
			}
		}, func(i int) {
			if _, err := ss.Received(ctx, v.key); err != nil {
				b.Fatal(err)
			}
			e.get(b, keys[i])
			if _, err := ss.Package(ctx, v.key, pkg); err != nil {
				b.Fatal(err)
			}
			if _, err := ss.KeyCode(ctx, v.key, pkg); err != nil {
				b.Fatal(err)
			}
			e.put(b, e.submittedItem, keys[i], "v = :prev", 1)
			e.publish(b)
			e.put(b, e.submittedItem, keys[i], "v = :prev", 2)
		})
		if evs := v.drain(b); len(evs) != b.N {
			b.Fatalf("%d sweeps published %d events, want one each", b.N, len(evs))
		}
	})
}

// pair runs route(i) and floor(i) for every i < b.N, interleaved, the one
// that goes first alternating, and reports the median time of each.
func (e *e2e) pair(b *testing.B, route, floor func(i int)) {
	b.Helper()
	e.pairPrep(b, func(int) {}, route, floor)
}

// pairPrep is pair with prep(i) run, untimed, before route(i) and floor(i).
func (e *e2e) pairPrep(b *testing.B, prep, route, floor func(i int)) {
	b.Helper()
	rt, fl := make([]float64, 0, b.N), make([]float64, 0, b.N)
	timed := func(f func(int), i int, into *[]float64) {
		start := time.Now()
		f(i)
		*into = append(*into, float64(time.Since(start).Nanoseconds()))
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		prep(i)
		if i%2 == 0 {
			timed(route, i, &rt)
			timed(floor, i, &fl)
		} else {
			timed(floor, i, &fl)
			timed(route, i, &rt)
		}
	}
	b.StopTimer()
	r, f := medianOf(rt), medianOf(fl)
	b.ReportMetric(r, "route-ns/op")
	b.ReportMetric(f, "floor-ns/op")
	b.ReportMetric(r/f, "ratio")
}

func medianOf(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
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
	// The same configuration the function loads: environment, default retryer.
	cfg, err := awsenv.Config(os.Getenv)
	if err != nil {
		b.Fatal(err)
	}
	e := &e2e{c: c, ddb: dynamodb.NewFromConfig(cfg), sns: awssns.NewFromConfig(cfg)}

	e.upload(b)
	e.openItem = e.only(b)
	e.submittedID = e.upload(b)
	if st, _ := c.webhook(b, notice{uploadID: e.submittedID, email: "customer@example.com", packageID: "PKG-1", keyCode: "KeyK-0123456789abcdef",
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

// invoke sends one event through the function's handler.
func (e *e2e) invoke(b *testing.B, event []byte) {
	out, err := e.c.h.Invoke(context.Background(), event)
	if err != nil {
		b.Fatal(err)
	}
	if !strings.HasPrefix(string(out), `{"statusCode":200,`) {
		b.Fatalf("response: %s", out)
	}
}

func (e *e2e) chatEvent(b *testing.B, body string) []byte {
	return e.event(b, "/", body, bearer)
}

func (e *e2e) webhookEvent(b *testing.B, uploadID string) []byte {
	n := notice{uploadID: uploadID, email: "customer@example.com", packageID: "PKG-1", keyCode: "KeyK-0123456789abcdef", key: itKey, submittedAt: e.c.clock.Now()}
	return e.event(b, "/webhook", n.form(), map[string]string{"content-type": "application/x-www-form-urlencoded", "origin": "https://files.sendsafely.com"})
}

func (e *e2e) event(b *testing.B, path, body string, headers map[string]string) []byte {
	return httpEvent("POST", path, body, headers)
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

// benchVerifiedWebhook measures the verified webhook beside its floor, on
// a deployment with the extra variables vars, each package holding files
// files; and reports the allocations of one call of the route
// (allocs/call: the whole process's, the in-process stand-in's included,
// measured after the timed loop so as not to disturb it).
func benchVerifiedWebhook(b *testing.B, e *e2e, vars map[string]string, files int) {
	v := newVerifiedCloud(b)
	h := v.h
	if vars != nil {
		h = v.withPolicy(b, vars)
	}
	ss := sendsafely.New(v.ss.URL())
	const allocRuns = 20
	n := b.N + allocRuns + 1
	forms := make([]string, n)
	ids := make([]string, n)
	keys := freshKeys(b.N)
	for i := range forms {
		id := v.generate(b, "customer@example.com")
		var fs []file
		for j := range files {
			fs = append(fs, file{fmt.Sprintf("statement-%02d.pdf", j), 100 + j})
		}
		form := v.uploadFiles(b, id, "customer@example.com", fs...)
		forms[i] = form.Encode()
		u, err := url.Parse(form.Get("secureLink"))
		if err != nil {
			b.Fatal(err)
		}
		ids[i] = u.Query().Get("thread")
		if i < b.N {
			e.put(b, e.openItem, keys[i], "", 0)
		}
	}
	ctx := context.Background()
	e.pair(b, func(i int) {
		if st, err := post(h, forms[i]); err != nil || st != 200 {
			b.Fatalf("verified webhook: %d, %v", st, err)
		}
	}, func(i int) {
		e.get(b, keys[i])
		if _, err := ss.Package(ctx, v.key, ids[i]); err != nil {
			b.Fatal(err)
		}
		if _, err := ss.KeyCode(ctx, v.key, ids[i]); err != nil {
			b.Fatal(err)
		}
		e.put(b, e.submittedItem, keys[i], "v = :prev", 1)
		e.publish(b)
		e.put(b, e.submittedItem, keys[i], "v = :prev", 2)
	})
	next := b.N
	allocs := testing.AllocsPerRun(allocRuns, func() {
		if st, err := post(h, forms[next]); err != nil || st != 200 {
			b.Fatalf("verified webhook: %d, %v", st, err)
		}
		next++
	})
	b.ReportMetric(allocs, "allocs/call")
}

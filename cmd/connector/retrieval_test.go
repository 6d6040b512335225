package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"
	awssns "github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/sendsafely/chatbot-connector/internal/dropzone"
	"github.com/sendsafely/chatbot-connector/internal/lambdaentry"
)

// filesCloud is a verified deployment on moto with retrieval on: a files
// bucket and a files queue.
type filesCloud struct {
	*verifiedCloud
	s3       *awss3.Client
	filesURL string
	// subscription is the files queue's subscription to the topic.
	subscription string
	h            *lambdaentry.Entry
}

func newFilesCloud(t *testing.T) *filesCloud {
	t.Helper()
	v := newVerifiedCloud(t)
	ctx := context.Background()
	s3c := awss3.NewFromConfig(v.srv.Config(t), func(o *awss3.Options) { o.UsePathStyle = true })
	if _, err := s3c.CreateBucket(ctx, &awss3.CreateBucketInput{Bucket: aws.String("customer-files")}); err != nil {
		t.Fatal(err)
	}
	q, err := v.sqs.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String("stack-FilesQueue-1")})
	if err != nil {
		t.Fatal(err)
	}
	// As the template's FilesSubscription: upload.submitted reaches the
	// files queue, raw, and starts the package's fan-out.
	qa, err := v.sqs.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: q.QueueUrl, AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameQueueArn}})
	if err != nil {
		t.Fatal(err)
	}
	sub, err := v.sns.Subscribe(ctx, &awssns.SubscribeInput{TopicArn: &v.topicARN, Protocol: aws.String("sqs"), Endpoint: aws.String(qa.Attributes["QueueArn"]),
		Attributes: map[string]string{"RawMessageDelivery": "true", "FilterPolicy": `{"type":["upload.submitted"]}`}, ReturnSubscriptionArn: true})
	if err != nil {
		t.Fatal(err)
	}
	f := &filesCloud{verifiedCloud: v, s3: s3c, filesURL: aws.ToString(q.QueueUrl), subscription: aws.ToString(sub.SubscriptionArn)}
	f.h = v.withPolicy(t, map[string]string{"FILES_BUCKET": "customer-files", "FILES_QUEUE_URL": f.filesURL})
	return f
}

// upload makes a package of files (name → content) at the stand-in for
// upload id and posts the notification its page would post.
func (f *filesCloud) upload(t *testing.T, id, email string, names []string, files map[string][]byte) {
	t.Helper()
	p := f.ss.CreatePackage(id, email)
	for _, n := range names {
		if _, err := f.ss.AddFile(p.ID, n, files[n]); err != nil {
			t.Fatal(err)
		}
	}
	link, err := f.ss.Finalize(p.ID)
	if err != nil {
		t.Fatal(err)
	}
	data, digest := dropzone.Encode(dropzone.Payload{UploadID: id, Email: email, PackageID: p.ID, PackageCode: p.Code, DropzoneID: itDZ,
		SubmittedAt: time.Now().UTC().Format(time.RFC3339)}, []byte(itKey))
	form := url.Values{"data": {data}, "digest": {digest}, "secureLink": {link}}
	if st, err := post(f.h, form.Encode()); err != nil || st != 200 {
		t.Fatalf("webhook: %d, %v", st, err)
	}
}

// drainFiles hands the files queue's messages to the function as the
// event source mapping would (deleting what the batch answer does not
// name as failed) until the queue stays empty; it returns the messages
// handled.
func (f *filesCloud) drainFiles(t *testing.T) int {
	t.Helper()
	ctx := context.Background()
	handled := 0
	for empty := 0; empty < 2; {
		out, err := f.sqs.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: &f.filesURL, MaxNumberOfMessages: 10,
			MessageSystemAttributeNames: []sqstypes.MessageSystemAttributeName{sqstypes.MessageSystemAttributeNameAll}})
		if err != nil {
			t.Fatal(err)
		}
		if len(out.Messages) == 0 {
			empty++
			continue
		}
		empty = 0
		var batch events.SQSEvent
		for _, m := range out.Messages {
			batch.Records = append(batch.Records, events.SQSMessage{MessageId: aws.ToString(m.MessageId), ReceiptHandle: aws.ToString(m.ReceiptHandle),
				Body: aws.ToString(m.Body), Attributes: m.Attributes, EventSource: "aws:sqs",
				EventSourceARN: "arn:aws:sqs:us-east-1:123456789012:stack-FilesQueue-1"})
		}
		raw, _ := json.Marshal(batch)
		answer, err := f.h.Invoke(ctx, raw)
		if err != nil {
			t.Fatalf("files batch: %v", err)
		}
		var resp events.SQSEventResponse
		if err := json.Unmarshal(answer, &resp); err != nil || len(resp.BatchItemFailures) != 0 {
			t.Fatalf("files batch answer %s, %v; want no failures", answer, err)
		}
		for _, m := range out.Messages {
			if _, err := f.sqs.DeleteMessage(ctx, &sqs.DeleteMessageInput{QueueUrl: &f.filesURL, ReceiptHandle: m.ReceiptHandle}); err != nil {
				t.Fatal(err)
			}
		}
		handled += len(out.Messages)
		if handled > 100 {
			t.Fatal("the files queue does not empty")
		}
	}
	return handled
}

// TestRetrieveAndReadOnMoto: through the real function on moto, a
// verified package's files are fetched from the stand-in, decrypted and
// stored in the bucket with their sha256, list_files shows them stored
// and readable, read_file gives a text file's text and a download link
// that fetches the object from moto and is signed to expire in 5 minutes
// (checkPresignedExpiry: moto itself ignores expiry), and a wrong email
// finds nothing.
func TestRetrieveAndReadOnMoto(t *testing.T) {
	f := newFilesCloud(t)
	const email = "customer@example.com"
	big := make([]byte, 3_000_000) // two SendSafely parts
	_, _ = rand.Read(big)
	text := []byte(strings.Repeat("Statement for March: balance 1,024.00 EUR. ", 50) + "Ünïcode end.")
	invoice, err := os.ReadFile("../../internal/content/testdata/chromium.pdf") // printed by Chromium
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{"statement.txt": text, "scan.bin": big, "invoice.pdf": invoice, "id-front.png": pngOf(t, 2000, 1000)}
	id := f.generate(t, email)
	f.upload(t, id, email, []string{"statement.txt", "scan.bin", "invoice.pdf", "id-front.png"}, files)
	if n := f.drainFiles(t); n < 3 {
		t.Fatalf("handled %d files-queue messages, want the fan-out and one per file", n)
	}

	args := func(extra string) string { return `{"uploadId":"` + id + `","email":"` + email + `"` + extra + `}` }
	st, lm, _ := callOn(t, f.h, "POST", "/tools/list_files", args(""), bearer)
	lf := filesOf(t, lm, "files")
	if st != 200 || statuses(lf, "stored") != "stored,stored,stored,stored" || statuses(lf, "readable") != "true,true,true,true" ||
		statuses(lf, "name") != "statement.txt,scan.bin,invoice.pdf,id-front.png" {
		t.Fatalf("list_files: %d %v", st, lm)
	}
	for i, name := range []string{"statement.txt", "scan.bin", "invoice.pdf", "id-front.png"} {
		sum := sha256.Sum256(files[name])
		if lf[i]["sha256"] != nil && lf[i]["sha256"] != hex.EncodeToString(sum[:]) {
			t.Errorf("%s: list_files sha256 %v", name, lf[i]["sha256"])
		}
		keys, err := f.s3.ListObjectsV2(context.Background(), &awss3.ListObjectsV2Input{Bucket: aws.String("customer-files"), Prefix: aws.String("uploads/_unassigned/")})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, o := range keys.Contents {
			if strings.HasSuffix(aws.ToString(o.Key), "/"+name) {
				found = true
				obj, err := f.s3.GetObject(context.Background(), &awss3.GetObjectInput{Bucket: aws.String("customer-files"), Key: o.Key})
				if err != nil {
					t.Fatal(err)
				}
				got, _ := io.ReadAll(obj.Body)
				_ = obj.Body.Close()
				if !bytes.Equal(got, files[name]) || obj.Metadata["sha256"] != hex.EncodeToString(sum[:]) {
					t.Errorf("%s: stored %d bytes (metadata %v), want the %d uploaded and their sha256", name, len(got), obj.Metadata, len(files[name]))
				}
			}
		}
		if !found {
			t.Errorf("%s: no object under uploads/_unassigned/", name)
		}
	}

	st, rm, _ := callOn(t, f.h, "POST", "/tools/read_file", args(`,"fileId":"`+lf[0]["id"].(string)+`","maxChars":100`), bearer)
	if st != 200 || rm["readable"] != true || rm["text"] != string([]rune(string(text))[:100]) || rm["nextOffset"] != 100.0 {
		t.Fatalf("read_file: %d %v", st, rm)
	}
	resp, err := http.Get(rm["downloadUrl"].(string))
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if resp.StatusCode != 200 || !bytes.Equal(got, text) {
		t.Errorf("download link: %d, %d bytes, want 200 and the file", resp.StatusCode, len(got))
	}
	checkPresignedExpiry(t, rm["downloadUrl"].(string), f.srv.Config(t).Credentials)

	st, pm, _ := callOn(t, f.h, "POST", "/tools/read_file", args(`,"fileId":"`+lf[2]["id"].(string)+`"`), bearer)
	if pt, _ := pm["text"].(string); st != 200 || !strings.Contains(pt, "Bartholomew Fennimore") || !strings.Contains(pt, "1,792.40") {
		t.Errorf("read_file of a PDF: %d %v, want its text", st, pm)
	}

	// MCP: the image as image content, scaled to 1,568 pixels on its long
	// side, and the download link as a resource_link, on the wire.
	mcp := `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"read_file","arguments":` + args(`,"fileId":"`+lf[3]["id"].(string)+`"`) + `}}`
	st, mm, _ := callOn(t, f.h, "POST", "/mcp", mcp, map[string]string{"authorization": "Bearer " + itToken,
		"content-type": "application/json", "accept": "application/json, text/event-stream", "mcp-protocol-version": "2025-06-18"})
	res, _ := mm["result"].(map[string]any)
	items, _ := res["content"].([]any)
	kinds := map[string]map[string]any{}
	for _, it := range items {
		c, _ := it.(map[string]any)
		kinds[fmt.Sprint(c["type"])] = c
	}
	if st != 200 || kinds["text"] == nil || kinds["image"] == nil || kinds["resource_link"] == nil {
		t.Fatalf("MCP read_file of an image: %d %v, want text, image and resource_link content", st, mm)
	}
	raw, err := base64.StdEncoding.DecodeString(fmt.Sprint(kinds["image"]["data"]))
	if err != nil {
		t.Fatal(err)
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(raw))
	if err != nil || cfg.Width != 1568 || cfg.Height != 784 || "image/"+format != kinds["image"]["mimeType"] {
		t.Errorf("MCP image: %s %dx%d (%v), mimeType %v; want 1568x784 of its type", format, cfg.Width, cfg.Height, err, kinds["image"]["mimeType"])
	}
	if link := kinds["resource_link"]; !strings.HasPrefix(fmt.Sprint(link["uri"]), "http") || link["name"] != "id-front.png" || link["mimeType"] != "image/png" {
		t.Errorf("MCP resource_link: %v", link)
	}

	// AgentCore Gateway: the same image described, with its link, and no
	// image content (the gateway's results are text).
	ac, err := f.h.Invoke(gatewayContext("read_file"), []byte(args(`,"fileId":"`+lf[3]["id"].(string)+`"`)))
	var am map[string]any
	if err == nil {
		err = json.Unmarshal(ac, &am)
	}
	img, _ := am["image"].(map[string]any)
	if err != nil || am["readable"] != true || img["sent"] != false || img["sourceWidth"] != 2000.0 || am["downloadUrl"] == nil ||
		bytes.Contains(ac, []byte(`"data"`)) || bytes.Contains(ac, []byte("iVBORw0KGgo")) {
		t.Errorf("AgentCore read_file of an image: %.500s (%v), want it described with a link and no image content", ac, err)
	}

	st, wm, _ := callOn(t, f.h, "POST", "/tools/read_file", `{"uploadId":"`+id+`","email":"other@example.com","fileId":"`+lf[0]["id"].(string)+`"}`, bearer)
	if st == 200 || wm["readable"] == true || strings.Contains(fmtJSON(wm), "Statement") {
		t.Errorf("read_file with another email: %d %v, want not found and no content", st, wm)
	}
}

// pngOf is a w × h PNG of a gradient.
func pngOf(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), uint8(x + y), 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func fmtJSON(v any) string { b, _ := json.Marshal(v); return string(b) }

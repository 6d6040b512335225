package main

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"
	awssns "github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
)

// filePost is one post of the file callback as its receiver got it.
type filePost struct {
	webhookID string
	verified  bool
	fields    map[string]string // the text fields
	name      string            // the file's name
	sum       string            // the SHA-256 of the file field
	size      int
}

// fileCallbackReceiver plays an AmplifyReach-style receiver: it checks
// the Standard Webhooks signature over the body it got, reads the
// multipart fields with Go's own parser, and answers 500 to the first
// post of each file named in failFirst, status 0 with an id and a URL to
// the rest.
type fileCallbackReceiver struct {
	secret    []byte
	failFirst map[string]bool
	mu        sync.Mutex
	posts     []filePost
}

func (rc *fileCallbackReceiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	m := hmac.New(sha256.New, rc.secret)
	fmt.Fprintf(m, "%s.%s.", r.Header.Get("webhook-id"), r.Header.Get("webhook-timestamp"))
	m.Write(body)
	p := filePost{webhookID: r.Header.Get("webhook-id"), fields: map[string]string{},
		verified: r.Header.Get("webhook-signature") == "v1,"+base64.StdEncoding.EncodeToString(m.Sum(nil))}
	if _, params, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err == nil {
		mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
		for part, err := mr.NextPart(); err == nil; part, err = mr.NextPart() {
			v, _ := io.ReadAll(part)
			if part.FormName() == "file" {
				s := sha256.Sum256(v)
				p.name, p.sum, p.size = part.FileName(), hex.EncodeToString(s[:]), len(v)
				continue
			}
			p.fields[part.FormName()] = string(v)
		}
	}
	rc.mu.Lock()
	first := true
	for _, q := range rc.posts {
		first = first && q.name != p.name
	}
	rc.posts = append(rc.posts, p)
	rc.mu.Unlock()
	if first && rc.failFirst[p.name] {
		http.Error(w, "try later", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprintf(w, `{"status":0,"uid":"T-%s","url":"https://crm.example/files/T-%s"}`, p.fields["fileId"], p.fields["fileId"])
}

func (rc *fileCallbackReceiver) all() []filePost {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]filePost(nil), rc.posts...)
}

// newFileCallbackCloud is a files cloud whose function posts ready files
// to a receiver of ours (FILE_CALLBACK_URL), with vars, and whose files
// queue takes upload.stored and upload.scanned as the template's
// subscription does with FileCallbackUrl.
func newFileCallbackCloud(t *testing.T, rc *fileCallbackReceiver, vars map[string]string) *filesCloud {
	t.Helper()
	f := newFilesCloud(t)
	rc.secret = []byte("0123456789abcdefghijklmnopqrstuv")
	f.putCallbackSecret(t, rc.secret)
	srv := httptest.NewServer(rc)
	t.Cleanup(srv.Close)
	if _, err := f.sns.SetSubscriptionAttributes(context.Background(), &awssns.SetSubscriptionAttributesInput{
		SubscriptionArn: &f.subscription, AttributeName: aws.String("FilterPolicy"),
		AttributeValue: aws.String(`{"type":["upload.submitted","upload.stored","upload.scanned"]}`)}); err != nil {
		t.Fatal(err)
	}
	all := map[string]string{"FILE_CALLBACK_URL": srv.URL + "/files"}
	for k, v := range vars {
		all[k] = v
	}
	f.h = f.withPolicy(t, all)
	return f
}

// drainRetrying hands the files queue's messages to the function until it
// is empty, making each failed message visible again at once (as if its
// retry delay had passed); it returns how many attempts failed.
func (f *filesCloud) drainRetrying(t *testing.T) int {
	t.Helper()
	failures := 0
	for round := 0; ; round++ {
		msgs := f.receive(t)
		if len(msgs) == 0 {
			return failures
		}
		if round > 20 {
			t.Fatal("the files queue does not empty")
		}
		for _, m := range f.handle(t, msgs) {
			failures++
			if _, err := f.sqs.ChangeMessageVisibility(context.Background(), &sqs.ChangeMessageVisibilityInput{
				QueueUrl: &f.filesURL, ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 0}); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func randomBytes(t *testing.T, n int) []byte {
	t.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return b
}

func sha(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }

// TestFileCallbackOnMoto: through the real function on moto, each stored
// file reaches the receiver as a signed multipart post with its content
// byte for byte; a 500 is retried with the same webhook-id and the file
// arrives once more, not twice more; a file over FILE_CALLBACK_MAX_SIZE is
// not sent; the receiver's answers show in list_files and getLink.
func TestFileCallbackOnMoto(t *testing.T) {
	rc := &fileCallbackReceiver{failFirst: map[string]bool{"scan.bin": true}}
	f := newFileCallbackCloud(t, rc, map[string]string{"FILE_CALLBACK_MAX_SIZE": "2MB"})
	const email = "customer@example.com"
	files := map[string][]byte{"notes.txt": []byte("call back on Monday"), "scan.bin": randomBytes(t, 1_500_000),
		"big.bin": randomBytes(t, 3_000_000)}
	names := []string{"notes.txt", "scan.bin", "big.bin"}
	id := f.generate(t, email)
	f.upload(t, id, email, names, files)
	if failures := f.drainRetrying(t); failures != 1 {
		t.Errorf("%d failed attempts, want 1 (the receiver's 500)", failures)
	}

	posts := rc.all()
	byName := map[string][]filePost{}
	for _, p := range posts {
		byName[p.name] = append(byName[p.name], p)
		if !p.verified {
			t.Errorf("post of %s: the signature does not verify over the body received", p.name)
		}
	}
	if len(posts) != 3 || len(byName["notes.txt"]) != 1 || len(byName["scan.bin"]) != 2 || byName["big.bin"] != nil {
		t.Fatalf("posts %d (%v), want notes.txt once, scan.bin twice (a 500, then the retry), big.bin never", len(posts), byName)
	}
	if a, b := byName["scan.bin"][0].webhookID, byName["scan.bin"][1].webhookID; a != b || a == byName["notes.txt"][0].webhookID {
		t.Errorf("webhook ids: scan.bin %q then %q, notes.txt %q; want the retry's the first's, each file its own", a, b, byName["notes.txt"][0].webhookID)
	}
	for _, n := range []string{"notes.txt", "scan.bin"} {
		p := byName[n][len(byName[n])-1]
		if p.sum != sha(files[n]) || p.size != len(files[n]) || p.fields["sha256"] != sha(files[n]) {
			t.Errorf("%s: received %d bytes with sha256 %s (field %s), want %d with %s", n, p.size, p.sum, p.fields["sha256"], len(files[n]), sha(files[n]))
		}
		if p.fields["chatID"] == "" || p.fields["chatID"] != p.fields["packageId"] || p.fields["fileId"] == "" {
			t.Errorf("%s: fields %v, want chatID the package id (the upload has no conversation id), packageId, fileId", n, p.fields)
		}
	}

	want := map[string]string{}
	for _, p := range posts {
		want[p.name] = fmt.Sprintf("map[uid:T-%s url:https://crm.example/files/T-%s]", p.fields["fileId"], p.fields["fileId"])
	}
	want["big.bin"] = "map[error:too large]"
	for _, lf := range f.listFiles(t, id, email) {
		if got := fmt.Sprint(lf["callback"]); got != want[fmt.Sprint(lf["name"])] {
			t.Errorf("list_files %s: callback %s, want %s", lf["name"], got, want[fmt.Sprint(lf["name"])])
		}
	}
	for _, mf := range f.manifest(t, id, email) {
		cb, _ := mf["Callback"].(map[string]any)
		if n := fmt.Sprint(mf["Name"]); (n == "big.bin") != (cb["Error"] == "too large") || (n != "big.bin" && !strings.HasPrefix(fmt.Sprint(cb["Uid"]), "T-")) {
			t.Errorf("getLink %s: Callback %v", n, cb)
		}
	}
}

// TestFileCallbackAfterTheScanOnMoto: with MALWARE_SCAN=true nothing is
// sent while the scan is pending; after GuardDuty's results, the clean
// file is sent and the one with a threat never is.
func TestFileCallbackAfterTheScanOnMoto(t *testing.T) {
	rc := &fileCallbackReceiver{}
	f := newFileCallbackCloud(t, rc, map[string]string{"MALWARE_SCAN": "true"})
	const email = "customer@example.com"
	files := map[string][]byte{"notes.txt": []byte("call back on Monday"), "eicar.txt": []byte("pretend this is malware")}
	id := f.generate(t, email)
	f.upload(t, id, email, []string{"notes.txt", "eicar.txt"}, files)
	f.drainRetrying(t)
	if n := len(rc.all()); n != 0 {
		t.Fatalf("%d files sent while the scan is pending, want 0", n)
	}
	out, err := f.s3.ListObjectsV2(context.Background(), &awss3.ListObjectsV2Input{Bucket: aws.String("customer-files"), Prefix: aws.String("uploads/")})
	if err != nil {
		t.Fatal(err)
	}
	keys := map[string]string{}
	for _, o := range out.Contents {
		k := aws.ToString(o.Key)
		keys[k[strings.LastIndex(k, "/")+1:]] = k
	}
	for _, ev := range [][]byte{
		scanEvent(t, "customer-files", keys["eicar.txt"], "THREATS_FOUND"),
		scanEvent(t, "customer-files", keys["notes.txt"], "NO_THREATS_FOUND"),
	} {
		if _, err := f.h.Invoke(context.Background(), ev); err != nil {
			t.Fatalf("scan result: %v", err)
		}
	}
	f.drainRetrying(t)
	posts := rc.all()
	if len(posts) != 1 || posts[0].name != "notes.txt" || posts[0].sum != sha(files["notes.txt"]) || !posts[0].verified {
		t.Errorf("posts %+v, want notes.txt alone, whole and signed", posts)
	}
	for _, lf := range f.listFiles(t, id, email) {
		if lf["name"] == "eicar.txt" && lf["callback"] != nil {
			t.Errorf("the threat's callback %v, want none", lf["callback"])
		}
	}
}

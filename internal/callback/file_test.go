package callback_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sendsafely/chatbot-connector/internal/callback"
	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/fakeclock"
)

// filePost is a post of content named name, its sha256 and size true.
func filePost(name string, content []byte) connector.FilePost {
	s := sha256.Sum256(content)
	return connector.FilePost{WebhookID: "evt_0123456789abcdef0123456789abcdef.F1", ChatID: "conv-1", PackageID: "PKG-1",
		FileID: "F1", Name: name, Type: "application/pdf", Size: int64(len(content)), Sha256: hex.EncodeToString(s[:]),
		Open: func(context.Context) (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(content)), nil }}
}

// filePart is a multipart field as a receiver read it.
type filePart struct {
	FileName, ContentType, Value string
}

// fileRequest is a file post as the receiver got it.
type fileRequest struct {
	ID, Timestamp, Signature string
	ContentLength            int64
	Body                     []byte
	Fields                   map[string]filePart
}

// fileReceiver records each post, parsed with Go's mime/multipart, and
// answers with answer.
type fileReceiver struct {
	mu     sync.Mutex
	got    []fileRequest
	answer func(w http.ResponseWriter)
}

func (fr *fileReceiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	req := fileRequest{ID: r.Header.Get("webhook-id"), Timestamp: r.Header.Get("webhook-timestamp"),
		Signature: r.Header.Get("webhook-signature"), ContentLength: r.ContentLength, Body: body, Fields: map[string]filePart{}}
	if _, params, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err == nil {
		mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
		for {
			p, err := mr.NextPart()
			if err != nil {
				break
			}
			v, _ := io.ReadAll(p)
			req.Fields[p.FormName()] = filePart{FileName: p.FileName(), ContentType: p.Header.Get("Content-Type"), Value: string(v)}
		}
	}
	fr.mu.Lock()
	fr.got = append(fr.got, req)
	fr.mu.Unlock()
	fr.answer(w)
}

func (fr *fileReceiver) requests() []fileRequest {
	fr.mu.Lock()
	defer fr.mu.Unlock()
	return append([]fileRequest(nil), fr.got...)
}

func answering(code int, body string) func(http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		io.WriteString(w, body)
	}
}

func newFileClient(t *testing.T, url string, timeout time.Duration) *callback.FileClient {
	t.Helper()
	c, err := callback.NewFile(url, callback.Options{AllowLoopbackHTTP: true, Timeout: timeout, Now: fakeclock.New(t0).Now})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestSendFileBody: the body is multipart/form-data with AmplifyReach's
// fields and ours, the file's name whole (through filename*, for a name
// that is not ASCII), its exact
// Content-Length, and the Standard Webhooks signature over those bytes.
func TestSendFileBody(t *testing.T) {
	fr := &fileReceiver{answer: answering(200, `{"status":0,"uid":"T-1","url":"https://files.example/T-1"}`)}
	srv := httptest.NewServer(fr)
	defer srv.Close()
	content := []byte("%PDF-1.7 a statement\n")
	got, err := newFileClient(t, srv.URL, 0).SendFile(t.Context(), filePost("état \"mai\"\r\n.pdf", content), testSecret)
	if err != nil {
		t.Fatalf("SendFile: %v", err)
	}
	if want := (connector.FileCallback{UID: "T-1", URL: "https://files.example/T-1"}); got != want {
		t.Errorf("answer %+v, want %+v", got, want)
	}
	reqs := fr.requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests, want 1", len(reqs))
	}
	r := reqs[0]
	want := map[string]filePart{
		"chatID":    {Value: "conv-1"},
		"packageId": {Value: "PKG-1"},
		"fileId":    {Value: "F1"},
		"sha256":    {Value: filePost("", content).Sha256},
		"file":      {FileName: "état \"mai\"\r\n.pdf", ContentType: "application/pdf", Value: string(content)},
	}
	if diff := cmp.Diff(want, r.Fields); diff != "" {
		t.Errorf("fields (-want +got):\n%s", diff)
	}
	if r.ContentLength != int64(len(r.Body)) {
		t.Errorf("Content-Length %d, body %d bytes", r.ContentLength, len(r.Body))
	}
	if r.ID != "evt_0123456789abcdef0123456789abcdef.F1" || r.Timestamp != strconv.FormatInt(t0.Unix(), 10) {
		t.Errorf("webhook-id %q, webhook-timestamp %q", r.ID, r.Timestamp)
	}
	sig, err := callback.Sign(testSecret, r.ID, t0, r.Body)
	if err != nil {
		t.Fatal(err)
	}
	if r.Signature != sig {
		t.Errorf("webhook-signature %q, want %q (over the body received)", r.Signature, sig)
	}
}

// TestSendFileAnswers: what each answer records, and which are retried.
func TestSendFileAnswers(t *testing.T) {
	for _, tc := range []struct {
		name  string
		code  int
		body  string
		want  connector.FileCallback
		retry bool
	}{
		{"status 0", 200, `{"status":0,"uid":"T-1","url":"https://x.example/T-1"}`, connector.FileCallback{UID: "T-1", URL: "https://x.example/T-1"}, false},
		{"status 0 with a numeric uid", 201, `{"status":0,"uid":4711,"url":"https://x.example/4711"}`, connector.FileCallback{UID: "4711", URL: "https://x.example/4711"}, false},
		{"status 0 with a script url", 200, `{"status":0,"uid":"T-2","url":"javascript:alert(1)"}`, connector.FileCallback{UID: "T-2"}, false},
		{"status 1", 200, `{"status":1,"message":"file type not allowed"}`, connector.FileCallback{Error: "file type not allowed"}, false},
		{"status 1 on a 400", 400, `{"status":1,"message":"too big"}`, connector.FileCallback{Error: "too big"}, false},
		{"status 1 without a message", 200, `{"status":1}`, connector.FileCallback{Error: "refused by the receiver"}, false},
		{"status 1 on a 500", 500, `{"status":1,"message":"db down"}`, connector.FileCallback{}, true},
		{"500", 500, `oops`, connector.FileCallback{}, true},
		{"200 without json", 200, `OK`, connector.FileCallback{}, true},
		{"200 without a status", 200, `{"uid":"T-3"}`, connector.FileCallback{}, true},
		{"another status", 200, `{"status":2}`, connector.FileCallback{}, true},
		{"a redirect is not followed", 302, ``, connector.FileCallback{}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fr := &fileReceiver{answer: func(w http.ResponseWriter) {
				if tc.code == 302 {
					w.Header().Set("Location", "http://127.0.0.1:1/elsewhere")
				}
				answering(tc.code, tc.body)(w)
			}}
			srv := httptest.NewServer(fr)
			defer srv.Close()
			got, err := newFileClient(t, srv.URL, 0).SendFile(t.Context(), filePost("a.pdf", []byte("x")), testSecret)
			if errors.Is(err, connector.ErrUnavailable) != tc.retry || (err != nil && !tc.retry) {
				t.Fatalf("SendFile error %v, want retry %v", err, tc.retry)
			}
			if got != tc.want {
				t.Errorf("answer %+v, want %+v", got, tc.want)
			}
			if err != nil && strings.Contains(err.Error(), "a.pdf") {
				t.Errorf("the error %q names the file", err)
			}
			if n := len(fr.requests()); n != 1 {
				t.Errorf("%d requests, want 1", n)
			}
		})
	}
}

// TestSendFileRefusesWhatIsNotStored: content that is not what retrieval
// stored is never sent (ErrCorrupt), a missing object is ErrNotFound.
func TestSendFileRefusesWhatIsNotStored(t *testing.T) {
	fr := &fileReceiver{answer: answering(200, `{"status":0,"uid":"T"}`)}
	srv := httptest.NewServer(fr)
	defer srv.Close()
	c := newFileClient(t, srv.URL, 0)
	changed := filePost("a.pdf", []byte("stored"))
	changed.Open = func(context.Context) (io.ReadCloser, error) { return io.NopCloser(strings.NewReader("Stored")), nil }
	if _, err := c.SendFile(t.Context(), changed, testSecret); !errors.Is(err, connector.ErrCorrupt) {
		t.Errorf("changed content: %v, want ErrCorrupt", err)
	}
	gone := filePost("a.pdf", []byte("stored"))
	gone.Open = func(context.Context) (io.ReadCloser, error) { return nil, fmt.Errorf("s3: %w", connector.ErrNotFound) }
	if _, err := c.SendFile(t.Context(), gone, testSecret); !errors.Is(err, connector.ErrNotFound) {
		t.Errorf("gone: %v, want ErrNotFound", err)
	}
	if _, err := c.SendFile(t.Context(), filePost("a.pdf", nil), "whsec_short"); !errors.Is(err, connector.ErrUnavailable) {
		t.Errorf("malformed secret: %v, want ErrUnavailable", err)
	}
	if n := len(fr.requests()); n != 0 {
		t.Errorf("%d requests reached the receiver, want 0", n)
	}
}

// TestSendFileCutsAStalledReceiver: a receiver that stops reading the
// body, or never answers, is cut after the timeout (30 s by default; a
// short one here) and the post is to be retried.
func TestSendFileCutsAStalledReceiver(t *testing.T) {
	// A stalled handler waits until the subtest is done with it.
	var stop chan struct{}
	wait := func(r *http.Request) {
		select {
		case <-stop:
		case <-r.Context().Done():
		}
	}
	for _, tc := range []struct {
		name    string
		handler http.HandlerFunc
		size    int
	}{
		{"stops reading", func(w http.ResponseWriter, r *http.Request) { wait(r) }, 32 << 20},
		{"never answers", func(w http.ResponseWriter, r *http.Request) { io.Copy(io.Discard, r.Body); wait(r) }, 1 << 10},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stop = make(chan struct{})
			srv := httptest.NewServer(tc.handler)
			defer srv.Close()
			defer close(stop)
			_, err := newFileClient(t, srv.URL, 300*time.Millisecond).SendFile(t.Context(),
				filePost("big.bin", bytes.Repeat([]byte{7}, tc.size)), testSecret)
			if !errors.Is(err, connector.ErrUnavailable) {
				t.Errorf("SendFile: %v, want ErrUnavailable", err)
			}
		})
	}
	if callback.DefaultFileTimeout != 30*time.Second {
		t.Errorf("DefaultFileTimeout = %s, want the contract's 30s", callback.DefaultFileTimeout)
	}
}

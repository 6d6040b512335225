package connector_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/wiring/connectortest"
)

// fileReceiver is a FileCallbacks that reads every post's content as a
// sender does (twice: once to sign, once to send) and answers per file id.
type fileReceiver struct {
	mu      sync.Mutex
	posts   []connector.FilePost
	content map[string]string // file id → content read
	answer  func(p connector.FilePost) (connector.FileCallback, error)
}

func (r *fileReceiver) SendFile(ctx context.Context, p connector.FilePost, secret connector.Secret) (connector.FileCallback, error) {
	if secret != testCBSecret {
		return connector.FileCallback{}, fmt.Errorf("%w: secret %q", connector.ErrUnavailable, secret)
	}
	var got []string
	for range 2 {
		rc, err := p.Open(ctx)
		if err != nil {
			return connector.FileCallback{}, err
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return connector.FileCallback{}, err
		}
		got = append(got, string(b))
	}
	if got[0] != got[1] {
		return connector.FileCallback{}, errors.New("the two passes read different content")
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	p.Open = nil
	r.posts = append(r.posts, p)
	if r.content == nil {
		r.content = map[string]string{}
	}
	r.content[p.FileID] = got[0]
	if r.answer != nil {
		return r.answer(p)
	}
	return connector.FileCallback{UID: "uid-" + p.FileID, URL: "https://files.example/" + p.FileID}, nil
}

func (r *fileReceiver) sent() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var ids []string
	for _, p := range r.posts {
		ids = append(ids, p.FileID)
	}
	return ids
}

// fileDeliverer is a deliverer to rcv over e's service, with the callback
// secret set.
func (e *filesEnv) fileDeliverer(t *testing.T, rcv connector.FileCallbacks, maxSize int64) *connector.Deliverer {
	t.Helper()
	e.Keys.Set(connector.KeySet{ValidationKey: connectortest.FixtureKey, Trusted: connectortest.Trusted, CallbackSecret: testCBSecret})
	d, err := e.svc.Deliverer(connector.Handoff{Files: rcv, FileMaxSize: maxSize})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// callbacks returns each file's recorded Callback, by id.
func (e *filesEnv) callbacks(t *testing.T) map[string]*connector.FileCallback {
	t.Helper()
	out := map[string]*connector.FileCallback{}
	for _, f := range e.files(t) {
		out[f.ID] = f.Callback
	}
	return out
}

func TestFileCallbackSendsStoredFiles(t *testing.T) {
	e := newFilesEnv(t, twoFiles)
	e.drain(t, 1)
	rcv := &fileReceiver{}
	d := e.fileDeliverer(t, rcv, 0)
	ev := e.stored()[0]

	out, err := d.Deliver(t.Context(), ev)
	if err != nil {
		t.Fatalf("Deliver: %v", err)
	}
	if want := (connector.FilesDelivery{Sent: 2}); out.Files != want {
		t.Errorf("files delivery %+v, want %+v", out.Files, want)
	}
	if diff := cmp.Diff(map[string]string{"F1": "hello", "F2": "world"}, rcv.content); diff != "" {
		t.Errorf("content (-want +got):\n%s", diff)
	}
	for _, p := range rcv.posts {
		if p.ChatID != "chat/42" || p.PackageID != filesPackage || p.Sha256 == "" || p.Size != 5 {
			t.Errorf("post %+v: want chat/42, the package, the sha256 and size 5", p)
		}
		if want := "." + p.FileID; len(p.WebhookID) <= len(want) || p.WebhookID[len(p.WebhookID)-len(want):] != want {
			t.Errorf("webhook id %q does not end in %q", p.WebhookID, want)
		}
	}
	want := map[string]*connector.FileCallback{
		"F1": {UID: "uid-F1", URL: "https://files.example/F1"},
		"F2": {UID: "uid-F2", URL: "https://files.example/F2"},
	}
	if diff := cmp.Diff(want, e.callbacks(t)); diff != "" {
		t.Errorf("recorded callbacks (-want +got):\n%s", diff)
	}

	// The same event again (SQS delivers at least once): nothing is sent.
	out, err = d.Deliver(t.Context(), ev)
	if err != nil || out.Skipped != connector.SkipNoReadyFile {
		t.Errorf("second Deliver = %+v, %v; want skipped %q", out, err, connector.SkipNoReadyFile)
	}
	if n := len(rcv.sent()); n != 2 {
		t.Errorf("%d posts after a redelivery, want 2", n)
	}
}

func TestFileCallbackAnswers(t *testing.T) {
	unavailable := fmt.Errorf("%w: the receiver answered 500", connector.ErrUnavailable)
	for _, tc := range []struct {
		name    string
		maxSize int64
		answer  func(connector.FilePost) (connector.FileCallback, error)
		want    map[string]*connector.FileCallback
		sent    []string
		counts  connector.FilesDelivery
		retry   bool
	}{{
		name: "status 1 is recorded and not retried",
		answer: func(p connector.FilePost) (connector.FileCallback, error) {
			return connector.FileCallback{Error: "quota exceeded"}, nil
		},
		want:   map[string]*connector.FileCallback{"F1": {Error: "quota exceeded"}, "F2": {Error: "quota exceeded"}},
		sent:   []string{"F1", "F2"},
		counts: connector.FilesDelivery{Refused: 2},
	}, {
		name:    "too large is not sent",
		maxSize: 4,
		want:    map[string]*connector.FileCallback{"F1": {Error: connector.CallbackTooLarge}, "F2": {Error: connector.CallbackTooLarge}},
		counts:  connector.FilesDelivery{Refused: 2},
	}, {
		name: "changed content is recorded, not retried",
		answer: func(p connector.FilePost) (connector.FileCallback, error) {
			return connector.FileCallback{}, fmt.Errorf("sha256 differs: %w", connector.ErrCorrupt)
		},
		want:   map[string]*connector.FileCallback{"F1": {Error: connector.CallbackChanged}, "F2": {Error: connector.CallbackChanged}},
		sent:   []string{"F1", "F2"},
		counts: connector.FilesDelivery{Refused: 2},
	}, {
		name: "a failure is retried, the other file recorded",
		answer: func(p connector.FilePost) (connector.FileCallback, error) {
			if p.FileID == "F2" {
				return connector.FileCallback{}, unavailable
			}
			return connector.FileCallback{UID: "u1", URL: "https://x/1"}, nil
		},
		want:   map[string]*connector.FileCallback{"F1": {UID: "u1", URL: "https://x/1"}, "F2": nil},
		sent:   []string{"F1", "F2"},
		counts: connector.FilesDelivery{Sent: 1, Failed: 1},
		retry:  true,
	}} {
		t.Run(tc.name, func(t *testing.T) {
			e := newFilesEnv(t, twoFiles)
			e.drain(t, 1)
			rcv := &fileReceiver{answer: tc.answer}
			out, err := e.fileDeliverer(t, rcv, tc.maxSize).Deliver(t.Context(), e.stored()[0])
			if got := errors.Is(err, connector.ErrUnavailable); got != tc.retry {
				t.Errorf("Deliver error %v: retry %v, want %v", err, got, tc.retry)
			}
			if out.Files != tc.counts {
				t.Errorf("files delivery %+v, want %+v", out.Files, tc.counts)
			}
			if diff := cmp.Diff(tc.sent, rcv.sent()); diff != "" {
				t.Errorf("files sent (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.want, e.callbacks(t)); diff != "" {
				t.Errorf("recorded callbacks (-want +got):\n%s", diff)
			}
		})
	}
}

// TestFileCallbackRetrySendsOnlyTheUnsent: the retry of a delivery that
// failed for one file sends that file only, under the same webhook id.
func TestFileCallbackRetrySendsOnlyTheUnsent(t *testing.T) {
	e := newFilesEnv(t, twoFiles)
	e.drain(t, 1)
	fail := true
	rcv := &fileReceiver{}
	rcv.answer = func(p connector.FilePost) (connector.FileCallback, error) {
		if p.FileID == "F2" && fail {
			fail = false
			return connector.FileCallback{}, connector.ErrUnavailable
		}
		return connector.FileCallback{UID: p.FileID, URL: "https://x/" + p.FileID}, nil
	}
	d := e.fileDeliverer(t, rcv, 0)
	ev := e.stored()[0]
	if _, err := d.Deliver(t.Context(), ev); !errors.Is(err, connector.ErrUnavailable) {
		t.Fatalf("first Deliver: %v, want ErrUnavailable", err)
	}
	if _, err := d.Deliver(t.Context(), ev); err != nil {
		t.Fatalf("retry: %v", err)
	}
	if diff := cmp.Diff([]string{"F1", "F2", "F2"}, rcv.sent()); diff != "" {
		t.Errorf("files sent (-want +got):\n%s", diff)
	}
	if a, b := rcv.posts[1].WebhookID, rcv.posts[2].WebhookID; a != b {
		t.Errorf("the retry's webhook id %q differs from the first attempt's %q", b, a)
	}
	if got := e.callbacks(t)["F2"]; got == nil || got.UID != "F2" {
		t.Errorf("F2's callback %+v, want uid F2", got)
	}
}

// TestFileCallbackWaitsForTheScan: with scanning on, upload.stored sends
// nothing (every file is pending), and upload.scanned sends the clean
// file only: a file with a threat is never sent.
func TestFileCallbackWaitsForTheScan(t *testing.T) {
	e := newScanEnv(t, twoFiles)
	e.drain(t, 1)
	rcv := &fileReceiver{}
	d := e.fileDeliverer(t, rcv, 0)
	out, err := d.Deliver(t.Context(), e.stored()[0])
	if err != nil || out.Skipped != connector.SkipNoReadyFile {
		t.Errorf("Deliver(upload.stored) = %+v, %v; want skipped %q", out, err, connector.SkipNoReadyFile)
	}
	e.record(t, "F1", connector.ScanClean)
	e.record(t, "F2", connector.ScanThreat)
	scanned := e.scanned()
	if len(scanned) != 1 {
		t.Fatalf("%d upload.scanned events, want 1", len(scanned))
	}
	if _, err := d.Deliver(t.Context(), scanned[0]); err != nil {
		t.Fatalf("Deliver(upload.scanned): %v", err)
	}
	if diff := cmp.Diff([]string{"F1"}, rcv.sent()); diff != "" {
		t.Errorf("files sent (-want +got):\n%s", diff)
	}
	if got := e.callbacks(t)["F2"]; got != nil {
		t.Errorf("the threat's callback is %+v, want none", got)
	}
}

func TestFileCallbackRefusesForeignEvents(t *testing.T) {
	e := newFilesEnv(t, twoFiles)
	e.drain(t, 1)
	rcv := &fileReceiver{}
	d := e.fileDeliverer(t, rcv, 0)
	ev := e.stored()[0]
	forged := ev
	forged.ID = "evt_00000000000000000000000000000000"
	if _, err := d.Deliver(t.Context(), forged); !errors.Is(err, connector.ErrInvalid) {
		t.Errorf("forged id: %v, want ErrInvalid", err)
	}
	noUpload := ev
	noUpload.UploadID = "not-an-id"
	if _, err := d.Deliver(t.Context(), noUpload); !errors.Is(err, connector.ErrInvalid) {
		t.Errorf("no upload id: %v, want ErrInvalid", err)
	}
	if n := len(rcv.sent()); n != 0 {
		t.Errorf("%d files sent for foreign events, want 0", n)
	}
	e.Keys.Set(connector.KeySet{ValidationKey: connectortest.FixtureKey, Trusted: connectortest.Trusted})
	if _, err := d.Deliver(t.Context(), ev); !errors.Is(err, connector.ErrUnavailable) {
		t.Errorf("no callback secret: %v, want ErrUnavailable", err)
	}
}

// TestFileCallbackGiveUp: after the last attempt, a Ready file the
// receiver never took shows as not delivered; one it took keeps its answer.
func TestFileCallbackGiveUp(t *testing.T) {
	e := newFilesEnv(t, twoFiles)
	e.drain(t, 1)
	rcv := &fileReceiver{answer: func(p connector.FilePost) (connector.FileCallback, error) {
		if p.FileID == "F2" {
			return connector.FileCallback{}, connector.ErrUnavailable
		}
		return connector.FileCallback{UID: "u1"}, nil
	}}
	d := e.fileDeliverer(t, rcv, 0)
	ev := e.stored()[0]
	if _, err := d.Deliver(t.Context(), ev); !errors.Is(err, connector.ErrUnavailable) {
		t.Fatalf("Deliver: %v, want ErrUnavailable", err)
	}
	if err := d.GiveUpFiles(t.Context(), ev); err != nil {
		t.Fatalf("GiveUpFiles: %v", err)
	}
	want := map[string]*connector.FileCallback{"F1": {UID: "u1"}, "F2": {Error: connector.CallbackNotDelivered}}
	if diff := cmp.Diff(want, e.callbacks(t)); diff != "" {
		t.Errorf("recorded callbacks (-want +got):\n%s", diff)
	}
}

package main

import (
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sendsafely/chatbot-connector/internal/callback"
	"github.com/sendsafely/chatbot-connector/internal/nodetest"
)

// verifierDir is where make callback-verifier installs the Standard
// Webhooks library (npm standardwebhooks, pinned by its lock file).
const verifierDir = "../../internal/callback/testdata/verifier"

// receiverDoc is the page whose "## Signed callbacks" section holds the
// Node.js callback receiver.
const receiverDoc = "../../docs/handoff.md"

// docReceiver returns the Node.js callback receiver of docs/handoff.md,
// the js block of "## Signed callbacks" that names receiver.mjs, as
// written.
func docReceiver(t *testing.T) string {
	t.Helper()
	return docScript(t, receiverDoc, "## Signed callbacks", "receiver.mjs")
}

// TestDocCallbackReceiver runs docs/handoff.md's Node.js receiver, as
// written, with the Standard Webhooks library, against make run's
// configuration with CALLBACK_URL pointing at it: it accepts the
// connector's delivery, takes a repeat of it once, and refuses (401) a
// request whose signature is not the secret's.
func TestDocCallbackReceiver(t *testing.T) {
	node := nodetest.Need(t, verifierDir, "callback-verifier", "standardwebhooks")
	secret, err := callback.NewSecret()
	if err != nil {
		t.Fatal(err)
	}
	port, out := startDocReceiver(t, node, "receiver.mjs", docReceiver(t), secret)
	receiverURL := "http://127.0.0.1:" + strconv.Itoa(port) + "/callback"

	// make run keeps the secret in .data/callback-secret; put the
	// receiver's there first.
	data := t.TempDir()
	if err := os.WriteFile(filepath.Join(data, callbackSecretFile), []byte(string(secret)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	d := startDevVerified(t, data, map[string]string{"CALLBACK_URL": receiverURL})
	id, _ := d.generateID(t)
	_, link, err := d.backend.local.ss.Upload(id, testEmail)
	if err != nil {
		t.Fatal(err)
	}
	if m := d.getLink(t, id); m["Result"] != "Success" {
		t.Fatalf("getLink: %v", m)
	}
	waitFor(t, "the receiver to take the delivery", func() bool { return strings.Contains(out.String(), id) }, out)
	d.backend.events.wait()
	if !strings.Contains(d.logs.String(), `"callback":"sent"`) {
		t.Errorf("the connector's log has no delivery sent:\n%s", d.logs.String())
	}

	// A repeat of one delivery is taken (2xx) and handled once; a forged
	// signature is refused.
	body := `{"id":"evt_repeat","type":"upload.submitted","uploadId":"repeat-upload"}`
	now := time.Now()
	sig, err := callback.Sign(secret, "evt_repeat", now, []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	other, _ := callback.NewSecret()
	forged, _ := callback.Sign(other, "evt_repeat", now, []byte(body))
	for _, tt := range []struct {
		sig  string
		want int
	}{{sig, http.StatusNoContent}, {sig, http.StatusNoContent}, {forged, http.StatusUnauthorized}} {
		if got := postSigned(t, receiverURL, "evt_repeat", now, tt.sig, body); got != tt.want {
			t.Errorf("receiver answered %d, want %d", got, tt.want)
		}
	}
	if n := strings.Count(out.String(), "repeat-upload"); n != 1 {
		t.Errorf("the receiver handled the repeated delivery %d times, want 1:\n%s", n, out.String())
	}
	if strings.Contains(out.String(), link) || strings.Contains(out.String(), "keyCode") {
		t.Error("the receiver printed the secure link")
	}
}

// postSigned posts body to url with Standard Webhooks headers.
func postSigned(t *testing.T, url, id string, at time.Time, sig, body string) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(callback.HeaderID, id)
	req.Header.Set(callback.HeaderTimestamp, strconv.FormatInt(at.Unix(), 10))
	req.Header.Set(callback.HeaderSignature, sig)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// waitFor polls cond until it holds, for at most 30 s.
func waitFor(t *testing.T, what string, cond func() bool, out *syncBuffer) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); !cond(); {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s; receiver output:\n%s", what, out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

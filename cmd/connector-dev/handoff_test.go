package main

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// delivery is one request a callback receiver got.
type delivery struct {
	header http.Header
	body   []byte
}

// startReceiver starts a callback receiver on 127.0.0.1 that answers
// status and passes on each request it gets.
func startReceiver(t *testing.T, status int) (string, <-chan delivery) {
	t.Helper()
	got := make(chan delivery, 10)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- delivery{header: r.Header.Clone(), body: b}
		w.WriteHeader(status)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/hooks/connector", got
}

// next waits for the receiver's next request.
func next(t *testing.T, got <-chan delivery) delivery {
	t.Helper()
	select {
	case d := <-got:
		return d
	case <-time.After(30 * time.Second):
		t.Fatal("the receiver got no callback")
		return delivery{}
	}
}

// TestLocalCallback: with CALLBACK_URL set to a receiver on 127.0.0.1, an
// upload that reaches the connector (here, found through getLink's lookup
// in verified mode) is delivered to it in-process, once, with the link,
// signed as Standard Webhooks 1.0 with the secret kept in .data/; the
// signature is recomputed here from the spec, not with the code that made
// it.
func TestLocalCallback(t *testing.T) {
	url, got := startReceiver(t, http.StatusNoContent)
	dir := t.TempDir()
	d := startDevVerified(t, dir, map[string]string{"CALLBACK_URL": url})
	raw, err := os.ReadFile(filepath.Join(dir, callbackSecretFile))
	if err != nil {
		t.Fatal(err)
	}
	secret := strings.TrimSpace(string(raw))
	if fi, _ := os.Stat(filepath.Join(dir, callbackSecretFile)); fi.Mode().Perm() != 0o600 {
		t.Errorf("%s mode %v, want 0600", callbackSecretFile, fi.Mode().Perm())
	}

	id, _ := d.generateID(t)
	p, link, err := d.backend.local.ss.Upload(id, testEmail)
	if err != nil {
		t.Fatal(err)
	}
	if m := d.getLink(t, id); m["Result"] != "Success" {
		t.Fatalf("getLink: %v", m)
	}
	dl := next(t, got)

	var ev map[string]any
	if err := json.Unmarshal(dl.body, &ev); err != nil {
		t.Fatalf("callback body %q: %v", dl.body, err)
	}
	if ev["type"] != "upload.submitted" || ev["uploadId"] != id || ev["packageId"] != p.ID || ev["source"] != "sendsafely" {
		t.Errorf("callback body: %v", ev)
	}
	if s, _ := ev["secureLink"].(string); linkParts(t, s) != linkParts(t, link) {
		t.Errorf("callback secureLink %q, want the stand-in's %q", s, link)
	}
	if dl.header.Get("webhook-id") == "" || dl.header.Get("webhook-id") != ev["id"] {
		t.Errorf("webhook-id %q, want the event's id %v", dl.header.Get("webhook-id"), ev["id"])
	}
	if ct := dl.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q", ct)
	}
	ts := dl.header.Get("webhook-timestamp")
	if sec, err := strconv.ParseInt(ts, 10, 64); err != nil || time.Since(time.Unix(sec, 0)).Abs() > time.Minute {
		t.Errorf("webhook-timestamp %q, want the unix seconds of now", ts)
	}
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	if err != nil || !strings.HasPrefix(secret, "whsec_") || len(key) < 24 {
		t.Fatalf("callback secret is not whsec_ and 24+ bytes of base64")
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(dl.header.Get("webhook-id") + "." + ts + "."))
	mac.Write(dl.body)
	want := "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil))
	if sig := dl.header.Get("webhook-signature"); !strings.Contains(" "+sig+" ", " "+want+" ") {
		t.Errorf("webhook-signature %q, want %q", sig, want)
	}

	// Delivered once: another getLink publishes nothing new.
	if m := d.getLink(t, id); m["Result"] != "Success" {
		t.Fatalf("getLink: %v", m)
	}
	d.backend.events.wait()
	select {
	case dl := <-got:
		t.Errorf("a second callback: %s", dl.body)
	default:
	}
	logs := d.logs.String()
	if !strings.Contains(logs, `"route":"delivery"`) || !strings.Contains(logs, `"callback":"sent"`) {
		t.Errorf("no delivery log line saying sent:\n%s", logs)
	}
	if strings.Contains(logs, secret) || strings.Contains(logs, link) {
		t.Error("the secret or the link reached the logs")
	}
}

// TestLocalCallbackRefused: a receiver that answers 500 gets the event
// once (no queue retries locally), and the log says the delivery failed.
func TestLocalCallbackRefused(t *testing.T) {
	url, got := startReceiver(t, http.StatusInternalServerError)
	d := startDevVerified(t, t.TempDir(), map[string]string{"CALLBACK_URL": url})
	id, _ := d.generateID(t)
	if _, _, err := d.backend.local.ss.Upload(id, testEmail); err != nil {
		t.Fatal(err)
	}
	if m := d.getLink(t, id); m["Result"] != "Success" {
		t.Fatalf("getLink: %v", m)
	}
	next(t, got)
	d.backend.events.wait()
	if logs := d.logs.String(); !strings.Contains(logs, `"callback":"failed"`) || !strings.Contains(logs, "not retried in a local run") {
		t.Errorf("no delivery log line saying it failed:\n%s", logs)
	}
}

// TestLocalCallbackURL: a callback URL that is plain http to another host
// stops the server at start, naming the variable.
func TestLocalCallbackURL(t *testing.T) {
	e := env{getenv: func(k string) string {
		return map[string]string{"CALLBACK_URL": "http://receiver.example.com/hook"}[k]
	}, stdout: io.Discard, stderr: io.Discard}
	_, err := startServer(context.Background(), serveOptions{backend: backendEmbedded, data: t.TempDir()}, e)
	if err == nil || !strings.Contains(err.Error(), "CALLBACK_URL") {
		t.Errorf("startServer: %v, want an error naming CALLBACK_URL", err)
	}
}

// TestCallbackSecretCommand: callback-secret prints a fresh whsec_ secret
// of 32 bytes each time, or the JSON field with -json.
func TestCallbackSecretCommand(t *testing.T) {
	var seen []string
	for range 2 {
		var out bytes.Buffer
		if err := run(context.Background(), []string{"callback-secret"}, func(string) string { return "" }, &out, io.Discard); err != nil {
			t.Fatal(err)
		}
		s := strings.TrimSuffix(out.String(), "\n")
		k, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(s, "whsec_"))
		if !strings.HasPrefix(s, "whsec_") || err != nil || len(k) != 32 {
			t.Errorf("callback-secret printed %q, want whsec_ and the base64 of 32 bytes", s)
		}
		seen = append(seen, s)
	}
	if seen[0] == seen[1] {
		t.Error("two runs printed the same secret")
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"callback-secret", "-json"}, func(string) string { return "" }, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	var m map[string]string
	if err := json.Unmarshal(out.Bytes(), &m); err != nil || len(m) != 1 || !strings.HasPrefix(m["callbackSecret"], "whsec_") {
		t.Errorf("callback-secret -json printed %q", out.String())
	}
}

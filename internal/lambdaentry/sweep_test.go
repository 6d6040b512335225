package lambdaentry_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"testing"

	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/lambdaentry"
)

// TestSweeper: one log line per sweep, with what it did and the request
// id; a failed sweep is a Lambda error and an error line.
func TestSweeper(t *testing.T) {
	down := errors.New("sendsafely: unavailable")
	for _, tt := range []struct {
		name    string
		rep     connector.SweepReport
		err     error
		level   string
		stored  float64
		verfied bool
	}{
		{"stored one", connector.SweepReport{Candidates: 3, Stored: 1}, nil, "INFO", 1, true},
		{"verified mode off", connector.SweepReport{Off: true}, nil, "INFO", 0, false},
		{"SendSafely down", connector.SweepReport{}, down, "ERROR", 0, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			sweep := lambdaentry.Sweeper(func(context.Context) (connector.SweepReport, error) { return tt.rep, tt.err },
				slog.New(slog.NewJSONHandler(&buf, nil)))
			ctx := lambdacontext.NewContext(context.Background(), &lambdacontext.LambdaContext{AwsRequestID: "req-1"})
			if err := sweep(ctx); !errors.Is(err, tt.err) || (tt.err == nil) != (err == nil) {
				t.Fatalf("got %v, want %v", err, tt.err)
			}
			var line map[string]any
			if err := json.Unmarshal(buf.Bytes(), &line); err != nil {
				t.Fatalf("log %q: %v", buf.String(), err)
			}
			if line["level"] != tt.level || line["route"] != "sweep" || line["requestId"] != "req-1" ||
				line["stored"] != tt.stored || line["verifiedMode"] != tt.verfied {
				t.Errorf("log line %v", line)
			}
		})
	}
}

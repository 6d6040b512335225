package lambdaentry_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
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

// TestSweeperWarnsOncePerSkippedPackage: a package every sweep of the
// lookback skips gets one warning line, not one a minute; the sweep is
// not a failure for it.
func TestSweeperWarnsOncePerSkippedPackage(t *testing.T) {
	var buf bytes.Buffer
	skipped := []string{"AAAA-1111"}
	sweep := lambdaentry.Sweeper(func(context.Context) (connector.SweepReport, error) {
		return connector.SweepReport{Candidates: 2, Stored: 1, Skipped: skipped}, nil
	}, slog.New(slog.NewJSONHandler(&buf, nil)))
	for range 3 {
		if err := sweep(context.Background()); err != nil {
			t.Fatalf("got %v, want success", err)
		}
	}
	skipped = []string{"AAAA-1111", "BBBB-2222"}
	if err := sweep(context.Background()); err != nil {
		t.Fatal(err)
	}
	var warns []string
	for _, l := range bytes.Split(bytes.TrimSpace(buf.Bytes()), []byte("\n")) {
		var line map[string]any
		if err := json.Unmarshal(l, &line); err != nil {
			t.Fatalf("log %q: %v", l, err)
		}
		if line["level"] == "WARN" {
			warns = append(warns, line["packageId"].(string))
		} else if line["skipped"] == nil || line["level"] != "INFO" {
			t.Errorf("sweep line %v, want INFO with skipped", line)
		}
	}
	if got, want := strings.Join(warns, " "), "AAAA-1111 BBBB-2222"; got != want {
		t.Errorf("warnings for %q, want %q", got, want)
	}
}

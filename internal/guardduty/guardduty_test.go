package guardduty_test

import (
	"encoding/json"
	"errors"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/guardduty"
)

// sample returns the documented sample event with edit applied to it.
func sample(t *testing.T, edit func(ev map[string]any)) []byte {
	t.Helper()
	raw, err := os.ReadFile("testdata/scan-result.json")
	if err != nil {
		t.Fatal(err)
	}
	var ev map[string]any
	if err := json.Unmarshal(raw, &ev); err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(ev)
	}
	out, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func result(status, result string) func(map[string]any) {
	return func(ev map[string]any) {
		d := ev["detail"].(map[string]any)
		d["scanStatus"] = status
		d["scanResultDetails"].(map[string]any)["scanResultStatus"] = result
	}
}

func TestParse(t *testing.T) {
	for _, tt := range []struct {
		name, status, result, want string
	}{
		{"clean", "COMPLETED", "NO_THREATS_FOUND", connector.ScanClean},
		{"threat", "COMPLETED", "THREATS_FOUND", connector.ScanThreat},
		{"unsupported", "SKIPPED", "UNSUPPORTED", connector.ScanUnsupported},
		{"access denied", "SKIPPED", "ACCESS_DENIED", connector.ScanFailed},
		{"failed", "FAILED", "FAILED", connector.ScanFailed},
		{"no threats but not completed", "SKIPPED", "NO_THREATS_FOUND", connector.ScanFailed},
		{"a value AWS may add", "COMPLETED", "SOMETHING_NEW", connector.ScanFailed},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := guardduty.Parse(sample(t, result(tt.status, tt.result)))
			if err != nil {
				t.Fatal(err)
			}
			want := guardduty.Verdict{Bucket: "amzn-s3-demo-bucket",
				ScanVerdict: connector.ScanVerdict{Key: "uploads/chat-42/PKG-1/statement.pdf", Scan: tt.want}}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Parse (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseRefuses(t *testing.T) {
	for _, tt := range []struct {
		name  string
		raw   []byte
		other bool
	}{
		{"another detail type", sample(t, func(ev map[string]any) {
			ev["detail-type"] = "GuardDuty Malware Protection Plan Status Change"
		}), true},
		{"another source", sample(t, func(ev map[string]any) { ev["source"] = "aws.s3" }), true},
		{"no object", sample(t, func(ev map[string]any) {
			delete(ev["detail"].(map[string]any), "s3ObjectDetails")
		}), false},
		{"not JSON", []byte("{"), false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := guardduty.Parse(tt.raw)
			if !errors.Is(err, connector.ErrInvalid) || guardduty.IsOther(err) != tt.other {
				t.Errorf("err %v, want ErrInvalid (other event: %v)", err, tt.other)
			}
		})
	}
}

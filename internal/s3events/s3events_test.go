package s3events_test

import (
	"encoding/json"
	"errors"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/s3events"
)

// sample returns the documented sample event with edit applied to it.
func sample(t *testing.T, edit func(ev map[string]any)) []byte {
	t.Helper()
	raw, err := os.ReadFile("testdata/object-tags-added.json")
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

func withKey(key string) func(map[string]any) {
	return func(ev map[string]any) {
		ev["detail"].(map[string]any)["object"].(map[string]any)["key"] = key
	}
}

func TestParseTagsAdded(t *testing.T) {
	for _, tt := range []struct {
		name, key string
		want      []string
	}{
		{"the sample as it is", "", []string{"uploads/chat-42/PKG-1/statement.pdf"}},
		{"a space encoded as +", "uploads/chat-42/PKG-1/my+report.pdf",
			[]string{"uploads/chat-42/PKG-1/my report.pdf", "uploads/chat-42/PKG-1/my+report.pdf"}},
		{"a space as it is", "uploads/chat-42/PKG-1/my report.pdf", []string{"uploads/chat-42/PKG-1/my report.pdf"}},
		// The connector's own keys hold percent sequences (pathSafe):
		// encoded once more by S3, they decode to themselves.
		{"a key's percent sequence, encoded", "uploads/chat-42/PKG-1/caf%25C3%25A9.pdf",
			[]string{"uploads/chat-42/PKG-1/caf%C3%A9.pdf", "uploads/chat-42/PKG-1/caf%25C3%25A9.pdf"}},
		{"a key's percent sequence, not encoded", "uploads/chat-42/PKG-1/caf%C3%A9.pdf",
			[]string{"uploads/chat-42/PKG-1/café.pdf", "uploads/chat-42/PKG-1/caf%C3%A9.pdf"}},
		{"encoded slashes and colons", "uploads%2Fchat-42%2FPKG-1%2F10%3A47.log",
			[]string{"uploads/chat-42/PKG-1/10:47.log", "uploads%2Fchat-42%2FPKG-1%2F10%3A47.log"}},
		{"a plus sign, encoded", "uploads/chat-42/PKG-1/c%2B%2B.txt",
			[]string{"uploads/chat-42/PKG-1/c++.txt", "uploads/chat-42/PKG-1/c%2B%2B.txt"}},
		{"a stray percent", "uploads/chat-42/PKG-1/100%.txt", []string{"uploads/chat-42/PKG-1/100%.txt"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var edit func(map[string]any)
			if tt.key != "" {
				edit = withKey(tt.key)
			}
			got, err := s3events.ParseTagsAdded(sample(t, edit))
			if err != nil {
				t.Fatal(err)
			}
			if got.Bucket != "amzn-s3-demo-bucket" {
				t.Errorf("bucket %q", got.Bucket)
			}
			if diff := cmp.Diff(tt.want, got.Keys()); diff != "" {
				t.Errorf("Keys (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseTagsAddedRefuses(t *testing.T) {
	for _, tt := range []struct {
		name  string
		raw   []byte
		other bool
	}{
		{"tags deleted", sample(t, func(ev map[string]any) { ev["detail-type"] = "Object Tags Deleted" }), true},
		{"object created", sample(t, func(ev map[string]any) { ev["detail-type"] = "Object Created" }), true},
		{"another source", sample(t, func(ev map[string]any) { ev["source"] = "aws.guardduty" }), true},
		{"no object", sample(t, func(ev map[string]any) { delete(ev["detail"].(map[string]any), "object") }), false},
		{"no bucket", sample(t, func(ev map[string]any) { delete(ev["detail"].(map[string]any), "bucket") }), false},
		{"not JSON", []byte("{"), false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s3events.ParseTagsAdded(tt.raw)
			if !errors.Is(err, connector.ErrInvalid) || s3events.IsOther(err) != tt.other {
				t.Errorf("err %v, want ErrInvalid (other event: %v)", err, tt.other)
			}
		})
	}
}

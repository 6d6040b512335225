package connector_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

func TestEventID(t *testing.T) {
	const id = "8e2b1c7e-2f0a-4a57-9d83-6c1f1d0c9a4e"
	base := connector.EventID(connector.EventSubmitted, id, "ABCD-1234")
	if !regexp.MustCompile(`^evt_[0-9a-f]{32}$`).MatchString(base) {
		t.Fatalf("EventID = %q, want evt_ and 32 hex digits", base)
	}
	if strings.Contains(base, "8e2b1c7e") || strings.Contains(base, "ABCD") {
		t.Errorf("EventID %q shows the upload or package id", base)
	}
	for _, tt := range []struct {
		name                   string
		typ, upload, packageID string
		same                   bool
	}{
		{"the same submission again", connector.EventSubmitted, id, "ABCD-1234", true},
		{"the upload id in upper case", connector.EventSubmitted, strings.ToUpper(id), "ABCD-1234", true},
		{"another package", connector.EventSubmitted, id, "ABCD-1235", false},
		{"another upload", connector.EventSubmitted, "9e2b1c7e-2f0a-4a57-9d83-6c1f1d0c9a4e", "ABCD-1234", false},
		{"another type", connector.EventUnmatched, id, "ABCD-1234", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := connector.EventID(tt.typ, tt.upload, tt.packageID)
			if (got == base) != tt.same {
				t.Errorf("EventID = %q, base %q: same = %v, want %v", got, base, got == base, tt.same)
			}
		})
	}
}

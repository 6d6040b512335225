package connector_test

import (
	"testing"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

func TestTagScan(t *testing.T) {
	clamscan := func(v string) map[string]string { return map[string]string{"scan-status": v, "owner": "x"} }
	for _, tt := range []struct {
		name       string
		tags       map[string]string
		tag, clean string
		want       string
		judged     bool
	}{
		{"clamscan clean", clamscan("CLEAN"), "scan-status", "CLEAN", connector.ScanClean, true},
		{"clamscan infected", clamscan("INFECTED"), "scan-status", "CLEAN", connector.ScanThreat, true},
		{"clamscan error", clamscan("ERROR"), "scan-status", "CLEAN", connector.ScanThreat, true},
		{"case matters", clamscan("clean"), "scan-status", "CLEAN", connector.ScanThreat, true},
		{"empty value", clamscan(""), "scan-status", "CLEAN", connector.ScanThreat, true},
		{"Cloud Storage Security clean", map[string]string{"scan-result": "Clean"}, "scan-result", "Clean", connector.ScanClean, true},
		{"Cloud Storage Security infected", map[string]string{"scan-result": "Infected"}, "scan-result", "Clean", connector.ScanThreat, true},
		{"another tag only", map[string]string{"owner": "x"}, "scan-status", "CLEAN", "", false},
		{"no tags", nil, "scan-status", "CLEAN", "", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, judged := connector.TagScan(tt.tags, tt.tag, tt.clean)
			if got != tt.want || judged != tt.judged {
				t.Errorf("TagScan = %q, %v; want %q, %v", got, judged, tt.want, tt.judged)
			}
		})
	}
}

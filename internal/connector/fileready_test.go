package connector_test

import (
	"testing"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

func TestFileReady(t *testing.T) {
	stored := connector.File{Status: connector.FileAccepted, Stored: connector.StoredDone}
	with := func(f connector.File, set func(*connector.File)) connector.File { set(&f); return f }
	for _, tc := range []struct {
		name string
		f    connector.File
		ok   bool
		why  string
	}{
		{"stored, scanning off", stored, true, ""},
		{"stored and clean", with(stored, func(f *connector.File) { f.Scan = connector.ScanClean }), true, ""},
		{"rejected", with(stored, func(f *connector.File) { f.Status, f.Stored = connector.FileRejected, "" }), false, "rejected"},
		{"retrieval off", with(stored, func(f *connector.File) { f.Stored = "" }), false, "not retrieved: retrieval is off"},
		{"pending", with(stored, func(f *connector.File) { f.Stored = connector.StoredPending }), false, "not stored yet"},
		{"failed", with(stored, func(f *connector.File) { f.Stored = connector.StoredFailed }), false, "retrieval failed"},
		{"scan pending", with(stored, func(f *connector.File) { f.Scan = connector.ScanPending }), false, "malware scan pending"},
		{"threat", with(stored, func(f *connector.File) { f.Scan = connector.ScanThreat }), false, "threat found"},
		{"unsupported", with(stored, func(f *connector.File) { f.Scan = connector.ScanUnsupported }), false, "could not be scanned"},
		{"scan failed", with(stored, func(f *connector.File) { f.Scan = connector.ScanFailed }), false, "malware scan failed"},
		{"verdict before stored", with(stored, func(f *connector.File) { f.Stored, f.Scan = connector.StoredPending, connector.ScanClean }), false, "not stored yet"},
	} {
		ok, why := tc.f.Ready()
		if ok != tc.ok || why != tc.why {
			t.Errorf("%s: Ready() = %v, %q; want %v, %q", tc.name, ok, why, tc.ok, tc.why)
		}
	}
}

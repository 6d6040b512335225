package sendsafely_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/sendsafely"
	"github.com/sendsafely/chatbot-connector/internal/sendsafely/sendsafelytest"
)

func TestReceived(t *testing.T) {
	for _, tt := range []struct {
		name        string
		packages    int
		alwaysNext  bool
		wantEntries int
		wantRows    []string // rowIndex of each request
	}{
		{"none", 0, false, 0, []string{"0"}},
		{"one short page", 3, false, 3, []string{"0"}},
		{"a full page without nextRowIndex stops", 100, false, 100, []string{"0"}},
		{"a short page stops even with nextRowIndex", 150, true, 150, []string{"0", "100"}},
		{"three pages", 250, false, 250, []string{"0", "100", "200"}},
		{"at most five pages", 700, false, 500, []string{"0", "100", "200", "300", "400"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := sendsafelytest.Start(t, sendsafelytest.Config{Now: func() time.Time { return standInNow }})
			s.AlwaysSendNextRowIndex(tt.alwaysNext)
			for i := range tt.packages {
				if _, _, err := s.Upload(fmt.Sprintf("upload-%d", i), "who@example.com"); err != nil {
					t.Fatal(err)
				}
			}
			c := sendsafely.New(s.URL())
			key := connector.TrustedKey{APIKey: connector.Secret(s.APIKey()), APISecret: connector.Secret(s.APISecret())}
			got, err := c.Received(t.Context(), key)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != tt.wantEntries {
				t.Errorf("got %d entries, want %d", len(got), tt.wantEntries)
			}
			var rows []string
			for _, r := range s.Requests() {
				row, _, _ := strings.Cut(strings.TrimPrefix(r.Query, "pageSize=100&rowIndex="), "&")
				rows = append(rows, row)
			}
			if diff := cmp.Diff(tt.wantRows, rows); diff != "" {
				t.Errorf("rowIndex of each request (-want +got):\n%s", diff)
			}
			ids := map[string]bool{}
			for _, p := range got {
				ids[p.ID] = true
			}
			if len(ids) != len(got) {
				t.Errorf("got %d entries but %d distinct ids", len(got), len(ids))
			}
		})
	}
}

func TestReceivedEntry(t *testing.T) {
	f := newFixture(t)
	p, _, err := f.s.Upload("upload-1", "who@example.com")
	if err != nil {
		t.Fatal(err)
	}
	got, err := f.c.Received(t.Context(), f.key)
	if err != nil {
		t.Fatal(err)
	}
	// A list entry carries no sender.
	want := []connector.Package{{ID: p.ID, Code: connector.Secret(p.Code), Label: "upload-1", Timestamp: standInNow}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("received (-want +got):\n%s", diff)
	}
}

func TestParseTime(t *testing.T) {
	at := time.Date(2026, 11, 21, 8, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		in   string
		want time.Time
	}{
		{"2026-11-21T08:00:00Z", at},
		{"2026-11-21T08:00:00+0000", at},
		{"2026-11-21T08:00:00+00:00", at},
		{"2026-11-21T10:00:00+0200", at},
		{"2026-11-21T03:00:00-05:00", at},
		{"2026-11-21T08:00:00.123Z", at.Add(123 * time.Millisecond)},
		{"2026-11-21T08:00:00.123+0000", at.Add(123 * time.Millisecond)},
		{"2026-11-21T08:00:00.123456+00:00", at.Add(123456 * time.Microsecond)},
		{"2026-11-21T08:00:00", at},
		{" 2026-11-21T08:00:00Z ", at},
		{"", time.Time{}},
		{"Nov 21, 2026 8:00:00 AM", at},
		{"Jun 9, 2022 1:32:34 PM", time.Date(2022, 6, 9, 13, 32, 34, 0, time.UTC)},
		{"Jun 09, 2022 1:32:34 PM", time.Date(2022, 6, 9, 13, 32, 34, 0, time.UTC)},
		{"Jun 9, 2022, 1:32:34\u202fPM", time.Date(2022, 6, 9, 13, 32, 34, 0, time.UTC)},
		{"Dec 31, 2025 12:05:00 am", time.Date(2025, 12, 31, 0, 5, 0, 0, time.UTC)},
		{"Nov 21, 2026 8:00 AM", at},
		{"Nov 21, 2026 13:00:00 PM", time.Time{}},
		{"21 Nov 2026 08:00:00", time.Time{}},
		{"1763712000000", time.Time{}},
	} {
		t.Run(tt.in, func(t *testing.T) {
			got := sendsafely.ParseTime(tt.in)
			if !got.Equal(tt.want) || got.Location() != time.UTC {
				t.Errorf("got %v, want %v in UTC", got, tt.want)
			}
		})
	}
}

package connector_test

import (
	"testing"
	"time"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// TestOneTimeFormat: every time the connector hands out (getLink's
// SubmittedAt, the tools' submittedAt, the events' and so the callbacks')
// has one form, RFC 3339 in UTC to the second, whatever form the
// notification or SendSafely gave it in.
func TestOneTimeFormat(t *testing.T) {
	for _, tt := range []struct {
		name, submittedAt string
	}{
		{"UTC to the second", "2026-11-21T07:59:30Z"},
		{"an offset and a fraction", "2026-11-21T08:59:30.123456+01:00"},
		{"a fraction in UTC", "2026-11-21T07:59:30.5Z"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			id := e.generate(t, testEmail)
			p := e.payload(id, "P1")
			p.SubmittedAt = tt.submittedAt
			if _, err := notify(t, e, sign(t, p, testKey)); err != nil {
				t.Fatal(err)
			}
			const want = "2026-11-21T07:59:30Z"
			evs := e.pub.Events()
			if len(evs) != 1 || evs[0].SubmittedAt != want {
				t.Fatalf("events %+v: want one with submittedAt %s", evs, want)
			}
			if got := connector.FormatTime(links(t, e, id, testEmail).SubmittedAt); got != want {
				t.Errorf("getLink's SubmittedAt: got %s, want %s", got, want)
			}
		})
	}
	if got, want := connector.FormatTime(time.Date(2026, 11, 21, 9, 0, 0, 999, time.FixedZone("CET", 3600))), "2026-11-21T08:00:00Z"; got != want {
		t.Errorf("FormatTime: got %s, want %s", got, want)
	}
}

package connector

import "time"

// FormatTime returns t as every answer, tool output, event and callback
// carries a time (submittedAt, expiresAt): RFC 3339 in UTC, to the second,
// such as 2026-11-21T08:00:00Z. Notifications and SendSafely may give a
// time with an offset or a fraction; what the connector hands on has one
// form.
func FormatTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

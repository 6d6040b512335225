package sendsafely

import (
	"strings"
	"time"
)

// timeLayouts are the ISO 8601 forms SendSafely's timestamps are read in;
// the exact text is not documented. Go's parser accepts a fraction after
// the seconds in each.
var timeLayouts = []string{
	time.RFC3339,               // 2026-11-21T08:00:00Z, …+00:00
	"2006-01-02T15:04:05Z0700", // …+0000
	"2006-01-02T15:04:05",      // no zone: UTC
}

// ParseTime reads a SendSafely timestamp as ISO 8601, in UTC; text it
// cannot read is the zero time, so that the package is still considered.
func ParseTime(s string) time.Time {
	s = strings.TrimSpace(s)
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}

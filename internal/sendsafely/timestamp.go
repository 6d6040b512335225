package sendsafely

import (
	"strings"
	"time"
)

// timeLayouts are the forms SendSafely's timestamps are read in; the exact
// text is not documented. ISO 8601 first (Go's parser accepts a fraction
// after the seconds in each), then Java's default US date format, which
// SendSafely's answers carry (Jun 9, 2022 1:32:34 PM; newer JDKs put a
// comma after the year).
var timeLayouts = []string{
	time.RFC3339,               // 2026-11-21T08:00:00Z, …+00:00
	"2006-01-02T15:04:05Z0700", // …+0000
	"2006-01-02T15:04:05",      // no zone: UTC
	"Jan 2, 2006 3:04:05 PM",
	"Jan 2, 2006, 3:04:05 PM",
	"Jan 2, 2006 3:04 PM",
	"Jan 2, 2006, 3:04 PM",
}

// ParseTime reads a SendSafely timestamp, in UTC: ISO 8601, or Java's
// default US format, which names no zone and is read as UTC. Text it
// cannot read is the zero time, so that the package is still considered.
func ParseTime(s string) time.Time {
	// Java 20 and later write a narrow no-break space before AM/PM; am
	// and pm may come in lower case. Month names match in any case.
	s = strings.ToUpper(strings.TrimSpace(strings.NewReplacer("\u202f", " ", "\u00a0", " ").Replace(s)))
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}

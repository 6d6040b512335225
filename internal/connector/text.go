package connector

import "unicode/utf8"

// shownSafely reports whether s may be shown to a person or carried into
// an event as it is: valid UTF-8 without control characters (C0, DEL, C1,
// so no line breaks), line and paragraph separators (U+2028, U+2029) or
// bidirectional embeddings, overrides and isolates (U+202A–U+202E,
// U+2066–U+2069), which can make text read otherwise than it is.
func shownSafely(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		switch {
		case r < 0x20, 0x7f <= r && r <= 0x9f,
			r == 0x2028, r == 0x2029,
			0x202a <= r && r <= 0x202e, 0x2066 <= r && r <= 0x2069:
			return false
		}
	}
	return true
}

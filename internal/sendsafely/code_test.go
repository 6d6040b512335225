package sendsafely

import "testing"

func TestIsCode(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want bool
	}{
		{"UNKNOWN_PACKAGE", true},
		{"FAIL", true},
		{"", false},
		{"fail", false},
		{"Invalid key abc123", false},
		{"A_VERY_LONG_RESPONSE_CODE_THAT_GOES_ON_AND_ON", false},
	} {
		if got := isCode(tt.in); got != tt.want {
			t.Errorf("isCode(%q): got %v, want %v", tt.in, got, tt.want)
		}
	}
}

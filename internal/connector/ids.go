package connector

import (
	"encoding/hex"
	"strings"
	"unicode"
	"unicode/utf8"
)

// canonicalID returns the upload id in lower case, and reports whether it is
// a UUID in its canonical 8-4-4-4-12 hexadecimal form.
func canonicalID(id string) (string, bool) {
	if len(id) != 36 {
		return "", false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return "", false
			}
		default:
			if !isHex(c) {
				return "", false
			}
		}
	}
	return strings.ToLower(id), true
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// LogID returns a short one-way hash of an upload id, for log lines: enough
// to correlate them, useless for finding the upload. It returns "" for an
// empty id.
func LogID(uploadID string) string {
	if uploadID == "" {
		return ""
	}
	id := strings.ToLower(strings.TrimSpace(uploadID))
	return hex.EncodeToString(keysOf(id).derive(infoLogID, 6))
}

// EventID returns the stable id of the event of type typ for package
// packageID of an upload: "evt_" and 32 hexadecimal digits of a one-way
// hash keyed by the upload id, so that it is the same on every retry and
// republish of one submission and reveals nothing without the upload id.
func EventID(typ, uploadID, packageID string) string {
	return keysOf(strings.ToLower(strings.TrimSpace(uploadID))).eventID(typ, packageID)
}

// eventID is EventID with the upload's keys already derived.
func (k idKeys) eventID(typ, packageID string) string {
	info := make([]byte, 0, len(infoEventID)+len(typ)+len(packageID)+2)
	info = append(append(append(append(append(info, infoEventID...), 0), typ...), 0), packageID...)
	return "evt_" + hex.EncodeToString(k.derive(info, 16))
}

// maxEmailLen is the longest address SMTP can carry (RFC 5321).
const maxEmailLen = 254

// validEmail reports whether e looks like an email address: one "@" with
// text on both sides, no white space or control characters, at most 254
// bytes. Delivery is the mail system's business, not ours.
func validEmail(e string) bool {
	if e == "" || len(e) > maxEmailLen || !utf8.ValidString(e) {
		return false
	}
	at := strings.IndexByte(e, '@')
	if at <= 0 || at == len(e)-1 || strings.IndexByte(e[at+1:], '@') >= 0 {
		return false
	}
	for _, r := range e {
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			return false
		}
	}
	return true
}

// normalEmail returns the form in which emails compare: trimmed, lower case.
func normalEmail(e Email) string { return strings.ToLower(strings.TrimSpace(string(e))) }

// sameEmail reports whether two emails name the same address, ignoring case
// and surrounding white space.
func sameEmail(a, b Email) bool { return normalEmail(a) == normalEmail(b) }

// Limits of a secure link (webhook check 4).
const (
	// MaxLinkLen is the longest secure link accepted, in bytes of ASCII.
	MaxLinkLen = 2048
	minKeyCode = 16
	maxKeyCode = 128
)

// printableASCII reports whether s holds only printable ASCII characters
// (space to tilde).
func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// asciiEqualFold reports whether a and b are equal with ASCII letters
// compared without case, and no other folding: unlike strings.EqualFold,
// "ſ" (U+017F) does not match "s".
func asciiEqualFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		if lowerASCII(a[i]) != lowerASCII(b[i]) {
			return false
		}
	}
	return true
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + ('a' - 'A')
	}
	return c
}

// validKeyCode reports whether k is 16 to 128 characters of A-Z, a-z,
// 0-9, "-" and "_" (base64url, as SendSafely writes key codes).
func validKeyCode(k string) bool {
	if len(k) < minKeyCode || len(k) > maxKeyCode {
		return false
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

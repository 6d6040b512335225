package config

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// The file policy's variables (the contract's Files: Policy), and whether
// events name files.
const (
	AllowedFileTypes       = "ALLOWED_FILE_TYPES"
	MaxFileSize            = "MAX_FILE_SIZE"
	MaxFiles               = "MAX_FILES"
	EventsIncludeFileNames = "EVENTS_INCLUDE_FILE_NAMES"
)

// filePolicy reads ALLOWED_FILE_TYPES, MAX_FILE_SIZE and MAX_FILES; unset,
// each is no limit.
func (r *reader) filePolicy() connector.FilePolicy {
	var p connector.FilePolicy
	if v := r.get(AllowedFileTypes); v != "" {
		types, err := ParseFileTypes(v)
		if err != nil {
			r.fail(AllowedFileTypes, "%v", err)
		}
		p.Types = types
	}
	if v := r.get(MaxFileSize); v != "" {
		n, err := ParseSize(v)
		if err != nil {
			r.fail(MaxFileSize, "%v", err)
		}
		p.MaxSize = n
	}
	if v := r.get(MaxFiles); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			r.fail(MaxFiles, "%q is not a whole number of files of at least 1", v)
		}
		p.MaxFiles = max(n, 0)
	}
	return p
}

// ParseFileTypes reads an ALLOWED_FILE_TYPES list: entries separated by
// commas or "|" (AmplifyReach writes pdf|xlsx, watsonx image/*,.txt), each
// a file extension with or without its dot (pdf, .pdf), a media type
// (application/pdf) or a pattern of a top-level type (image/*, */*). Empty
// entries are skipped; white space around an entry is ignored. Entries come
// back lower case, extensions without the dot, in the order given, each
// once. A list of no entry, or an entry of another form, is an error
// naming it.
func ParseFileTypes(v string) ([]string, error) {
	var out []string
	for e := range strings.FieldsFuncSeq(v, func(r rune) bool { return r == ',' || r == '|' }) {
		e = strings.ToLower(strings.TrimSpace(e))
		if e == "" {
			continue
		}
		if !validFileType(e) {
			return nil, fmt.Errorf("%q is not a file extension (pdf, .pdf) or a media type (application/pdf, image/*)", e)
		}
		e = strings.TrimPrefix(e, ".")
		if !contains(out, e) {
			out = append(out, e)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%q lists no file type", v)
	}
	return out, nil
}

// validFileType reports whether e (lower case) is .ext, ext, type/subtype,
// type/* or */*.
func validFileType(e string) bool {
	major, minor, isMedia := strings.Cut(e, "/")
	if !isMedia {
		return typeToken(strings.TrimPrefix(e, "."), false)
	}
	if major == "*" {
		return minor == "*"
	}
	return typeToken(major, false) && (minor == "*" || typeToken(minor, true))
}

// typeToken reports whether s is a non-empty run of letters, digits and
// "-", "_", "+" (and "." within a media subtype, as in vnd.ms-excel).
func typeToken(s string, dots bool) bool {
	if s == "" || len(s) > 127 {
		return false
	}
	for _, c := range s {
		ok := 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '+' || dots && c == '.'
		if !ok {
			return false
		}
	}
	return true
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// sizeUnits are MAX_FILE_SIZE's units: KB, MB, GB in powers of 1000, KiB,
// MiB, GiB in powers of 1024, B for bytes; matched without case.
var sizeUnits = map[string]float64{
	"b": 1, "kb": 1e3, "mb": 1e6, "gb": 1e9,
	"kib": 1 << 10, "mib": 1 << 20, "gib": 1 << 30,
}

// ParseSize reads a size in bytes: a bare number of bytes (1048576), or a
// number with a unit, with or without a space between (10MB, 1.5 GiB,
// 500kb). It must come to at least one byte. Anything else, an unknown
// unit among it, is an error naming the value.
func ParseSize(v string) (int64, error) {
	s := strings.TrimSpace(v)
	i := strings.IndexFunc(s, func(r rune) bool { return !('0' <= r && r <= '9' || r == '.') })
	num, unit := s, "b"
	if i >= 0 {
		num, unit = s[:i], strings.ToLower(strings.TrimSpace(s[i:]))
	}
	mult, ok := sizeUnits[unit]
	if !ok || num == "" {
		return 0, fmt.Errorf("%q is not a size such as 10MB, 512KiB or 1048576 (bytes); units are B, KB, MB, GB (powers of 1000) and KiB, MiB, GiB", v)
	}
	f, err := strconv.ParseFloat(num, 64)
	if err != nil || strings.Count(num, ".") > 1 {
		return 0, fmt.Errorf("%q is not a size such as 10MB, 512KiB or 1048576 (bytes)", v)
	}
	n := math.Floor(f * mult)
	if n < 1 || n > math.MaxInt64/2 {
		return 0, fmt.Errorf("%q must be from 1 byte to about 4 EiB", v)
	}
	return int64(n), nil
}

package config

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// The variables of the malware scan (Files).
const (
	MalwareScan       = "MALWARE_SCAN"
	MalwareScanTag    = "MALWARE_SCAN_TAG"
	MalwareCleanValue = "MALWARE_CLEAN_VALUE"
)

// Defaults of the malware scan: the tag GuardDuty Malware Protection for
// S3 writes, and its clean value.
const (
	DefaultMalwareScanTag    = "GuardDutyMalwareScanStatus"
	DefaultMalwareCleanValue = "NO_THREATS_FOUND"
)

// Scan is the malware scan: off unless On.
type Scan struct {
	// On is whether a scanner judges stored files (MALWARE_SCAN); it
	// needs retrieval (FILES_BUCKET or FILES_DIR).
	On bool
	// Tag and CleanValue are the object tag another scanner writes and
	// the value that means clean, for its "Object Tags Added" events.
	Tag        string
	CleanValue string
}

// Longest tag key and value S3 takes, in characters.
const (
	maxTagKey   = 128
	maxTagValue = 256
)

// tagText reports whether s is what S3 takes in a tag key or value:
// letters, digits, spaces and + - = . _ : / @, 1 to max characters. (A
// regular expression of Unicode classes repeated 256 times took 52 ms and
// 15 MB to compile at every cold start.)
func tagText(s string, max int) bool {
	if s == "" || utf8.RuneCountInString(s) > max {
		return false
	}
	for _, c := range s {
		if !unicode.IsLetter(c) && !unicode.IsNumber(c) && !strings.ContainsRune(" +-=._:/@", c) {
			return false
		}
	}
	return true
}

// scan reads the malware scan variables; files is retrieval as read.
func (r *reader) scan(files Files) Scan {
	s := Scan{On: r.boolean(MalwareScan, false), Tag: r.get(MalwareScanTag), CleanValue: r.get(MalwareCleanValue)}
	if s.Tag == "" {
		s.Tag = DefaultMalwareScanTag
	}
	if s.CleanValue == "" {
		s.CleanValue = DefaultMalwareCleanValue
	}
	switch {
	case s.On && !files.On():
		r.fail(MalwareScan, "needs retrieval: set %s or %s (there is nothing to scan without stored files)", FilesBucket, FilesDir)
	case !tagText(s.Tag, maxTagKey):
		r.fail(MalwareScanTag, "%q is not an S3 object tag key", s.Tag)
	case !tagText(s.CleanValue, maxTagValue):
		r.fail(MalwareCleanValue, "%q is not an S3 object tag value", s.CleanValue)
	}
	return s
}

package connector

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// EventRejected is published, instead of EventSubmitted, for a package
// whose every file the file policy rejected: it carries the manifest and
// no link, and nothing is handed off.
const EventRejected = "upload.rejected"

// OutcomeRejected is a new package stored whose every file the policy
// rejected, published as upload.rejected.
const OutcomeRejected = "rejected"

// EventFile is a file of an event's manifest. Name, and Message (which
// quotes the name), are set only where names may go: in events with
// Settings.EventsIncludeFileNames, and always in signed callbacks.
type EventFile struct {
	ID      string `json:"id"`
	Name    string `json:"name,omitempty"`
	Size    int64  `json:"size"`
	Type    string `json:"type,omitempty"`
	Status  string `json:"status"`
	Reason  string `json:"reason,omitempty"`
	Message string `json:"message,omitempty"`
	// Sha256 and Location are set in upload.stored, for a stored file.
	Sha256   string `json:"sha256,omitempty"`
	Location string `json:"location,omitempty"`
	// Scan is the file's verdict, in upload.scanned.
	Scan string `json:"scan,omitempty"`
}

// UploadFile is a manifest entry of an upload: a file and the package it
// came in.
type UploadFile struct {
	PackageID string
	File
}

// errPolicyNeedsVerified is the start-up error of a file policy without
// verified mode; it names the settings, never a value.
var errPolicyNeedsVerified = errors.New("the file policy (ALLOWED_FILE_TYPES, MAX_FILE_SIZE, MAX_FILES) needs verified mode, " +
	"but the secret does not turn it on: put sendsafelyApiKey, sendsafelyApiSecret, trustedKeyId and trustedPrivateKey " +
	"into the secret, or unset the policy")

// checkKeySet refuses a KeySet under which the settings cannot work: a
// file policy needs verified mode, which only the secret turns on. It is
// checked on every read of the secret, so that the function answers
// ErrUnavailable, with the reason in its log line, for as long as the
// secret and the settings disagree.
func (s *Service) checkKeySet(ks KeySet) error {
	if s.set.Files.Enabled() && !ks.Trusted.Enabled() {
		return fmt.Errorf("%w: %w", ErrUnavailable, errPolicyNeedsVerified)
	}
	return nil
}

// rejected reports whether the policy rejected every file of p: a package
// with a manifest of at least one file, none accepted.
func (p pkg) rejected() bool {
	if len(p.Files) == 0 {
		return false
	}
	for _, f := range p.Files {
		if f.Status != FileRejected {
			return false
		}
	}
	return true
}

// judge sets p's manifest from the files SendSafely listed (p.listed), under
// the policy, counting the files the upload's packages already hold.
// Without a listing (verified mode off) p keeps no manifest.
func (s *Service) judge(p *pkg, st *state) {
	if p.listed == nil {
		return
	}
	accepted := 0
	for _, q := range st.Packages {
		for _, f := range q.Files {
			if f.Status == FileAccepted {
				accepted++
			}
		}
	}
	p.Files = s.set.Files.Judge(p.listed, accepted)
}

// eventType is the type of the event of stored package p.
func (p pkg) eventType() string {
	if p.rejected() {
		return EventRejected
	}
	return EventSubmitted
}

// withFiles adds p's manifest to ev: its files with names only if names
// is set, their count and total size. A package without a manifest adds
// nothing.
func withFiles(ev *Event, p pkg, names bool) {
	if p.Files == nil {
		return
	}
	ev.Files = make([]EventFile, len(p.Files))
	var total int64
	for i, f := range p.Files {
		ev.Files[i] = EventFile{ID: f.ID, Size: f.Size, Type: f.Type, Status: f.Status, Reason: f.Reason}
		if names {
			ev.Files[i].Name, ev.Files[i].Message = f.Name, f.Message
		}
		total += f.Size
	}
	n := len(p.Files)
	ev.FileCount, ev.TotalSize = &n, &total
}

// manifest fills res with the upload's manifest: every recorded package's
// files in the order stored, and the customer's sentence about the newest
// package's rejected files. Packages without a manifest (stored outside
// verified mode, or before manifests) add no files; if none has one,
// res.Files stays nil.
func (u *upload) manifest(res *LinkResult, policy FilePolicy) {
	for _, p := range u.st.Packages {
		if p.Files == nil {
			continue
		}
		res.Packages++
		if res.Files == nil {
			res.Files = []UploadFile{}
		}
		for _, f := range p.Files {
			res.Files = append(res.Files, UploadFile{PackageID: p.PackageID, File: f})
		}
	}
	if n := len(u.st.Packages); n > 0 {
		last := u.st.Packages[n-1]
		res.Message = rejectionMessage(policy, last.Files, last.rejected())
	}
}

// FileCount is how many files res lists, accepted or not.
func (res LinkResult) FileCount() int { return len(res.Files) }

// TotalSize is the size in bytes of the files res lists, accepted or not.
func (res LinkResult) TotalSize() int64 {
	var n int64
	for _, f := range res.Files {
		n += f.Size
	}
	return n
}

// listed returns the files of a package SendSafely described, never nil:
// a package of no files has an empty manifest.
func listed(p Package) []PackageFile {
	if p.Files == nil {
		return []PackageFile{}
	}
	return p.Files
}

// filesSummary is the Amazon Connect "Files" reference of a package's
// manifest: the accepted files (those behind the link), their count, size
// and names, such as "3 files, 12.4 MB: statement.pdf, id-front.jpg,
// payslip.xlsx", and how many were not accepted. It is "" for a package
// without a manifest. The adapter cuts it to Amazon Connect's limit.
func filesSummary(files []File) string {
	if files == nil {
		return ""
	}
	var names []string
	var size int64
	for _, f := range files {
		if f.Status == FileAccepted {
			names = append(names, displayName(f.Name))
			size += f.Size
		}
	}
	var b strings.Builder
	b.WriteString(strconv.Itoa(len(names)))
	if len(names) == 1 {
		b.WriteString(" file, ")
	} else {
		b.WriteString(" files, ")
	}
	b.WriteString(FormatSize(size))
	if len(names) > 0 {
		b.WriteString(": ")
		b.WriteString(strings.Join(names, ", "))
	}
	if n := len(files) - len(names); n > 0 {
		fmt.Fprintf(&b, "; %d not accepted", n)
	}
	return b.String()
}

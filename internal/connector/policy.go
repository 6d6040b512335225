package connector

import (
	"fmt"
	"strings"
	"unicode"
)

// FilePolicy is what files an upload may bring: ALLOWED_FILE_TYPES,
// MAX_FILE_SIZE and MAX_FILES. The zero value allows every file.
type FilePolicy struct {
	// Types are the allowed types, as internal/config read them: file
	// extensions without the dot ("pdf"), media types ("application/pdf")
	// and patterns of a top-level type ("image/*", "*/*"), all matched
	// without case. None: any type.
	Types []string
	// MaxSize is the largest file in bytes; 0: no limit.
	MaxSize int64
	// MaxFiles is how many files an upload may hold, counted in the order
	// they arrive (the first MaxFiles pass); 0: no limit.
	MaxFiles int
}

// Enabled reports whether the policy limits anything.
func (p FilePolicy) Enabled() bool {
	return len(p.Types) > 0 || p.MaxSize > 0 || p.MaxFiles > 0
}

// AllowsType reports whether a file called name, of media type
// mediaType, is of an allowed type: its extension is listed, its media
// type is, or a listed pattern ("image/*") covers it.
func (p FilePolicy) AllowsType(name, mediaType string) bool {
	if len(p.Types) == 0 {
		return true
	}
	ext := Extension(name)
	major, _, _ := strings.Cut(mediaType, "/")
	for _, t := range p.Types {
		t = strings.TrimPrefix(strings.TrimSpace(t), ".")
		switch {
		case !strings.Contains(t, "/"):
			if ext != "" && strings.EqualFold(t, ext) {
				return true
			}
		case t == "*/*":
			return true
		case strings.HasSuffix(t, "/*"):
			if strings.EqualFold(strings.TrimSuffix(t, "/*"), major) {
				return true
			}
		default:
			if strings.EqualFold(t, mediaType) {
				return true
			}
		}
	}
	return false
}

// Judge returns the manifest of a package's files under the policy, in
// SendSafely's order: each file with its media type (MediaType), accepted
// or rejected with a reason and a sentence for the customer. accepted is
// how many files the upload's earlier packages brought that were
// accepted: MAX_FILES counts per upload. A file is judged by type, then
// size, then count; only files that pass type and size count. The result
// is empty, not nil, for a package of no files.
func (p FilePolicy) Judge(files []PackageFile, accepted int) []File {
	out := make([]File, len(files))
	for i, f := range files {
		e := File{ID: f.ID, Name: f.Name, Size: f.Size, Parts: f.Parts, Type: MediaType(f.Name), Status: FileAccepted}
		switch {
		case !p.AllowsType(f.Name, e.Type):
			e.Status, e.Reason = FileRejected, ReasonType
		case p.MaxSize > 0 && f.Size > p.MaxSize:
			e.Status, e.Reason = FileRejected, ReasonSize
		case p.MaxFiles > 0 && accepted >= p.MaxFiles:
			e.Status, e.Reason = FileRejected, ReasonCount
		default:
			accepted++
		}
		if e.Status == FileRejected {
			e.Message = displayName(f.Name) + " was not accepted: " + p.why(e.Reason) + "."
		}
		out[i] = e
	}
	return out
}

// why is the policy's rule that a file rejected for reason broke, as the
// end of a sentence for the customer.
func (p FilePolicy) why(reason string) string {
	switch reason {
	case ReasonType:
		if len(p.Types) == 0 {
			return "its type is not allowed"
		}
		names := make([]string, len(p.Types))
		for i, t := range p.Types {
			names[i] = strings.TrimPrefix(strings.TrimSpace(t), ".")
		}
		return "allowed types are " + strings.Join(names, ", ")
	case ReasonSize:
		return "files may be at most " + limitSize(p.MaxSize)
	case ReasonCount:
		if p.MaxFiles == 1 {
			return "only 1 file can be uploaded"
		}
		return fmt.Sprintf("at most %d files can be uploaded", p.MaxFiles)
	}
	return "it does not meet the upload's rules"
}

// rejectionMessage is the sentence a chatbot shows the customer about the
// rejected files of one package, or "" if none was rejected. all reports
// that every file was: then it says nothing arrived and how to try again.
func rejectionMessage(p FilePolicy, files []File, all bool) string {
	var byReason []string // reasons in the order first met
	names := map[string][]string{}
	for _, f := range files {
		if f.Status != FileRejected {
			continue
		}
		if _, ok := names[f.Reason]; !ok {
			byReason = append(byReason, f.Reason)
		}
		names[f.Reason] = append(names[f.Reason], displayName(f.Name))
	}
	if len(byReason) == 0 {
		return ""
	}
	parts := make([]string, len(byReason))
	for i, r := range byReason {
		verb := " was"
		if len(names[r]) > 1 {
			verb = " were"
		}
		parts[i] = listNames(names[r]) + verb + " not accepted: " + p.why(r)
	}
	msg := strings.Join(parts, "; ") + "."
	if all {
		msg += " Nothing was received: please upload allowed files again through the same upload link."
	}
	return msg
}

// maxListed is how many names a message lists before "and N more".
const maxListed = 3

// listNames joins names as prose: "a", "a and b", "a, b and c",
// "a, b, c and 4 more".
func listNames(names []string) string {
	if len(names) > maxListed {
		return strings.Join(names[:maxListed], ", ") + fmt.Sprintf(" and %d more", len(names)-maxListed)
	}
	if len(names) == 1 {
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// maxDisplayName bounds a file name in a message, in characters.
const maxDisplayName = 60

// displayName is a file name as a message shows it: its last path element,
// control and bidirectional-override characters dropped (a name is the
// uploader's text and must not reorder the sentence around it), cut to
// maxDisplayName characters with "…".
func displayName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 && i < len(name)-1 {
		name = name[i+1:]
	}
	var b strings.Builder
	n := 0
	for _, r := range name {
		if hiddenRune(r) {
			continue
		}
		if n == maxDisplayName {
			b.WriteString("…")
			break
		}
		b.WriteRune(r)
		n++
	}
	if b.Len() == 0 {
		return "a file"
	}
	return b.String()
}

// hiddenRune reports whether r is a control character (C0, C1) or a
// bidirectional formatting character (marks U+200E, U+200F, U+061C;
// embeddings and overrides U+202A–U+202E; isolates U+2066–U+2069).
func hiddenRune(r rune) bool {
	return unicode.IsControl(r) || r == '\u200e' || r == '\u200f' || r == '\u061c' ||
		'\u202a' <= r && r <= '\u202e' || '\u2066' <= r && r <= '\u2069'
}

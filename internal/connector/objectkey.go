package connector

import (
	"strconv"
	"strings"
)

// Where retrieved files are kept: <prefix><folder>/<packageId>/<name>.

// Limits and names of object keys.
const (
	// MaxKeySegment is the longest a folder, package or file name segment
	// of a key may be, in bytes, once made path-safe.
	MaxKeySegment = 200
	// UnassignedFolder is the folder of uploads without a conversation id.
	UnassignedFolder = "_unassigned"
	// DefaultFilesPrefix is where retrieved files go unless FILES_PREFIX
	// says otherwise.
	DefaultFilesPrefix = "uploads/"
	// stagingSuffix follows the prefix (less its trailing slash) to make
	// the staging prefix: outside the final prefix, so no reader, scanner
	// or lifecycle rule of the final objects sees a partial one.
	stagingSuffix = ".staging/"
)

// pathSafe returns s made safe as one segment of a key or a path: every
// byte outside A–Z a–z 0–9 . _ - and space percent-encoded (so "/", "\",
// NUL and every non-ASCII byte are), "." and ".." encoded whole, never
// empty, and at most limit bytes: a longer result is cut at a byte that
// starts no percent sequence and keeps the extension, if it has a short
// one. The encoding is reversible up to the cut.
func pathSafe(s string, limit int) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if safeByte(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(upperHex[c>>4])
		b.WriteByte(upperHex[c&15])
	}
	out := b.String()
	switch out {
	case "":
		out = "_"
	case ".", "..":
		out = strings.Repeat("%2E", len(out))
	}
	return fit(out, "", limit)
}

const upperHex = "0123456789ABCDEF"

func safeByte(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '.' || c == '_' || c == '-' || c == ' '
}

// splitExt splits a path-safe name into its stem and its extension (the
// last dot and what follows, if that is 1 to 16 bytes and the stem is not
// empty: ".env" has no extension).
func splitExt(name string) (stem, ext string) {
	i := strings.LastIndexByte(name, '.')
	if i <= 0 || len(name)-i > 17 || i == len(name)-1 {
		return name, ""
	}
	return name[:i], name[i:]
}

// fit returns stem+suffix+ext of name (split at its extension) cut to at
// most limit bytes: the stem is shortened, never inside a percent sequence,
// and the extension kept.
func fit(name, suffix string, limit int) string {
	stem, ext := splitExt(name)
	if len(stem)+len(suffix)+len(ext) <= limit {
		return stem + suffix + ext
	}
	room := limit - len(suffix) - len(ext)
	if room < 1 {
		// An extension too long to keep whole: cut the whole name.
		stem, ext, room = name, "", limit-len(suffix)
	}
	cut := room
	// A percent sequence is three bytes: never leave one broken.
	for j := max(0, cut-2); j < cut; j++ {
		if stem[j] == '%' {
			cut = j
			break
		}
	}
	return stem[:cut] + suffix + ext
}

// folderOf is the key folder of a conversation id.
func folderOf(conversationID string) string {
	if conversationID == "" {
		return UnassignedFolder
	}
	return pathSafe(conversationID, MaxKeySegment)
}

// uniqueNames returns the path-safe names of files, in their order, each
// unique within them: a repeat gains " (2)", " (3)" … before its
// extension. Names compare without case, so that a directory store on a
// case-insensitive file system keeps them apart too.
func uniqueNames(files []File) []string {
	taken := map[string]bool{}
	out := make([]string, len(files))
	for i, f := range files {
		base := pathSafe(f.Name, MaxKeySegment)
		name := base
		for n := 2; taken[strings.ToLower(name)]; n++ {
			name = fit(base, " ("+strconv.Itoa(n)+")", MaxKeySegment)
		}
		taken[strings.ToLower(name)] = true
		out[i] = name
	}
	return out
}

// objectKey is the final key of a file named name (path-safe already) of
// package packageID of an upload whose folder is folder.
func objectKey(prefix, folder, packageID, name string) string {
	return prefix + folder + "/" + pathSafe(packageID, MaxKeySegment) + "/" + name
}

// stagingPrefix is where files are written before they are promoted.
func stagingPrefix(prefix string) string {
	return strings.TrimSuffix(prefix, "/") + stagingSuffix
}

// StagingPrefix is where files are written before they are promoted,
// for the given FILES_PREFIX: "uploads/" stages under "uploads.staging/".
// The template's IAM grant and lifecycle rules name it too.
func StagingPrefix(prefix string) string { return stagingPrefix(prefix) }

package connector

import (
	"bytes"
	"encoding/binary"
	"net/http"
	"strings"
)

// Content sniffing: whether a file's first bytes are what its name says.
// The rules, in order (the first that applies decides):
//
//  1. An empty file passes: there is nothing to judge.
//  2. Executable content (a Windows PE "MZ", an ELF "\x7fELF", a Mach-O
//     or universal binary) passes only under a name whose extension is an
//     executable's or that has none: an executable named .pdf is refused.
//  3. A name whose extension is in contentFamilies must sniff (with
//     net/http.DetectContentType) as one of that family's types: a .pdf
//     must be a PDF, a .png or .jpg an image, a .docx or .zip a ZIP, a .txt
//     or .csv text.
//  4. Anything else passes.
//
// The stored object's Content-Type is the type the name gives, except
// for an image (what it sniffs as) and a name of no known type whose
// content sniffs as a definite type other than text.

// executableExts are the extensions under which executable content is
// what the name says.
var executableExts = map[string]bool{
	"": true, ".exe": true, ".dll": true, ".sys": true, ".scr": true, ".com": true, ".cpl": true,
	".ocx": true, ".efi": true, ".bin": true, ".elf": true, ".so": true, ".o": true, ".out": true,
	".dylib": true, ".bundle": true, ".app": true, ".run": true,
}

// contentFamilies maps an extension to the sniffed types (prefixes of
// DetectContentType's answer) its content may have.
var contentFamilies = map[string][]string{
	".pdf":  {"application/pdf"},
	".png":  {"image/"},
	".jpg":  {"image/"},
	".jpeg": {"image/"},
	".gif":  {"image/"},
	".webp": {"image/"},
	".bmp":  {"image/"},
	".zip":  {"application/zip"},
	".docx": {"application/zip"},
	".xlsx": {"application/zip"},
	".pptx": {"application/zip"},
	".odt":  {"application/zip"},
	".ods":  {"application/zip"},
	".txt":  {"text/"},
	".csv":  {"text/"},
	".tsv":  {"text/"},
	".md":   {"text/"},
	".json": {"text/"},
	".xml":  {"text/"},
	".html": {"text/"},
	".htm":  {"text/"},
}

// isExecutable reports whether head begins like an executable.
func isExecutable(head []byte) bool {
	for _, magic := range [][]byte{
		[]byte("MZ"), []byte("\x7fELF"),
		{0xfe, 0xed, 0xfa, 0xce}, {0xfe, 0xed, 0xfa, 0xcf}, // Mach-O, big-endian 32/64
		{0xce, 0xfa, 0xed, 0xfe}, {0xcf, 0xfa, 0xed, 0xfe}, // Mach-O, little-endian 32/64
	} {
		if bytes.HasPrefix(head, magic) {
			return true
		}
	}
	// A universal binary starts as a Java class does: cafebabe, then its
	// number of architectures, where a class has its version (45 or more).
	return len(head) >= 8 && bytes.HasPrefix(head, []byte{0xca, 0xfe, 0xba, 0xbe}) &&
		binary.BigEndian.Uint32(head[4:8]) < 45
}

// extOf is the lower-case extension of a file name, "" if none.
func extOf(name string) string {
	i := strings.LastIndexByte(name, '.')
	if i <= 0 || strings.ContainsAny(name[i:], "/\\") {
		return ""
	}
	return strings.ToLower(name[i:])
}

// sniff judges the head of a file named name whose type by name is
// nameType, and returns the Content-Type to store it with and whether its
// content is what its name says.
func sniff(name, nameType string, head []byte) (contentType string, ok bool) {
	if nameType == "" {
		nameType = "application/octet-stream"
	}
	if len(head) == 0 {
		return nameType, true
	}
	ext := extOf(name)
	if isExecutable(head) {
		return "application/octet-stream", executableExts[ext]
	}
	sniffed := http.DetectContentType(head)
	if family, ok := contentFamilies[ext]; ok {
		switch {
		case !hasAnyPrefix(sniffed, family):
			return sniffed, false
		case family[0] == "image/":
			return sniffed, true // a .jpg that is a PNG is stored as what it is
		case nameType == "application/octet-stream" && family[0] != "text/":
			return sniffed, true
		}
		return nameType, true // more exact than the family (a .docx is a ZIP)
	}
	if nameType == "application/octet-stream" && sniffed != nameType && !strings.HasPrefix(sniffed, "text/") {
		return sniffed, true
	}
	// Text types are never taken from the content: a .txt that holds HTML
	// is not served as HTML.
	return nameType, true
}

func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

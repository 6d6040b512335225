package sendsafelytest

import (
	"fmt"
	"strconv"
)

// This is the minimal stand-in for a package's files that the manifest
// work needs: a file is recorded in its package (name, size, parts) and
// package information lists it; nothing is encrypted or served. The full
// version (uploads in parts, encryption, download URLs) replaces this file.

// File is a file of a package as the stand-in keeps it.
type File struct {
	ID, Name string
	Size     int64
	Parts    int
}

// AddFile records a file of len(content) bytes called name in package
// packageID, as an upload page's PUT /package/{id}/file/ does, and returns
// it. Package information lists files in the order they were added. It
// returns ErrUnknown if there is no such package.
func (s *Server) AddFile(packageID, name string, content []byte) (File, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.packages[packageID]
	if p == nil {
		return File{}, fmt.Errorf("%w: package", ErrUnknown)
	}
	f := File{ID: fileID(), Name: name, Size: int64(len(content)), Parts: 1}
	p.files = append(p.files, f)
	return f, nil
}

// filesInfo is files[] of package information: fileSize a string of
// digits, as SendSafely writes it.
func filesInfo(p *pkg) []map[string]any {
	out := make([]map[string]any, len(p.files))
	for i, f := range p.files {
		out[i] = map[string]any{"fileId": f.ID, "fileName": f.Name, "fileSize": strconv.FormatInt(f.Size, 10), "parts": f.Parts}
	}
	return out
}

// serverSecretLocked returns package p's serverSecret, made on first use.
func serverSecretLocked(p *pkg) string {
	if p.serverSecret == "" {
		p.serverSecret = secret()
	}
	return p.serverSecret
}

// fileID returns a random id in the form of SendSafely's file ids (a UUID).
func fileID() string {
	b := randBytes(16)
	b[6], b[8] = b[6]&0x0f|0x40, b[8]&0x3f|0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

package sendsafelytest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"
)

// File is a file of a package, as the stand-in's Go API returns it.
type File struct {
	ID   string // fileId: a UUID
	Name string
	// Size is the plaintext size in bytes, as files[] reports it.
	Size int64
	// Parts is how many parts, each its own OpenPGP message, it is stored
	// in.
	Parts int
}

// file is a file the stand-in keeps.
type file struct {
	File
	createdBy string
	uploaded  time.Time // zero until every part is stored
	// parts holds each part's ciphertext, parts[0] being part 1; a part
	// not yet uploaded is nil. A generated file keeps none: gen makes them.
	parts [][]byte
	gen   *generator
	// trailing is the empty part an uploader put after the declared
	// parts, or nil (putPart).
	trailing []byte
}

// complete reports whether every part of f is stored.
func (f *file) complete() bool {
	if f.gen != nil {
		return true
	}
	for _, p := range f.parts {
		if p == nil {
			return false
		}
	}
	return true
}

// part returns the ciphertext of part n (1-based) of a package whose
// passphrase is pass: it reads a stored part under mu, and makes a
// generated one without holding it.
func (f *file) part(mu *sync.Mutex, n int, pass string) ([]byte, error) {
	if f.gen != nil {
		return f.gen.part(n, pass)
	}
	mu.Lock()
	defer mu.Unlock()
	return f.parts[n-1], nil
}

// ErrNoKeyCode is returned by AddFile for a package made through the API
// (PUT /package/): its keycode never reached the stand-in, which cannot
// encrypt its files.
var ErrNoKeyCode = errors.New("sendsafelytest: the package's keycode is not known to the stand-in")

// AddFile adds a file to package packageID as SendSafely's browser
// uploader would: content is split into a first part of 655,360 bytes and
// then parts of 2,621,440 (an empty file is one empty part), each part is
// encrypted into its own OpenPGP message with the passphrase serverSecret
// + keycode (EncryptPart), and the ciphertext is stored. The file is
// uploaded at once: it is in files[] and its parts can be downloaded.
func (s *Server) AddFile(packageID, name string, content []byte) (File, error) {
	return s.AddFileFrom(packageID, name, bytes.NewReader(content))
}

// AddFileFrom is AddFile reading the content from r, one part at a time:
// only the ciphertext is kept (about the content's size; fine up to a
// hundred megabytes or so; see AddGeneratedFile for more).
func (s *Server) AddFileFrom(packageID, name string, r io.Reader) (File, error) {
	pass, sender, err := s.passphrase(packageID)
	if err != nil {
		return File{}, err
	}
	var parts [][]byte
	var size int64
	buf := make([]byte, PartSize)
	for n := FirstPartSize; ; n = PartSize {
		got, err := io.ReadFull(r, buf[:n])
		if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
			return File{}, fmt.Errorf("sendsafelytest: read file content: %w", err)
		}
		if got == 0 && len(parts) > 0 {
			break
		}
		c, err := EncryptPart(pass, buf[:got])
		if err != nil {
			return File{}, err
		}
		parts, size = append(parts, c), size+int64(got)
		if got < n {
			break
		}
	}
	f := &file{File: File{Name: name, Size: size, Parts: len(parts)}, createdBy: sender, parts: parts, uploaded: s.cfg.Now().UTC()}
	return s.storeFile(packageID, f)
}

// passphrase returns the passphrase of package packageID's parts and the
// package's sender.
func (s *Server) passphrase(packageID string) (pass, sender string, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.packages[packageID]
	switch {
	case p == nil:
		return "", "", fmt.Errorf("%w: package", ErrUnknown)
	case p.KeyCode == "":
		return "", "", ErrNoKeyCode
	}
	return p.ServerSecret + p.KeyCode, p.Sender, nil
}

// storeFile gives f an id and adds it to package packageID.
func (s *Server) storeFile(packageID string, f *file) (File, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.packages[packageID]
	if p == nil {
		return File{}, fmt.Errorf("%w: package", ErrUnknown)
	}
	f.ID = uuid()
	p.files = append(p.files, f)
	return f.File, nil
}

// Files returns the files of package packageID whose upload is complete,
// in the order they were added: what files[] lists.
func (s *Server) Files(packageID string) ([]File, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.packages[packageID]
	if p == nil {
		return nil, fmt.Errorf("%w: package", ErrUnknown)
	}
	var out []File
	for _, f := range p.files {
		if f.complete() {
			out = append(out, f.File)
		}
	}
	return out, nil
}

// StoredPart returns the ciphertext of part n (1-based) of file fileID of
// package packageID as the stand-in stores it (made now for a generated
// file), without any fault applied; n may be the part after the declared
// ones if an uploader put one (putPart), which nothing downloads.
func (s *Server) StoredPart(packageID, fileID string, n int) ([]byte, error) {
	s.mu.Lock()
	p := s.packages[packageID]
	var f *file
	if p != nil {
		f = p.file(fileID)
	}
	if f != nil && f.trailing != nil && n == f.Parts+1 {
		defer s.mu.Unlock()
		return f.trailing, nil
	}
	if f == nil || n < 1 || n > f.Parts || f.gen == nil && f.parts[n-1] == nil {
		s.mu.Unlock()
		return nil, fmt.Errorf("%w: file part", ErrUnknown)
	}
	pass := p.ServerSecret + p.KeyCode
	s.mu.Unlock()
	return f.part(&s.mu, n, pass)
}

// file returns p's file id, or nil.
func (p *pkg) file(id string) *file {
	for _, f := range p.files {
		if f.ID == id {
			return f
		}
	}
	return nil
}

// uuid returns a random (version 4) UUID, the form of SendSafely's file
// ids.
func uuid() string {
	b := randBytes(16)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

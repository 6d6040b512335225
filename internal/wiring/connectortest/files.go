package connectortest

import (
	"context"
	"fmt"
	"io"
	"sync"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// Trusted is a trusted key that turns verified mode on in tests.
var Trusted = connector.TrustedKey{APIKey: "api-key", APISecret: "api-secret", KeyID: "key-1",
	PrivateKey: "-----BEGIN PGP PRIVATE KEY BLOCK-----"}

// ServerSecret is the server secret of the packages of Packages.
const ServerSecret = "server-secret"

// Source is an in-memory connector.FileSource: each file is its parts'
// plaintext. It checks the reference it is given (the package code and
// keycode of the stored link, ServerSecret) as decryption would. The zero
// value is ready.
type Source struct {
	mu    sync.Mutex
	files map[string][][]byte
	// Corrupt, when set, names a part (file id and part number) that does
	// not decrypt: Download writes the parts before it and returns
	// ErrCorrupt.
	Corrupt map[string]int
	// Err, when set, is what Download returns after writing nothing: a
	// SendSafely that is down.
	Err error
	// Calls counts the Download calls.
	Calls int
}

var _ connector.FileSource = (*Source)(nil)

// Put adds file id of the given parts.
func (s *Source) Put(id string, parts ...[]byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.files == nil {
		s.files = map[string][][]byte{}
	}
	s.files[id] = parts
}

// SetErr sets Err.
func (s *Source) SetErr(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.Err = err
}

// Download writes parts first to last of file f to w.
func (s *Source) Download(_ context.Context, key connector.TrustedKey, f connector.FileRef, first, last int, w io.Writer) (int64, error) {
	s.mu.Lock()
	s.Calls++
	parts, ok := s.files[f.FileID]
	bad, corrupt := s.Corrupt[f.FileID]
	err := s.Err
	s.mu.Unlock()
	switch {
	case err != nil:
		return 0, err
	case key != Trusted || f.ServerSecret != ServerSecret || f.KeyCode != LinkKey || f.PackageCode == "":
		return 0, fmt.Errorf("source: wrong credentials: %w", connector.ErrCorrupt)
	case !ok || first < 1 || last > len(parts):
		return 0, fmt.Errorf("source: no parts %d-%d of %s: %w", first, last, f.FileID, connector.ErrUnavailable)
	}
	var n int64
	for i := first; i <= last; i++ {
		if corrupt && i == bad {
			return n, fmt.Errorf("source: part %d: %w", i, connector.ErrCorrupt)
		}
		m, err := w.Write(parts[i-1])
		n += int64(m)
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// Jobs is a connector.FileQueue that keeps what it is sent. The zero
// value is ready.
type Jobs struct {
	mu   sync.Mutex
	jobs []connector.FileJob
	// Err, when set, is what Send returns, keeping nothing.
	Err error
}

var _ connector.FileQueue = (*Jobs)(nil)

// Send keeps jobs.
func (q *Jobs) Send(_ context.Context, jobs []connector.FileJob) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.Err != nil {
		return q.Err
	}
	q.jobs = append(q.jobs, jobs...)
	return nil
}

// Take returns the jobs sent since the last Take.
func (q *Jobs) Take() []connector.FileJob {
	q.mu.Lock()
	defer q.mu.Unlock()
	out := q.jobs
	q.jobs = nil
	return out
}

// Packages is a connector.SendSafely that describes the packages it was
// given (with ServerSecret), for retrieval; it reads keycodes only of
// packages added with PutSubmitted and lists no received packages. The
// zero value is ready.
type Packages struct {
	mu   sync.Mutex
	pkgs map[string]connector.Package
	// submitted are the packages whose keycode (LinkKey) it gives.
	submitted map[string]bool
	// Err, when set, is what every call returns.
	Err error
}

var _ connector.SendSafely = (*Packages)(nil)

// Put adds package id with files.
func (p *Packages) Put(id string, files ...connector.PackageFile) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.pkgs == nil {
		p.pkgs = map[string]connector.Package{}
	}
	p.pkgs[id] = connector.Package{ID: id, Files: files, ServerSecret: ServerSecret}
}

// PutSubmitted adds package id with files as the upload page leaves it:
// labelled with uploadID, sent by sender, with package code code, and its
// keycode LinkKey readable with Trusted. A notification of it signed as
// Sign does (a link of Link) is confirmed in verified mode.
func (p *Packages) PutSubmitted(id, uploadID string, sender connector.Email, code string, files ...connector.PackageFile) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.pkgs == nil {
		p.pkgs = map[string]connector.Package{}
	}
	if p.submitted == nil {
		p.submitted = map[string]bool{}
	}
	p.pkgs[id] = connector.Package{ID: id, Code: connector.Secret(code), Label: uploadID, Sender: sender, Files: files,
		ServerSecret: ServerSecret}
	p.submitted[id] = true
}

// SetLabel gives package id the label label (the upload page fills it
// with the upload id).
func (p *Packages) SetLabel(id, label string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	pkg := p.pkgs[id]
	pkg.Label = label
	p.pkgs[id] = pkg
}

// SetErr sets Err.
func (p *Packages) SetErr(err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.Err = err
}

// Package describes package id.
func (p *Packages) Package(_ context.Context, key connector.TrustedKey, id string) (connector.Package, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	pkg, ok := p.pkgs[id]
	switch {
	case p.Err != nil:
		return connector.Package{}, p.Err
	case key != Trusted || !ok:
		return connector.Package{}, fmt.Errorf("packages: refused: %w", connector.ErrUnavailable)
	}
	return pkg, nil
}

// KeyCode returns LinkKey for a package added with PutSubmitted, read
// with Trusted; it serves no other.
func (p *Packages) KeyCode(_ context.Context, key connector.TrustedKey, id string) (connector.Secret, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.Err != nil {
		return "", p.Err
	}
	if key != Trusted || !p.submitted[id] {
		return "", fmt.Errorf("packages: no keycode here: %w", connector.ErrUnavailable)
	}
	return LinkKey, nil
}

// Received lists nothing.
func (p *Packages) Received(context.Context, connector.TrustedKey) ([]connector.Package, error) {
	return nil, nil
}

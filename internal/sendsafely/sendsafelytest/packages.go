package sendsafelytest

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Package is a package the stand-in keeps, as its Go API returns it.
type Package struct {
	ID      string
	Code    string // packageCode: 43 characters of base64url
	KeyCode string // the keycode: 43 characters of base64url
	Label   string // the Dropzone's form input: the upload id
	Sender  string // the uploader's email
	// Timestamp is when the package was made; Updated when it was last
	// changed (finalized).
	Timestamp, Updated time.Time
	Finalized          bool
}

type pkg struct {
	Package
	links map[string]string // public key id → armored keycode message
	// files and serverSecret: see files_min.go.
	files        []File
	serverSecret string
}

type publicKey struct {
	id, armored, description string
}

// ErrUnknown is returned for a package or key id the stand-in does not
// keep.
var ErrUnknown = errors.New("sendsafelytest: unknown id")

// CreatePackage makes a package as a Dropzone upload does: label is the
// form input (the upload id), sender the uploader's email. It is not yet
// finalized: its keycode is encrypted to no key and it is not in the
// received list.
func (s *Server) CreatePackage(label, sender string) Package {
	now := s.cfg.Now().UTC()
	s.mu.Lock()
	defer s.mu.Unlock()
	id := packageID()
	for s.packages[id] != nil {
		id = packageID()
	}
	p := &pkg{Package: Package{ID: id, Code: secret(), KeyCode: secret(), Label: label, Sender: sender, Timestamp: now, Updated: now}, links: map[string]string{}}
	s.packages[id] = p
	s.order = append(s.order, id)
	return p.Package
}

// Finalize finalizes package id as SendSafely's upload page does: it
// encrypts the keycode to every public key registered now (what
// GET /package/{id}/public-keys/ answers), stores each message as
// PUT /package/{id}/link/{publicKeyId}/ would, and marks the package
// finalized. It returns the secure link.
func (s *Server) Finalize(id string) (string, error) {
	s.mu.Lock()
	p := s.packages[id]
	if p == nil {
		s.mu.Unlock()
		return "", fmt.Errorf("%w: package", ErrUnknown)
	}
	keycode := p.KeyCode
	keys := s.publicKeysLocked()
	s.mu.Unlock()

	links := map[string]string{}
	for _, k := range keys {
		m, err := Encrypt(k.armored, keycode)
		if err != nil {
			return "", err
		}
		links[k.id] = m
	}
	now := s.cfg.Now().UTC()
	s.mu.Lock()
	defer s.mu.Unlock()
	for k, m := range links {
		p.links[k] = m
	}
	p.Finalized, p.Updated = true, now
	return s.linkLocked(p), nil
}

// Upload makes and finalizes a package: a whole Dropzone upload.
func (s *Server) Upload(label, sender string) (Package, string, error) {
	p := s.CreatePackage(label, sender)
	link, err := s.Finalize(p.ID)
	if err != nil {
		return Package{}, "", err
	}
	got, _ := s.Package(p.ID)
	return got, link, nil
}

// Package returns package id as the stand-in keeps it.
func (s *Server) Package(id string) (Package, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.packages[id]
	if p == nil {
		return Package{}, false
	}
	return p.Package, true
}

// Link returns the secure link of package id:
// https://<host>/receive/?thread=<id>&packageCode=<code>#keyCode=<keycode>.
func (s *Server) Link(id string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.packages[id]
	if p == nil {
		return "", false
	}
	return s.linkLocked(p), true
}

// linkLocked writes the link as SendSafely does, thread first (not in
// url.Values' sorted order).
func (s *Server) linkLocked(p *pkg) string {
	return "https://" + s.cfg.Host + "/receive/?thread=" + url.QueryEscape(p.ID) +
		"&packageCode=" + url.QueryEscape(p.Code) + "#keyCode=" + p.KeyCode
}

// SetKeyCodeMessage stores message as package id's keycode for public key
// keyID, as PUT /package/{id}/link/{keyID}/ does: a test's way to plant a
// message that does not decrypt.
func (s *Server) SetKeyCodeMessage(id, keyID, message string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.packages[id]
	if p == nil {
		return fmt.Errorf("%w: package", ErrUnknown)
	}
	p.links[keyID] = message
	return nil
}

// RegisterKey registers an armored public key as PUT /public-key/ does
// and returns its id.
func (s *Server) RegisterKey(armoredPublic, description string) (string, error) {
	if _, err := Encrypt(armoredPublic, "probe"); err != nil {
		return "", err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	id := "key-" + strings.ToLower(packageID())
	s.keys[id] = publicKey{id: id, armored: armoredPublic, description: description}
	s.keyOrder = append(s.keyOrder, id)
	return id, nil
}

// PublicKeys returns the ids of the registered keys, oldest first.
func (s *Server) PublicKeys() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.keyOrder...)
}

func (s *Server) publicKeysLocked() []publicKey {
	keys := make([]publicKey, 0, len(s.keyOrder))
	for _, id := range s.keyOrder {
		keys = append(keys, s.keys[id])
	}
	return keys
}

// secret returns 32 random bytes as 43 characters of base64url, the form
// of SendSafely's package codes and keycodes.
func secret() string {
	return base64.RawURLEncoding.EncodeToString(randBytes(32))
}

// packageID returns an id like SendSafely's: ABCD-1234.
func packageID() string {
	const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := randBytes(8)
	id := make([]byte, 0, 9)
	for i, c := range b {
		if i == 4 {
			id = append(id, '-')
		}
		id = append(id, alphabet[int(c)%len(alphabet)])
	}
	return string(id)
}

func randBytes(n int) []byte {
	b := make([]byte, n)
	rand.Read(b) // never fails (crypto/rand)
	return b
}

// Delete removes package id, as deleting it in SendSafely does: it leaves
// the received list and its reads answer as for an unknown package. It
// returns ErrUnknown if there is no such package.
func (s *Server) Delete(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.packages[id] == nil {
		return ErrUnknown
	}
	delete(s.packages, id)
	s.order = slices.DeleteFunc(s.order, func(o string) bool { return o == id })
	return nil
}

package main

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"path"
	"strconv"
	"time"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// filesPath is where the dev server serves read_file's download links:
// GET /files/<token> on the connector's origin.
const filesPath = "/files/"

// linkTokenVersion is the first byte of a link token, so the format can
// change without guessing; linkTokenAD binds the ciphertext to its use.
const (
	linkTokenVersion = 1
	linkTokenAD      = "connector-dev download link"
)

// objectOpener reads a stored object: the directory store's Open.
type objectOpener interface {
	Open(ctx context.Context, key string, off int64) (io.ReadCloser, connector.ObjectInfo, error)
}

// fileLinks is the local stand-in for S3 presigned GETs: a URL whose
// token is the object key and an expiry, sealed with AES-256-GCM under a
// key made at start (so links die with the process, and nobody can make
// or alter one), and the handler that serves it. A token that does not
// open is 404, one past its expiry 410; neither says more.
type fileLinks struct {
	base  string // the connector's origin + filesPath
	aead  cipher.AEAD
	now   func() time.Time
	store objectOpener // nil until retrieval is on: every link is 404
}

// linkClaims is what a token seals.
type linkClaims struct {
	Key     string `json:"k"`
	Expires int64  `json:"e"` // Unix seconds
}

// newFileLinks returns links served under origin, read against now.
func newFileLinks(origin string, now func() time.Time) (*fileLinks, error) {
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, fmt.Errorf("download links: key: %w", err)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("download links: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("download links: %w", err)
	}
	return &fileLinks{base: origin + filesPath, aead: aead, now: now}, nil
}

// presign returns a URL that serves key with a plain GET for ttl: a
// dirstore.Presigner.
func (l *fileLinks) presign(key string, ttl time.Duration) (string, error) {
	plain, err := json.Marshal(linkClaims{Key: key, Expires: l.now().Add(ttl).Unix()})
	if err != nil {
		return "", fmt.Errorf("download link: %w", err)
	}
	out := make([]byte, 1+l.aead.NonceSize(), 1+l.aead.NonceSize()+len(plain)+l.aead.Overhead())
	out[0] = linkTokenVersion
	if _, err := rand.Read(out[1:]); err != nil {
		return "", fmt.Errorf("download link: nonce: %w", err)
	}
	out = l.aead.Seal(out, out[1:], plain, []byte(linkTokenAD))
	return l.base + base64.RawURLEncoding.EncodeToString(out), nil
}

// errBadToken is a token that does not open: forged, altered, or made by
// another run.
var errBadToken = errors.New("download link: bad token")

// open returns what token seals.
func (l *fileLinks) open(token string) (linkClaims, error) {
	blob, err := base64.RawURLEncoding.DecodeString(token)
	n := l.aead.NonceSize()
	if err != nil || len(blob) < 1+n || blob[0] != linkTokenVersion {
		return linkClaims{}, errBadToken
	}
	plain, err := l.aead.Open(nil, blob[1:1+n], blob[1+n:], []byte(linkTokenAD))
	if err != nil {
		return linkClaims{}, errBadToken
	}
	var c linkClaims
	if err := json.Unmarshal(plain, &c); err != nil || c.Key == "" {
		return linkClaims{}, errBadToken
	}
	return c, nil
}

// ServeHTTP serves GET /files/{token}: the object streamed from the
// store, as an attachment with its stored type. The answer never says why
// a link failed, nor echoes the token.
func (l *fileLinks) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c, err := l.open(r.PathValue("token"))
	if err != nil || l.store == nil {
		http.Error(w, http.StatusText(http.StatusNotFound), http.StatusNotFound)
		return
	}
	if !l.now().Before(time.Unix(c.Expires, 0)) {
		http.Error(w, http.StatusText(http.StatusGone), http.StatusGone)
		return
	}
	rc, info, err := l.store.Open(r.Context(), c.Key, 0)
	if errors.Is(err, connector.ErrNotFound) {
		http.Error(w, http.StatusText(http.StatusNotFound), http.StatusNotFound)
		return
	}
	if err != nil {
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
		return
	}
	defer rc.Close()
	typ := info.ContentType
	if typ == "" {
		typ = "application/octet-stream"
	}
	h := w.Header()
	h.Set("Content-Type", typ)
	h.Set("Content-Length", strconv.FormatInt(info.Size, 10))
	disp := mime.FormatMediaType("attachment", map[string]string{"filename": path.Base(c.Key)})
	if disp == "" {
		disp = "attachment"
	}
	h.Set("Content-Disposition", disp)
	// A customer's file on the connector's origin: never run as a page.
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "sandbox")
	h.Set("Cache-Control", "private, no-store")
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = io.Copy(w, rc)
	}
}

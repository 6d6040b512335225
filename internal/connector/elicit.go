package connector

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// An upload offered through an MCP URL elicitation (the collect_files
// tool) travels in two sealed tokens, so that nothing is kept server-side
// beyond the upload itself:
//
//   - the page token, the <token> of <connector>/u/<token>, names the upload
//     and its expiry; the customer's browser opens it, so it holds no email
//     and no personal data (the MCP specification's rule for elicitation
//     URLs);
//   - the request state (MCP's requestState on 2026-07-28, elicitationId on
//     2025-11-25) names the upload, a hash of the caller's arguments and the
//     expiry, and is handed back by the client on each retry.
//
// Both are AES-256-GCM under a key derived with HKDF-SHA256 from the
// Dropzone Validation Key with a label of their own, opaque base64url. Each
// is sealed with its purpose as additional data, so one never opens as the
// other; a rotation keeps the tokens sealed under the previous key valid.

// MaxPurpose is the longest purpose collect_files shows the customer, in
// characters.
const MaxPurpose = 200

// Labels of the elicitation keys and the purposes of the tokens. They are
// part of the tokens' format: changing one voids every token in flight.
var (
	infoElicitKey = []byte("chatbot-connector/v1 elicitation key")
	adPage        = []byte("chatbot-connector/v1 upload page token")
	adState       = []byte("chatbot-connector/v1 request state")
)

// tokenVersion is the first byte of every token, so the format can change
// without guessing.
const tokenVersion = 1

// CollectRequest is a collect_files call: the upload to create and what
// the customer is told.
type CollectRequest struct {
	Email          Email
	ConversationID string
	// Purpose says what to upload and why; shown to the customer.
	Purpose string
}

// Collection is an upload started for collect_files.
type Collection struct {
	Upload Upload
	// PageToken is the <token> of <connector>/u/<token>.
	PageToken string
	// State is the sealed request state the client hands back.
	State string
}

// Collected is a round of collect_files after the first: the upload's
// links, and a fresh page token for it.
type Collected struct {
	UploadID  string
	Links     LinkResult
	PageToken string
}

// tokenPayload is what a token seals. Args is empty in a page token.
type tokenPayload struct {
	UploadID string `json:"u"`
	Args     string `json:"a,omitempty"`
	Expires  int64  `json:"x"`
}

// StartCollect validates req, creates its upload and seals its tokens.
// It returns ErrInvalid for a malformed field and ErrUnavailable if the
// store or the secret cannot be reached.
func (s *Service) StartCollect(ctx context.Context, req CollectRequest) (Collection, error) {
	if utf8.RuneCountInString(req.Purpose) > MaxPurpose {
		return Collection{}, Errorf(ErrInvalid, "The field purpose is longer than %d characters.", MaxPurpose)
	}
	if !shownSafely(req.Purpose) {
		return Collection{}, Errorf(ErrInvalid, "The field purpose holds control characters.")
	}
	ks, err := s.keySet(ctx)
	if err != nil {
		return Collection{}, err
	}
	if ks.ValidationKey == "" {
		return Collection{}, fmt.Errorf("%w: collect: no validation key to seal with", ErrUnavailable)
	}
	up, err := s.GenerateID(ctx, GenerateRequest{Email: req.Email, ConversationID: req.ConversationID})
	if err != nil {
		return Collection{}, err
	}
	aead := elicitAEAD(ks.ValidationKey)
	exp := up.ExpiresAt.Unix()
	page, err := sealToken(aead, adPage, tokenPayload{UploadID: up.ID, Expires: exp})
	if err != nil {
		return Collection{}, err
	}
	state, err := sealToken(aead, adState, tokenPayload{UploadID: up.ID, Args: argsHash(req), Expires: exp})
	if err != nil {
		return Collection{}, err
	}
	return Collection{Upload: up, PageToken: page, State: state}, nil
}

// ResumeCollect opens the request state of an earlier StartCollect made
// with the same req, and returns the upload's links, waiting up to wait
// for the first. It returns ErrNotFound for a state that is altered,
// expired, sealed under another key or given with other arguments, or an
// upload that is gone, and ErrUnavailable if the store or the secret
// cannot be reached. The sealed state is the caller's proof: no email is
// asked for.
func (s *Service) ResumeCollect(ctx context.Context, state string, req CollectRequest, wait time.Duration) (Collected, error) {
	p, aead, err := s.openToken(ctx, adState, state)
	if err != nil {
		return Collected{}, err
	}
	if p.Args != argsHash(req) {
		return Collected{}, Errorf(ErrNotFound, "That request state belongs to another call; call collect_files again without it.")
	}
	page, err := sealToken(aead, adPage, tokenPayload{UploadID: p.UploadID, Expires: p.Expires})
	if err != nil {
		return Collected{}, err
	}
	links, err := s.waitCollected(ctx, p.UploadID, wait)
	return Collected{UploadID: p.UploadID, Links: links, PageToken: page}, err
}

// waitCollected reads the links of upload id, waiting up to wait for the
// first, as getLink's wait does.
func (s *Service) waitCollected(ctx context.Context, id string, wait time.Duration) (LinkResult, error) {
	return s.waitLinks(ctx, id, wait, func(ctx context.Context) (LinkResult, time.Time, error) {
		return s.collected(ctx, id)
	})
}

// UploadPage returns the upload page URL of the upload a page token names:
// the URL generateId returned for it. It returns ErrNotFound for a token
// that is altered, expired or sealed under another key, or an upload that
// is gone, and ErrUnavailable if the store or the secret cannot be
// reached.
func (s *Service) UploadPage(ctx context.Context, token string) (Link, error) {
	p, _, err := s.openToken(ctx, adPage, token)
	if isNotFound(err) {
		return "", pageNotFound()
	}
	if err != nil {
		return "", err
	}
	ctx, cancel := s.bound(ctx, 0)
	defer cancel()
	u, err := s.load(ctx, p.UploadID)
	if isNotFound(err) {
		return "", pageNotFound()
	}
	if err != nil {
		return "", fmt.Errorf("upload page: %w", err)
	}
	return s.uploadURL(u.id, u.st.Email), nil
}

// collected reads the upload once: its links, and when it was made.
func (s *Service) collected(ctx context.Context, id string) (LinkResult, time.Time, error) {
	u, err := s.load(ctx, id)
	if isNotFound(err) {
		return LinkResult{}, time.Time{}, tokenNotFound()
	}
	if err != nil {
		return LinkResult{}, time.Time{}, fmt.Errorf("collect: %w", err)
	}
	return u.links(s.set.Files), s.createdAt(u), nil
}

// tokenNotFound is the one answer for a token that does not open, has
// expired, or names an upload that is gone.
func tokenNotFound() error {
	return Errorf(ErrNotFound, "That upload request is not valid or has expired; call collect_files again.")
}

// pageNotFound is tokenNotFound as the customer's browser shows it.
func pageNotFound() error {
	return Errorf(ErrNotFound, "This upload link is not valid or has expired; ask for a new one.")
}

// openToken opens a token of purpose ad under the current validation key
// or, during a rotation, the previous one, and checks its expiry. It
// returns the AEAD of the key that opened it.
func (s *Service) openToken(ctx context.Context, ad []byte, token string) (tokenPayload, cipher.AEAD, error) {
	blob, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(token) > maxToken {
		return tokenPayload{}, nil, tokenNotFound()
	}
	ks, err := s.keySet(ctx)
	if err != nil {
		return tokenPayload{}, nil, err
	}
	for _, key := range []Secret{ks.ValidationKey, ks.PreviousValidationKey} {
		if key == "" {
			continue
		}
		var p tokenPayload
		aead := elicitAEAD(key)
		if openToken(aead, ad, blob, &p) && s.now().Unix() < p.Expires {
			return p, aead, nil
		}
	}
	return tokenPayload{}, nil, tokenNotFound()
}

// maxToken bounds the tokens read, far above what StartCollect seals.
const maxToken = 1024

// elicitAEAD returns the AES-256-GCM AEAD of the tokens under key.
func elicitAEAD(key Secret) cipher.AEAD {
	k, err := hkdf.Key(sha256.New, []byte(key), nil, string(infoElicitKey), 32)
	if err != nil {
		panic("connector: hkdf: " + err.Error()) // 32 bytes of SHA-256 never fail
	}
	block, err := aes.NewCipher(k)
	if err != nil {
		panic("connector: aes: " + err.Error())
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		panic("connector: gcm: " + err.Error())
	}
	return aead
}

// sealToken seals p for purpose ad: version byte, nonce, ciphertext, as
// unpadded base64url.
func sealToken(aead cipher.AEAD, ad []byte, p tokenPayload) (string, error) {
	plain, err := json.Marshal(p)
	if err != nil {
		return "", fmt.Errorf("connector: seal token: %w", err)
	}
	out := make([]byte, 1+aead.NonceSize(), 1+aead.NonceSize()+len(plain)+aead.Overhead())
	out[0] = tokenVersion
	if _, err := rand.Read(out[1:]); err != nil {
		return "", fmt.Errorf("connector: seal token: nonce: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(aead.Seal(out, out[1:], plain, ad)), nil
}

// openToken reports whether blob opens under aead for purpose ad, into p.
func openToken(aead cipher.AEAD, ad, blob []byte, p *tokenPayload) bool {
	if len(blob) < 1+aead.NonceSize() || blob[0] != tokenVersion {
		return false
	}
	plain, err := aead.Open(nil, blob[1:1+aead.NonceSize()], blob[1+aead.NonceSize():], ad)
	return err == nil && json.Unmarshal(plain, p) == nil && p.UploadID != ""
}

// argsHash is the SHA-256 of the caller's arguments, each length-prefixed
// so that no two argument lists hash alike, as base64url.
func argsHash(req CollectRequest) string {
	h := sha256.New()
	for _, f := range []string{strings.TrimSpace(string(req.Email)), req.ConversationID, req.Purpose} {
		var n [8]byte
		binary.BigEndian.PutUint64(n[:], uint64(len(f)))
		h.Write(n[:])
		h.Write([]byte(f))
	}
	return base64.RawURLEncoding.EncodeToString(h.Sum(nil))
}

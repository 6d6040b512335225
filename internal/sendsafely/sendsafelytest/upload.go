package sendsafelytest

import (
	"crypto/hmac"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
)

// The calls an uploader makes through the API, as SendSafely's Node.js
// SDK (@sendsafely/sendsafely 3.1.0, lib/SendSafely.js) makes them.

// maxParts bounds the parts a file may be declared with.
const maxParts = 100000

// createPackage answers PUT /api/v2.0/package/ ({"vdr":false}): a new
// package of the API key's user. The keycode is made by the client and
// never sent: the stand-in does not know it.
func (s *Server) createPackage(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	sender := s.cfg.UserEmail
	s.mu.Unlock()
	p := s.newPackage("", sender, "")
	reply(w, http.StatusOK, map[string]string{"response": "SUCCESS", "packageId": p.ID, "packageCode": p.Code, "serverSecret": p.ServerSecret})
}

// SetUserEmail makes email the API key's user from now on: the sender of
// the packages then made through the API (Config.UserEmail), as when a
// customer's own client uploads.
func (s *Server) SetUserEmail(email string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cfg.UserEmail = email
}

// updatePackage answers POST /api/v2.0/package/{id}/ (the SDK's
// updatePackage): "label" and "life" are taken, the rest ignored.
func (s *Server) updatePackage(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Label *string `json:"label"`
		Life  *int    `json:"life"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		fail(w, "FAIL", "a JSON object is required")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.packages[r.PathValue("id")]
	if p == nil {
		fail(w, "UNKNOWN_PACKAGE", "Unknown package")
		return
	}
	if in.Label != nil {
		p.Label = *in.Label
	}
	if in.Life != nil {
		p.life = *in.Life
	}
	reply(w, http.StatusOK, map[string]string{"response": "SUCCESS", "message": "Package updated"})
}

// createFile answers PUT /api/v2.0/package/{id}/file/ with
// {"filename","uploadType","parts","filesize"}: a file whose parts are to
// be uploaded, its id in "message". The SDK sends the name through
// encodeURI; it is stored decoded.
func (s *Server) createFile(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Filename string `json:"filename"`
		Parts    int    `json:"parts"`
		Filesize int64  `json:"filesize"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in.Filename == "" || in.Parts < 1 || in.Parts > maxParts || in.Filesize < 0 {
		fail(w, "FAIL", "filename, parts and filesize required")
		return
	}
	name, err := url.PathUnescape(in.Filename)
	if err != nil {
		fail(w, "INVALID_FILE_NAME", "The file name is not valid")
		return
	}
	s.mu.Lock()
	p := s.packages[r.PathValue("id")]
	var sender string
	if p != nil {
		sender = p.Sender
	}
	s.mu.Unlock()
	if p == nil {
		fail(w, "UNKNOWN_PACKAGE", "Unknown package")
		return
	}
	f := &file{File: File{Name: name, Size: in.Filesize, Parts: in.Parts}, createdBy: sender, parts: make([][]byte, in.Parts)}
	got, err := s.storeFile(p.ID, f)
	if err != nil {
		fail(w, "UNKNOWN_PACKAGE", "Unknown package")
		return
	}
	reply(w, http.StatusOK, map[string]string{"response": "SUCCESS", "message": got.ID})
}

// uploadURLs answers POST /api/v2.0/package/{id}/file/{fileId}/upload-urls/
// with {"part"}: presigned PUT URLs of up to 25 parts from part on, up to
// the file's declared parts (SendSafely's Python client puts a part to
// every URL it is given). Asked for the part after the last, it gives
// that part's URL alone: SendSafely's Node.js SDK uploads a file of whole
// segments with one more part, empty (maxTrailingPartBytes).
func (s *Server) uploadURLs(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Part int `json:"part"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in.Part < 1 {
		fail(w, "FAIL", "part required")
		return
	}
	p, f := s.fileOf(r)
	if f == nil || f.gen != nil || in.Part > f.Parts+1 {
		fail(w, "FAIL", "Unknown file or part")
		return
	}
	urls := []partURL{}
	for n := in.Part; n <= max(in.Part, min(f.Parts, in.Part+maxURLs-1)); n++ {
		urls = append(urls, partURL{Part: n, URL: s.presign(r, http.MethodPut, p.ID, f.ID, n)})
	}
	reply(w, http.StatusOK, map[string]any{"response": "SUCCESS", "uploadUrls": urls})
}

// uploadComplete answers POST /api/v2.0/package/{id}/file/{fileId}/upload-complete/:
// message "true" once every part is stored (the file is then in files[]),
// "false" before (the SDK asks again).
func (s *Server) uploadComplete(w http.ResponseWriter, r *http.Request) {
	_, f := s.fileOf(r)
	if f == nil {
		fail(w, "FAIL", "Unknown file")
		return
	}
	now := s.cfg.Now().UTC()
	s.mu.Lock()
	done := f.complete()
	if done {
		f.uploaded = now
	}
	s.mu.Unlock()
	msg := "false"
	if done {
		msg = "true"
	}
	reply(w, http.StatusOK, map[string]string{"response": "SUCCESS", "message": msg})
}

// fileOf finds the package and file a request's path names.
func (s *Server) fileOf(r *http.Request) (*pkg, *file) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.packages[r.PathValue("id")]
	if p == nil {
		return nil, nil
	}
	return p, p.file(r.PathValue("fileId"))
}

// finalize answers POST /api/v2.0/package/{id}/finalize/ with
// {"checksum",…}: the package is finalized (its keycode was stored for
// each public key before, with PUT …/link/{publicKeyId}/) and the answer's
// message is its secure link without the keycode, which the client adds.
// The checksum is kept to check download-urls; one that disagrees with a
// keycode the stand-in knows is refused.
func (s *Server) finalize(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Checksum string `json:"checksum"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in.Checksum == "" {
		fail(w, "FAIL", "checksum required")
		return
	}
	now := s.cfg.Now().UTC()
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.packages[r.PathValue("id")]
	switch {
	case p == nil:
		fail(w, "UNKNOWN_PACKAGE", "Unknown package")
		return
	case p.checksum != "" && !hmac.Equal([]byte(p.checksum), []byte(in.Checksum)):
		fail(w, "INVALID_CHECKSUM", "The checksum does not match the package")
		return
	}
	p.checksum, p.Finalized, p.Updated = in.Checksum, true, now
	link, _, _ := strings.Cut(s.linkLocked(p), "#")
	reply(w, http.StatusOK, map[string]any{"response": "SUCCESS", "message": link, "recipients": []any{}, "approvers": []any{}, "needsLink": false})
}

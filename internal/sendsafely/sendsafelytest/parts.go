package sendsafelytest

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// maxPartBytes bounds the ciphertext of one uploaded part: SendSafely's
// uploaders use parts of up to 10 MiB (Java), plus OpenPGP's overhead.
const maxPartBytes = 11 << 20

// maxTrailingPartBytes bounds the ciphertext of a part put after a file's
// declared parts. SendSafely's Node.js SDK (lib/FileUtil.js) reads a file
// of whole segments to its end and sends what is left, nothing, as one
// more part: an OpenPGP message of no plaintext, about 100 bytes. The
// stand-in never knows such a package's keycode, so it judges the part by
// its size: room for OpenPGP's overhead and a file name, not for content.
const maxTrailingPartBytes = 512

// partOf finds the file and part a part URL names: one of the file's
// declared parts, or with trailing the part after them.
func (s *Server) partOf(r *http.Request, trailing bool) (*pkg, *file, int) {
	n, err := strconv.Atoi(r.PathValue("n"))
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.packages[r.PathValue("id")]
	if p == nil || err != nil {
		return nil, nil, 0
	}
	f := p.file(r.PathValue("fileId"))
	if f == nil || n < 1 || n > f.Parts && !(trailing && n == f.Parts+1) {
		return nil, nil, 0
	}
	return p, f, n
}

// logPart adds a part request to the request log, without its body.
func (s *Server) logPart(r *http.Request) {
	path, query, _ := strings.Cut(r.RequestURI, "?")
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log.add(Request{Method: r.Method, Path: path, Query: query, Header: r.Header.Clone()})
}

// getPart answers a presigned GET of a part as S3 does: the ciphertext as
// binary/octet-stream, or an XML error.
func (s *Server) getPart(w http.ResponseWriter, r *http.Request) {
	s.logPart(r)
	if !s.presigned(w, r) {
		return
	}
	p, f, n := s.partOf(r, false)
	if f == nil {
		s3Error(w, http.StatusNotFound, "NoSuchKey", "The specified key does not exist.")
		return
	}
	s.mu.Lock()
	failing := s.faults.failGets > 0
	if failing {
		s.faults.failGets--
	}
	corrupt := s.faults.corrupt[partKey{f.ID, n}]
	pass := p.ServerSecret + p.KeyCode
	s.mu.Unlock()
	if failing {
		s3Error(w, http.StatusInternalServerError, "InternalError", "We encountered an internal error. Please try again.")
		return
	}
	if !corrupt && f.gen != nil && f.gen.disk != nil {
		if !f.gen.disk.serve(w, n) {
			s3Error(w, http.StatusNotFound, "NoSuchKey", "The specified key does not exist.")
		}
		return
	}
	b, err := f.part(&s.mu, n, pass)
	if err != nil || b == nil {
		s3Error(w, http.StatusNotFound, "NoSuchKey", "The specified key does not exist.")
		return
	}
	if corrupt {
		b = append([]byte(nil), b...)
		b[len(b)/2] ^= 0x01
	}
	w.Header().Set("Content-Type", "binary/octet-stream")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(http.StatusOK)
	w.Write(b)
}

// putPart answers a presigned PUT of a part, as an uploader sends it
// after upload-urls: the body is the part's ciphertext, stored as it is.
// The empty part after the declared ones is kept apart: the file is
// complete without it (the SDK may send it after upload-complete), and
// neither files[] nor download-urls counts it.
func (s *Server) putPart(w http.ResponseWriter, r *http.Request) {
	s.logPart(r)
	if !s.presigned(w, r) {
		return
	}
	_, f, n := s.partOf(r, true)
	if f == nil || f.gen != nil {
		s3Error(w, http.StatusNotFound, "NoSuchUpload", "The specified upload does not exist.")
		return
	}
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxPartBytes))
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		s3Error(w, http.StatusBadRequest, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size")
		return
	case err != nil:
		s3Error(w, http.StatusBadRequest, "IncompleteBody", "You did not provide the number of bytes specified by the Content-Length HTTP header.")
		return
	}
	if n > f.Parts && len(b) > maxTrailingPartBytes {
		s3Error(w, http.StatusBadRequest, "EntityTooLarge", "A part after the file's declared parts must be empty")
		return
	}
	s.mu.Lock()
	if n > f.Parts {
		f.trailing = b
	} else {
		f.parts[n-1] = b
	}
	s.mu.Unlock()
	w.Header().Set("ETag", `"`+strconv.Itoa(len(b))+`"`)
	w.WriteHeader(http.StatusOK)
}

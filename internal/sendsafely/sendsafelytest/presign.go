package sendsafelytest

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// partsPrefix is where the stand-in serves the parts of files, as S3 does
// for SendSafely: plain GETs and PUTs to presigned URLs, no SendSafely
// headers.
const partsPrefix = "/s3/"

// presign returns the URL of part n of file fileID of package packageID
// for method, on the host r was sent to, valid for Config.URLTTL.
func (s *Server) presign(r *http.Request, method, packageID, fileID string, n int) string {
	path := partsPrefix + url.PathEscape(packageID) + "/" + url.PathEscape(fileID) + "/" + strconv.Itoa(n)
	expires := strconv.FormatInt(s.cfg.Now().Add(s.cfg.URLTTL).Unix(), 10)
	q := url.Values{"Expires": {expires}, "Signature": {s.signPart(method, path, expires)}}
	return "http://" + r.Host + path + "?" + q.Encode()
}

func (s *Server) signPart(method, path, expires string) string {
	m := hmac.New(sha256.New, s.urlKey)
	m.Write([]byte(method + "\n" + path + "\n" + expires))
	return hex.EncodeToString(m.Sum(nil))
}

// presigned checks the signature and expiry of a part URL. It answers the
// request as S3 does and reports false when they are wrong.
func (s *Server) presigned(w http.ResponseWriter, r *http.Request) bool {
	expires := r.URL.Query().Get("Expires")
	want := s.signPart(r.Method, r.URL.EscapedPath(), expires)
	if !hmac.Equal([]byte(r.URL.Query().Get("Signature")), []byte(want)) {
		s3Error(w, http.StatusForbidden, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided.")
		return false
	}
	s.mu.Lock()
	expired := s.faults.expired
	s.mu.Unlock()
	at, err := strconv.ParseInt(expires, 10, 64)
	if err != nil || expired || s.cfg.Now().After(time.Unix(at, 0)) {
		s3Error(w, http.StatusForbidden, "AccessDenied", "Request has expired")
		return false
	}
	return true
}

// s3Error writes an error as S3 does: XML.
func s3Error(w http.ResponseWriter, status int, code, message string) {
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(status)
	w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?>` + "\n<Error><Code>" + code + "</Code><Message>" + message + "</Message></Error>"))
}

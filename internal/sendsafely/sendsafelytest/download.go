package sendsafelytest

import (
	"crypto/hmac"
	"encoding/json"
	"net/http"
)

// maxURLs is how many part URLs one download-urls or upload-urls call
// returns at most, as SendSafely's server does.
const maxURLs = 25

// partURL is one entry of downloadUrls or uploadUrls.
type partURL struct {
	Part int    `json:"part"`
	URL  string `json:"url"`
}

// downloadURLs answers POST /api/v2.0/package/{id}/file/{fileId}/download-urls/
// with {"checksum","startSegment","endSegment"}: the presigned GET URLs of
// parts startSegment to endSegment (1-based, inclusive), clamped to the
// file's parts and to 25, for a client whose checksum shows it holds the
// keycode.
func (s *Server) downloadURLs(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Checksum     string `json:"checksum"`
		StartSegment int    `json:"startSegment"`
		EndSegment   int    `json:"endSegment"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		fail(w, "FAIL", "checksum, startSegment and endSegment required")
		return
	}
	s.mu.Lock()
	p := s.packages[r.PathValue("id")]
	var f *file
	var checksum string
	ready := false
	if p != nil {
		f, checksum = p.file(r.PathValue("fileId")), p.checksum
		ready = f != nil && f.complete()
	}
	s.mu.Unlock()
	switch {
	case p == nil:
		fail(w, "UNKNOWN_PACKAGE", "Unknown package")
		return
	case !ready:
		fail(w, "FAIL", "Unknown file")
		return
	case checksum == "" || !hmac.Equal([]byte(in.Checksum), []byte(checksum)):
		fail(w, "INVALID_CHECKSUM", "The checksum does not match the package")
		return
	}
	first, last := max(in.StartSegment, 1), min(in.EndSegment, f.Parts, max(in.StartSegment, 1)+maxURLs-1)
	urls := []partURL{}
	for n := first; n <= last; n++ {
		urls = append(urls, partURL{Part: n, URL: s.presign(r, http.MethodGet, p.ID, f.ID, n)})
	}
	reply(w, http.StatusOK, map[string]any{"response": "SUCCESS", "downloadUrls": urls})
}

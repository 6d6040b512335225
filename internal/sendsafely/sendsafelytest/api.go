package sendsafelytest

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"time"
)

// timeLayout is how the stand-in writes timestamps; SendSafely's exact
// text is not documented, and the client reads any ISO 8601 form.
const timeLayout = "2006-01-02T15:04:05.000+0000"

func stamp(t time.Time) string { return t.UTC().Format(timeLayout) }

func fail(w http.ResponseWriter, response, message string) {
	reply(w, http.StatusOK, map[string]string{"response": response, "message": message})
}

// packageInfo answers GET /api/v2.0/package/{id}/.
func (s *Server) packageInfo(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.packages[r.PathValue("id")]
	if p == nil {
		fail(w, "UNKNOWN_PACKAGE", "Unknown package")
		return
	}
	reply(w, http.StatusOK, map[string]any{
		"response":         "SUCCESS",
		"packageId":        p.ID,
		"packageCode":      p.Code,
		"packageSender":    p.Sender,
		"label":            p.Label,
		"packageTimestamp": stamp(p.Timestamp),
		"state":            state(p),
		"files":            filesInfo(p),
		"serverSecret":     serverSecretLocked(p),
		"life":             30,
	})
}

func state(p *pkg) string {
	if p.Finalized {
		return "PACKAGE_STATE_IN_PROGRESS"
	}
	return "PACKAGE_STATE_DRAFT"
}

// keycode answers GET /api/v2.0/package/{id}/link/{key}/.
func (s *Server) keycode(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.packages[r.PathValue("id")]
	if p == nil {
		fail(w, "UNKNOWN_PACKAGE", "Unknown package")
		return
	}
	m, ok := p.links[r.PathValue("key")]
	if !ok {
		fail(w, "FAIL", "No keycode for this public key")
		return
	}
	reply(w, http.StatusOK, map[string]string{"response": "SUCCESS", "message": m})
}

// putKeycode answers PUT /api/v2.0/package/{id}/link/{key}/, the upload
// page's storing of the keycode encrypted to one public key.
func (s *Server) putKeycode(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Keycode string `json:"keycode"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in.Keycode == "" {
		fail(w, "FAIL", "keycode required")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.packages[r.PathValue("id")]
	if p == nil {
		fail(w, "UNKNOWN_PACKAGE", "Unknown package")
		return
	}
	if _, ok := s.keys[r.PathValue("key")]; !ok {
		fail(w, "FAIL", "Unknown public key")
		return
	}
	p.links[r.PathValue("key")] = in.Keycode
	reply(w, http.StatusOK, map[string]string{"response": "SUCCESS", "message": "Keycode added"})
}

// publicKeys answers GET /api/v2.0/package/{id}/public-keys/: the keys the
// upload page encrypts the keycode to.
func (s *Server) publicKeys(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.packages[r.PathValue("id")] == nil {
		fail(w, "UNKNOWN_PACKAGE", "Unknown package")
		return
	}
	keys := []map[string]string{}
	for _, k := range s.publicKeysLocked() {
		keys = append(keys, map[string]string{"id": k.id, "key": k.armored})
	}
	reply(w, http.StatusOK, map[string]any{"response": "SUCCESS", "publicKeys": keys})
}

// registerKey answers PUT /api/v2.0/public-key/.
func (s *Server) registerKey(w http.ResponseWriter, r *http.Request) {
	var in struct {
		PublicKey   string `json:"publicKey"`
		Description string `json:"description"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in.PublicKey == "" {
		fail(w, "FAIL", "publicKey required")
		return
	}
	id, err := s.RegisterKey(in.PublicKey, in.Description)
	if err != nil {
		fail(w, "FAIL", "Invalid public key")
		return
	}
	reply(w, http.StatusOK, map[string]string{"response": "SUCCESS", "id": id, "message": "Public key added"})
}

// received answers GET /api/v2.0/package/received/?rowIndex=N&pageSize=M:
// finalized packages, most recently updated first.
func (s *Server) received(w http.ResponseWriter, r *http.Request) {
	row, err1 := strconv.Atoi(r.URL.Query().Get("rowIndex"))
	size, err2 := strconv.Atoi(r.URL.Query().Get("pageSize"))
	if err1 != nil || err2 != nil || row < 0 || size <= 0 {
		fail(w, "FAIL", "rowIndex and pageSize required")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var all []*pkg
	for _, id := range s.order {
		if p := s.packages[id]; p.Finalized {
			all = append(all, p)
		}
	}
	slices.Reverse(all)
	slices.SortStableFunc(all, func(a, b *pkg) int { return b.Updated.Compare(a.Updated) })
	entries := []map[string]any{}
	for i := row; i < len(all) && i < row+size; i++ {
		p := all[i]
		entries = append(entries, map[string]any{
			"packageId":              p.ID,
			"packageCode":            p.Code,
			"packageLabel":           p.Label,
			"packageUserName":        p.Sender,
			"packageUpdateTimestamp": stamp(p.Updated),
			"state":                  state(p),
			"filenames":              []string{},
		})
	}
	pagination := map[string]any{}
	if next := row + len(entries); next < len(all) || s.faults.nextRows {
		pagination["nextRowIndex"] = next
	}
	reply(w, http.StatusOK, map[string]any{"response": "SUCCESS", "packages": entries, "pagination": pagination})
}

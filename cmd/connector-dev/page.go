package main

import (
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"log/slog"
	"mime/multipart"
	"net/http"
	"strings"
	"time"

	"github.com/sendsafely/chatbot-connector/internal/dropzone"
	"github.com/sendsafely/chatbot-connector/internal/sendsafely/sendsafelytest"
)

// pagePath is where the upload page lives, as on files.sendsafely.com.
const pagePath = "/html/cb_upload.htm"

// signPath and signAction are the endpoint the real page calls after an
// upload to get the notification signed (see dropzone.md in the shared
// notes): POST /auth/json/?action=submitHostedDropzone.
const (
	signPath   = "/auth/json/"
	signAction = "submitHostedDropzone"
)

//go:embed page
var pageFiles embed.FS

// standIn is the local stand-in for the Dropzone upload page and for the
// part of SendSafely's server it talks to. It is served on an origin of
// its own, as the real page is, so the webhook is reached cross-origin.
//
// The real page never holds the validation key; SendSafely's server signs.
// Here the signing endpoint plays that server, on the page's origin.
type standIn struct {
	// webhookURL is the connector's webhook, the one integration URL.
	webhookURL string
	// key returns the validation key to sign with.
	key func(ctx context.Context) ([]byte, error)
	now func() time.Time
	// log gets one line for each signing request it refuses: the page
	// shows "Submission failed", the terminal says why.
	log *slog.Logger
	// sendSafely is the SendSafely stand-in in verified mode, where the
	// page makes its packages; nil when verified mode is off (the page
	// then makes up package ids and links).
	sendSafely *sendsafelytest.Server
}

// Paths of the page's calls to the part of SendSafely the stand-in plays
// beyond signing: whether packages are made (modePath), and making one
// (packagePath), its files included. The real page makes, uploads and
// finalizes a package with SendSafely's API; here one call does it all,
// through the SendSafely stand-in's Go API.
const (
	modePath    = "/dev/mode"
	packagePath = "/dev/package"
)

// handler serves the page, its script and the signing endpoint.
func (s *standIn) handler() http.Handler {
	static, _ := fs.Sub(pageFiles, "page") // the directory is embedded above
	mux := http.NewServeMux()
	files := http.FileServerFS(static)
	mux.Handle("GET /html/", noStore(http.StripPrefix("/html/", files)))
	mux.HandleFunc("POST "+signPath, s.sign)
	mux.HandleFunc("GET "+modePath, s.mode)
	mux.HandleFunc("POST "+packagePath, s.makePackage)
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, pagePath, http.StatusFound)
	})
	return mux
}

// signReply is the answer of submitHostedDropzone.
type signReply struct {
	Success         string   `json:"success"`
	Message         string   `json:"message,omitempty"`
	Data            string   `json:"data,omitempty"`
	Digest          string   `json:"digest,omitempty"`
	IntegrationURLs []string `json:"integrationUrls,omitempty"`
}

// sign answers submitHostedDropzone: the form fields of the real call
// (name: the form-input value, which carries the upload id; email;
// packageCode; publicApiKey: the Dropzone id) and, because the stand-in has
// no package of its own, packageId. SendSafely's server stamps
// submittedAt; so does this one.
func (s *standIn) sign(w http.ResponseWriter, r *http.Request) {
	if r.URL.Query().Get("action") != signAction {
		s.refuse(w, http.StatusNotFound, "unknown action", nil)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		s.refuse(w, http.StatusBadRequest, "the form cannot be read", err)
		return
	}
	sub := dropzone.Payload{
		UploadID:    strings.TrimSpace(r.PostForm.Get("name")),
		Email:       strings.TrimSpace(r.PostForm.Get("email")),
		PackageID:   strings.TrimSpace(r.PostForm.Get("packageId")),
		PackageCode: r.PostForm.Get("packageCode"),
		DropzoneID:  r.PostForm.Get("publicApiKey"),
		SubmittedAt: submittedAt(s.now()),
	}
	for field, v := range map[string]string{"name": sub.UploadID, "email": sub.Email, "packageId": sub.PackageID, "packageCode": sub.PackageCode, "publicApiKey": sub.DropzoneID} {
		if v == "" {
			s.refuse(w, http.StatusBadRequest, "missing field "+field, nil)
			return
		}
	}
	key, err := s.key(r.Context())
	if err != nil {
		s.refuse(w, http.StatusServiceUnavailable, "the validation key cannot be read", err)
		return
	}
	data, digest := dropzone.Encode(sub, key)
	writeJSON(w, http.StatusOK, signReply{Success: "true", Data: data, Digest: digest, IntegrationURLs: []string{s.webhookURL}})
}

// modeReply says whether the page makes its packages at the SendSafely
// stand-in (verified mode).
type modeReply struct {
	Verified bool `json:"verified"`
}

func (s *standIn) mode(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, modeReply{Verified: s.sendSafely != nil})
}

// packageReply is the answer of packagePath: the package made and
// finalized, and its secure link as SendSafely writes it.
type packageReply struct {
	Success     string `json:"success"`
	Message     string `json:"message,omitempty"`
	PackageID   string `json:"packageId,omitempty"`
	PackageCode string `json:"packageCode,omitempty"`
	SecureLink  string `json:"secureLink,omitempty"`
}

// maxUpload bounds what the page may post to packagePath, its files
// included.
const maxUpload = 256 << 20

// makePackage does what the real page does with SendSafely's API during
// an upload: make a package whose label is the Dropzone form input (name:
// the upload id) and whose sender is the uploader (email), add the chosen
// files (multipart field files; the stand-in encrypts them as SendSafely's
// browser uploader does, where the real page encrypts in the browser),
// then finalize it, which encrypts its keycode to every registered public
// key, the connector's Trusted Browser key among them.
func (s *standIn) makePackage(w http.ResponseWriter, r *http.Request) {
	if s.sendSafely == nil {
		writeJSON(w, http.StatusNotFound, packageReply{Success: "false", Message: "verified mode is off: there is no SendSafely stand-in"})
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxUpload)
	var err error
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		err = r.ParseMultipartForm(32 << 20)
	} else {
		err = r.ParseForm()
	}
	if err != nil {
		writeJSON(w, http.StatusBadRequest, packageReply{Success: "false", Message: "the form cannot be read"})
		return
	}
	if r.MultipartForm != nil {
		defer r.MultipartForm.RemoveAll()
	}
	label, sender := strings.TrimSpace(r.PostFormValue("name")), strings.TrimSpace(r.PostFormValue("email"))
	if label == "" || sender == "" {
		writeJSON(w, http.StatusBadRequest, packageReply{Success: "false", Message: "name and email are required"})
		return
	}
	p := s.sendSafely.CreatePackage(label, sender)
	if err := s.addFiles(p.ID, r.MultipartForm); err != nil {
		s.log.Warn("upload page stand-in: a file could not be stored", slog.String("path", packagePath), slog.String("error", err.Error()))
		writeJSON(w, http.StatusServiceUnavailable, packageReply{Success: "false", Message: "a file could not be stored"})
		return
	}
	link, err := s.sendSafely.Finalize(p.ID)
	if err != nil {
		s.log.Warn("upload page stand-in: finalize failed", slog.String("path", packagePath), slog.String("error", err.Error()))
		writeJSON(w, http.StatusServiceUnavailable, packageReply{Success: "false", Message: "the package could not be finalized"})
		return
	}
	writeJSON(w, http.StatusOK, packageReply{Success: "true", PackageID: p.ID, PackageCode: p.Code, SecureLink: link})
}

// addFiles stores the files of form's field files in package packageID.
// Errors name no file: file names stay out of logs.
func (s *standIn) addFiles(packageID string, form *multipart.Form) error {
	if form == nil {
		return nil
	}
	for i, fh := range form.File["files"] {
		f, err := fh.Open()
		if err != nil {
			return fmt.Errorf("file %d: %w", i+1, err)
		}
		_, err = s.sendSafely.AddFileFrom(packageID, fh.Filename, f)
		f.Close()
		if err != nil {
			return fmt.Errorf("file %d: %w", i+1, err)
		}
	}
	return nil
}

// refuse answers a signing request with success "false" and message, and
// logs it. The line names the reason only: no field of the form (email,
// upload id, package code) is logged.
func (s *standIn) refuse(w http.ResponseWriter, status int, message string, err error) {
	attrs := []any{slog.String("path", signPath), slog.Int("status", status), slog.String("reason", message)}
	if err != nil {
		attrs = append(attrs, slog.String("error", err.Error()))
	}
	if s.log != nil {
		s.log.Warn("upload page stand-in: signing refused", attrs...)
	}
	writeJSON(w, status, signReply{Success: "false", Message: message})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"success":"false"}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// noStore keeps browsers from caching the page between runs.
func noStore(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		h.ServeHTTP(w, r)
	})
}

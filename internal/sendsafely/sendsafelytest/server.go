// Package sendsafelytest is a stand-in for SendSafely's REST API, for
// tests and the local dev server: a small HTTP server of ours that checks
// request signatures, keeps packages and public keys, answers the calls
// verified mode makes and those an upload page makes when it finalizes a
// package, and encrypts each package's keycode to the registered keys as
// the page does. It is not a mock: clients talk to it over HTTP and what
// arrived is in its request log.
//
// Packages hold real files (AddFile, AddFileFrom, AddGeneratedFile,
// AddGeneratedFileOnDisk, or uploaded through the API): files[] in package
// information, download-urls and upload-urls with presigned part URLs
// under /s3/ (plain GETs and PUTs, expiring by Config.URLTTL), each part
// its own OpenPGP message with the passphrase serverSecret + keycode
// (EncryptPart).
//
// Developer note: SendSafely's own Node.js SDK is the reference. `make
// sendsafely-sdk` installs @sendsafely/sendsafely 3.1.0 and Node.js 24
// into internal/sendsafely/testdata/sdk, whose upload.js and download.js
// drive it unchanged (RunSDK); TestSDKUploads and TestSDKDownloads run
// them. Where the stand-in and the SDK disagree, the SDK is right: change
// the stand-in, never the SDK or the scripts' use of its public API.
package sendsafelytest

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// Config is what a Server needs. The zero value of a field takes the
// default shown.
type Config struct {
	// Host is put into secure links (default acme.sendsafely.com).
	Host string
	// APIKey and APISecret are the only credentials accepted (defaults
	// test-api-key and test-api-secret).
	APIKey, APISecret string
	// Now stamps packages and dates part URLs (default time.Now).
	Now func() time.Time
	// UserEmail is the API key's user: the sender of packages made
	// through the API (default api-user@example.com).
	UserEmail string
	// URLTTL is how long a part URL (download-urls, upload-urls) stays
	// valid, by Now (default 15 minutes).
	URLTTL time.Duration
	// TimeLayout is how answers write dates, in UTC (default TimeISO;
	// TimeJava as SendSafely's answers have been seen to).
	TimeLayout string
}

// Server is the stand-in. Its methods are safe for concurrent use.
type Server struct {
	cfg Config

	mu       sync.Mutex
	packages map[string]*pkg
	order    []string // package ids, oldest first
	keys     map[string]publicKey
	keyOrder []string
	faults   faults
	log      requestLog
	urlKey   []byte // signs part URLs

	url string // set by Start
}

// New returns a Server that is not listening; serve Handler() yourself,
// or use Start.
func New(cfg Config) *Server {
	if cfg.Host == "" {
		cfg.Host = "acme.sendsafely.com"
	}
	if cfg.APIKey == "" {
		cfg.APIKey = "test-api-key"
	}
	if cfg.APISecret == "" {
		cfg.APISecret = "test-api-secret"
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.UserEmail == "" {
		cfg.UserEmail = "api-user@example.com"
	}
	if cfg.URLTTL <= 0 {
		cfg.URLTTL = 15 * time.Minute
	}
	if cfg.TimeLayout == "" {
		cfg.TimeLayout = TimeISO
	}
	return &Server{cfg: cfg, packages: map[string]*pkg{}, keys: map[string]publicKey{}, urlKey: randBytes(32)}
}

// Start starts a Server on a free port of 127.0.0.1, closed when the test
// ends.
func Start(tb testing.TB, cfg Config) *Server {
	tb.Helper()
	s := New(cfg)
	ts := httptest.NewServer(s.Handler())
	tb.Cleanup(func() {
		s.Resume() // let paused handlers go, or Close waits for them
		ts.Close()
	})
	s.url = ts.URL
	return s
}

// URL is the base URL of a started Server, for SENDSAFELY_API_URL.
func (s *Server) URL() string { return s.url }

// Host is the host put into secure links.
func (s *Server) Host() string { return s.cfg.Host }

// APIKey returns the accepted API key.
func (s *Server) APIKey() string { return s.cfg.APIKey }

// APISecret returns the accepted API secret.
func (s *Server) APISecret() string { return s.cfg.APISecret }

// Handler serves SendSafely's API paths under /api/v2.0/, signed, and
// the parts of files under /s3/, presigned, as S3 serves them.
func (s *Server) Handler() http.Handler {
	const pkg, file = "/api/v2.0/package/{id}/", "/api/v2.0/package/{id}/file/{fileId}/"
	api := http.NewServeMux()
	api.HandleFunc("GET /api/v2.0/package/received/{$}", s.received)
	api.HandleFunc("PUT /api/v2.0/package/{$}", s.createPackage)
	api.HandleFunc("GET "+pkg+"{$}", s.packageInfo)
	api.HandleFunc("POST "+pkg+"{$}", s.updatePackage)
	api.HandleFunc("GET "+pkg+"link/{key}/{$}", s.keycode)
	api.HandleFunc("PUT "+pkg+"link/{key}/{$}", s.putKeycode)
	api.HandleFunc("GET "+pkg+"public-keys/{$}", s.publicKeys)
	api.HandleFunc("POST "+pkg+"finalize/{$}", s.finalize)
	api.HandleFunc("PUT "+pkg+"file/{$}", s.createFile)
	api.HandleFunc("POST "+file+"upload-urls/{$}", s.uploadURLs)
	api.HandleFunc("POST "+file+"upload-complete/{$}", s.uploadComplete)
	api.HandleFunc("POST "+file+"download-urls/{$}", s.downloadURLs)
	api.HandleFunc("PUT /api/v2.0/public-key/{$}", s.registerKey)
	api.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		reply(w, http.StatusNotFound, map[string]string{"response": "FAIL", "message": "No such API call"})
	})
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+partsPrefix+"{id}/{fileId}/{n}", s.getPart)
	mux.HandleFunc("PUT "+partsPrefix+"{id}/{fileId}/{n}", s.putPart)
	mux.Handle("/", cors(s.middleware(api)))
	return mux
}

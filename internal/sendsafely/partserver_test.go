package sendsafely_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/sendsafely"
)

// The file the part server serves, and its credentials.
const (
	filePackageID   = "pkg-1"
	fileID          = "file-1"
	filePackageCode = "30B0MrkbR8ag31tjzwXi2SkR6Cr1k3CfpkfHinRBqjg"
	fileKeyCode     = "kUkPz2n7bJXqW5rYtA0cD3eF8gH1iJ4kL6mN9oPqRsT"
	// fileServerSecret with fileKeyCode is the passphrase of the GnuPG
	// fixtures.
	fileServerSecret = "sS7vQ2mX9kLp4RtW8zYb3NcF6hJ1dG5eA0uIoKqMnZx"
	filePassphrase   = fileServerSecret + fileKeyCode
	// urlSecret stands for the signature of a presigned URL.
	urlSecret = "X-Amz-Signature=presigned0secret"
	apiKey    = "api-key-1"
	apiSecret = "api-secret-1"
)

var (
	fileKey = connector.TrustedKey{APIKey: apiKey, APISecret: apiSecret, KeyID: "key-1", PrivateKey: "unused"}
	fileRef = connector.FileRef{PackageID: filePackageID, FileID: fileID, PackageCode: filePackageCode, KeyCode: fileKeyCode, ServerSecret: fileServerSecret}
)

// partServer speaks SendSafely's download-urls and serves the part URLs
// it hands out (http://127.0.0.1:port/parts/{batch}/{part}?signature),
// the way S3 serves presigned GETs.
type partServer struct {
	t     testing.TB
	parts [][]byte // encrypted; parts[0] is part 1
	srv   *httptest.Server

	// clamp is the most URLs an answer holds (0: all asked for).
	clamp int
	// answer, if set, rewrites the URLs of an answer (part → URL).
	answer func(map[int]string) map[int]string
	// reverse lists an answer's URLs from the last part to the first.
	reverse bool
	// fail, if set, answers a part's GET with its status instead (0:
	// serve the part). -1 drops the connection halfway through the part.
	fail func(batch, part, attempt int) int
	// hold, if set, is called before a part is served.
	hold func(r *http.Request, part int)

	mu      sync.Mutex
	conns   int // connections accepted
	batches int
	asked   [][2]int    // startSegment, endSegment of each download-urls
	gets    map[int]int // GETs by part
}

func newPartServer(t testing.TB, parts [][]byte) *partServer {
	s := &partServer{t: t, parts: parts, gets: map[int]int{}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/v2.0/package/{pid}/file/{fid}/download-urls/", s.downloadURLs)
	mux.HandleFunc("GET /parts/{batch}/{part}", s.part)
	s.srv = httptest.NewUnstartedServer(mux)
	s.srv.Config.ConnState = func(_ net.Conn, state http.ConnState) {
		if state == http.StateNew {
			s.mu.Lock()
			s.conns++
			s.mu.Unlock()
		}
	}
	s.srv.Start()
	t.Cleanup(s.srv.Close)
	return s
}

// client returns a Client of s that records its sleeps in *slept.
func (s *partServer) client(slept *[]time.Duration, opts ...sendsafely.Option) *sendsafely.Client {
	var mu sync.Mutex
	sleep := func(ctx context.Context, d time.Duration) error {
		mu.Lock()
		defer mu.Unlock()
		*slept = append(*slept, d)
		return ctx.Err()
	}
	return sendsafely.New(s.srv.URL, append([]sendsafely.Option{sendsafely.WithSleep(sleep)}, opts...)...)
}

func (s *partServer) downloadURLs(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	ts := r.Header.Get(sendsafely.HeaderTimestamp)
	if r.Header.Get(sendsafely.HeaderAPIKey) != apiKey ||
		r.Header.Get(sendsafely.HeaderSignature) != sendsafely.Sign(apiKey, apiSecret, r.URL.Path, ts, string(body)) {
		json.NewEncoder(w).Encode(map[string]string{"response": "AUTHENTICATION_FAILED"})
		return
	}
	var in struct {
		Checksum     string `json:"checksum"`
		StartSegment int    `json:"startSegment"`
		EndSegment   int    `json:"endSegment"`
	}
	if err := json.Unmarshal(body, &in); err != nil || r.PathValue("pid") != filePackageID || r.PathValue("fid") != fileID {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	if in.Checksum != sendsafely.Checksum(fileKeyCode, filePackageCode) {
		json.NewEncoder(w).Encode(map[string]string{"response": "FAIL", "message": "checksum"})
		return
	}
	s.mu.Lock()
	s.batches++
	batch := s.batches
	s.asked = append(s.asked, [2]int{in.StartSegment, in.EndSegment})
	s.mu.Unlock()

	end := min(in.EndSegment, len(s.parts))
	if s.clamp > 0 {
		end = min(end, in.StartSegment+s.clamp-1)
	}
	urls := map[int]string{}
	for n := in.StartSegment; n <= end; n++ {
		urls[n] = fmt.Sprintf("%s/parts/%d/%d?%s", s.srv.URL, batch, n, urlSecret)
	}
	if s.answer != nil {
		urls = s.answer(urls)
	}
	type entry struct {
		Part int    `json:"part"`
		URL  string `json:"url"`
	}
	var list []entry
	for n, u := range urls {
		list = append(list, entry{n, u})
	}
	slices.SortFunc(list, func(a, b entry) int { return a.Part - b.Part })
	if s.reverse {
		slices.Reverse(list)
	}
	json.NewEncoder(w).Encode(map[string]any{"response": "SUCCESS", "downloadUrls": list})
}

func (s *partServer) part(w http.ResponseWriter, r *http.Request) {
	for name := range r.Header {
		if strings.HasPrefix(strings.ToLower(name), "ss-") {
			s.t.Errorf("a part GET carries SendSafely header %s", name)
		}
	}
	batch, _ := strconv.Atoi(r.PathValue("batch"))
	n, _ := strconv.Atoi(r.PathValue("part"))
	if r.URL.RawQuery != urlSecret || n < 1 || n > len(s.parts) {
		http.Error(w, "no such part", http.StatusNotFound)
		return
	}
	s.mu.Lock()
	s.gets[n]++
	attempt := s.gets[n]
	s.mu.Unlock()
	if s.hold != nil {
		s.hold(r, n)
	}
	if s.fail != nil {
		switch status := s.fail(batch, n, attempt); status {
		case 0:
		case -1:
			// Half the part, then the connection drops.
			w.Header().Set("Content-Length", strconv.Itoa(len(s.parts[n-1])))
			w.Write(s.parts[n-1][:len(s.parts[n-1])/2])
			w.(http.Flusher).Flush()
			panic(http.ErrAbortHandler)
		default:
			http.Error(w, http.StatusText(status), status)
			return
		}
	}
	w.Header().Set("Content-Type", "binary/octet-stream")
	w.Write(s.parts[n-1])
}

// connections returns how many connections s has accepted so far.
func (s *partServer) connections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.conns
}

// requests returns the segments asked for and the GETs by part so far.
func (s *partServer) requests() ([][2]int, map[int]int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.asked), maps.Clone(s.gets)
}

package sendsafelytest_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sendsafely/chatbot-connector/internal/fakeclock"
	"github.com/sendsafely/chatbot-connector/internal/sendsafely/sendsafelytest"
)

// downloadURLs calls download-urls and returns the response and the parts
// and URLs answered.
func downloadURLs(t *testing.T, s *sendsafelytest.Server, packageID, fileID, checksum string, start, end int) (string, []int, []string) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"checksum": checksum, "startSegment": start, "endSegment": end})
	r, a := call(t, s, "POST", "/api/v2.0/package/"+packageID+"/file/"+fileID+"/download-urls/", string(body), s.APIKey(), s.APISecret())
	var parts []int
	var urls []string
	list, _ := a["downloadUrls"].([]any)
	for _, e := range list {
		m := e.(map[string]any)
		parts, urls = append(parts, int(m["part"].(float64))), append(urls, m["url"].(string))
	}
	return r, parts, urls
}

// get GETs url plainly, as a presigned URL is fetched.
func get(t *testing.T, url string) (int, string, []byte) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Content-Type"), b
}

func span(from, to int) []int {
	var out []int
	for n := from; n <= to; n++ {
		out = append(out, n)
	}
	return out
}

// TestDownloadURLs: segments are 1-based and inclusive, at most 25 come
// back per call, clamped to the file's parts; a wrong checksum, another
// package's file or an unknown file is refused.
func TestDownloadURLs(t *testing.T) {
	s := sendsafelytest.Start(t, sendsafelytest.Config{})
	p := s.CreatePackage("upload-1", "who@example.com")
	// 30 parts, made only when fetched.
	f, err := s.AddGeneratedFile(p.ID, "big.bin", sendsafelytest.FirstPartSize+29*sendsafelytest.PartSize, 1)
	if err != nil {
		t.Fatal(err)
	}
	if f.Parts != 30 {
		t.Fatalf("got %d parts, want 30", f.Parts)
	}
	other := s.CreatePackage("upload-2", "who@example.com")
	sum := sendsafelytest.Checksum(p.KeyCode, p.Code)
	for _, tt := range []struct {
		name              string
		packageID, fileID string
		checksum          string
		start, end        int
		wantResponse      string
		wantParts         []int
	}{
		{"the SDK's first batch", p.ID, f.ID, sum, 1, 26, "SUCCESS", span(1, 25)},
		{"the rest", p.ID, f.ID, sum, 26, 51, "SUCCESS", span(26, 30)},
		{"past the end", p.ID, f.ID, sum, 29, 100, "SUCCESS", span(29, 30)},
		{"from zero", p.ID, f.ID, sum, 0, 2, "SUCCESS", span(1, 2)},
		{"one part", p.ID, f.ID, sum, 7, 7, "SUCCESS", span(7, 7)},
		{"wrong checksum", p.ID, f.ID, sendsafelytest.Checksum("other", p.Code), 1, 25, "INVALID_CHECKSUM", nil},
		{"another package's file", other.ID, f.ID, sendsafelytest.Checksum(other.KeyCode, other.Code), 1, 25, "FAIL", nil},
		{"unknown file", p.ID, "no-such-file", sum, 1, 25, "FAIL", nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r, parts, urls := downloadURLs(t, s, tt.packageID, tt.fileID, tt.checksum, tt.start, tt.end)
			if r != tt.wantResponse {
				t.Fatalf("got response %s, want %s", r, tt.wantResponse)
			}
			if diff := cmp.Diff(tt.wantParts, parts); diff != "" {
				t.Errorf("parts (-want +got):\n%s", diff)
			}
			for _, u := range urls {
				if !strings.HasPrefix(u, s.URL()+"/") {
					t.Errorf("url %s is not on the stand-in", u)
				}
			}
		})
	}
}

// TestChecksumKnownAnswer is dropzone.md's known answer.
func TestChecksumKnownAnswer(t *testing.T) {
	got := sendsafelytest.Checksum("aXaQiWhw9p29CAoDoLRxpWbzotX2Qe0D-0agiN_RYXU", "30B0MrkbR8ag31tjzwXi2SkR6Cr1k3CfpkfHinRBqjg")
	if want := "108fef6ace973f462c1d73be2e8ec6ccd2f1c1a64131e5375adce7840aaa33fd"; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

// TestPartURLs: a part URL is a plain GET (no SendSafely headers) that
// answers the ciphertext as binary/octet-stream until it expires, then 403
// "Request has expired", as S3 does; a tampered URL is refused; the fault
// switches fail GETs, flip a byte, or expire every URL.
func TestPartURLs(t *testing.T) {
	clock := fakeclock.New(time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC))
	s := sendsafelytest.Start(t, sendsafelytest.Config{Now: clock.Now, URLTTL: time.Minute})
	p := s.CreatePackage("upload-1", "who@example.com")
	content := bytes.Repeat([]byte("x"), sendsafelytest.FirstPartSize+10)
	f, err := s.AddFile(p.ID, "a.bin", content)
	if err != nil {
		t.Fatal(err)
	}
	pass := p.ServerSecret + p.KeyCode
	urls := func() []string {
		_, _, u := downloadURLs(t, s, p.ID, f.ID, sendsafelytest.Checksum(p.KeyCode, p.Code), 1, 25)
		return u
	}
	fetch := func(url string) (int, []byte) {
		st, ct, b := get(t, url)
		if st == http.StatusOK && ct != "binary/octet-stream" {
			t.Errorf("Content-Type %q, want binary/octet-stream", ct)
		}
		return st, b
	}
	u := urls()
	st, b := fetch(u[1])
	plain, _, err := decryptPart(b, pass)
	if st != http.StatusOK || err != nil || !bytes.Equal(plain, content[sendsafelytest.FirstPartSize:]) {
		t.Fatalf("part 2: %d, %v; want 200 and its bytes", st, err)
	}

	t.Run("tampered", func(t *testing.T) {
		if st, _ := fetch(strings.Replace(u[0], "/1?", "/2?", 1)); st != http.StatusForbidden {
			t.Errorf("part 1's URL for part 2: %d, want 403", st)
		}
	})
	t.Run("failing GETs", func(t *testing.T) {
		s.FailPartGets(2)
		var got []int
		for range 3 {
			st, _ := fetch(u[0])
			got = append(got, st)
		}
		if diff := cmp.Diff([]int{500, 500, 200}, got); diff != "" {
			t.Errorf("statuses (-want +got):\n%s", diff)
		}
	})
	t.Run("corrupt part", func(t *testing.T) {
		s.CorruptPart(f.ID, 1, true)
		_, b := fetch(u[0])
		if _, _, err := decryptPart(b, pass); err == nil {
			t.Error("a part with a flipped byte decrypted")
		}
		s.CorruptPart(f.ID, 1, false)
		_, b = fetch(u[0])
		if _, _, err := decryptPart(b, pass); err != nil {
			t.Errorf("the part as stored: %v", err)
		}
	})
	t.Run("expired by the switch", func(t *testing.T) {
		s.ExpirePartURLs(true)
		defer s.ExpirePartURLs(false)
		if st, b := fetch(u[0]); st != http.StatusForbidden || !strings.Contains(string(b), "Request has expired") {
			t.Errorf("got %d %s, want 403 Request has expired", st, b)
		}
	})
	t.Run("expired by time", func(t *testing.T) {
		clock.Advance(time.Minute + time.Second)
		if st, b := fetch(u[0]); st != http.StatusForbidden || !strings.Contains(string(b), "Request has expired") {
			t.Errorf("got %d %s, want 403 Request has expired", st, b)
		}
		if st, _ := fetch(urls()[0]); st != http.StatusOK {
			t.Errorf("a new URL: %d, want 200", st)
		}
	})
	for _, r := range s.Requests() {
		if strings.HasPrefix(r.Path, "/s3/") && r.Header.Get("ss-api-key") != "" {
			t.Errorf("a part GET carried SendSafely headers: %v", r.Header)
		}
	}
}

// TestGeneratedFile: a generated file's parts, made and encrypted when
// fetched, decrypt to GeneratedContent.
func TestGeneratedFile(t *testing.T) {
	s := sendsafelytest.Start(t, sendsafelytest.Config{})
	p := s.CreatePackage("upload-1", "who@example.com")
	const size = sendsafelytest.FirstPartSize + sendsafelytest.PartSize + 5
	f, err := s.AddGeneratedFile(p.ID, "gen.bin", size, 42)
	if err != nil {
		t.Fatal(err)
	}
	_, _, urls := downloadURLs(t, s, p.ID, f.ID, sendsafelytest.Checksum(p.KeyCode, p.Code), 1, 25)
	var got []byte
	for _, u := range urls {
		_, _, c := get(t, u)
		b, _, err := decryptPart(c, p.ServerSecret+p.KeyCode)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, b...)
	}
	want, _ := io.ReadAll(sendsafelytest.GeneratedContent(size, 42))
	other, _ := io.ReadAll(sendsafelytest.GeneratedContent(size, 43))
	if len(urls) != 3 || !bytes.Equal(got, want) || bytes.Equal(want, other) {
		t.Errorf("%d parts, %d bytes; want 3 parts of the seed's %d bytes, unlike another seed's", len(urls), len(got), len(want))
	}
}

// TestPackageFiles: package information lists the files as SendSafely's
// clients read them (fileSize a string, parts a number, dates in Java's
// format) with the package's serverSecret; a file uploaded through the API
// is listed once upload-complete has seen every part.
func TestPackageFiles(t *testing.T) {
	now := time.Date(2022, 6, 9, 13, 32, 34, 0, time.UTC)
	s := sendsafelytest.Start(t, sendsafelytest.Config{Now: func() time.Time { return now }})
	p := s.CreatePackage("upload-1", "who@example.com")
	f, err := s.AddFile(p.ID, "notes.txt", []byte("hello"))
	if err != nil {
		t.Fatal(err)
	}
	info := func() map[string]any {
		_, a := call(t, s, "GET", "/api/v2.0/package/"+p.ID+"/", "", s.APIKey(), s.APISecret())
		return a
	}
	a := info()
	want := []any{map[string]any{"fileId": f.ID, "fileName": "notes.txt", "fileSize": "5", "parts": float64(1),
		"createdByEmail": "who@example.com", "fileUploaded": "Jun 9, 2022 1:32:34 PM", "fileUploadedStr": "Jun 9, 2022 1:32:34 PM", "fileVersion": "1"}}
	if diff := cmp.Diff(want, a["files"]); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
	if a["serverSecret"] != p.ServerSecret || len(p.ServerSecret) != 43 {
		t.Errorf("serverSecret %v, want the package's %q", a["serverSecret"], p.ServerSecret)
	}

	// Through the API: two parts declared, one put.
	r, m := call(t, s, "PUT", "/api/v2.0/package/"+p.ID+"/file/", `{"filename":"a%20b.txt","uploadType":"NODE_API","parts":2,"filesize":3}`, s.APIKey(), s.APISecret())
	id, _ := m["message"].(string)
	if r != "SUCCESS" || id == "" {
		t.Fatalf("create file: %s %v", r, m)
	}
	_, m = call(t, s, "POST", "/api/v2.0/package/"+p.ID+"/file/"+id+"/upload-urls/", `{"part":1,"forceProxy":false}`, s.APIKey(), s.APISecret())
	list, _ := m["uploadUrls"].([]any)
	if len(list) != 2 {
		t.Fatalf("upload-urls: %v, want 2", m)
	}
	put := func(i int) {
		c, _ := sendsafelytest.EncryptPart(p.ServerSecret+p.KeyCode, []byte(fmt.Sprint(i)))
		req, _ := http.NewRequest("PUT", list[i].(map[string]any)["url"].(string), bytes.NewReader(c))
		resp, err := http.DefaultClient.Do(req)
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("PUT part %d: %v %v", i+1, resp, err)
		}
		resp.Body.Close()
	}
	complete := func() string {
		_, m := call(t, s, "POST", "/api/v2.0/package/"+p.ID+"/file/"+id+"/upload-complete/", `{"complete":true,"directoryId":""}`, s.APIKey(), s.APISecret())
		return fmt.Sprint(m["message"])
	}
	put(0)
	if got := complete(); got != "false" || len(info()["files"].([]any)) != 1 {
		t.Errorf("one part of two: upload-complete %s, %d files; want false and 1", got, len(info()["files"].([]any)))
	}
	put(1)
	if got, n := complete(), len(info()["files"].([]any)); got != "true" || n != 2 {
		t.Fatalf("both parts: upload-complete %s, %d files; want true and 2", got, n)
	}
	if name := info()["files"].([]any)[1].(map[string]any)["fileName"]; name != "a b.txt" {
		t.Errorf("fileName %v, want the name decoded: a b.txt", name)
	}
}

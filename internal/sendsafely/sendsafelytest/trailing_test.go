package sendsafelytest_test

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/sendsafely/chatbot-connector/internal/sendsafely/sendsafelytest"
)

// TestTrailingPart: a file declared with 2 parts takes, besides them, a
// third put by itself, empty (as SendSafely's Node.js SDK puts one after
// a file of whole segments), and nothing else: upload-urls gives part 3's
// URL only when asked for part 3, never part 4's; part 3 carrying content
// is refused; the file is complete with its 2 parts, and files[] and
// download-urls count 2.
func TestTrailingPart(t *testing.T) {
	s := sendsafelytest.Start(t, sendsafelytest.Config{})
	p := s.CreatePackage("upload-1", "who@example.com")
	pass := p.ServerSecret + p.KeyCode
	newFile := func(t *testing.T) string {
		t.Helper()
		r, m := call(t, s, "PUT", "/api/v2.0/package/"+p.ID+"/file/", `{"filename":"two.bin","uploadType":"NODE_API","parts":2,"filesize":2}`, s.APIKey(), s.APISecret())
		id, _ := m["message"].(string)
		if r != "SUCCESS" || id == "" {
			t.Fatalf("create file: %s %v", r, m)
		}
		return id
	}
	urls := func(t *testing.T, id string, part int) (string, []int, map[int]string) {
		t.Helper()
		r, m := call(t, s, "POST", "/api/v2.0/package/"+p.ID+"/file/"+id+"/upload-urls/", fmt.Sprintf(`{"part":%d,"forceProxy":false}`, part), s.APIKey(), s.APISecret())
		list, _ := m["uploadUrls"].([]any)
		var parts []int
		byPart := map[int]string{}
		for _, e := range list {
			e := e.(map[string]any)
			n := int(e["part"].(float64))
			parts, byPart[n] = append(parts, n), e["url"].(string)
		}
		return r, parts, byPart
	}
	put := func(t *testing.T, u string, plain []byte) int {
		t.Helper()
		c, err := sendsafelytest.EncryptPart(pass, plain)
		if err != nil {
			t.Fatal(err)
		}
		req, _ := http.NewRequest("PUT", u, bytes.NewReader(c))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}

	for _, tt := range []struct {
		part      int
		wantResp  string
		wantParts []int
	}{
		{1, "SUCCESS", []int{1, 2}},
		{2, "SUCCESS", []int{2}},
		{3, "SUCCESS", []int{3}},
		{4, "FAIL", nil},
	} {
		id := newFile(t)
		if r, parts, _ := urls(t, id, tt.part); r != tt.wantResp || fmt.Sprint(parts) != fmt.Sprint(tt.wantParts) {
			t.Errorf("upload-urls from part %d: %s %v, want %s %v", tt.part, r, parts, tt.wantResp, tt.wantParts)
		}
	}

	for _, tt := range []struct {
		name       string
		plain      []byte
		wantStatus int
		wantKept   bool
	}{
		{"empty", []byte{}, http.StatusOK, true},
		{"a byte", []byte{'x'}, http.StatusOK, true},
		{"content", bytes.Repeat([]byte{'x'}, 1000), http.StatusBadRequest, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			id := newFile(t)
			_, _, first := urls(t, id, 1)
			for n := 1; n <= 2; n++ {
				if got := put(t, first[n], []byte{byte('0' + n)}); got != http.StatusOK {
					t.Fatalf("PUT part %d: %d", n, got)
				}
			}
			_, m := call(t, s, "POST", "/api/v2.0/package/"+p.ID+"/file/"+id+"/upload-complete/", `{"complete":true}`, s.APIKey(), s.APISecret())
			if m["message"] != "true" {
				t.Fatalf("upload-complete of the declared parts: %v, want true", m)
			}
			_, _, third := urls(t, id, 3)
			if got := put(t, third[3], tt.plain); got != tt.wantStatus {
				t.Errorf("PUT part 3 of %d bytes: %d, want %d", len(tt.plain), got, tt.wantStatus)
			}
			c, err := s.StoredPart(p.ID, id, 3)
			if kept := err == nil; kept != tt.wantKept {
				t.Errorf("part 3 kept: %v (%v), want %v", kept, err, tt.wantKept)
			} else if !kept && !errors.Is(err, sendsafelytest.ErrUnknown) {
				t.Errorf("StoredPart(3): %v, want ErrUnknown", err)
			} else if kept {
				if b, _, err := decryptPart(c, pass); err != nil || !bytes.Equal(b, tt.plain) {
					t.Errorf("part 3 decrypts to %q, %v; want %q", b, err, tt.plain)
				}
			}
			files, err := s.Files(p.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range files {
				if f.ID == id && f.Parts != 2 {
					t.Errorf("files[] has %d parts, want the 2 declared", f.Parts)
				}
			}
			if r, parts, _ := downloadURLs(t, s, p.ID, id, sendsafelytest.Checksum(p.KeyCode, p.Code), 1, 25); r != "SUCCESS" || fmt.Sprint(parts) != "[1 2]" {
				t.Errorf("download-urls 1-25: %s %v, want the declared parts [1 2]", r, parts)
			}
			content, err := s.Content(p.ID, id)
			if err != nil || string(content) != "12" {
				t.Errorf("content %q, %v; want the declared parts' \"12\"", content, err)
			}
		})
	}
}

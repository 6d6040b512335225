package sendsafelytest_test

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/sendsafely/chatbot-connector/internal/sendsafely"
	"github.com/sendsafely/chatbot-connector/internal/sendsafely/sendsafelytest"
)

// call sends a request signed with apiKey and apiSecret and returns the
// answer's response field and the decoded answer.
func call(t *testing.T, s *sendsafelytest.Server, method, path, body, apiKey, apiSecret string) (string, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, s.URL()+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	ts := sendsafely.Timestamp(time.Now())
	req.Header.Set(sendsafely.HeaderAPIKey, apiKey)
	req.Header.Set(sendsafely.HeaderTimestamp, ts)
	p, _, _ := strings.Cut(path, "?")
	req.Header.Set(sendsafely.HeaderSignature, sendsafely.Sign(apiKey, apiSecret, p, ts, body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var a map[string]any
	if err := json.Unmarshal(raw, &a); err != nil {
		t.Fatalf("answer %q is not JSON: %v", raw, err)
	}
	r, _ := a["response"].(string)
	return r, a
}

func TestSignatureChecked(t *testing.T) {
	s := sendsafelytest.Start(t, sendsafelytest.Config{})
	p := s.CreatePackage("upload-1", "who@example.com")
	path := "/api/v2.0/package/" + p.ID + "/"
	for _, tt := range []struct {
		name, key, secret, want string
	}{
		{"right credentials", s.APIKey(), s.APISecret(), "SUCCESS"},
		{"wrong key", "other-key", s.APISecret(), "AUTHENTICATION_FAILED"},
		{"wrong secret", s.APIKey(), "other-secret", "AUTHENTICATION_FAILED"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got, _ := call(t, s, "GET", path, "", tt.key, tt.secret); got != tt.want {
				t.Errorf("got response %s, want %s", got, tt.want)
			}
		})
	}
	t.Run("unsigned", func(t *testing.T) {
		resp, err := http.Get(s.URL() + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		if !strings.Contains(string(raw), `"AUTHENTICATION_FAILED"`) {
			t.Errorf("got %s, want an AUTHENTICATION_FAILED answer", raw)
		}
	})
}

// The calls an upload page makes when it finalizes: read the public keys,
// put the keycode encrypted to each.
func TestPagePutsKeycodes(t *testing.T) {
	s := sendsafelytest.Start(t, sendsafelytest.Config{})
	pub, err := readFile("../testdata/gnupg-public.asc")
	if err != nil {
		t.Fatal(err)
	}
	keyID, err := s.RegisterKey(pub, "fixture")
	if err != nil {
		t.Fatal(err)
	}
	p := s.CreatePackage("upload-1", "who@example.com")
	r, a := call(t, s, "GET", "/api/v2.0/package/"+p.ID+"/public-keys/", "", s.APIKey(), s.APISecret())
	keys, _ := a["publicKeys"].([]any)
	if r != "SUCCESS" || len(keys) != 1 {
		t.Fatalf("got %s with %d keys, want SUCCESS with 1", r, len(keys))
	}
	k := keys[0].(map[string]any)
	if k["id"] != keyID || k["key"] != pub {
		t.Errorf("got key %v, want id %s and the registered key", k["id"], keyID)
	}
	body, _ := json.Marshal(map[string]any{"keycode": "-----BEGIN PGP MESSAGE-----\nplanted", "notifyRecipients": false})
	if r, _ := call(t, s, "PUT", "/api/v2.0/package/"+p.ID+"/link/"+keyID+"/", string(body), s.APIKey(), s.APISecret()); r != "SUCCESS" {
		t.Fatalf("PUT link: got %s, want SUCCESS", r)
	}
	r, a = call(t, s, "GET", "/api/v2.0/package/"+p.ID+"/link/"+keyID+"/", "", s.APIKey(), s.APISecret())
	if r != "SUCCESS" || a["message"] != "-----BEGIN PGP MESSAGE-----\nplanted" {
		t.Errorf("GET link: got %s %q, want SUCCESS and the message put", r, a["message"])
	}
	if r, _ := call(t, s, "PUT", "/api/v2.0/package/"+p.ID+"/link/no-such-key/", string(body), s.APIKey(), s.APISecret()); r == "SUCCESS" {
		t.Errorf("PUT link to an unknown key: got SUCCESS")
	}
}

func TestLinkAndCodes(t *testing.T) {
	now := time.Date(2026, 11, 21, 8, 0, 0, 0, time.UTC)
	s := sendsafelytest.Start(t, sendsafelytest.Config{Host: "acme.example", Now: func() time.Time { return now }})
	p, link, err := s.Upload("upload-1", "who@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Code) != 43 || len(p.KeyCode) != 43 || p.Code == p.KeyCode {
		t.Errorf("got code of %d and keycode of %d characters, want two different ones of 43", len(p.Code), len(p.KeyCode))
	}
	// SendSafely's order, thread first (dropzone.md, the secure link).
	want := "https://acme.example/receive/?thread=" + p.ID + "&packageCode=" + p.Code + "#keyCode=" + p.KeyCode
	if link != want {
		t.Errorf("got link %s, want %s", link, want)
	}
	if !p.Timestamp.Equal(now) || !p.Finalized || p.Label != "upload-1" || p.Sender != "who@example.com" {
		t.Errorf("got %+v, want a finalized package stamped %s", p, now)
	}
}

// TestDelete: a deleted package leaves the received list and is unknown to
// the Go API; deleting it again is ErrUnknown.
func TestDelete(t *testing.T) {
	s := sendsafelytest.Start(t, sendsafelytest.Config{})
	kept, _, err := s.Upload("upload-1", "a@example.com")
	if err != nil {
		t.Fatal(err)
	}
	gone, _, err := s.Upload("upload-2", "b@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(gone.ID); err != nil {
		t.Fatal(err)
	}
	if _, ok := s.Package(gone.ID); ok {
		t.Error("a deleted package is still kept")
	}
	if _, ok := s.Package(kept.ID); !ok {
		t.Error("the other package went too")
	}
	if err := s.Delete(gone.ID); !errors.Is(err, sendsafelytest.ErrUnknown) {
		t.Errorf("deleting again: got %v, want ErrUnknown", err)
	}
}

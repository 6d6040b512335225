package sendsafely_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/sendsafely"
	"github.com/sendsafely/chatbot-connector/internal/sendsafely/sendsafelytest"
)

var (
	standInNow = time.Date(2026, 11, 21, 8, 0, 0, 0, time.UTC)
	clientNow  = time.Date(2026, 11, 21, 8, 0, 5, 0, time.UTC)
)

// ourKey is one key pair made by GenerateKeyPair, shared by the tests:
// making RSA keys takes a while.
var ourKey = sync.OnceValues(func() (sendsafely.KeyPair, error) {
	return sendsafely.GenerateKeyPair("tests@example.com")
})

// fixture is a stand-in and a client pointed at it, with our key
// registered through the client.
type fixture struct {
	s   *sendsafelytest.Server
	c   *sendsafely.Client
	key connector.TrustedKey
}

func newFixture(t *testing.T, opts ...sendsafely.Option) fixture {
	t.Helper()
	kp, err := ourKey()
	if err != nil {
		t.Fatal(err)
	}
	s := sendsafelytest.Start(t, sendsafelytest.Config{Now: func() time.Time { return standInNow }})
	c := sendsafely.New(s.URL(), append([]sendsafely.Option{sendsafely.WithClock(func() time.Time { return clientNow })}, opts...)...)
	key := connector.TrustedKey{APIKey: connector.Secret(s.APIKey()), APISecret: connector.Secret(s.APISecret()), PrivateKey: kp.Private}
	key.KeyID, err = c.RegisterPublicKey(t.Context(), key, kp.Public, "tests")
	if err != nil {
		t.Fatal(err)
	}
	return fixture{s, c, key}
}

func TestPackage(t *testing.T) {
	f := newFixture(t)
	p := f.s.CreatePackage("upload-1", "who@example.com")
	a, err := f.s.AddFile(p.ID, "statement.pdf", make([]byte, 1234))
	if err != nil {
		t.Fatal(err)
	}
	b, err := f.s.AddFile(p.ID, "id front.jpg", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.Finalize(p.ID); err != nil {
		t.Fatal(err)
	}
	got, err := f.c.Package(t.Context(), f.key, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.ServerSecret == "" {
		t.Error("no serverSecret")
	}
	got.ServerSecret = ""
	want := connector.Package{ID: p.ID, Code: connector.Secret(p.Code), Label: "upload-1", Sender: "who@example.com", Timestamp: standInNow,
		Files: []connector.PackageFile{{ID: a.ID, Name: "statement.pdf", Size: 1234, Parts: 1}, {ID: b.ID, Name: "id front.jpg", Size: 0, Parts: 1}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("package (-want +got):\n%s", diff)
	}
}

// The stand-in encrypts the keycode to our key as the upload page does;
// the client decrypts it with the private half.
func TestKeyCodeRoundTrip(t *testing.T) {
	f := newFixture(t)
	p, _, err := f.s.Upload("upload-1", "who@example.com")
	if err != nil {
		t.Fatal(err)
	}
	got, err := f.c.KeyCode(t.Context(), f.key, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != p.KeyCode {
		t.Errorf("got keycode %q, want %q", got, p.KeyCode)
	}
}

// A key GnuPG made, registered at the stand-in: the client decrypts what
// go-crypto encrypted to a GnuPG key.
func TestKeyCodeGnuPGKey(t *testing.T) {
	f := newFixture(t)
	pub, priv := readTestdata(t, "gnupg-public.asc"), readTestdata(t, "gnupg-private.asc")
	id, err := f.s.RegisterKey(pub, "gnupg")
	if err != nil {
		t.Fatal(err)
	}
	p, _, err := f.s.Upload("upload-1", "who@example.com")
	if err != nil {
		t.Fatal(err)
	}
	key := f.key
	key.KeyID, key.PrivateKey = id, connector.Secret(priv)
	got, err := f.c.KeyCode(t.Context(), key, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != p.KeyCode {
		t.Errorf("got keycode %q, want %q", got, p.KeyCode)
	}
}

func readTestdata(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Every way SendSafely can fail to confirm is ErrUnavailable, and no
// error quotes a credential, a code or a keycode.
func TestErrorsAreUnavailable(t *testing.T) {
	f := newFixture(t)
	p, _, err := f.s.Upload("upload-1", "who@example.com")
	if err != nil {
		t.Fatal(err)
	}
	early := f.s.CreatePackage("upload-2", "who@example.com") // finalized before the key below
	if _, err := f.s.Finalize(early.ID); err != nil {
		t.Fatal(err)
	}
	late, err := ourKey()
	if err != nil {
		t.Fatal(err)
	}
	lateID, err := f.s.RegisterKey(late.Public, "registered after upload-2")
	if err != nil {
		t.Fatal(err)
	}
	planted := f.s.CreatePackage("upload-3", "who@example.com")
	if err := f.s.SetKeyCodeMessage(planted.ID, f.key.KeyID, "-----BEGIN PGP MESSAGE-----\n\nbm90IGEgbWVzc2FnZQ==\n-----END PGP MESSAGE-----\n"); err != nil {
		t.Fatal(err)
	}
	notJSON := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("<html>" + p.Code)) }))
	defer notJSON.Close()
	noCode := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"response":"SUCCESS","packageId":"` + p.ID + `","label":"upload-1"}`))
	}))
	defer noCode.Close()
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()

	wrongSecret := f.key
	wrongSecret.APISecret = "not-the-secret"
	wrongKeyID := f.key
	wrongKeyID.KeyID = lateID

	type op func(c *sendsafely.Client, key connector.TrustedKey) error
	readPackage := func(id string) op {
		return func(c *sendsafely.Client, key connector.TrustedKey) error {
			_, err := c.Package(t.Context(), key, id)
			return err
		}
	}
	readKeyCode := func(id string) op {
		return func(c *sendsafely.Client, key connector.TrustedKey) error {
			_, err := c.KeyCode(t.Context(), key, id)
			return err
		}
	}
	list := func(c *sendsafely.Client, key connector.TrustedKey) error {
		_, err := c.Received(t.Context(), key)
		return err
	}
	for _, tt := range []struct {
		name   string
		setup  func() // undone by f.s.SetStatus(0) etc. in cleanup below
		client *sendsafely.Client
		key    connector.TrustedKey
		op     op
	}{
		{"down: 503", func() { f.s.SetDown(true) }, f.c, f.key, readPackage(p.ID)},
		{"status 500", func() { f.s.SetStatus(500) }, f.c, f.key, readKeyCode(p.ID)},
		{"status 404", func() { f.s.SetStatus(404) }, f.c, f.key, list},
		{"status 201", func() { f.s.SetStatus(201) }, f.c, f.key, readPackage(p.ID)},
		{"credentials refused", func() { f.s.RefuseCredentials(true) }, f.c, f.key, readPackage(p.ID)},
		{"credentials refused, list", func() { f.s.RefuseCredentials(true) }, f.c, f.key, list},
		{"wrong secret", nil, f.c, wrongSecret, readKeyCode(p.ID)},
		{"unknown package", nil, f.c, f.key, readPackage("NONE-0000")},
		{"unknown package, keycode", nil, f.c, f.key, readKeyCode("NONE-0000")},
		{"no keycode for the trusted key", nil, f.c, wrongKeyID, readKeyCode(early.ID)},
		{"keycode does not decrypt", nil, f.c, f.key, readKeyCode(planted.ID)},
		{"private key unreadable", nil, f.c, connector.TrustedKey{APIKey: f.key.APIKey, APISecret: f.key.APISecret, KeyID: f.key.KeyID, PrivateKey: "garbage"}, readKeyCode(p.ID)},
		{"dot-segment id", nil, f.c, f.key, readPackage("..")},
		{"empty id", nil, f.c, f.key, readKeyCode("")},
		{"answer not JSON", nil, sendsafely.New(notJSON.URL), f.key, readPackage(p.ID)},
		{"SUCCESS without a packageCode", nil, sendsafely.New(noCode.URL), f.key, readPackage(p.ID)},
		{"nobody listening", nil, sendsafely.New(closed.URL), f.key, readPackage(p.ID)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if tt.setup != nil {
				tt.setup()
				t.Cleanup(func() { f.s.SetDown(false); f.s.SetStatus(0); f.s.RefuseCredentials(false) })
			}
			err := tt.op(tt.client, tt.key)
			if !errors.Is(err, connector.ErrUnavailable) {
				t.Fatalf("got %v, want ErrUnavailable", err)
			}
			for _, s := range []string{string(f.key.APIKey), string(f.key.APISecret), string(wrongSecret.APISecret), p.Code, p.KeyCode, "BEGIN PGP", "garbage"} {
				if strings.Contains(err.Error(), s) {
					t.Errorf("error %q quotes %q", err, s)
				}
			}
		})
	}
}

// A stand-in that does not answer costs the caller the bound, not more.
func TestTimeoutBound(t *testing.T) {
	const bound = 150 * time.Millisecond
	f := newFixture(t, sendsafely.WithTimeout(bound))
	p, _, err := f.s.Upload("upload-1", "who@example.com")
	if err != nil {
		t.Fatal(err)
	}
	f.s.Pause()
	defer f.s.Resume()
	for _, tt := range []struct {
		name string
		op   func() error
	}{
		{"package", func() error { _, err := f.c.Package(t.Context(), f.key, p.ID); return err }},
		{"keycode", func() error { _, err := f.c.KeyCode(t.Context(), f.key, p.ID); return err }},
		{"received", func() error { _, err := f.c.Received(t.Context(), f.key); return err }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			err := tt.op()
			took := time.Since(start)
			if !errors.Is(err, connector.ErrUnavailable) {
				t.Errorf("got %v, want ErrUnavailable", err)
			}
			if took > bound+time.Second {
				t.Errorf("took %s, want about %s", took, bound)
			}
		})
	}
	t.Run("the caller's context ends first", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		if _, err := f.c.Package(ctx, f.key, p.ID); !errors.Is(err, connector.ErrUnavailable) {
			t.Errorf("got %v, want ErrUnavailable", err)
		}
	})
}

// What arrives on the wire: the three headers, signed over the escaped
// path and the exact body.
func TestRequestsOnTheWire(t *testing.T) {
	f := newFixture(t)
	reg := f.s.Requests()[0] // the registration in newFixture
	f.s.ClearRequests()
	hostile := "A/B?C D"
	f.c.Package(t.Context(), f.key, hostile)
	f.c.Received(t.Context(), f.key)
	got := f.s.Requests()
	ts := "2026-11-21T08:00:05+0000"
	for _, tt := range []struct {
		name                string
		req                 sendsafelytest.Request
		method, path, query string
		body                string
	}{
		{"register key", reg, "PUT", "/api/v2.0/public-key/", "", reg.Body},
		{"hostile package id stays one segment", got[0], "GET", "/api/v2.0/package/A%2FB%3FC%20D/", "", ""},
		{"received, first page", got[1], "GET", "/api/v2.0/package/received/", "pageSize=100&rowIndex=0", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.req
			if r.Method != tt.method || r.Path != tt.path || r.Query != tt.query {
				t.Errorf("got %s %s ? %s, want %s %s ? %s", r.Method, r.Path, r.Query, tt.method, tt.path, tt.query)
			}
			want := map[string]string{
				"Ss-Api-Key":           string(f.key.APIKey),
				"Ss-Request-Timestamp": ts,
				"Ss-Request-Signature": sendsafely.Sign(string(f.key.APIKey), string(f.key.APISecret), tt.path, ts, tt.body),
			}
			for h, v := range want {
				if got := r.Header.Get(h); got != v {
					t.Errorf("%s: got %q, want %q", h, got, v)
				}
			}
		})
	}
	if !strings.Contains(reg.Body, `"publicKey":"-----BEGIN PGP PUBLIC KEY BLOCK-----`) || !strings.Contains(reg.Body, `"description":"tests"`) {
		t.Errorf("registration body %.80q lacks publicKey or description", reg.Body)
	}
	if reg.Header.Get("Content-Type") != "application/json" {
		t.Errorf("registration Content-Type: got %q, want application/json", reg.Header.Get("Content-Type"))
	}
}

func TestRegisterRefused(t *testing.T) {
	f := newFixture(t)
	kp, _ := ourKey()
	bad := f.key
	bad.APISecret = "wrong"
	if _, err := f.c.RegisterPublicKey(t.Context(), bad, kp.Public, "x"); !errors.Is(err, connector.ErrUnavailable) || !errors.Is(err, sendsafely.ErrAuthenticationFailed) {
		t.Errorf("got %v, want ErrUnavailable and ErrAuthenticationFailed", err)
	}
	if _, err := f.c.RegisterPublicKey(t.Context(), f.key, "not a key", "x"); !errors.Is(err, connector.ErrUnavailable) {
		t.Errorf("not a key: got %v, want ErrUnavailable", err)
	}
}

// A Client that has parsed a private key prints none of it.
func TestClientPrintsNoKey(t *testing.T) {
	f := newFixture(t)
	p, _, err := f.s.Upload("upload-1", "who@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.c.KeyCode(t.Context(), f.key, p.ID); err != nil {
		t.Fatal(err)
	}
	want := "sendsafely.Client(" + f.s.URL() + ")"
	for _, format := range []string{"%v", "%+v", "%#v", "%s"} {
		if got := fmt.Sprintf(format, f.c); got != want {
			t.Errorf("%s of *Client: got %.100q, want %q", format, got, want)
		}
		if got := fmt.Sprintf(format, *f.c); got != want {
			t.Errorf("%s of Client: got %.100q, want %q", format, got, want)
		}
	}
}

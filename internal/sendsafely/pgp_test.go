package sendsafely

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// fixtureKeyCode is what testdata/gnupg-keycode.asc holds (testdata/README.md).
const fixtureKeyCode = "kUkPz2n7bJXqW5rYtA0cD3eF8gH1iJ4kL6mN9oPqRsT"

func readFixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// GnuPG wrote the message and made the key: our code reads what another
// implementation writes.
func TestDecryptGnuPGMessage(t *testing.T) {
	var k keyCache
	got, err := k.decrypt(connector.Secret(readFixture(t, "gnupg-private.asc")), readFixture(t, "gnupg-keycode.asc"))
	if err != nil {
		t.Fatal(err)
	}
	if got != fixtureKeyCode {
		t.Errorf("got keycode %q, want %q", got, fixtureKeyCode)
	}
}

func TestDecryptRefuses(t *testing.T) {
	priv := readFixture(t, "gnupg-private.asc")
	msg := readFixture(t, "gnupg-keycode.asc")
	other, err := GenerateKeyPair("other@example.com")
	if err != nil {
		t.Fatal(err)
	}
	// Flip one character inside the message's armored body.
	i := strings.Index(msg, "\n\n") + 40
	tampered := msg[:i] + string(rune(msg[i]^1)) + msg[i+1:]
	for _, tt := range []struct {
		name, key, message string
		want               error
	}{
		{"not a key", "not a key", msg, errKey},
		{"a public key", readFixture(t, "gnupg-public.asc"), msg, errKey},
		{"not a message", priv, "not a message", errMessage},
		{"a key, not a message", priv, readFixture(t, "gnupg-public.asc"), errMessage},
		{"encrypted to another key", string(other.Private), msg, errMessage},
		{"tampered", priv, tampered, errMessage},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var k keyCache
			got, err := k.decrypt(connector.Secret(tt.key), tt.message)
			if !errors.Is(err, tt.want) {
				t.Fatalf("got %q, %v; want error %v", got, err, tt.want)
			}
			if strings.Contains(err.Error(), "BEGIN") || strings.Contains(err.Error(), fixtureKeyCode) {
				t.Errorf("error %q quotes the key or message", err)
			}
		})
	}
}

// The parsed key is kept while the secret's text is the same, and
// replaced when it changes.
func TestKeyCacheFollowsTheSecret(t *testing.T) {
	var k keyCache
	gnupg := connector.Secret(readFixture(t, "gnupg-private.asc"))
	first, err := k.entities(gnupg)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := k.entities(gnupg)
	if &first[0] != &again[0] {
		t.Errorf("the same key was parsed twice")
	}
	ours, err := GenerateKeyPair("rotated@example.com")
	if err != nil {
		t.Fatal(err)
	}
	rotated, err := k.entities(ours.Private)
	if err != nil {
		t.Fatal(err)
	}
	if rotated[0].PrimaryKey.KeyId == first[0].PrimaryKey.KeyId {
		t.Errorf("a rotated key still reads as the old one")
	}
}

func TestDecryptConcurrently(t *testing.T) {
	var k keyCache
	priv, msg := connector.Secret(readFixture(t, "gnupg-private.asc")), readFixture(t, "gnupg-keycode.asc")
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Go(func() {
			got, err := k.decrypt(priv, msg)
			if err == nil && got != fixtureKeyCode {
				err = errors.New("wrong keycode")
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
}

func TestKeyPairHidesPrivateHalf(t *testing.T) {
	kp := KeyPair{Public: "public", Private: "-----BEGIN PGP PRIVATE KEY BLOCK-----"}
	for _, f := range []string{"%v", "%+v", "%#v", "%s"} {
		if s := fmt.Sprintf(f, kp); strings.Contains(s, "PRIVATE") {
			t.Errorf("%s prints %q", f, s)
		}
	}
}

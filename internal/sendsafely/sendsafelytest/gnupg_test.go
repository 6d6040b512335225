package sendsafelytest_test

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/sendsafely/chatbot-connector/internal/sendsafely/sendsafelytest"
)

// GnuPG decrypts what the stand-in encrypts, so the stand-in writes
// OpenPGP other implementations read, not a dialect of go-crypto's own.
func TestGnuPGDecryptsStandIn(t *testing.T) {
	gpg, err := exec.LookPath("gpg")
	if err != nil {
		t.Skip("gpg is not installed: cannot check that GnuPG reads the stand-in's messages")
	}
	home, err := os.MkdirTemp("", "gpg") // short: gpg-agent's socket path is limited
	if err != nil {
		t.Fatal(err)
	}
	run := func(stdin string, args ...string) string {
		t.Helper()
		cmd := exec.CommandContext(t.Context(), gpg, append([]string{"--batch", "--quiet", "--pinentry-mode", "loopback", "--passphrase", ""}, args...)...)
		cmd.Env = append(os.Environ(), "GNUPGHOME="+home)
		cmd.Stdin = strings.NewReader(stdin)
		var out, errOut bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errOut
		if err := cmd.Run(); err != nil {
			t.Fatalf("gpg %v: %v\n%s", args, err, errOut.String())
		}
		return out.String()
	}
	t.Cleanup(func() {
		// Stop the agent this test's gpg started, then its home.
		kill := exec.Command("gpgconf", "--kill", "gpg-agent")
		kill.Env = append(os.Environ(), "GNUPGHOME="+home)
		kill.Run()
		os.RemoveAll(home)
	})
	priv, err := readFile("../testdata/gnupg-private.asc")
	if err != nil {
		t.Fatal(err)
	}
	pub, err := readFile("../testdata/gnupg-public.asc")
	if err != nil {
		t.Fatal(err)
	}
	run(priv, "--import")

	s := sendsafelytest.Start(t, sendsafelytest.Config{})
	keyID, err := s.RegisterKey(pub, "gnupg")
	if err != nil {
		t.Fatal(err)
	}
	p, _, err := s.Upload("upload-1", "who@example.com")
	if err != nil {
		t.Fatal(err)
	}
	r, a := call(t, s, "GET", "/api/v2.0/package/"+p.ID+"/link/"+keyID+"/", "", s.APIKey(), s.APISecret())
	msg, _ := a["message"].(string)
	if r != "SUCCESS" || !strings.HasPrefix(msg, "-----BEGIN PGP MESSAGE-----") {
		t.Fatalf("got %s with message %.40q, want SUCCESS with an armored message", r, msg)
	}
	if got := run(msg, "--decrypt"); got != p.KeyCode {
		t.Errorf("gpg decrypted %q, want %q", got, p.KeyCode)
	}
}

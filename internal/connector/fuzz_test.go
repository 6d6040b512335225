package connector_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// FuzzNotifyLink runs webhook check 4 on any secure link beside validly
// signed data: a link is either refused with ErrInvalid or it holds to
// every rule of the contract, checked here independently of the code
// under test. Seeds are in testdata/fuzz/FuzzNotifyLink.
func FuzzNotifyLink(f *testing.F) {
	f.Add("https://acme.sendsafely.com/receive/?thread=P1&packageCode=code-P1#keyCode=" + testLinkKey)
	f.Fuzz(func(t *testing.T, link string) {
		e := newEnv(t)
		id := e.generate(t, testEmail)
		n := sign(t, e.payload(id, "P1"), testKey)
		n.SecureLink = connector.Link(link)
		_, err := e.svc.Notify(t.Context(), n)
		if err != nil {
			if !errors.Is(err, connector.ErrInvalid) {
				t.Fatalf("error of another kind: %v", err)
			}
			return
		}
		if !linkHolds(link) {
			t.Fatalf("accepted a link that breaks the rules: %q", link)
		}
		res, err := e.svc.GetLink(t.Context(), connector.LinkRequest{UploadID: id, Email: testEmail})
		if err != nil || !res.Ready || string(res.Links[0]) != link {
			t.Fatalf("accepted link not handed back as sent: %+v, %v", res, err)
		}
	})
}

// linkHolds reports whether link keeps the contract's rules for the test
// notification (host acme.sendsafely.com, package P1 with code code-P1),
// written as plainly as possible: https, the host in any ASCII case, the
// path /receive/ as written, a query naming thread and packageCode once
// each, and a fragment keyCode=<16 to 128 of A-Z a-z 0-9 - _>.
func linkHolds(link string) bool {
	if len(link) > 2048 {
		return false
	}
	for _, c := range []byte(link) {
		if c < 0x20 || c > 0x7e {
			return false
		}
	}
	rest, ok := cutPrefixFold(link, "https://acme.sendsafely.com/receive/?")
	if !ok {
		return false
	}
	query, frag, ok := strings.Cut(rest, "#")
	if !ok {
		return false
	}
	name, k, _ := strings.Cut(frag, "=")
	if name != "keyCode" && name != "keycode" || len(k) < 16 || len(k) > 128 {
		return false
	}
	for _, c := range []byte(k) {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return strings.Count(query, "thread=") >= 1 && strings.Count(query, "packageCode=") >= 1
}

// cutPrefixFold is strings.CutPrefix with the scheme and host compared in
// ASCII without case (the path must match exactly).
func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) < len(prefix) {
		return "", false
	}
	hostEnd := len("https://acme.sendsafely.com")
	for i := 0; i < len(prefix); i++ {
		a, b := s[i], prefix[i]
		if i < hostEnd && 'A' <= a && a <= 'Z' {
			a += 'a' - 'A'
		}
		if a != b {
			return "", false
		}
	}
	return s[len(prefix):], true
}

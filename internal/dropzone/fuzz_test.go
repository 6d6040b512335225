package dropzone_test

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/dropzone"
)

// FuzzDecode: any input either decodes into valid UTF-8 fields or fails
// with ErrInvalid; it never panics. Seeds are in testdata/fuzz/FuzzDecode.
func FuzzDecode(f *testing.F) {
	f.Add(b64(`{"uploadId":"8e2b1c7e-2f0a-4a57-9d83-6c1f1d0c9a4e","email":"a@b.c","packageId":"P","packageCode":"C"}`))
	f.Fuzz(func(t *testing.T, data string) {
		sub, err := (dropzone.Codec{}).Decode(data)
		if err != nil {
			if !errors.Is(err, connector.ErrInvalid) {
				t.Fatalf("error of no kind: %v", err)
			}
			return
		}
		for _, s := range []string{sub.UploadID, string(sub.Email), sub.PackageID, sub.DropzoneID, sub.SubmittedAt} {
			if !utf8.ValidString(s) {
				t.Fatalf("invalid UTF-8 field %q", s)
			}
		}
	})
}

// FuzzParseLink: a parsed link never has a host with user info, and a
// failure is always ErrInvalid. Seeds are in testdata/fuzz/FuzzParseLink.
func FuzzParseLink(f *testing.F) {
	f.Add("https://acme.sendsafely.com/receive/?thread=A4Z1-MBLN&packageCode=pc#keyCode=kc")
	f.Fuzz(func(t *testing.T, link string) {
		lp, err := (dropzone.Codec{}).ParseLink(connector.Link(link))
		if err != nil {
			if !errors.Is(err, connector.ErrInvalid) {
				t.Fatalf("error of no kind: %v", err)
			}
			return
		}
		if strings.Contains(lp.Host, "@") || lp.Host == "" {
			t.Fatalf("host %q", lp.Host)
		}
	})
}

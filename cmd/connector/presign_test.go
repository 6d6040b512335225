package main

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// checkPresignedExpiry asserts that link, read_file's download link, is
// an S3 presigned GET valid 5 minutes from its signing time, with the
// expiry inside what is signed: SigV4 over the same request, at the
// link's X-Amz-Date, with creds, gives the link's signature, so S3 refuses
// the link once X-Amz-Date + X-Amz-Expires has passed, and refuses it
// altered.
//
// moto_server (5.2.1) serves a presigned GET whatever its date, expiry or
// signature: it checks no query-string signature at all (checked by
// presigning with a signing time 10 minutes and 48 hours in the past,
// and with a signature altered: each was served). So the expiry itself
// cannot be seen refused here; the signature is checked instead.
func checkPresignedExpiry(t *testing.T, link string, creds aws.CredentialsProvider) {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil {
		t.Fatalf("download link: %v", err)
	}
	q := u.Query()
	if got := q.Get("X-Amz-Expires"); got != "300" {
		t.Errorf("X-Amz-Expires %q, want 300 (5 minutes)", got)
	}
	if got := q.Get("X-Amz-SignedHeaders"); got != "host" {
		t.Errorf("X-Amz-SignedHeaders %q, want host: a plain GET sends no other header", got)
	}
	signed, err := time.Parse("20060102T150405Z", q.Get("X-Amz-Date"))
	if err != nil {
		t.Fatalf("X-Amz-Date %q: %v", q.Get("X-Amz-Date"), err)
	}
	// The scope is key id/date/region/s3/aws4_request.
	scope := strings.Split(q.Get("X-Amz-Credential"), "/")
	if q.Get("X-Amz-Algorithm") != "AWS4-HMAC-SHA256" || len(scope) != 5 || scope[1] != signed.Format("20060102") ||
		scope[3] != "s3" || scope[4] != "aws4_request" {
		t.Fatalf("not a SigV4 presigned S3 URL: %s %s", q.Get("X-Amz-Algorithm"), q.Get("X-Amz-Credential"))
	}
	c, err := creds.Retrieve(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := q.Get("X-Amz-Signature")
	for _, p := range []string{"X-Amz-Signature", "X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-SignedHeaders"} {
		q.Del(p)
	}
	for _, tt := range []struct {
		name    string
		expires string
		at      time.Time
		same    bool
	}{
		{"as signed", "300", signed, true},
		{"a longer expiry", "3600", signed, false},
		{"signed a second later", "300", signed.Add(time.Second), false},
	} {
		q.Set("X-Amz-Expires", tt.expires)
		re := *u
		re.RawQuery = q.Encode()
		req, err := http.NewRequest(http.MethodGet, re.String(), nil)
		if err != nil {
			t.Fatal(err)
		}
		got, _, err := v4.NewSigner().PresignHTTP(context.Background(), c, req, "UNSIGNED-PAYLOAD", "s3", scope[2], tt.at)
		if err != nil {
			t.Fatal(err)
		}
		sig, _ := url.Parse(got)
		if same := sig.Query().Get("X-Amz-Signature") == want; same != tt.same {
			t.Errorf("%s: the signature matches the link's: %v, want %v", tt.name, same, tt.same)
		}
	}
}

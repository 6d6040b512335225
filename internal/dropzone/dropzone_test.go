package dropzone_test

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/dropzone"
)

func TestVerify(t *testing.T) {
	key := []byte("validation-key")
	data := "eyJ1cGxvYWRJZCI6IngifQ"
	raw := dropzone.Sign(data, key)
	for _, tt := range []struct {
		name   string
		data   string
		digest string
		key    []byte
		want   bool
	}{
		{"base64url without padding", data, base64.RawURLEncoding.EncodeToString(raw), key, true},
		{"base64url with padding", data, base64.URLEncoding.EncodeToString(raw), key, true},
		{"standard alphabet", data, base64.StdEncoding.EncodeToString(raw), key, true},
		{"other key", data, base64.RawURLEncoding.EncodeToString(raw), []byte("other"), false},
		{"empty key", data, base64.RawURLEncoding.EncodeToString(dropzone.Sign(data, nil)), nil, false},
		{"data changed", data + "A", base64.RawURLEncoding.EncodeToString(raw), key, false},
		{"digest truncated", data, base64.RawURLEncoding.EncodeToString(raw[:31]), key, false},
		{"digest not base64", data, "!!!", key, false},
		{"empty digest", data, "", key, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := (dropzone.Codec{}).Verify(tt.data, tt.digest, tt.key); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

// TestSignKnownAnswer pins the digest to HMAC-SHA256 (RFC 4231 case 2).
func TestSignKnownAnswer(t *testing.T) {
	got := base64.StdEncoding.EncodeToString(dropzone.Sign("what do ya want for nothing?", []byte("Jefe")))
	if want := "W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM="; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

func TestDecode(t *testing.T) {
	for _, tt := range []struct {
		name string
		data string
		want connector.Submission
		err  error
	}{
		{"all fields", b64(`{"uploadId":"U","email":"e@x.com","packageId":"P","packageCode":"C","dropzoneId":"D","submittedAt":"2026-11-21T08:00:00Z"}`),
			connector.Submission{UploadID: "U", Email: "e@x.com", PackageID: "P", PackageCode: "C", DropzoneID: "D", SubmittedAt: "2026-11-21T08:00:00Z"}, nil},
		{"name in place of uploadId", b64(`{"name":"U","packageId":"P"}`), connector.Submission{UploadID: "U", PackageID: "P"}, nil},
		{"uploadId wins over name", b64(`{"name":"N","uploadId":"U"}`), connector.Submission{UploadID: "U"}, nil},
		{"field names any case", b64(`{"UPLOADID":"U","PackageId":"P"}`), connector.Submission{UploadID: "U", PackageID: "P"}, nil},
		{"padded", base64.URLEncoding.EncodeToString([]byte(`{"uploadId":"U1"}`)), connector.Submission{UploadID: "U1"}, nil},
		{"unknown fields ignored", b64(`{"uploadId":"U","extra":{"a":1}}`), connector.Submission{UploadID: "U"}, nil},
		{"not base64", "%%%", connector.Submission{}, connector.ErrInvalid},
		{"not JSON", b64(`uploadId=U`), connector.Submission{}, connector.ErrInvalid},
		{"JSON array", b64(`["U"]`), connector.Submission{}, connector.ErrInvalid},
		{"JSON string", b64(`"U"`), connector.Submission{}, connector.ErrInvalid},
		{"number for a string", b64(`{"uploadId":5}`), connector.Submission{}, connector.ErrInvalid},
		{"invalid UTF-8", base64.RawURLEncoding.EncodeToString([]byte("{\"uploadId\":\"\xff\"}")), connector.Submission{}, connector.ErrInvalid},
		{"too long", strings.Repeat("A", dropzone.MaxDataLen+1), connector.Submission{}, connector.ErrInvalid},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := (dropzone.Codec{}).Decode(tt.data)
			if tt.err != nil {
				if !errors.Is(err, tt.err) {
					t.Fatalf("got %v, want %v", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseLink(t *testing.T) {
	for _, tt := range []struct {
		name string
		link string
		want connector.LinkParts
		err  error
	}{
		{"typical", "https://acme.sendsafely.com/receive/?thread=A4Z1-MBLN&packageCode=pc#keyCode=kc",
			connector.LinkParts{Scheme: "https", Host: "acme.sendsafely.com", Path: "/receive/", Thread: "A4Z1-MBLN", PackageCode: "pc", KeyCode: "kc"}, nil},
		{"keycode spelling", "https://h/receive/?thread=T&packageCode=pc#keycode=kc",
			connector.LinkParts{Scheme: "https", Host: "h", Path: "/receive/", Thread: "T", PackageCode: "pc", KeyCode: "kc"}, nil},
		{"no fragment", "https://h/receive/?thread=T&packageCode=pc",
			connector.LinkParts{Scheme: "https", Host: "h", Path: "/receive/", Thread: "T", PackageCode: "pc"}, nil},
		{"empty key code", "https://h/receive/?thread=T#keyCode=",
			connector.LinkParts{Scheme: "https", Host: "h", Path: "/receive/", Thread: "T"}, nil},
		{"host with port kept", "https://h:8443/receive/?thread=T",
			connector.LinkParts{Scheme: "https", Host: "h:8443", Path: "/receive/", Thread: "T"}, nil},
		{"path percent-encoded kept as written", "https://h/%72eceive/?thread=T",
			connector.LinkParts{Scheme: "https", Host: "h", Path: "/%72eceive/", Thread: "T"}, nil},
		{"encoded slash kept as written", "https://h/receive%2F?thread=T",
			connector.LinkParts{Scheme: "https", Host: "h", Path: "/receive%2F", Thread: "T"}, nil},
		{"key code kept as written", "https://h/receive/?thread=T#keyCode=a%3Cb",
			connector.LinkParts{Scheme: "https", Host: "h", Path: "/receive/", Thread: "T", KeyCode: "a%3Cb"}, nil},
		{"other fragment", "https://h/receive/?thread=T#key=kc",
			connector.LinkParts{Scheme: "https", Host: "h", Path: "/receive/", Thread: "T"}, nil},
		{"relative", "/receive/?thread=T", connector.LinkParts{}, connector.ErrInvalid},
		{"user info", "https://u@h/receive/?thread=T", connector.LinkParts{}, connector.ErrInvalid},
		{"repeated thread", "https://h/receive/?thread=T&thread=U", connector.LinkParts{}, connector.ErrInvalid},
		{"both key code spellings", "https://h/receive/?thread=T#keyCode=a&keycode=b", connector.LinkParts{}, connector.ErrInvalid},
		{"second fragment parameter", "https://h/receive/?thread=T#keyCode=a;x=b", connector.LinkParts{}, connector.ErrInvalid},
		{"bad escape in query", "https://h/receive/?thread=%zz", connector.LinkParts{}, connector.ErrInvalid},
		{"not a URL", "https://h/\x7f", connector.LinkParts{}, connector.ErrInvalid},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := (dropzone.Codec{}).ParseLink(connector.Link(tt.link))
			if tt.err != nil {
				if !errors.Is(err, tt.err) {
					t.Fatalf("got %v, want %v", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestEncodeRoundTrip: what Encode and Link write, Verify, Decode and
// ParseLink read back.
func TestEncodeRoundTrip(t *testing.T) {
	key := []byte("validation-key")
	p := dropzone.Payload{UploadID: "U", Email: "e@x.com", PackageID: "ABCD-1234", PackageCode: "pc", DropzoneID: "D", SubmittedAt: "2026-11-21T08:00:00Z"}
	data, digest := dropzone.Encode(p, key)
	if !(dropzone.Codec{}).Verify(data, digest, key) {
		t.Fatal("Encode's digest does not verify")
	}
	got, err := (dropzone.Codec{}).Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	want := connector.Submission{UploadID: "U", Email: "e@x.com", PackageID: "ABCD-1234", PackageCode: "pc", DropzoneID: "D", SubmittedAt: "2026-11-21T08:00:00Z"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	lp, err := (dropzone.Codec{}).ParseLink(connector.Link(dropzone.Link("acme.sendsafely.com", p.PackageID, p.PackageCode, "kc")))
	if err != nil || lp.Thread != p.PackageID || lp.PackageCode != "pc" || lp.KeyCode != "kc" || lp.Host != "acme.sendsafely.com" {
		t.Errorf("ParseLink(Link(…)): %+v, %v", lp, err)
	}
}

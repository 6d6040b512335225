package connector_test

import (
	"context"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// TestNotifyChecks holds each of the contract's webhook checks to its
// answer, one failure at a time, on an otherwise valid notification.
func TestNotifyChecks(t *testing.T) {
	for _, tt := range []struct {
		name    string
		keys    *connector.KeySet
		mod     func(e *env, p *payload)
		modN    func(n *connector.Notice)
		want    error
		outcome string
		events  []string
	}{
		{name: "valid", outcome: connector.OutcomeStored, events: []string{connector.EventSubmitted}},
		{name: "previous key during rotation", keys: &connector.KeySet{ValidationKey: "new-key", PreviousValidationKey: testKey},
			outcome: connector.OutcomeStored, events: []string{connector.EventSubmitted}},
		{name: "name in place of uploadId", mod: func(e *env, p *payload) { p.Name, p.UploadID = p.UploadID, "" },
			outcome: connector.OutcomeStored, events: []string{connector.EventSubmitted}},
		{name: "no dropzoneId in data", mod: func(e *env, p *payload) { p.DropzoneID = "" },
			outcome: connector.OutcomeStored, events: []string{connector.EventSubmitted}},
		// 1. digest
		{name: "forged digest", modN: func(n *connector.Notice) { n.Digest = base64.RawURLEncoding.EncodeToString(make([]byte, 32)) }, want: connector.ErrUnauthorized},
		{name: "digest of other data", modN: func(n *connector.Notice) { n.Data += "x" }, want: connector.ErrUnauthorized},
		{name: "no digest", modN: func(n *connector.Notice) { n.Digest = "" }, want: connector.ErrUnauthorized},
		{name: "rotated out key", keys: &connector.KeySet{ValidationKey: "new-key", PreviousValidationKey: "newer"}, want: connector.ErrUnauthorized},
		{name: "no validation key configured", keys: &connector.KeySet{}, want: connector.ErrUnavailable},
		// 2. data
		{name: "no uploadId", mod: func(e *env, p *payload) { p.UploadID = "" }, want: connector.ErrInvalid},
		{name: "no email", mod: func(e *env, p *payload) { p.Email = "" }, want: connector.ErrInvalid},
		{name: "no packageId", mod: func(e *env, p *payload) { p.PackageID = "" }, want: connector.ErrInvalid},
		{name: "no packageCode", mod: func(e *env, p *payload) { p.PackageCode = "" }, want: connector.ErrInvalid},
		// 3. age
		{name: "no submittedAt", mod: func(e *env, p *payload) { p.SubmittedAt = "" }, want: connector.ErrUnauthorized},
		{name: "submittedAt not a time", mod: func(e *env, p *payload) { p.SubmittedAt = "yesterday" }, want: connector.ErrUnauthorized},
		{name: "replayed after max age", mod: func(e *env, p *payload) { p.SubmittedAt = t0.Add(-61 * time.Minute).Format(time.RFC3339) }, want: connector.ErrUnauthorized},
		{name: "just within max age", mod: func(e *env, p *payload) { p.SubmittedAt = t0.Add(-59 * time.Minute).Format(time.RFC3339) },
			outcome: connector.OutcomeStored, events: []string{connector.EventSubmitted}},
		{name: "too far in the future", mod: func(e *env, p *payload) { p.SubmittedAt = t0.Add(6 * time.Minute).Format(time.RFC3339) }, want: connector.ErrUnauthorized},
		{name: "slightly in the future", mod: func(e *env, p *payload) { p.SubmittedAt = t0.Add(4 * time.Minute).Format(time.RFC3339) },
			outcome: connector.OutcomeStored, events: []string{connector.EventSubmitted}},
		// 4. dropzone and link
		{name: "other dropzone", mod: func(e *env, p *payload) { p.DropzoneID = "DZ-OTHER" }, want: connector.ErrInvalid},
		{name: "no link", modN: func(n *connector.Notice) { n.SecureLink = "" }, want: connector.ErrInvalid},
		{name: "http link", modN: func(n *connector.Notice) {
			n.SecureLink = connector.Link(strings.Replace(string(n.SecureLink), "https:", "http:", 1))
		}, want: connector.ErrInvalid},
		{name: "link on other host", modN: func(n *connector.Notice) {
			n.SecureLink = connector.Link(strings.Replace(string(n.SecureLink), testHost, "evil.example.com", 1))
		}, want: connector.ErrInvalid},
		{name: "link with port", modN: func(n *connector.Notice) {
			n.SecureLink = connector.Link(strings.Replace(string(n.SecureLink), testHost, testHost+":8443", 1))
		}, want: connector.ErrInvalid},
		{name: "link with user info", modN: func(n *connector.Notice) {
			n.SecureLink = connector.Link(strings.Replace(string(n.SecureLink), testHost, "x@"+testHost, 1))
		}, want: connector.ErrInvalid},
		{name: "link other path", modN: func(n *connector.Notice) {
			n.SecureLink = connector.Link(strings.Replace(string(n.SecureLink), "/receive/", "/send/", 1))
		}, want: connector.ErrInvalid},
		{name: "link thread differs", modN: func(n *connector.Notice) {
			n.SecureLink = connector.Link(strings.Replace(string(n.SecureLink), "thread=P1", "thread=P2", 1))
		}, want: connector.ErrInvalid},
		{name: "link packageCode differs", modN: func(n *connector.Notice) {
			n.SecureLink = connector.Link(strings.Replace(string(n.SecureLink), "packageCode=code-P1", "packageCode=other", 1))
		}, want: connector.ErrInvalid},
		{name: "link thread repeated", modN: func(n *connector.Notice) {
			n.SecureLink = connector.Link(strings.Replace(string(n.SecureLink), "?", "?thread=P9&", 1))
		}, want: connector.ErrInvalid},
		{name: "link without keyCode", modN: func(n *connector.Notice) { n.SecureLink = connector.Link(strings.Split(string(n.SecureLink), "#")[0]) }, want: connector.ErrInvalid},
		{name: "link with empty keyCode", modN: func(n *connector.Notice) {
			n.SecureLink = connector.Link(strings.Split(string(n.SecureLink), "#")[0] + "#keyCode=")
		}, want: connector.ErrInvalid},
		{name: "link with keycode spelling", modN: func(n *connector.Notice) {
			n.SecureLink = connector.Link(strings.Replace(string(n.SecureLink), "keyCode", "keycode", 1))
		},
			outcome: connector.OutcomeStored, events: []string{connector.EventSubmitted}},
		{name: "keyCode of 16 characters", modN: keyCode(strings.Repeat("a", 16)),
			outcome: connector.OutcomeStored, events: []string{connector.EventSubmitted}},
		{name: "keyCode of 128 characters", modN: keyCode(strings.Repeat("A-_9", 32)),
			outcome: connector.OutcomeStored, events: []string{connector.EventSubmitted}},
		{name: "keyCode of 15 characters", modN: keyCode(strings.Repeat("a", 15)), want: connector.ErrInvalid},
		{name: "keyCode of 129 characters", modN: keyCode(strings.Repeat("a", 129)), want: connector.ErrInvalid},
		{name: "keyCode of 60,000 characters", modN: keyCode(strings.Repeat("a", 60000)), want: connector.ErrInvalid},
		{name: "keyCode with control characters and markup", modN: keyCode("kkkkkkkkkkkkkkkk%00%0D%0A<script>alert(1)</script>"), want: connector.ErrInvalid},
		{name: "keyCode percent-encoded", modN: keyCode("kkkkkkkkkkkkkkkk%41"), want: connector.ErrInvalid},
		{name: "keyCode with a raw control character", modN: keyCode("kkkkkkkkkkkkkkkk\x00"), want: connector.ErrInvalid},
		{name: "second parameter in the fragment", modN: func(n *connector.Notice) { n.SecureLink += "&x=1" }, want: connector.ErrInvalid},
		{name: "link over 2,048 characters", modN: func(n *connector.Notice) {
			n.SecureLink = connector.Link(strings.Replace(string(n.SecureLink), "/receive/?", "/receive/?pad="+strings.Repeat("p", 2048)+"&", 1))
		}, want: connector.ErrInvalid},
		{name: "link of exactly 2,048 characters", modN: func(n *connector.Notice) {
			pad := 2048 - len(n.SecureLink) - len("pad=&")
			n.SecureLink = connector.Link(strings.Replace(string(n.SecureLink), "/receive/?", "/receive/?pad="+strings.Repeat("p", pad)+"&", 1))
		}, outcome: connector.OutcomeStored, events: []string{connector.EventSubmitted}},
		{name: "link with a non-ASCII character", modN: func(n *connector.Notice) { n.SecureLink += "é" }, want: connector.ErrInvalid},
		{name: "host in upper case", modN: func(n *connector.Notice) {
			n.SecureLink = connector.Link(strings.Replace(string(n.SecureLink), testHost, strings.ToUpper(testHost), 1))
		}, outcome: connector.OutcomeStored, events: []string{connector.EventSubmitted}},
		{name: "host with a long s (U+017F)", modN: func(n *connector.Notice) {
			n.SecureLink = connector.Link(strings.Replace(string(n.SecureLink), "acme.sendsafely.com", "acme.\u017fendsafely.com", 1))
		}, want: connector.ErrInvalid},
		{name: "host with a Kelvin sign (U+212A)", modN: func(n *connector.Notice) {
			n.SecureLink = connector.Link(strings.Replace(string(n.SecureLink), "acme.sendsafely.com", "acme.sendsafely.com\u212a", 1))
		}, want: connector.ErrInvalid},
		{name: "path with an encoded slash", modN: func(n *connector.Notice) {
			n.SecureLink = connector.Link(strings.Replace(string(n.SecureLink), "/receive/", "/receive%2F", 1))
		}, want: connector.ErrInvalid},
		{name: "path with an encoded letter", modN: func(n *connector.Notice) {
			n.SecureLink = connector.Link(strings.Replace(string(n.SecureLink), "/receive/", "/%72eceive/", 1))
		}, want: connector.ErrInvalid},
		{name: "path without its slash", modN: func(n *connector.Notice) {
			n.SecureLink = connector.Link(strings.Replace(string(n.SecureLink), "/receive/", "/receive", 1))
		}, want: connector.ErrInvalid},
		{name: "path in upper case", modN: func(n *connector.Notice) {
			n.SecureLink = connector.Link(strings.Replace(string(n.SecureLink), "/receive/", "/RECEIVE/", 1))
		}, want: connector.ErrInvalid},
		// 5. upload
		{name: "unknown upload", mod: func(e *env, p *payload) { p.UploadID = "00000000-0000-4000-8000-999999999999" },
			want: connector.ErrNotFound, outcome: connector.OutcomeUnmatched, events: []string{connector.EventUnmatched}},
		{name: "upload id not a uuid", mod: func(e *env, p *payload) { p.UploadID = "ticket-42" },
			want: connector.ErrNotFound, outcome: connector.OutcomeUnmatched, events: []string{connector.EventUnmatched}},
		{name: "other email than bound", mod: func(e *env, p *payload) { p.Email = "someone@else.example" },
			want: connector.ErrNotFound, outcome: connector.OutcomeUnmatched, events: []string{connector.EventUnmatched}},
		{name: "bound email in other case and spaces", mod: func(e *env, p *payload) { p.Email = "  customer@EXAMPLE.com " },
			outcome: connector.OutcomeStored, events: []string{connector.EventSubmitted}},
		{name: "upload closed", mod: func(e *env, p *payload) {
			e.clock.Advance(24 * time.Hour)
			p.SubmittedAt = e.clock.Now().Format(time.RFC3339)
		}, want: connector.ErrNotFound, outcome: connector.OutcomeUnmatched, events: []string{connector.EventUnmatched}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			id := e.generate(t, testEmail)
			if tt.keys != nil {
				e.keys.Set(*tt.keys)
			}
			p := e.payload(id, "P1")
			if tt.mod != nil {
				tt.mod(e, &p)
			}
			n := sign(t, p, testKey)
			if tt.modN != nil {
				tt.modN(&n)
			}
			rc, err := e.svc.Notify(context.Background(), n)
			if tt.want == nil && err != nil || tt.want != nil && !errors.Is(err, tt.want) {
				t.Fatalf("Notify: got error %v, want %v", err, tt.want)
			}
			if rc.Outcome != tt.outcome {
				t.Errorf("outcome: got %q, want %q", rc.Outcome, tt.outcome)
			}
			var got []string
			for _, ev := range e.pub.Events() {
				got = append(got, ev.Type)
			}
			if diff := cmp.Diff(tt.events, got); diff != "" {
				t.Errorf("events (-want +got):\n%s", diff)
			}
		})
	}
}

// keyCode returns a change of a notice's link to carry key code k.
func keyCode(k string) func(n *connector.Notice) {
	return func(n *connector.Notice) {
		n.SecureLink = connector.Link(strings.Replace(string(n.SecureLink), "keyCode="+testLinkKey, "keyCode="+k, 1))
	}
}

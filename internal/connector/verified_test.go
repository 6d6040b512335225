package connector_test

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/dropzone"
	"github.com/sendsafely/chatbot-connector/internal/memory"
)

// trusted is a complete verified-mode key for tests; the fake checks that
// every call carries it.
var trusted = connector.TrustedKey{APIKey: "api-key", APISecret: "api-secret", KeyID: "key-1", PrivateKey: "-----BEGIN PGP PRIVATE KEY BLOCK-----"}

// fakeSendSafely is SendSafely's side of verified mode in memory: packages
// with their keycodes, a switch that takes it down, and call counts.
type fakeSendSafely struct {
	mu       sync.Mutex
	pkgs     map[string]connector.Package
	keyCodes map[string]connector.Secret
	order    []string
	err      error // every call fails with it when set
	calls    map[string]int
}

var _ connector.SendSafely = (*fakeSendSafely)(nil)

func newFakeSendSafely() *fakeSendSafely {
	return &fakeSendSafely{pkgs: map[string]connector.Package{}, keyCodes: map[string]connector.Secret{}, calls: map[string]int{}}
}

// upload adds a package as a finalized Dropzone upload leaves it.
func (f *fakeSendSafely) upload(id, label string, sender connector.Email, at time.Time) (code, keyCode string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	code, keyCode = randomCode(), randomCode()
	f.pkgs[id] = connector.Package{ID: id, Code: connector.Secret(code), Label: label, Sender: sender, Timestamp: at}
	f.keyCodes[id] = connector.Secret(keyCode)
	f.order = append(f.order, id)
	return code, keyCode
}

func (f *fakeSendSafely) call(name string, key connector.TrustedKey) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls[name]++
	if key != trusted {
		return fmt.Errorf("%w: credentials refused", connector.ErrUnavailable)
	}
	return f.err
}

func (f *fakeSendSafely) Package(_ context.Context, key connector.TrustedKey, id string) (connector.Package, error) {
	if err := f.call("package", key); err != nil {
		return connector.Package{}, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	p, ok := f.pkgs[id]
	if !ok {
		return connector.Package{}, fmt.Errorf("%w: unknown package", connector.ErrUnavailable)
	}
	return p, nil
}

func (f *fakeSendSafely) KeyCode(_ context.Context, key connector.TrustedKey, id string) (connector.Secret, error) {
	if err := f.call("keycode", key); err != nil {
		return "", err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	k, ok := f.keyCodes[id]
	if !ok {
		return "", fmt.Errorf("%w: no keycode for the trusted key", connector.ErrUnavailable)
	}
	return k, nil
}

func (f *fakeSendSafely) Received(_ context.Context, key connector.TrustedKey) ([]connector.Package, error) {
	if err := f.call("received", key); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []connector.Package
	for _, id := range f.order {
		p := f.pkgs[id]
		out = append(out, connector.Package{ID: p.ID, Code: p.Code, Label: p.Label, Timestamp: p.Timestamp})
	}
	return out, nil
}

func (f *fakeSendSafely) count(name string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[name]
}

func (f *fakeSendSafely) down(err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.err = err
}

func randomCode() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// verifiedEnv is env with verified mode on against a fake SendSafely.
type verifiedEnv struct {
	*env
	ss  *fakeSendSafely
	svc *connector.Service
	id  string // the upload of a table case
}

func newVerified(t *testing.T) *verifiedEnv {
	t.Helper()
	e := newEnv(t)
	e.keys.Set(connector.KeySet{ValidationKey: testKey, Trusted: trusted})
	ss := newFakeSendSafely()
	svc, err := connector.New(e.set, connector.Deps{Store: e.store, Publisher: e.pub, Keys: e.keys, Dropzone: dropzone.Codec{},
		SendSafely: ss, NewID: e.newID, Now: e.clock.Now, Sleep: e.clock.Sleep})
	if err != nil {
		t.Fatal(err)
	}
	return &verifiedEnv{env: e, ss: ss, svc: svc}
}

// notice is the notification the upload page posts for a package the
// fake holds: data in our JSON form, signed, and the package's link.
func (v *verifiedEnv) notice(t *testing.T, id, packageID, code, keyCode string) connector.Notice {
	t.Helper()
	p := v.payload(id, packageID)
	p.PackageCode = code
	data, digest := dropzone.Encode(p, []byte(testKey))
	return connector.Notice{Data: data, Digest: digest, SecureLink: connector.Link(dropzone.Link(testHost, packageID, code, keyCode))}
}

func TestVerifiedNotify(t *testing.T) {
	for _, tt := range []struct {
		name string
		// change alters the notification or SendSafely before delivery.
		change  func(v *verifiedEnv, n *connector.Notice, code, keyCode string)
		want    error
		stored  bool
		outcome string
	}{
		{name: "the link opens the package", stored: true, outcome: connector.OutcomeStored},
		{name: "keycode spelled keycode: stored as SendSafely writes it", stored: true, outcome: connector.OutcomeStored,
			change: func(v *verifiedEnv, n *connector.Notice, code, keyCode string) {
				n.SecureLink = connector.Link(strings.Replace(string(n.SecureLink), "#keyCode=", "#keycode=", 1))
			}},
		{name: "forged keyCode", want: connector.ErrInvalid,
			change: func(v *verifiedEnv, n *connector.Notice, code, keyCode string) {
				n.SecureLink = connector.Link(strings.Replace(string(n.SecureLink), keyCode, randomCode(), 1))
			}},
		{name: "packageCode SendSafely does not know", want: connector.ErrInvalid,
			change: func(v *verifiedEnv, n *connector.Notice, code, keyCode string) {
				other := randomCode()
				p := v.payload(v.id, "PKG-1")
				p.PackageCode = other
				data, digest := dropzone.Encode(p, []byte(testKey))
				*n = connector.Notice{Data: data, Digest: digest, SecureLink: connector.Link(dropzone.Link(testHost, "PKG-1", other, keyCode))}
			}},
		{name: "SendSafely down", want: connector.ErrUnavailable,
			change: func(v *verifiedEnv, n *connector.Notice, code, keyCode string) {
				v.ss.down(fmt.Errorf("%w: connection refused", connector.ErrUnavailable))
			}},
		{name: "no keycode for the trusted key", want: connector.ErrUnavailable,
			change: func(v *verifiedEnv, n *connector.Notice, code, keyCode string) {
				v.ss.mu.Lock()
				delete(v.ss.keyCodes, "PKG-1")
				v.ss.mu.Unlock()
			}},
		{name: "credentials refused", want: connector.ErrUnavailable,
			change: func(v *verifiedEnv, n *connector.Notice, code, keyCode string) {
				k := trusted
				k.APISecret = "revoked"
				v.keys.Set(connector.KeySet{ValidationKey: testKey, Trusted: k})
			}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			v := newVerified(t)
			v.id = v.generate(t, testEmail)
			code, keyCode := v.ss.upload("PKG-1", v.id, testEmail, t0)
			n := v.notice(t, v.id, "PKG-1", code, keyCode)
			if tt.change != nil {
				tt.change(v, &n, code, keyCode)
			}
			rc, err := v.svc.Notify(t.Context(), n)
			if tt.want == nil && err != nil || tt.want != nil && !errors.Is(err, tt.want) {
				t.Fatalf("Notify: got %v, want %v", err, tt.want)
			}
			if rc.Outcome != tt.outcome {
				t.Errorf("outcome: got %q, want %q", rc.Outcome, tt.outcome)
			}
			res, err := v.env.svc.GetLink(t.Context(), connector.LinkRequest{UploadID: v.id, Email: testEmail})
			if err != nil {
				t.Fatal(err)
			}
			if res.Ready != tt.stored {
				t.Fatalf("stored: got %v, want %v", res.Ready, tt.stored)
			}
			if tt.stored {
				want := dropzone.Link(testHost, "PKG-1", code, keyCode)
				if string(res.Links[0]) != want {
					t.Errorf("stored link is not SendSafely's form")
				}
				if evs := v.pub.Events(); len(evs) != 1 || evs[0].Source != connector.SourceWebhook {
					t.Errorf("events: got %+v, want one from the webhook", evs)
				}
			} else if evs := v.pub.Events(); len(evs) != 0 {
				t.Errorf("events: got %d, want none", len(evs))
			}
		})
	}
}

// TestVerifiedOpaqueData: data in SendSafely's own format (here random
// bytes, correctly signed) is read from the package the link names.
func TestVerifiedOpaqueData(t *testing.T) {
	v := newVerified(t)
	id := v.generate(t, "")
	code, keyCode := v.ss.upload("PKG-9", id, "sender@example.com", t0.Add(-time.Minute))
	data := base64.RawURLEncoding.EncodeToString([]byte(randomCode() + "\x00\xff opaque"))
	n := connector.Notice{Data: data, Digest: base64.RawURLEncoding.EncodeToString(dropzone.Sign(data, []byte(testKey))),
		SecureLink: connector.Link(dropzone.Link(testHost, "PKG-9", code, keyCode))}
	rc, err := v.svc.Notify(t.Context(), n)
	if err != nil || rc.Outcome != connector.OutcomeStored || rc.UploadID != id {
		t.Fatalf("got %+v, %v; want stored for the package's label", rc, err)
	}
	res, err := v.svc.GetLink(t.Context(), connector.LinkRequest{UploadID: id, Email: "SENDER@example.com"})
	if err != nil || !res.Ready {
		t.Fatalf("getLink with the package's sender: %+v, %v", res, err)
	}
	// Off, such data stays 400.
	e := newEnv(t)
	if _, err := e.svc.Notify(t.Context(), n); !errors.Is(err, connector.ErrInvalid) {
		t.Errorf("verified mode off: got %v, want ErrInvalid", err)
	}
}

// TestGetLinkLooksUpSendSafely: a getLink that would answer Pending looks
// for the upload at SendSafely once per call, and stores and publishes
// what it finds with source "sendsafely".
func TestGetLinkLooksUpSendSafely(t *testing.T) {
	v := newVerified(t)
	id := v.generate(t, "")
	req := connector.LinkRequest{UploadID: id, Email: "sender@example.com", Wait: 5 * time.Second}
	res, err := v.svc.GetLink(t.Context(), req)
	if err != nil || res.Ready {
		t.Fatalf("nothing uploaded: got %+v, %v; want Pending", res, err)
	}
	if got := v.ss.count("received"); got != 1 {
		t.Errorf("lookups during one call with wait: got %d, want 1", got)
	}
	v.ss.upload("OTHER-1", "00000000-0000-4000-8000-000000000999", "x@example.com", t0)
	code, keyCode := v.ss.upload("PKG-2", strings.ToUpper(id), "sender@example.com", t0.Add(time.Minute))
	res, err = v.svc.GetLink(t.Context(), connector.LinkRequest{UploadID: id, Email: "sender@example.com"})
	if err != nil || !res.Ready || string(res.Links[0]) != dropzone.Link(testHost, "PKG-2", code, keyCode) {
		t.Fatalf("browser never posted: got %+v, %v; want Success with the package's link", res, err)
	}
	evs := v.pub.Events()
	if len(evs) != 1 || evs[0].Type != connector.EventSubmitted || evs[0].Source != connector.SourceSendSafely || evs[0].PackageID != "PKG-2" {
		t.Fatalf("events: got %+v, want one upload.submitted from sendsafely", evs)
	}
	// Bound to the sender now: another email is 404.
	if _, err := v.svc.GetLink(t.Context(), connector.LinkRequest{UploadID: id, Email: "other@example.com"}); !errors.Is(err, connector.ErrNotFound) {
		t.Errorf("other email after binding: got %v, want ErrNotFound", err)
	}
	// A repeat getLink answers from the table: no second publication.
	before := v.ss.count("received")
	if res, err := v.svc.GetLink(t.Context(), connector.LinkRequest{UploadID: id, Email: "sender@example.com"}); err != nil || !res.Ready {
		t.Fatal(res, err)
	}
	if v.ss.count("received") != before || len(v.pub.Events()) != 1 {
		t.Errorf("a Ready upload asked SendSafely again or published again")
	}
}

// TestGetLinkWhenSendSafelyIsDown: the lookup failing leaves the answer to
// the table: Pending, never 503 for that alone.
func TestGetLinkWhenSendSafelyIsDown(t *testing.T) {
	v := newVerified(t)
	id := v.generate(t, testEmail)
	v.ss.upload("PKG-3", id, testEmail, t0)
	v.ss.down(fmt.Errorf("%w: timeout", connector.ErrUnavailable))
	res, err := v.svc.GetLink(t.Context(), connector.LinkRequest{UploadID: id, Email: testEmail})
	if err != nil || res.Ready {
		t.Fatalf("got %+v, %v; want Pending", res, err)
	}
	v.ss.down(nil)
	if res, err := v.svc.GetLink(t.Context(), connector.LinkRequest{UploadID: id, Email: testEmail}); err != nil || !res.Ready {
		t.Fatalf("after SendSafely is back: got %+v, %v; want Success", res, err)
	}
}

func TestSweep(t *testing.T) {
	v := newVerified(t)
	asked := v.generate(t, testEmail)
	nobody := v.generate(t, "")
	bound := v.generate(t, "bound@example.com")
	v.ss.upload("NEW-1", nobody, "a@example.com", t0.Add(-time.Minute))
	v.ss.upload("OLD-1", asked, testEmail, t0.Add(-time.Hour))                        // outside the lookback
	v.ss.upload("NOT-1", "ticket-42", "b@example.com", t0)                            // names no upload
	v.ss.upload("UNK-1", "00000000-0000-4000-8000-000000000777", "c@example.com", t0) // unknown upload
	v.ss.upload("FOR-1", bound, "intruder@example.com", t0)                           // another sender
	v.ss.upload("TSX-1", asked, testEmail, time.Time{})                               // unreadable time: the label decides
	rep, err := v.svc.Sweep(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if rep.Off || rep.Candidates != 4 || rep.Stored != 2 {
		t.Errorf("report: got %+v, want 4 candidates, 2 stored", rep)
	}
	var got []string
	for _, ev := range v.pub.Events() {
		got = append(got, ev.PackageID+" "+ev.Type+" "+ev.Source)
	}
	if want := "[NEW-1 upload.submitted sendsafely TSX-1 upload.submitted sendsafely]"; fmt.Sprint(got) != want {
		t.Errorf("events: got %v, want %v", got, want)
	}
	// A second sweep stores and publishes nothing new, and reads no package
	// it has stored.
	details := v.ss.count("package")
	rep, err = v.svc.Sweep(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if rep.Candidates != 4 || rep.Stored != 0 {
		t.Errorf("second sweep's report: got %+v, want 4 candidates, 0 stored (nothing new)", rep)
	}
	if len(v.pub.Events()) != 2 || v.ss.count("package") != details+1 {
		// +1: FOR-1, refused again (bound to another email), is read again.
		t.Errorf("second sweep: %d events, %d package reads (was %d)", len(v.pub.Events()), v.ss.count("package"), details)
	}
	// Off, a sweep reads nothing.
	e := newEnv(t)
	if rep, err := e.svc.Sweep(t.Context()); err != nil || !rep.Off {
		t.Errorf("verified mode off: got %+v, %v", rep, err)
	}
}

// TestVerifiedRace: a webhook, a getLink and two sweeps racing on one
// package store it once and publish it once, on the real clock.
func TestVerifiedRace(t *testing.T) {
	for round := range 20 {
		e := newEnv(t)
		keys := memory.NewKeys(connector.KeySet{ValidationKey: testKey, Trusted: trusted})
		ss := newFakeSendSafely()
		pub := &memory.Publisher{}
		svc, err := connector.New(e.set, connector.Deps{Store: e.store, Publisher: pub, Keys: keys, Dropzone: dropzone.Codec{},
			SendSafely: ss, NewID: e.newID})
		if err != nil {
			t.Fatal(err)
		}
		up, err := svc.GenerateID(t.Context(), connector.GenerateRequest{Email: testEmail})
		if err != nil {
			t.Fatal(err)
		}
		code, keyCode := ss.upload("RACE-1", up.ID, testEmail, time.Now())
		p := e.payload(up.ID, "RACE-1")
		p.PackageCode, p.SubmittedAt = code, time.Now().UTC().Format(time.RFC3339)
		data, digest := dropzone.Encode(p, []byte(testKey))
		n := connector.Notice{Data: data, Digest: digest, SecureLink: connector.Link(dropzone.Link(testHost, "RACE-1", code, keyCode))}
		var wg sync.WaitGroup
		start := make(chan struct{})
		errs := make([]error, 4)
		wg.Go(func() { <-start; _, errs[0] = svc.Notify(context.Background(), n) })
		wg.Go(func() {
			<-start
			_, errs[1] = svc.GetLink(context.Background(), connector.LinkRequest{UploadID: up.ID, Email: testEmail})
		})
		wg.Go(func() { <-start; _, errs[2] = svc.Sweep(context.Background()) })
		wg.Go(func() { <-start; _, errs[3] = svc.Sweep(context.Background()) })
		close(start)
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Errorf("round %d: caller %d: %v", round, i, err)
			}
		}
		if got := len(submittedEvents(pub.Events())); got != 1 {
			t.Fatalf("round %d: %d upload.submitted events, want 1", round, got)
		}
		res, err := svc.GetLink(t.Context(), connector.LinkRequest{UploadID: up.ID, Email: testEmail})
		if err != nil || len(res.Links) != 1 {
			t.Fatalf("round %d: stored %+v, %v; want one link", round, res, err)
		}
	}
}

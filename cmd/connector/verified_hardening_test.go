package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/sendsafely/chatbot-connector/internal/dropzone"
	"github.com/sendsafely/chatbot-connector/internal/fakeclock"
	"github.com/sendsafely/chatbot-connector/internal/lambdaentry"
	"github.com/sendsafely/chatbot-connector/internal/motoserver"
	"github.com/sendsafely/chatbot-connector/internal/sendsafely"
	"github.com/sendsafely/chatbot-connector/internal/sendsafely/sendsafelytest"
)

// clockedVerified is a verified cloud whose function runs on a fake clock
// and keeps its log lines, and whose stand-in stamps packages by a clock
// of its own (SendSafely's, which need not agree with ours).
type clockedVerified struct {
	*verifiedCloud
	fn    *lambdaentry.Entry
	clock *fakeclock.Clock // the function's
	ssNow *fakeclock.Clock // SendSafely's
	logs  *motoserver.SyncBuffer
}

func newClockedVerified(t *testing.T) *clockedVerified {
	t.Helper()
	start := time.Now().UTC().Truncate(time.Second)
	ssNow := fakeclock.New(start)
	// SendSafely writes dates as Java does: the connector must read them
	// for a package's time to be real.
	v := newVerifiedCloudWith(t, sendsafelytest.Config{Host: itHost, Now: ssNow.Now, TimeLayout: sendsafelytest.TimeJava})
	cv := &clockedVerified{verifiedCloud: v, clock: fakeclock.New(start), ssNow: ssNow, logs: &motoserver.SyncBuffer{}}
	fn, err := newHandler(context.Background(), platform{getenv: func(k string) string { return v.vars[k] }, logs: cv.logs,
		now: cv.clock.Now, sleep: cv.clock.Sleep})
	if err != nil {
		t.Fatal(err)
	}
	cv.fn = fn
	return cv
}

func (v *clockedVerified) chat(t *testing.T, body string) (int, map[string]any) {
	t.Helper()
	st, m, _ := callOn(t, v.fn, "POST", "/", body, bearer)
	return st, m
}

func (v *clockedVerified) generate(t *testing.T, email string) string {
	t.Helper()
	body := `{"action":"generateId"}`
	if email != "" {
		body = `{"action":"generateId","email":"` + email + `"}`
	}
	st, m := v.chat(t, body)
	if st != 200 {
		t.Fatalf("generateId: %d %v", st, m)
	}
	return m["UploadId"].(string)
}

func (v *clockedVerified) getLink(t *testing.T, id, email string) (int, map[string]any) {
	t.Helper()
	return v.chat(t, `{"action":"getLink","uploadId":"`+id+`","email":"`+email+`"}`)
}

func (v *clockedVerified) webhook(t *testing.T, form url.Values) int {
	t.Helper()
	st, err := post(v.fn, form.Encode())
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func (v *clockedVerified) sweep(t *testing.T) error {
	t.Helper()
	raw, _ := json.Marshal(map[string]string{"action": "sweep"})
	_, err := v.fn.Invoke(context.Background(), raw)
	return err
}

// notice is the notification an upload page would post for package p with
// its link: our JSON data for upload id and email, signed, submitted now
// by the function's clock.
func (v *clockedVerified) notice(id, email string, p sendsafelytest.Package, link string) url.Values {
	payload := dropzone.Payload{UploadID: id, Email: email, PackageID: p.ID, PackageCode: p.Code, DropzoneID: itDZ,
		SubmittedAt: v.clock.Now().UTC().Format(time.RFC3339)}
	data, digest := dropzone.Encode(payload, []byte(itKey))
	return url.Values{"data": {data}, "digest": {digest}, "secureLink": {link}}
}

// opaque is the notification with data in SendSafely's own format: bytes
// we cannot read, correctly signed.
func opaque(link string) url.Values {
	data := base64.RawURLEncoding.EncodeToString([]byte("\x8f SendSafely's own data \x00"))
	return url.Values{"data": {data}, "digest": {base64.RawURLEncoding.EncodeToString(dropzone.Sign(data, []byte(itKey)))},
		"secureLink": {link}}
}

func (v *clockedVerified) upload(t *testing.T, label, sender string) (sendsafelytest.Package, string) {
	t.Helper()
	p, link, err := v.ss.Upload(label, sender)
	if err != nil {
		t.Fatal(err)
	}
	return p, link
}

// TestPackageBelongsToItsUpload: in verified mode a notification stores a
// package only in the upload its label names, and only for its sender.
func TestPackageBelongsToItsUpload(t *testing.T) {
	v := newClockedVerified(t)
	const alice, mallory = "alice@example.com", "mallory@example.com"

	t.Run("A/B swap: 400, nothing in A; B still completes once", func(t *testing.T) {
		a, b := v.generate(t, alice), v.generate(t, alice)
		p, link := v.upload(t, b, alice)
		if st := v.webhook(t, v.notice(a, alice, p, link)); st != 400 {
			t.Fatalf("notification for A with B's package: got %d, want 400", st)
		}
		if st, m := v.getLink(t, a, alice); st != 200 || m["Result"] != "Pending" {
			t.Errorf("getLink A: got %d %v, want Pending", st, m["Result"])
		}
		if st, m := v.getLink(t, b, alice); st != 200 || m["SecureLink"] != link {
			t.Errorf("getLink B: got %d %v, want its link", st, m["Result"])
		}
		evs := v.drain(t)
		if len(evs) != 1 || evs[0].Type != "upload.submitted" || evs[0].Body["uploadId"] != b {
			t.Errorf("events: got %v, want one upload.submitted for B", evs)
		}
	})

	for _, tt := range []struct {
		name         string
		bound, claim string // the upload's email at generateId, the notification's email
	}{
		{"bound upload, package sent by another", alice, alice},
		{"unbound upload, package sent by another than the notification says", "", alice},
	} {
		t.Run(tt.name+": 400", func(t *testing.T) {
			id := v.generate(t, tt.bound)
			p, link := v.upload(t, id, mallory)
			if st := v.webhook(t, v.notice(id, tt.claim, p, link)); st != 400 {
				t.Fatalf("got %d, want 400", st)
			}
			if evs := v.drain(t); len(evs) != 0 {
				t.Errorf("events: got %v, want none", evs)
			}
			if st, m := v.getLink(t, id, alice); tt.bound != "" && (st != 200 || m["Result"] != "Pending") {
				t.Errorf("getLink of the bound upload: got %d %v, want Pending", st, m["Result"])
			}
		})
	}

	t.Run("unbound upload binds to the package's sender", func(t *testing.T) {
		id := v.generate(t, "")
		p, link := v.upload(t, id, alice)
		if st := v.webhook(t, v.notice(id, "ALICE@example.com ", p, link)); st != 200 {
			t.Fatalf("got %d, want 200", st)
		}
		if st, _ := v.getLink(t, id, mallory); st != 404 {
			t.Errorf("getLink as another: got %d, want 404", st)
		}
		v.drain(t)
	})
}

// TestSweepSkipsUnreadablePackages: a package whose keycode cannot be
// read does not fail the sweep, which completes the others and warns
// once per package, not in every sweep; SendSafely unreachable still
// fails it.
func TestSweepSkipsUnreadablePackages(t *testing.T) {
	v := newClockedVerified(t)
	const email = "customer@example.com"
	other, err := sendsafely.GenerateKeyPair("other@example.com")
	if err != nil {
		t.Fatal(err)
	}
	toOther, err := sendsafelytest.Encrypt(other.Public, "aXaQiWhw9p29CAoDoLRxpWbzotX2Qe0D-0agiN_RYXU")
	if err != nil {
		t.Fatal(err)
	}
	var bad []string
	for _, spoil := range []func(id string) error{
		func(id string) error { return v.ss.DropKeyCode(id, v.key.KeyID) }, // finalized before the key was registered
		func(id string) error { return v.ss.SetKeyCodeMessage(id, v.key.KeyID, toOther) },
		func(id string) error { return v.ss.SetKeyCodeMessage(id, v.key.KeyID, "not an OpenPGP message") },
	} {
		p, _ := v.upload(t, v.generate(t, email), email)
		if err := spoil(p.ID); err != nil {
			t.Fatal(err)
		}
		bad = append(bad, p.ID)
	}
	good := v.generate(t, email)
	_, link := v.upload(t, good, email)

	for i := range 2 {
		if err := v.sweep(t); err != nil {
			t.Fatalf("sweep %d: got %v, want success", i+1, err)
		}
	}
	evs := v.drain(t)
	if len(evs) != 1 || evs[0].Body["uploadId"] != good {
		t.Errorf("events: got %v, want one for the good upload", evs)
	}
	if st, m := v.getLink(t, good, email); st != 200 || m["SecureLink"] != link {
		t.Errorf("getLink of the good upload: %d %v", st, m["Result"])
	}
	logs := v.logs.String()
	for _, id := range bad {
		if n := strings.Count(logs, `"packageId":"`+id+`"`); n != 1 {
			t.Errorf("package %s: %d log lines name it over two sweeps, want 1", id, n)
		}
	}
	if strings.Contains(logs, `"level":"ERROR"`) {
		t.Errorf("an error line: %s", logs)
	}

	v.ss.SetDown(true)
	defer v.ss.SetDown(false)
	if err := v.sweep(t); err == nil {
		t.Error("sweep with SendSafely down: got success, want a function error")
	}
}

// TestSendSafelyFormatFreshness: a notification in SendSafely's own format
// is judged by its upload's lifetime, not by the package's age or
// SendSafely's clock; its time is the package's.
func TestSendSafelyFormatFreshness(t *testing.T) {
	v := newClockedVerified(t)
	const email = "customer@example.com"
	for _, tt := range []struct {
		name string
		skew func() // moves a clock between the upload and the notification
		want int
	}{
		// WEBHOOK_MAX_AGE is 1h, UPLOAD_TTL 2h.
		{"package older than WEBHOOK_MAX_AGE", func() { v.clock.Advance(90 * time.Minute) }, 200},
		{"SendSafely's clock 10 minutes ahead", func() { v.ssNow.Advance(10 * time.Minute) }, 200},
		{"upload closed meanwhile", func() { v.clock.Advance(3 * time.Hour) }, 404},
	} {
		t.Run(tt.name, func(t *testing.T) {
			id := v.generate(t, email)
			tt.skew()
			p, link := v.upload(t, id, email)
			if st := v.webhook(t, opaque(link)); st != tt.want {
				t.Fatalf("got %d, want %d", st, tt.want)
			}
			evs := v.drain(t)
			if tt.want != 200 {
				return
			}
			if len(evs) != 1 || evs[0].Body["submittedAt"] != p.Timestamp.Format(time.RFC3339Nano) {
				t.Errorf("events: got %v, want one at the package's time %s", evs, p.Timestamp.Format(time.RFC3339Nano))
			}
		})
	}
	// Our JSON format keeps check 3.
	id := v.generate(t, email)
	p, link := v.upload(t, id, email)
	form := v.notice(id, email, p, link)
	v.clock.Advance(90 * time.Minute)
	if st := v.webhook(t, form); st != 401 {
		t.Errorf("our format, 90 minutes old: got %d, want 401", st)
	}
}

// TestRepeatsCostNoSendSafelyCall: once a notification is stored, its
// repeats are answered from the store, without asking SendSafely.
func TestRepeatsCostNoSendSafelyCall(t *testing.T) {
	v := newClockedVerified(t)
	const email = "customer@example.com"
	id := v.generate(t, email)
	p, link := v.upload(t, id, email)
	form := v.notice(id, email, p, link)
	if st := v.webhook(t, form); st != 200 {
		t.Fatalf("first: %d", st)
	}
	v.ss.ClearRequests()
	for i := range 5 {
		if st := v.webhook(t, form); st != 200 {
			t.Fatalf("repeat %d: %d", i, st)
		}
	}
	if n := v.ss.RequestCount(); n != 0 {
		t.Errorf("SendSafely requests for 5 repeats: got %d, want 0", n)
	}
	if evs := v.drain(t); len(evs) != 1 {
		t.Errorf("events: got %d, want 1", len(evs))
	}
	// Another link for the stored package is still confirmed (and refused).
	i := strings.Index(link, "keyCode=") + len("keyCode=")
	form.Set("secureLink", link[:i]+"Forged0123456789abcdefghijklmnopqrstuvwxyz0")
	if st := v.webhook(t, form); st != 400 {
		t.Errorf("a forged link for the stored package: got %d, want 400", st)
	}
	if v.ss.RequestCount() == 0 {
		t.Error("a new link was not confirmed at SendSafely")
	}
}

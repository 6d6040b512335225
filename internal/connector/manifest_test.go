package connector_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/dropzone"
)

// newPolicyEnv is verified mode against the fake with settings changed by mod.
func newPolicyEnv(t *testing.T, mod func(*connector.Settings)) *verifiedEnv {
	t.Helper()
	e := newEnv(t)
	mod(&e.set)
	e.keys.Set(connector.KeySet{ValidationKey: testKey, Trusted: trusted, CallbackSecret: testCBSecret})
	ss := newFakeSendSafely()
	svc, err := connector.New(e.set, connector.Deps{Store: e.store, Publisher: e.pub, Keys: e.keys, Dropzone: dropzone.Codec{},
		SendSafely: ss, NewID: e.newID, Now: e.clock.Now, Sleep: e.clock.Sleep})
	if err != nil {
		t.Fatal(err)
	}
	e.svc = svc
	return &verifiedEnv{env: e, ss: ss, svc: svc}
}

// withFiles gives package id of the fake these files.
func (f *fakeSendSafely) withFiles(id string, files ...connector.PackageFile) {
	f.mu.Lock()
	defer f.mu.Unlock()
	p := f.pkgs[id]
	p.Files = files
	f.pkgs[id] = p
}

// submit uploads package pkgID with files to upload id and notifies.
func (v *verifiedEnv) submit(t *testing.T, id, pkgID string, files ...connector.PackageFile) (connector.Receipt, error) {
	t.Helper()
	code, keyCode := v.ss.upload(pkgID, id, testEmail, t0)
	v.ss.withFiles(pkgID, files...)
	return v.svc.Notify(t.Context(), v.notice(t, id, pkgID, code, keyCode))
}

func (v *verifiedEnv) getLink(t *testing.T, id string) connector.LinkResult {
	t.Helper()
	res, err := v.svc.GetLink(t.Context(), connector.LinkRequest{UploadID: id, Email: testEmail})
	if err != nil {
		t.Fatalf("GetLink: %v", err)
	}
	return res
}

var (
	pdfFile = connector.PackageFile{ID: "f-pdf", Name: "statement.pdf", Size: 12_000, Parts: 1}
	jpgFile = connector.PackageFile{ID: "f-jpg", Name: "id-front.jpg", Size: 400, Parts: 1}
	exeFile = connector.PackageFile{ID: "f-exe", Name: "setup.exe", Size: 90, Parts: 1}
)

func policy(s *connector.Settings) {
	s.Files = connector.FilePolicy{Types: []string{"pdf", "image/*"}}
}

func TestManifestPartialRejection(t *testing.T) {
	for _, names := range []bool{false, true} {
		v := newPolicyEnv(t, func(s *connector.Settings) { policy(s); s.EventsIncludeFileNames = names })
		id := v.generate(t, testEmail)
		rc, err := v.submit(t, id, "PKG-1", pdfFile, exeFile, jpgFile)
		if err != nil || rc.Outcome != connector.OutcomeStored {
			t.Fatalf("Notify: %v, %q", err, rc.Outcome)
		}
		res := v.getLink(t, id)
		if !res.Ready || res.Rejected || len(res.Links) != 1 {
			t.Fatalf("got %+v, want Ready with one link", res)
		}
		wantFiles := []connector.UploadFile{
			{PackageID: "PKG-1", File: connector.File{ID: "f-pdf", Name: "statement.pdf", Size: 12_000, Parts: 1, Type: "application/pdf", Status: connector.FileAccepted}},
			{PackageID: "PKG-1", File: connector.File{ID: "f-exe", Name: "setup.exe", Size: 90, Parts: 1, Type: "application/vnd.microsoft.portable-executable",
				Status: connector.FileRejected, Reason: connector.ReasonType, Message: "setup.exe was not accepted: allowed types are pdf, image/*."}},
			{PackageID: "PKG-1", File: connector.File{ID: "f-jpg", Name: "id-front.jpg", Size: 400, Parts: 1, Type: "image/jpeg", Status: connector.FileAccepted}},
		}
		if d := cmp.Diff(wantFiles, res.Files); d != "" {
			t.Errorf("files (-want +got):\n%s", d)
		}
		if res.FileCount() != 3 || res.TotalSize() != 12_490 || res.Packages != 1 {
			t.Errorf("count %d, size %d, packages %d; want 3, 12490, 1", res.FileCount(), res.TotalSize(), res.Packages)
		}
		if want := "setup.exe was not accepted: allowed types are pdf, image/*."; res.Message != want {
			t.Errorf("message %q, want %q", res.Message, want)
		}
		evs := v.pub.Events()
		if len(evs) != 1 || evs[0].Type != connector.EventSubmitted {
			t.Fatalf("events %+v, want one upload.submitted", evs)
		}
		ev := evs[0]
		if ev.FileCount == nil || *ev.FileCount != 3 || ev.TotalSize == nil || *ev.TotalSize != 12_490 {
			t.Errorf("event count/size %v/%v, want 3/12490", ev.FileCount, ev.TotalSize)
		}
		wantEv := []connector.EventFile{
			{ID: "f-pdf", Size: 12_000, Type: "application/pdf", Status: connector.FileAccepted},
			{ID: "f-exe", Size: 90, Type: "application/vnd.microsoft.portable-executable", Status: connector.FileRejected, Reason: connector.ReasonType},
			{ID: "f-jpg", Size: 400, Type: "image/jpeg", Status: connector.FileAccepted},
		}
		if names {
			wantEv[0].Name, wantEv[1].Name, wantEv[2].Name = "statement.pdf", "setup.exe", "id-front.jpg"
			wantEv[1].Message = "setup.exe was not accepted: allowed types are pdf, image/*."
		}
		if d := cmp.Diff(wantEv, ev.Files); d != "" {
			t.Errorf("names %v: event files (-want +got):\n%s", names, d)
		}
	}
}

func TestManifestFullRejection(t *testing.T) {
	v := newPolicyEnv(t, func(s *connector.Settings) { policy(s); s.EventsIncludeLink = true })
	id := v.generate(t, testEmail)
	rc, err := v.submit(t, id, "PKG-1", exeFile)
	if err != nil || rc.Outcome != connector.OutcomeRejected {
		t.Fatalf("Notify: %v, %q; want no error, rejected", err, rc.Outcome)
	}
	res := v.getLink(t, id)
	if res.Ready || !res.Rejected || len(res.Links) != 0 || len(res.Files) != 1 {
		t.Fatalf("got %+v, want Rejected with the manifest and no link", res)
	}
	if !strings.HasPrefix(res.Message, "setup.exe was not accepted: allowed types are pdf, image/*.") ||
		!strings.Contains(res.Message, "same upload link") {
		t.Errorf("message %q", res.Message)
	}
	evs := v.pub.Events()
	if len(evs) != 1 || evs[0].Type != connector.EventRejected || evs[0].SecureLink != "" || len(evs[0].Files) != 1 {
		t.Fatalf("events %+v, want one upload.rejected with the manifest and no link", evs)
	}
	// Nothing is handed off.
	cb := &fakeCallbacks{}
	d := deliverer(t, v.env, connector.Handoff{Callbacks: cb})
	if got, err := d.Deliver(t.Context(), evs[0]); err != nil || got.Skipped != connector.SkipNotSubmitted || len(cb.got) != 0 {
		t.Errorf("Deliver of upload.rejected: %+v, %v, %d sent; want skipped, nothing sent", got, err, len(cb.got))
	}
	// The same notification again publishes nothing more.
	if _, err := v.submitAgain(t, id, "PKG-1"); err != nil {
		t.Fatal(err)
	}
	if n := len(v.pub.Events()); n != 1 {
		t.Errorf("%d events after a repeat, want 1", n)
	}
	// The upload stays open: a package that passes is stored as usual.
	if rc, err := v.submit(t, id, "PKG-2", pdfFile); err != nil || rc.Outcome != connector.OutcomeStored {
		t.Fatalf("second package: %v, %q", err, rc.Outcome)
	}
	res = v.getLink(t, id)
	if !res.Ready || res.Rejected || len(res.Links) != 1 || !strings.Contains(string(res.Links[0]), "thread=PKG-2") {
		t.Fatalf("got %+v, want Ready with PKG-2's link only", res)
	}
	if res.Packages != 2 || len(res.Files) != 2 || res.Files[0].PackageID != "PKG-1" || res.Files[1].PackageID != "PKG-2" ||
		res.Files[0].Status != connector.FileRejected || res.Files[1].Status != connector.FileAccepted {
		t.Errorf("files %+v, want both packages' files with their statuses", res.Files)
	}
	if res.Message != "" {
		t.Errorf("message %q, want none: the newest package was accepted whole", res.Message)
	}
	evs = v.pub.Events()
	if len(evs) != 2 || evs[1].Type != connector.EventSubmitted || evs[1].PackageID != "PKG-2" || evs[1].SecureLink == "" {
		t.Errorf("events %+v, want upload.submitted for PKG-2 with its link", evs)
	}
	// The hand-off of it carries the full manifest, names too.
	cb = &fakeCallbacks{}
	d = deliverer(t, v.env, connector.Handoff{Callbacks: cb})
	if _, err := d.Deliver(t.Context(), evs[1]); err != nil || len(cb.got) != 1 {
		t.Fatalf("Deliver: %v, %d sent", err, len(cb.got))
	}
	if f := cb.got[0].Event.Files; len(f) != 1 || f[0].Name != "statement.pdf" || cb.got[0].Event.SecureLink == "" {
		t.Errorf("callback event %+v, want the manifest with names and the link", cb.got[0].Event)
	}
}

// TestManifestOnTheContact: Amazon Connect gets the accepted files beside
// the link.
func TestManifestOnTheContact(t *testing.T) {
	v := newPolicyEnv(t, policy)
	up, err := v.svc.GenerateID(t.Context(), connector.GenerateRequest{Email: testEmail, ConversationID: testContact})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.submit(t, up.ID, "PKG-1", pdfFile, exeFile, jpgFile); err != nil {
		t.Fatal(err)
	}
	cc := &fakeContacts{}
	d := deliverer(t, v.env, connector.Handoff{Contacts: cc, ConnectInstanceARN: testInstance})
	if _, err := d.Deliver(t.Context(), v.pub.Events()[0]); err != nil || len(cc.got) != 1 {
		t.Fatalf("Deliver: %v, %d attached", err, len(cc.got))
	}
	if got, want := cc.got[0].Files, "2 files, 12.4 KB: statement.pdf, id-front.jpg; 1 not accepted"; got != want {
		t.Errorf("Files reference %q, want %q", got, want)
	}
}

// submitAgain posts the notification of a package the fake already holds.
func (v *verifiedEnv) submitAgain(t *testing.T, id, pkgID string) (connector.Receipt, error) {
	t.Helper()
	v.ss.mu.Lock()
	code, keyCode := v.ss.pkgs[pkgID].Code, v.ss.keyCodes[pkgID]
	v.ss.mu.Unlock()
	return v.svc.Notify(t.Context(), v.notice(t, id, pkgID, string(code), string(keyCode)))
}

// TestManifestRejectedLooksUp: a getLink that would answer Rejected looks
// the upload up at SendSafely first, as Pending does, and finds the
// package no browser reported.
func TestManifestRejectedLooksUp(t *testing.T) {
	v := newPolicyEnv(t, policy)
	id := v.generate(t, testEmail)
	if _, err := v.submit(t, id, "PKG-1", exeFile); err != nil {
		t.Fatal(err)
	}
	v.ss.upload("PKG-2", id, testEmail, t0)
	v.ss.withFiles("PKG-2", jpgFile)
	res := v.getLink(t, id)
	if !res.Ready || len(res.Links) != 1 || len(res.Files) != 2 {
		t.Fatalf("got %+v, want Ready after the lookup found PKG-2", res)
	}
	if evs := v.pub.Events(); len(evs) != 2 || evs[1].Source != connector.SourceSendSafely {
		t.Errorf("events %+v, want PKG-2 published from SendSafely", evs)
	}
}

func TestManifestCountsPerUpload(t *testing.T) {
	v := newPolicyEnv(t, func(s *connector.Settings) { s.Files = connector.FilePolicy{MaxFiles: 2} })
	id := v.generate(t, testEmail)
	if _, err := v.submit(t, id, "PKG-1", pdfFile); err != nil {
		t.Fatal(err)
	}
	if _, err := v.submit(t, id, "PKG-2", jpgFile, exeFile); err != nil {
		t.Fatal(err)
	}
	res := v.getLink(t, id)
	var got []string
	for _, f := range res.Files {
		got = append(got, f.Status+":"+f.Reason)
	}
	if want := []string{"accepted:", "accepted:", "rejected:count"}; !cmp.Equal(want, got) {
		t.Errorf("statuses %q, want %q", got, want)
	}
	if want := "setup.exe was not accepted: at most 2 files can be uploaded."; res.Message != want {
		t.Errorf("message %q, want %q", res.Message, want)
	}
}

func TestManifestNoFiles(t *testing.T) {
	v := newPolicyEnv(t, policy)
	id := v.generate(t, testEmail)
	if _, err := v.submit(t, id, "PKG-1"); err != nil {
		t.Fatal(err)
	}
	res := v.getLink(t, id)
	if !res.Ready || res.Files == nil || len(res.Files) != 0 || res.Packages != 1 || res.Message != "" {
		t.Errorf("got %+v, want Ready with an empty manifest", res)
	}
	if ev := v.pub.Events()[0]; ev.FileCount == nil || *ev.FileCount != 0 || ev.Files == nil {
		t.Errorf("event %+v, want fileCount 0 and files []", ev)
	}
}

// TestManifestOffOutsideVerifiedMode: no manifest without verified mode.
func TestManifestOffOutsideVerifiedMode(t *testing.T) {
	e := newEnv(t)
	id := e.generate(t, testEmail)
	if _, err := notify(t, e, sign(t, e.payload(id, "P1"), testKey)); err != nil {
		t.Fatal(err)
	}
	res, err := e.svc.GetLink(t.Context(), connector.LinkRequest{UploadID: id, Email: testEmail})
	if err != nil || !res.Ready || res.Files != nil {
		t.Errorf("got %+v, %v; want Ready without a manifest", res, err)
	}
	if ev := e.pub.Events()[0]; ev.Files != nil || ev.FileCount != nil {
		t.Errorf("event %+v carries a manifest", ev)
	}
}

// TestPolicyNeedsVerifiedMode: a policy without verified mode fails every
// request with ErrUnavailable, naming the settings, while the secret
// lacks the trusted key; and cannot start without a SendSafely client.
func TestPolicyNeedsVerifiedMode(t *testing.T) {
	v := newPolicyEnv(t, policy)
	v.keys.Set(connector.KeySet{ValidationKey: testKey})
	id := v.generate(t, testEmail)
	_ = id
	err := v.svc.Authorize(t.Context())
	if !errors.Is(err, connector.ErrUnavailable) || !strings.Contains(err.Error(), "ALLOWED_FILE_TYPES, MAX_FILE_SIZE, MAX_FILES") {
		t.Errorf("Authorize: got %v, want ErrUnavailable naming the policy", err)
	}
	v.keys.Set(connector.KeySet{ValidationKey: testKey, Trusted: trusted})
	if err := v.svc.Authorize(t.Context()); err != nil {
		t.Errorf("Authorize with the trusted key: %v", err)
	}
	set := settings()
	set.Files = connector.FilePolicy{MaxFiles: 1}
	_, err = connector.New(set, connector.Deps{Store: v.store, Publisher: v.pub, Keys: v.keys, Dropzone: dropzone.Codec{}, NewID: v.newID})
	if err == nil || !strings.Contains(err.Error(), "verified mode") {
		t.Errorf("New without SendSafely: got %v, want an error naming verified mode", err)
	}
}

package main

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// linkParts returns what identifies a secure link: host, thread,
// packageCode and keyCode (SendSafely's parameter order is not).
func linkParts(t *testing.T, link string) [4]string {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil {
		t.Fatalf("link %q: %v", link, err)
	}
	frag, _ := url.ParseQuery(u.Fragment)
	return [4]string{u.Host, u.Query().Get("thread"), u.Query().Get("packageCode"), frag.Get("keyCode")}
}

// makePackageAsPage calls the page's package endpoint as the page does in
// verified mode.
func (d *dev) makePackageAsPage(t *testing.T, uploadID string) (packageID, packageCode, link string) {
	t.Helper()
	form := url.Values{"name": {uploadID}, "email": {testEmail}}
	st, m, _ := post(t, d.pageURL+packagePath, "application/x-www-form-urlencoded", form.Encode(), nil)
	if st != http.StatusOK || m["success"] != "true" {
		t.Fatalf("make package: %d %v", st, m)
	}
	return m["packageId"].(string), m["packageCode"].(string), m["secureLink"].(string)
}

// TestVerifiedLookup: in the configuration make run starts, an upload
// that SendSafely received but no browser reported is found by getLink's
// lookup at the SendSafely stand-in, through the real client and the local
// Trusted Browser key, and published once with source "sendsafely".
func TestVerifiedLookup(t *testing.T) {
	d := startDevVerified(t, t.TempDir(), nil)
	id, _ := d.generateID(t)
	if m := d.getLink(t, id); m["Result"] != "Pending" {
		t.Fatalf("getLink before the upload: %v, want Pending", m)
	}

	p, link, err := d.backend.local.ss.Upload(id, testEmail)
	if err != nil {
		t.Fatal(err)
	}
	m := d.getLink(t, id)
	if m["Result"] != "Success" {
		t.Fatalf("getLink after the upload: %v, want Success through the lookup", m)
	}
	if diff := cmp.Diff(linkParts(t, link), linkParts(t, m["SecureLink"].(string))); diff != "" {
		t.Errorf("SecureLink (-stand-in's +got):\n%s", diff)
	}
	evs := d.eventLines(t)
	if len(evs) != 1 || evs[0]["type"] != "upload.submitted" || evs[0]["source"] != "sendsafely" || evs[0]["packageId"] != p.ID {
		t.Errorf("events: %v, want one upload.submitted of %s with source sendsafely", evs, p.ID)
	}
	// The lookup went over HTTP, signed with the local API key.
	var reads int
	for _, r := range d.backend.local.ss.Requests() {
		if r.Method == http.MethodGet && r.Header.Get("ss-api-key") == "local-api-key" {
			reads++
		}
	}
	if reads == 0 {
		t.Error("the stand-in saw no signed read")
	}
	if m := d.getLink(t, id); m["Result"] != "Success" || len(d.eventLines(t)) != 1 {
		t.Errorf("a second getLink: %v, %d events; want Success and still one event", m, len(d.eventLines(t)))
	}
}

// TestVerifiedWebhook: the page's package, made at the stand-in, is
// accepted on the webhook with its real link; a link with another keyCode
// is refused (400) and nothing is stored.
func TestVerifiedWebhook(t *testing.T) {
	d := startDevVerified(t, t.TempDir(), nil)

	forged, _ := d.generateID(t)
	pkg, code, link := d.makePackageAsPage(t, forged)
	bad := link[:strings.Index(link, "#keyCode=")] + "#keyCode=" + newCode()
	if st := d.notifyAsPage(t, forged, pkg, code, bad); st != http.StatusBadRequest {
		t.Errorf("forged keyCode: %d, want 400", st)
	}
	if len(d.eventLines(t)) != 0 {
		t.Fatalf("events after a forged keyCode: %v", d.eventLines(t))
	}

	id, _ := d.generateID(t)
	pkg, code, link = d.makePackageAsPage(t, id)
	if st := d.notifyAsPage(t, id, pkg, code, link); st != http.StatusOK {
		t.Fatalf("webhook with the stand-in's link: %d, want 200", st)
	}
	m := d.getLink(t, id)
	if m["Result"] != "Success" {
		t.Fatalf("getLink: %v", m)
	}
	if diff := cmp.Diff(linkParts(t, link), linkParts(t, m["SecureLink"].(string))); diff != "" {
		t.Errorf("SecureLink (-page's +got):\n%s", diff)
	}
	if evs := d.eventLines(t); len(evs) != 1 || evs[0]["source"] != "webhook" || evs[0]["packageId"] != pkg {
		t.Errorf("events: %v, want the webhook's one", evs)
	}
}

// notifyAsPage signs a submission on the page's origin and posts it to
// the webhook with link, as the page does; it returns the status.
func (d *dev) notifyAsPage(t *testing.T, uploadID, packageID, packageCode, link string) int {
	t.Helper()
	st, signed := d.signAsPage(t, url.Values{"name": {uploadID}, "email": {testEmail}, "packageCode": {packageCode}, "publicApiKey": {defaultDropzoneID}, "packageId": {packageID}})
	if st != http.StatusOK || signed["success"] != "true" {
		t.Fatalf("sign: %d %v", st, signed)
	}
	form := url.Values{"digest": {signed["digest"].(string)}, "data": {signed["data"].(string)}, "secureLink": {link}}
	st, _, _ = post(t, d.connectorURL+"/webhook", "application/x-www-form-urlencoded", form.Encode(), map[string]string{"Origin": d.pageURL})
	return st
}

// TestVerifiedSweep: the sweep loop, at a tick, completes an upload that
// nobody reported or asked about.
func TestVerifiedSweep(t *testing.T) {
	d := startDevVerified(t, t.TempDir(), nil)
	id, _ := d.generateID(t)
	p, _, err := d.backend.local.ss.Upload(id, testEmail)
	if err != nil {
		t.Fatal(err)
	}
	tick := make(chan time.Time)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { sweepLoop(ctx, tick, d.sweep); close(done) }()
	tick <- time.Now()
	tick <- time.Now() // the first sweep has finished once the loop takes this one
	cancel()
	<-done
	evs := d.eventLines(t)
	if len(evs) != 1 || evs[0]["source"] != "sendsafely" || evs[0]["packageId"] != p.ID {
		t.Errorf("events after two sweeps: %v, want one upload.submitted of %s from sendsafely", evs, p.ID)
	}
	if !strings.Contains(d.logs.String(), `"route":"sweep"`) {
		t.Errorf("no sweep log line:\n%s", d.logs.String())
	}
}

// TestVerifiedKeyReused: the Trusted Browser key pair is made once and
// kept in the data folder (private half readable by the owner only); a
// restart reuses it and registers it at the new stand-in.
func TestVerifiedKeyReused(t *testing.T) {
	dir := t.TempDir()
	d := startDevVerified(t, dir, nil)
	first, err := os.ReadFile(filepath.Join(dir, trustedPrivateFile))
	if err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(filepath.Join(dir, trustedPrivateFile)); fi.Mode().Perm() != 0o600 {
		t.Errorf("%s mode %v, want 0600", trustedPrivateFile, fi.Mode().Perm())
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	d2 := startDevVerified(t, dir, nil)
	if string(d2.backend.local.key.PrivateKey) != string(first) {
		t.Error("a restart made a new key pair, want the one in the data folder")
	}
	if got := d2.backend.local.ss.PublicKeys(); len(got) != 1 || got[0] != d2.backend.local.key.KeyID {
		t.Errorf("keys registered at the stand-in: %v, want [%s]", got, d2.backend.local.key.KeyID)
	}
	if strings.Contains(d.logs.String()+d2.logs.String(), "PRIVATE KEY") {
		t.Error("the private key reached the logs")
	}
}

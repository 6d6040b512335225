package main

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/google/go-cmp/cmp"
)

// browserTimeout bounds each browser session; every wait inside it is a
// condition polled by chromedp, never a fixed sleep.
const browserTimeout = 60 * time.Second

// chromium returns the Chromium to drive. Without one the test is skipped,
// except under CI=true, where it fails: `make test` installs it first.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	msg := "chromium is not installed; run `make browser-deps` (make test does) or `apt-get install chromium`"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// newBrowser starts a headless Chromium with a fresh profile for t and
// returns its context. The flags keep it off the network it would otherwise
// try to reach (this machine has none, and Chromium hangs on the attempts):
// no QUIC, no background, component or sync traffic.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium(t)),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	ctx, cancelTimeout := context.WithTimeout(ctx, browserTimeout)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	return ctx
}

// pickedFiles are the files submit picks on the page, name → content:
// two, one of them larger than the browser uploader's first part, so that
// it is stored in two parts. Each starts as its type does (make run
// retrieves them, and a file whose content is not what its name says is
// rejected).
var pickedFiles = map[string][]byte{
	"bank-statement.pdf": []byte("%PDF-1.4 not really\n"),
	"photo id.png":       append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{0, 1, 2, 3, 4, 5, 6, 7}, 700000/8-1)...),
}

// submit opens the upload page at uploadURL, checks the email is
// prefilled, picks pickedFiles, submits, and waits until the page shows an
// outcome. It returns the outcome ("success" or "error"), the status text
// and the package id the page shows ("" if it shows none). The actions
// before, if any, run just before the click on Submit.
func submit(t *testing.T, ctx context.Context, uploadURL string, before ...chromedp.Action[chromedp.Void]) (outcome, status, packageID string) {
	t.Helper()
	dir := t.TempDir()
	var paths []string
	for name, content := range pickedFiles {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, content, 0o600); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	if err := chromedp.Do(ctx,
		chromedp.Navigate(uploadURL),
		chromedp.WaitVisible(chromedp.ID("upload")),
	); err != nil {
		t.Fatalf("open the upload page: %v", err)
	}
	email, err := chromedp.Run(ctx, chromedp.Value(chromedp.ID("email")))
	if err != nil {
		t.Fatal(err)
	}
	if email != testEmail {
		t.Errorf("email field: got %q, want %q prefilled from e", email, testEmail)
	}
	actions := append([]chromedp.Action[chromedp.Void]{chromedp.SetUploadFiles(chromedp.ID("files"), paths)}, before...)
	if err := chromedp.Do(ctx, append(actions, chromedp.Click(chromedp.ID("submit")))...); err != nil {
		t.Fatalf("submit: %v", err)
	}
	outcome, err = chromedp.Run(ctx, chromedp.Poll[string](`(() => {
		const s = document.getElementById("status");
		return !s.hidden && (s.className === "success" || s.className === "error") ? s.className : null;
	})()`, chromedp.WithPollingTimeout(30*time.Second)))
	if err != nil {
		t.Fatalf("wait for the page's answer: %v", err)
	}
	if status, err = chromedp.Run(ctx, chromedp.Text(chromedp.ID("status"))); err != nil {
		t.Fatal(err)
	}
	// The package is shown on success only.
	if packageID, err = chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
		const p = document.getElementById("package");
		return p.hidden ? "" : document.getElementById("package-id").textContent;
	})()`)); err != nil {
		t.Fatal(err)
	}
	return outcome, status, packageID
}

// TestBrowserUpload is the flow with a real browser, the one test that
// shows CORS works: the chatbot asks for an upload, the customer opens the
// UploadUrl, picks a file and submits; the page, on its own origin, gets
// the submission signed and posts it cross-origin to the webhook, reads
// the answer and says so; then getLink returns the link of the package the
// page made.
func TestBrowserUpload(t *testing.T) {
	b := newBrowser(t)
	d := startDev(t, backendEmbedded, t.TempDir(), nil)
	id, uploadURL := d.generateID(t)

	outcome, status, pkg := submit(t, b, uploadURL)
	if outcome != "success" || status != "Files submitted" {
		t.Fatalf("page: %s %q, want success \"Files submitted\"", outcome, status)
	}
	m := d.getLink(t, id)
	if m["Result"] != "Success" {
		t.Fatalf("getLink: %v", m)
	}
	link, err := url.Parse(m["SecureLink"].(string))
	if err != nil {
		t.Fatal(err)
	}
	if link.Host != defaultHost || link.Query().Get("thread") != pkg || pkg == "" {
		t.Errorf("SecureLink %s: want host %s and thread %q, the package the page made", link, defaultHost, pkg)
	}
	if frag, _ := url.ParseQuery(link.Fragment); len(frag.Get("keyCode")) != 43 || len(link.Query().Get("packageCode")) != 43 {
		t.Errorf("SecureLink %s: want 43-character packageCode and keyCode", link)
	}
	if evs := d.eventLines(t); len(evs) != 1 || evs[0]["packageId"] != pkg {
		t.Errorf("events: %v", evs)
	}

	// A post that needs a preflight passes it too.
	other, _ := d.generateID(t)
	if got := postJSONFromPage(t, b, other, "JSON-0001"); got != "sent" {
		t.Fatalf("JSON post from the page's origin: %s, want sent", got)
	}
	if m := d.getLink(t, other); m["Result"] != "Success" || !strings.Contains(m["SecureLink"].(string), "thread=JSON-0001&") {
		t.Errorf("getLink after the JSON post: %v", m)
	}
}

// postJSONFromPage makes the page, where the browser has it open, get a
// submission for uploadID signed and post it to the webhook as JSON, a
// request that needs a CORS preflight. It returns "sent", or "blocked: "
// and the browser's reason.
func postJSONFromPage(t *testing.T, ctx context.Context, uploadID, packageID string) string {
	t.Helper()
	script := fmt.Sprintf(`(async () => {
		const signed = await (await fetch("/auth/json/?action=submitHostedDropzone", {
			method: "POST",
			body: new URLSearchParams({name: %[1]q, email: %[2]q, packageCode: "pc", publicApiKey: %[3]q, packageId: %[4]q}),
		})).json();
		try {
			const resp = await fetch(signed.integrationUrls[0], {
				method: "POST",
				headers: {"Content-Type": "application/json"},
				body: JSON.stringify({data: signed.data, digest: signed.digest,
					secureLink: "https://" + %[5]q + "/receive/?thread=" + %[4]q + "&packageCode=pc#keyCode=KeyCode-0123456789abcdef"}),
			});
			return resp.ok ? "sent" : "answered " + resp.status;
		} catch (e) {
			return "blocked: " + e.message;
		}
	})()`, uploadID, testEmail, defaultDropzoneID, packageID, defaultHost)
	got, err := chromedp.Run(ctx, chromedp.Evaluate[string](script, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("evaluate: %v", err)
	}
	return got
}

// TestBrowserCORSRefused: with the page's origin left out of
// ALLOWED_ORIGINS, the browser keeps the page from reading the webhook's
// answer, and the page reports a failure.
//
// CORS is enforced by the browser, so what reaches the connector depends on
// the request. The page's own post (form-encoded, no custom header, as the
// real page sends it) is a CORS "simple request": the browser sends it and
// only hides the answer, and the connector, which authenticates by the
// digest and not by the origin, stores it, so nothing is lost. A JSON post
// needs a preflight, which gets no Access-Control-Allow-Origin, so the
// browser never sends it and nothing is stored.
func TestBrowserCORSRefused(t *testing.T) {
	b := newBrowser(t)
	d := startDev(t, backendEmbedded, t.TempDir(), map[string]string{"ALLOWED_ORIGINS": "https://files.sendsafely.com"})
	id, uploadURL := d.generateID(t)

	outcome, status, shown := submit(t, b, uploadURL)
	if outcome != "error" || !strings.Contains(status, "Failed to fetch") {
		t.Fatalf("page: %s %q, want an error saying the fetch failed", outcome, status)
	}
	if shown != "" {
		t.Errorf("page shows package %q beside %q, want none on failure", shown, status)
	}
	evs := d.eventLines(t)
	if len(evs) != 1 {
		t.Fatalf("events: %v, want the form post's", evs)
	}
	pkg, _ := evs[0]["packageId"].(string)
	if m := d.getLink(t, id); m["Result"] != "Success" || !strings.Contains(m["SecureLink"].(string), "thread="+pkg+"&") {
		t.Errorf("the form post, a simple request, should still be stored: getLink %v", m)
	}

	other, _ := d.generateID(t)
	if got := postJSONFromPage(t, b, other, "JSON-0001"); !strings.HasPrefix(got, "blocked: Failed to fetch") {
		t.Errorf("JSON post from a refused origin: %s, want blocked by the preflight", got)
	}
	if m := d.getLink(t, other); m["Result"] != "Pending" {
		t.Errorf("a preflighted post the browser refused was stored: getLink %v", m)
	}
	if evs := d.eventLines(t); len(evs) != 1 || evs[0]["packageId"] != pkg {
		t.Errorf("events: %v, want only the form post's", evs)
	}
}

// TestBrowserVerified is the flow of make run, verified mode on, in a real
// browser: the page makes the package at the SendSafely stand-in with the
// two files picked (stored encrypted as the browser uploader stores them)
// and posts its real link, which the connector confirms there; then, with the
// closed-tab switch on, the page makes the package and posts nothing, and
// getLink still answers Success with the stand-in's link, found through
// the API, and one upload.submitted with source "sendsafely" is printed.
func TestBrowserVerified(t *testing.T) {
	b := newBrowser(t)
	d := startDevVerified(t, t.TempDir(), nil)
	ss := d.backend.local.ss
	webhookPosts := func() int { return strings.Count(d.logs.String(), `"route":"/webhook"`) }

	// The page, notifying.
	id, uploadURL := d.generateID(t)
	outcome, status, pkg := submit(t, b, uploadURL)
	if outcome != "success" || status != "Files submitted" {
		t.Fatalf("page: %s %q, want success \"Files submitted\"", outcome, status)
	}
	p, ok := ss.Package(pkg)
	if !ok || p.Label != id || p.Sender != testEmail || !p.Finalized {
		t.Fatalf("stand-in package %q: %+v, want finalized, labelled with the upload id, sent by %s", pkg, p, testEmail)
	}
	files, err := ss.Files(pkg)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]byte{}
	for _, f := range files {
		if got[f.Name], err = ss.Content(pkg, f.ID); err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		if wantParts := map[bool]int{false: 1, true: 2}[f.Size > 655360]; f.Parts != wantParts {
			t.Errorf("%s: %d parts, want %d", f.Name, f.Parts, wantParts)
		}
	}
	if diff := cmp.Diff(pickedFiles, got); diff != "" {
		t.Errorf("the stand-in's package files, decrypted (-picked +stored):\n%s", diff)
	}
	if webhookPosts() != 1 {
		t.Errorf("webhook posts: %d, want 1", webhookPosts())
	}
	want, _ := ss.Link(pkg)
	m := d.getLink(t, id)
	if m["Result"] != "Success" || linkParts(t, m["SecureLink"].(string)) != linkParts(t, want) {
		t.Errorf("getLink: %v, want Success with the stand-in's link", m)
	}
	// The manifest getLink gives lists what the browser picked.
	listed := map[string]string{}
	entries, _ := m["Files"].([]any)
	for _, e := range entries {
		f, _ := e.(map[string]any)
		name, _ := f["Name"].(string)
		size, _ := f["Size"].(float64)
		if int(size) != len(pickedFiles[name]) {
			t.Errorf("getLink: %s: Size %v, want %d", name, f["Size"], len(pickedFiles[name]))
		}
		listed[name] = fmt.Sprint(f["Type"], " ", f["Status"])
	}
	wantListed := map[string]string{"bank-statement.pdf": "application/pdf accepted", "photo id.png": "image/png accepted"}
	if diff := cmp.Diff(wantListed, listed); diff != "" || m["FileCount"] != float64(2) {
		t.Errorf("getLink's Files (-picked +listed):\n%s FileCount %v", diff, m["FileCount"])
	}

	// The closed tab.
	closed, uploadURL := d.generateID(t)
	outcome, status, pkg = submit(t, b, uploadURL,
		chromedp.WaitVisible(chromedp.ID("no-notify")),
		chromedp.Click(chromedp.ID("no-notify")),
	)
	if outcome != "success" || status != "Files submitted; the connector was not notified" || pkg == "" {
		t.Fatalf("page with the switch on: %s %q package %q", outcome, status, pkg)
	}
	if webhookPosts() != 1 {
		t.Errorf("webhook posts: %d, want still 1: the closed tab posts nothing", webhookPosts())
	}
	want, _ = ss.Link(pkg)
	m = d.getLink(t, closed)
	if m["Result"] != "Success" || linkParts(t, m["SecureLink"].(string)) != linkParts(t, want) {
		t.Fatalf("getLink after a closed tab: %v, want Success with the stand-in's link %s", m, want)
	}
	var fromAPI []map[string]any
	for _, ev := range d.eventLines(t) {
		if ev["packageId"] == pkg {
			fromAPI = append(fromAPI, ev)
		}
	}
	if len(fromAPI) != 1 || fromAPI[0]["type"] != "upload.submitted" || fromAPI[0]["source"] != "sendsafely" {
		t.Errorf("events of the closed tab's package: %v, want one upload.submitted with source sendsafely", fromAPI)
	}
}

package main

import (
	"bytes"
	"context"
	"maps"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sendsafely/chatbot-connector/internal/doccheck"
)

// outputPattern turns a line of shown output into a pattern: "…" and a
// <placeholder> stand for anything, the rest is literal.
func outputPattern(line string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString("^")
	for _, part := range regexp.MustCompile(`…|<[^>]+>`).Split(line, -1) {
		b.WriteString(regexp.QuoteMeta(part))
		b.WriteString(".*")
	}
	return regexp.MustCompile(strings.TrimSuffix(b.String(), ".*") + "$")
}

// runnableDocs are the documents whose sh blocks marked to run
// TestDocCommands runs, each with the fewest blocks it must have, so that
// losing the markers fails too.
var runnableDocs = []struct {
	path string
	min  int
}{
	{"README.md", 2},               // the quick start
	{"docs/getting-started.md", 5}, // the walk-through, invoke, notify, help
}

// TestDocCommands runs the sh blocks of each document of runnableDocs
// marked to run (doccheck.RunMarker), as written, in order, against a
// connector-dev of its own started on free ports as make run starts it
// (verified mode on), and holds their output to what the document shows.
// What a reader would fill in is filled in: the ports the documents assume
// (8080, 8081) become the test's, <UploadId> the one the document's
// generateId returned, the Validation Key the server's local key, and the
// Dropzone id the local one. The browser's step is done as the page does
// it (browser_test.go drives a real browser through it); the placeholder
// for the package id the page showed becomes that id. The blocks that post
// to $WEBHOOK_URL with connector-dev notify, whose link is made up, run, as
// the document says, against a second server started with
// -verified=false, with an upload id and key of that server.
func TestDocCommands(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	for _, rd := range runnableDocs {
		t.Run(rd.path, func(t *testing.T) {
			doc, err := doccheck.Read(filepath.Join(root, rd.path))
			if err != nil {
				t.Fatal(err)
			}
			blocks := doc.Runnable()
			if len(blocks) < rd.min {
				t.Fatalf("%s has %d sh blocks marked %s, want at least %d", rd.path, len(blocks), doccheck.RunMarker, rd.min)
			}
			runDocBlocks(t, root, rd.path, blocks)
		})
	}
}

// runDocBlocks runs blocks of the document at path in order, as
// TestDocCommands says.
func runDocBlocks(t *testing.T, root, path string, blocks []doccheck.Block) {
	d := startDevVerified(t, t.TempDir(), nil)
	plain := startDev(t, backendEmbedded, t.TempDir(), nil)
	fill := map[string]string{
		"http://127.0.0.1:8080":          d.connectorURL,
		"http://127.0.0.1:8081":          d.pageURL,
		"<your Dropzone Validation Key>": string(d.backend.key),
		"<your DropzoneId>":              defaultDropzoneID,
	}
	env := append(os.Environ(),
		"WEBHOOK_URL="+plain.connectorURL+"/webhook",
		envData+"="+t.TempDir(), // invoke's, beside the running server
		envValidationKey+"=",
	)
	placeholder := regexp.MustCompile(`<[A-Za-z][^>]*>`)
	fill0, uploadID := fill, ""
	uploadIDOut := regexp.MustCompile(`"UploadId":"([0-9a-f-]{36})"`)

	for _, b := range blocks {
		script, want := b.Shell()
		fill := maps.Clone(fill)
		if strings.Contains(script, "$WEBHOOK_URL") {
			fill["<UploadId>"], _ = plain.generateID(t)
			fill["<your Dropzone Validation Key>"] = string(plain.backend.key)
		}
		for from, to := range fill {
			script = strings.ReplaceAll(script, from, to)
		}
		if p := placeholder.FindString(script); p != "" {
			t.Fatalf("%s line %d: the test cannot fill in %s; the blocks must run in order as written:\n%s", path, b.Line, p, b.Code)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		cmd := exec.CommandContext(ctx, "sh", "-e", "-c", script)
		cmd.Dir, cmd.Env = root, env
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		cancel()
		if err != nil {
			t.Fatalf("%s line %d: %v\n%s\nstdout:\n%s\nstderr:\n%s", path, b.Line, err, script, stdout.String(), stderr.String())
		}
		got := strings.Split(strings.TrimRight(stdout.String(), "\n"), "\n")
		if stdout.Len() == 0 {
			got = nil
		}
		if len(got) != len(want) {
			t.Errorf("%s line %d: %d lines of output, the document shows %d:\n%s", path, b.Line, len(got), len(want), stdout.String())
		}
		for i := 0; i < len(got) && i < len(want); i++ {
			w := want[i]
			for from, to := range fill {
				w = strings.ReplaceAll(w, from, to)
			}
			if !outputPattern(w).MatchString(got[i]) {
				t.Errorf("%s line %d: output line %d\n got  %s\n want %s", path, b.Line, i+1, got[i], w)
			}
		}
		if m := uploadIDOut.FindStringSubmatch(stdout.String()); m != nil && uploadID == "" {
			uploadID = m[1]
			fill0["<UploadId>"] = m[1]
			fill0["<the package id the page showed>"] = submitAsPage(t, d, m[1])
		}
	}
	if uploadID == "" {
		t.Errorf("no command of %s asked for an upload", path)
	}
}

// submitAsPage does what the stand-in page does on Submit in verified
// mode: make and finalize the package at the SendSafely stand-in, get the
// submission signed on the page's origin, then post it to the webhook with
// the package's link. It returns the package id.
func submitAsPage(t *testing.T, d *dev, uploadID string) string {
	t.Helper()
	pkg, code, link := d.makePackageAsPage(t, uploadID)
	if st := d.notifyAsPage(t, uploadID, pkg, code, link); st != http.StatusOK {
		t.Fatalf("webhook: %d", st)
	}
	return pkg
}

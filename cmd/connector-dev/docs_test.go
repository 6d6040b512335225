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
)

// readmeSection is the heading of the README's local walk-through, whose
// sh blocks TestReadmeLocalCommands runs.
const readmeSection = "## Local walk-through"

// shBlock is one ```sh block of the README: the script as written and the
// output it shows, the "# " lines under its commands.
type shBlock struct {
	line   int // where it starts in the README, for messages
	script string
	want   []string
}

// readmeBlocks returns the sh blocks of the README section under heading.
func readmeBlocks(t *testing.T, readme, heading string) []shBlock {
	t.Helper()
	lines := strings.Split(readme, "\n")
	start := -1
	for i, l := range lines {
		if l == heading {
			start = i
			break
		}
	}
	if start < 0 {
		t.Fatalf("the README has no %q heading", heading)
	}
	var (
		blocks []shBlock
		cur    *shBlock
		indent string
	)
	for i := start + 1; i < len(lines) && !strings.HasPrefix(lines[i], "## "); i++ {
		l := lines[i]
		trimmed := strings.TrimSpace(l)
		switch {
		case cur == nil && trimmed == "```sh":
			cur = &shBlock{line: i + 1}
			indent = l[:len(l)-len(strings.TrimLeft(l, " "))]
		case cur != nil && trimmed == "```":
			blocks = append(blocks, *cur)
			cur = nil
		case cur != nil:
			l = strings.TrimPrefix(l, indent)
			if strings.HasPrefix(l, "# ") {
				cur.want = append(cur.want, strings.TrimPrefix(l, "# "))
			} else {
				cur.script += l + "\n"
			}
		}
	}
	return blocks
}

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

// TestReadmeLocalCommands runs the sh blocks of the README's local
// walk-through as written, in order, against a connector-dev started on
// free ports as make run starts it (verified mode on), and holds their
// output to what the README shows. What a reader would fill in is filled
// in: the ports the README assumes (8080, 8081) become the test's,
// <UploadId> the one the README's generateId returned, the Validation Key
// the server's local key, and the Dropzone id the local one. Step 2, the
// browser's, is done as the page does it (browser_test.go drives a real
// browser through it); the README's placeholder for the package id the
// page showed becomes that id. The blocks that post to $WEBHOOK_URL with
// connector-dev notify, whose link is made up, run, as the README says,
// against a second server started with -verified=false, with an upload id
// and key of that server.
func TestReadmeLocalCommands(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	blocks := readmeBlocks(t, string(readme), readmeSection)
	if len(blocks) < 4 {
		t.Fatalf("found %d sh blocks under %q, want the walk-through's (at least 4)", len(blocks), readmeSection)
	}

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
		script := b.script
		fill := maps.Clone(fill)
		if strings.Contains(script, "$WEBHOOK_URL") {
			fill["<UploadId>"], _ = plain.generateID(t)
			fill["<your Dropzone Validation Key>"] = string(plain.backend.key)
		}
		for from, to := range fill {
			script = strings.ReplaceAll(script, from, to)
		}
		if p := placeholder.FindString(script); p != "" {
			t.Fatalf("README line %d: the test cannot fill in %s; the walk-through's blocks must run in order as written:\n%s", b.line, p, b.script)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		cmd := exec.CommandContext(ctx, "sh", "-e", "-c", script)
		cmd.Dir, cmd.Env = root, env
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		cancel()
		if err != nil {
			t.Fatalf("README line %d: %v\n%s\nstdout:\n%s\nstderr:\n%s", b.line, err, script, stdout.String(), stderr.String())
		}
		got := strings.Split(strings.TrimRight(stdout.String(), "\n"), "\n")
		if stdout.Len() == 0 {
			got = nil
		}
		if len(got) != len(b.want) {
			t.Errorf("README line %d: %d lines of output, the README shows %d:\n%s", b.line, len(got), len(b.want), stdout.String())
		}
		for i := 0; i < len(got) && i < len(b.want); i++ {
			want := b.want[i]
			for from, to := range fill {
				want = strings.ReplaceAll(want, from, to)
			}
			if !outputPattern(want).MatchString(got[i]) {
				t.Errorf("README line %d: output line %d\n got  %s\n want %s", b.line, i+1, got[i], want)
			}
		}
		if m := uploadIDOut.FindStringSubmatch(stdout.String()); m != nil && uploadID == "" {
			uploadID = m[1]
			fill0["<UploadId>"] = m[1]
			fill0["<the package id the page showed>"] = submitAsPage(t, d, m[1])
		}
	}
	if uploadID == "" {
		t.Error("no README command asked for an upload")
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

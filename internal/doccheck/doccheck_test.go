package doccheck

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestRepositoryLinks checks that every relative link, and its #anchor,
// of README.md, CHANGELOG.md and docs/*.md resolves.
func TestRepositoryLinks(t *testing.T) {
	docs, err := filepath.Glob("../../docs/*.md")
	if err != nil {
		t.Fatal(err)
	}
	paths := append([]string{"../../README.md", "../../CHANGELOG.md"}, docs...)
	if len(paths) < 10 {
		t.Fatalf("found %d documents, want README.md, CHANGELOG.md and the pages of docs/: %v", len(paths), paths)
	}
	for _, p := range paths {
		doc, err := Read(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, bad := range doc.Check() {
			t.Error(bad)
		}
	}
}

// TestCheck: what Check reports of a document with good and broken links,
// and what it leaves alone (other schemes, code spans, fenced blocks).
func TestCheck(t *testing.T) {
	doc, err := Read(filepath.Join("testdata", "links.md"))
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join("testdata", "links.md")
	want := []string{
		p + ":9: missing.md: no such file",
		p + ":9: other.md#no-such-heading: no heading has the anchor #no-such-heading",
		p + ":10: #nowhere: no heading has the anchor #nowhere",
	}
	if diff := cmp.Diff(want, doc.Check()); diff != "" {
		t.Errorf("Check (-want +got):\n%s", diff)
	}
}

// TestAnchors: GitHub's anchors, punctuation dropped and repeats
// numbered.
func TestAnchors(t *testing.T) {
	doc, err := Read(filepath.Join("testdata", "other.md"))
	if err != nil {
		t.Fatal(err)
	}
	got := make([]string, 0, len(doc.Anchors()))
	for a := range doc.Anchors() {
		got = append(got, a)
	}
	slices.Sort(got)
	want := []string{"collect_files-the-upload-inside-the-client", "other", "second-heading", "second-heading-1"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Anchors (-want +got):\n%s", diff)
	}
}

// TestSectionTableBlocks: a section ends at the next heading of its level
// (not at one inside a block), its first table is read by the name in the
// first cell, and its blocks keep their language, marker and line.
func TestSectionTableBlocks(t *testing.T) {
	doc := Parse("x.md", "# X\n\n## A\n\n| name | v |\n|---|---|\n| `one` | 1 |\n| `two` words | 2 |\n\n"+
		"1. Step:\n\n   <!-- run -->\n   ```sh\n   echo hi\n   # hi\n   ```\n\n```js\n## not a heading\n```\n\n## B\n\n| `three` | 3 |\n")
	a, ok := doc.Section("## A")
	if !ok {
		t.Fatal("no section A")
	}
	if diff := cmp.Diff(map[string][]string{"one": {"`one`", "1"}, "two": {"`two` words", "2"}}, a.Table()); diff != "" {
		t.Errorf("Table (-want +got):\n%s", diff)
	}
	want := []Block{
		{Line: 13, Lang: "sh", Run: true, Code: "echo hi\n# hi\n"},
		{Line: 18, Lang: "js", Code: "## not a heading\n"},
	}
	if diff := cmp.Diff(want, a.Blocks("")); diff != "" {
		t.Errorf("Blocks (-want +got):\n%s", diff)
	}
	if got := len(a.Runnable()); got != 1 {
		t.Errorf("Runnable: %d blocks, want 1", got)
	}
	script, out := want[0].Shell()
	if script != "echo hi\n" || !slices.Equal(out, []string{"hi"}) {
		t.Errorf("Shell: %q, %q; want the script and its output apart", script, out)
	}
	if _, ok := doc.Section("## not a heading"); ok {
		t.Error("a line inside a fenced block was taken for a heading")
	}
}

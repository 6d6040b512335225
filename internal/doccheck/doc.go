// Package doccheck reads the repository's Markdown documents for the tests
// that hold them to the code: a section under its heading, the table in
// it, the fenced blocks (those marked to run, with the output they show),
// and the relative links with their anchors.
//
// A block is marked to run by an HTML comment on the line just before its
// opening fence, at the fence's indent: <!-- run -->. The comment renders
// as nothing, so the reader sees an ordinary block.
package doccheck

import (
	"os"
	"regexp"
	"strings"
)

// RunMarker is the line that marks the next fenced block as one a test runs.
const RunMarker = "<!-- run -->"

// Doc is a Markdown document, or a section of one: its lines and where the
// first of them is in the file.
type Doc struct {
	Path  string
	Lines []string
	// First is the 1-based line number of Lines[0] in the file.
	First int
}

// Read reads the Markdown file at path.
func Read(path string) (Doc, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Doc{}, err
	}
	return Parse(path, string(b)), nil
}

// Parse splits text, the content of the file at path, into a Doc.
func Parse(path, text string) Doc {
	return Doc{Path: path, Lines: strings.Split(text, "\n"), First: 1}
}

// headingLevel returns the level of a heading line (1 for "# ", 2 for
// "## "...), or 0 for a line that is none.
func headingLevel(line string) int {
	n := len(line) - len(strings.TrimLeft(line, "#"))
	if n == 0 || n > 6 || len(line) == n || line[n] != ' ' {
		return 0
	}
	return n
}

// Section returns the lines under heading (the whole line, such as
// "## Alarms") up to the next heading of the same level or a higher one,
// and reports whether the heading is there. Headings inside fenced blocks
// do not count.
func (d Doc) Section(heading string) (Doc, bool) {
	level := headingLevel(heading)
	start := -1
	fence := ""
	for i, l := range d.Lines {
		if f, ok := fenceOf(l); ok {
			fence = toggle(fence, f)
			continue
		}
		if fence != "" {
			continue
		}
		switch {
		case start < 0 && l == heading:
			start = i + 1
		case start >= 0 && level > 0:
			if h := headingLevel(l); h > 0 && h <= level {
				return Doc{Path: d.Path, Lines: d.Lines[start:i], First: d.First + start}, true
			}
		}
	}
	if start < 0 {
		return Doc{}, false
	}
	return Doc{Path: d.Path, Lines: d.Lines[start:], First: d.First + start}, true
}

// fenceOf reports whether line opens or closes a fenced block, and the
// fence's characters (``` or ~~~, maybe longer).
func fenceOf(line string) (string, bool) {
	t := strings.TrimSpace(line)
	for _, c := range []string{"```", "~~~"} {
		if strings.HasPrefix(t, c) {
			return t[:len(t)-len(strings.TrimLeft(t, c[:1]))], true
		}
	}
	return "", false
}

// toggle returns the open fence after a fence line f: f opens a block
// when none is open, and closes the open one when it is at least as long
// and of the same character.
func toggle(open, f string) string {
	switch {
	case open == "":
		return f
	case f[0] == open[0] && len(f) >= len(open):
		return ""
	}
	return open
}

// firstCell is a table row's first cell: a name in backticks, and maybe
// words after it.
var firstCell = regexp.MustCompile("^\\| `([^`]+)`")

// Table returns the rows of the first table in d, by the name in
// backticks that starts their first cell, each as its trimmed cells. The
// header and rows whose first cell starts otherwise are left out.
func (d Doc) Table() map[string][]string {
	rows := map[string][]string{}
	inTable := false
	for _, l := range d.Lines {
		if !strings.HasPrefix(l, "|") {
			if inTable {
				break
			}
			continue
		}
		inTable = true
		m := firstCell.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		var cells []string
		for _, c := range strings.Split(strings.Trim(l, "|"), " | ") {
			cells = append(cells, strings.TrimSpace(c))
		}
		rows[m[1]] = cells
	}
	return rows
}

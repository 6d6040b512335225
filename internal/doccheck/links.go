package doccheck

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"unicode"
)

// Link is one inline link of a document, [text](target).
type Link struct {
	Line   int
	Target string
}

var (
	// inlineLink is [text](target) or [text](target "title").
	inlineLink = regexp.MustCompile(`\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)`)
	// codeSpan is `code`, whose text is not Markdown.
	codeSpan = regexp.MustCompile("`[^`]*`")
)

// Links returns the inline links of d outside fenced blocks and code
// spans.
func (d Doc) Links() []Link {
	var out []Link
	fence := ""
	for i, l := range d.Lines {
		if f, ok := fenceOf(l); ok {
			fence = toggle(fence, f)
			continue
		}
		if fence != "" {
			continue
		}
		for _, m := range inlineLink.FindAllStringSubmatch(codeSpan.ReplaceAllString(l, ""), -1) {
			out = append(out, Link{Line: d.First + i, Target: m[1]})
		}
	}
	return out
}

// Anchors returns the anchors GitHub gives the headings of d, as a set.
func (d Doc) Anchors() map[string]bool {
	seen := map[string]int{}
	out := map[string]bool{}
	fence := ""
	for _, l := range d.Lines {
		if f, ok := fenceOf(l); ok {
			fence = toggle(fence, f)
			continue
		}
		if n := headingLevel(l); fence == "" && n > 0 {
			s := Slug(l[n+1:])
			if k := seen[s]; k > 0 {
				out[fmt.Sprintf("%s-%d", s, k)] = true
			} else {
				out[s] = true
			}
			seen[s]++
		}
	}
	return out
}

// Slug is the anchor GitHub derives from a heading's text: lower case,
// every character but letters, digits, spaces, hyphens and underscores
// dropped, each space a hyphen.
func Slug(heading string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(heading)) {
		switch {
		case r == ' ':
			b.WriteByte('-')
		case r == '-', r == '_', unicode.IsLetter(r), unicode.IsDigit(r):
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Check returns a sentence for each relative link of d that does not
// resolve: a file or folder that does not exist, relative to d's folder,
// or an anchor that no heading of the target document (d itself for
// "#anchor") has. Links with a scheme (https:, mailto:) are not checked.
func (d Doc) Check() []string {
	var bad []string
	anchors := map[string]map[string]bool{}
	for _, l := range d.Links() {
		if strings.Contains(l.Target, ":") {
			continue
		}
		file, anchor, _ := strings.Cut(l.Target, "#")
		path := d.Path
		if file != "" {
			path = filepath.Join(filepath.Dir(d.Path), filepath.FromSlash(file))
			if _, err := os.Stat(path); err != nil {
				bad = append(bad, fmt.Sprintf("%s:%d: %s: no such file", d.Path, l.Line, l.Target))
				continue
			}
		}
		if anchor == "" || !strings.HasSuffix(path, ".md") {
			continue
		}
		if anchors[path] == nil {
			target := d
			if path != d.Path {
				var err error
				if target, err = Read(path); err != nil {
					bad = append(bad, fmt.Sprintf("%s:%d: %s: %v", d.Path, l.Line, l.Target, err))
					continue
				}
			}
			anchors[path] = target.Anchors()
		}
		if !anchors[path][anchor] {
			bad = append(bad, fmt.Sprintf("%s:%d: %s: no heading has the anchor #%s", d.Path, l.Line, l.Target, anchor))
		}
	}
	return bad
}

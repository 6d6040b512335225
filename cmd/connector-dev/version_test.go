package main

import (
	"bytes"
	"context"
	"io"
	"regexp"
	"testing"

	"github.com/sendsafely/chatbot-connector/internal/doccheck"
)

// TestVersionIsTheChangelogs: connector-dev version prints the version
// constant, and the constant is the latest version CHANGELOG.md names,
// the first "## [x.y.z]" heading after "## [Unreleased]".
func TestVersionIsTheChangelogs(t *testing.T) {
	var stdout bytes.Buffer
	if err := run(context.Background(), []string{"version"}, func(string) string { return "" }, &stdout, io.Discard); err != nil {
		t.Fatal(err)
	}
	if got, want := stdout.String(), "connector-dev "+version+"\n"; got != want {
		t.Errorf("connector-dev version printed %q, want %q", got, want)
	}

	doc, err := doccheck.Read("../../CHANGELOG.md")
	if err != nil {
		t.Fatal(err)
	}
	heading := regexp.MustCompile(`^## \[([^\]]+)\]`)
	var names []string
	for _, l := range doc.Lines {
		if m := heading.FindStringSubmatch(l); m != nil {
			names = append(names, m[1])
		}
	}
	if len(names) < 2 || names[0] != "Unreleased" {
		t.Fatalf("CHANGELOG.md's versions are %v, want [Unreleased] first and then the released ones", names)
	}
	if !regexp.MustCompile(`^\d+\.\d+\.\d+$`).MatchString(names[1]) {
		t.Errorf("CHANGELOG.md's latest version %q is not x.y.z", names[1])
	}
	if names[1] != version {
		t.Errorf("CHANGELOG.md's latest version is %s, the version constant %s: change them together", names[1], version)
	}
}

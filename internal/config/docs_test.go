package config

import (
	"slices"
	"strings"
	"testing"

	"github.com/sendsafely/chatbot-connector/internal/doccheck"
)

// configurationDoc is the page with the one table of environment variables.
const configurationDoc = "../../docs/configuration.md"

// documentedAhead are variables the table describes before Load reads
// them, because another branch adds them; each leaves this list when it
// joins All.
var documentedAhead = []string{}

// TestDocumentedVariables checks docs/configuration.md's table: its rows
// read by the function ("read by" starts with function) are exactly All (and documentedAhead), so a
// variable added to Load without a row, or a row left behind by one
// removed, fails.
func TestDocumentedVariables(t *testing.T) {
	doc, err := doccheck.Read(configurationDoc)
	if err != nil {
		t.Fatal(err)
	}
	section, ok := doc.Section("## Environment variables")
	if !ok {
		t.Fatalf("%s has no Environment variables section", configurationDoc)
	}
	rows := section.Table()
	var documented []string
	for name, cells := range rows {
		if len(cells) != 5 {
			t.Errorf("%s row of %s has %d cells, want 5 (variable, read by, meaning, default, parameter)", configurationDoc, name, len(cells))
			continue
		}
		if strings.HasPrefix(cells[1], "function") {
			documented = append(documented, name)
		}
	}
	for _, name := range documentedAhead {
		if slices.Contains(All, name) {
			t.Errorf("%s is in All now: take it out of documentedAhead", name)
		}
	}
	want := slices.Sorted(slices.Values(append(slices.Clone(All), documentedAhead...)))
	if got := slices.Sorted(slices.Values(documented)); !slices.Equal(got, want) {
		t.Errorf("%s documents the function's variables %v, want All %v", configurationDoc, got, want)
	}
}

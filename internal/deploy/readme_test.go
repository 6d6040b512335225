package deploy

import (
	"fmt"
	"maps"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// readmePath is the README, from this package's directory.
const readmePath = "../../README.md"

// firstCell is a table row's first cell: a name in backticks, and maybe
// words after it.
var firstCell = regexp.MustCompile("^\\| `([^`]+)`")

// readmeTable returns the rows of the first table after the README's
// heading, by the name in their first cell, each as its cells.
func readmeTable(t *testing.T, heading string) map[string][]string {
	t.Helper()
	b, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(b), "\n")
	start := slices.Index(lines, heading)
	if start < 0 {
		t.Fatalf("README has no heading %q", heading)
	}
	rows := map[string][]string{}
	inTable := false
	for _, l := range lines[start+1:] {
		if !strings.HasPrefix(l, "|") {
			if inTable {
				break
			}
			if strings.HasPrefix(l, "#") {
				break
			}
			continue
		}
		inTable = true
		m := firstCell.FindStringSubmatch(l)
		if m == nil {
			continue // the header and its rule
		}
		var cells []string
		for _, c := range strings.Split(strings.Trim(l, "|"), " | ") {
			cells = append(cells, strings.TrimSpace(c))
		}
		rows[m[1]] = cells
	}
	if len(rows) == 0 {
		t.Fatalf("README has no table under %q", heading)
	}
	return rows
}

// TestReadmeParameters checks that the README's parameter table lists
// every parameter of the template, and no other, each with its default.
func TestReadmeParameters(t *testing.T) {
	tmpl := transformed(t, nil)
	rows := readmeTable(t, "### Parameters")
	if got, want := slices.Sorted(maps.Keys(rows)), slices.Sorted(maps.Keys(tmpl.Parameters)); !slices.Equal(got, want) {
		t.Errorf("README parameters %v, want the template's %v", got, want)
	}
	for name, p := range tmpl.Parameters {
		row, ok := rows[name]
		if !ok {
			continue
		}
		want := "required"
		switch d := fmt.Sprint(p.Default); {
		case p.Default == nil:
		case d == "":
			want = "empty"
		default:
			want = "`" + d + "`"
		}
		if len(row) != 4 || row[2] != want {
			t.Errorf("README row of %s = %q, want 4 cells, the default %s", name, row, want)
		}
	}
}

// TestReadmeAlarmsAndOutputs checks that the README explains every alarm
// and every output of the template.
func TestReadmeAlarmsAndOutputs(t *testing.T) {
	tmpl := transformed(t, nil)
	var alarms []string
	for id, r := range tmpl.Resources {
		if r.Type == "AWS::CloudWatch::Alarm" {
			alarms = append(alarms, id)
		}
	}
	for _, c := range []struct {
		heading string
		want    []string
	}{
		{"## Alarms", alarms},
		{"### After deploying: outputs, secret, Dropzone", slices.Collect(maps.Keys(tmpl.Outputs))},
	} {
		rows := readmeTable(t, c.heading)
		if got, want := slices.Sorted(maps.Keys(rows)), slices.Sorted(slices.Values(c.want)); !slices.Equal(got, want) {
			t.Errorf("README table under %q names %v, want %v", c.heading, got, want)
		}
	}
}

// TestReadmeSamLocal checks that the README's sam local command names the
// files it needs, which exist.
func TestReadmeSamLocal(t *testing.T) {
	b, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	const cmd = "sam local invoke ConnectorFunction -e testdata/events/generateId.json --env-vars testdata/env.json"
	if !strings.Contains(string(b), cmd) {
		t.Errorf("README lacks %q", cmd)
	}
	for _, f := range []string{"../../testdata/events/generateId.json", envVarsPath} {
		if _, err := os.Stat(f); err != nil {
			t.Error(err)
		}
	}
}

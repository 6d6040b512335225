package deploy

import (
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/sendsafely/chatbot-connector/internal/doccheck"
)

// The pages that describe the template, from this package's directory.
const (
	deployingDoc  = "../../docs/deploying.md"
	operationsDoc = "../../docs/operations.md"
)

// docTable returns the rows of the first table under heading in the
// document at path, by the name in backticks of their first cell.
func docTable(t *testing.T, path, heading string) map[string][]string {
	t.Helper()
	doc, err := doccheck.Read(path)
	if err != nil {
		t.Fatal(err)
	}
	section, ok := doc.Section(heading)
	if !ok {
		t.Fatalf("%s has no heading %q", path, heading)
	}
	rows := section.Table()
	if len(rows) == 0 {
		t.Fatalf("%s has no table under %q", path, heading)
	}
	return rows
}

// TestDocParameters checks that docs/deploying.md's parameter table lists
// every parameter of the template, and no other, each with its default.
func TestDocParameters(t *testing.T) {
	tmpl := transformed(t, nil)
	rows := docTable(t, deployingDoc, "## Parameters")
	if got, want := slices.Sorted(maps.Keys(rows)), slices.Sorted(maps.Keys(tmpl.Parameters)); !slices.Equal(got, want) {
		t.Errorf("%s parameters %v, want the template's %v", deployingDoc, got, want)
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
			t.Errorf("%s row of %s = %q, want 4 cells, the default %s", deployingDoc, name, row, want)
		}
	}
}

// TestDocResources checks that docs/deploying.md's table of what the
// template creates names every resource of the transformed template (the
// template's own and those SAM adds), and no other, each with its type.
func TestDocResources(t *testing.T) {
	tmpl := transformed(t, nil)
	rows := docTable(t, deployingDoc, "## What the template creates")
	if got, want := slices.Sorted(maps.Keys(rows)), slices.Sorted(maps.Keys(tmpl.Resources)); !slices.Equal(got, want) {
		t.Errorf("%s resources %v, want the transformed template's %v", deployingDoc, got, want)
	}
	for id, r := range tmpl.Resources {
		row, ok := rows[id]
		if !ok {
			continue
		}
		if want := "`" + r.Type + "`"; len(row) != 4 || row[1] != want {
			t.Errorf("%s row of %s = %q, want 4 cells, the type %s", deployingDoc, id, row, want)
		}
	}
}

// TestDocAlarmsAndOutputs checks that the documents explain every alarm
// and every output of the template.
func TestDocAlarmsAndOutputs(t *testing.T) {
	tmpl := transformed(t, nil)
	var alarms []string
	for id, r := range tmpl.Resources {
		if r.Type == "AWS::CloudWatch::Alarm" {
			alarms = append(alarms, id)
		}
	}
	for _, c := range []struct {
		path, heading string
		want          []string
	}{
		{operationsDoc, "## Alarms", alarms},
		{deployingDoc, "## After deploying: outputs, secret, Dropzone", slices.Collect(maps.Keys(tmpl.Outputs))},
	} {
		rows := docTable(t, c.path, c.heading)
		if got, want := slices.Sorted(maps.Keys(rows)), slices.Sorted(slices.Values(c.want)); !slices.Equal(got, want) {
			t.Errorf("%s table under %q names %v, want %v", c.path, c.heading, got, want)
		}
	}
}

// TestDocSamLocal checks that docs/deploying.md's sam local command names
// the files it needs, which exist.
func TestDocSamLocal(t *testing.T) {
	doc, err := doccheck.Read(deployingDoc)
	if err != nil {
		t.Fatal(err)
	}
	const cmd = "sam local invoke ConnectorFunction -e testdata/events/generateId.json --env-vars testdata/env.json"
	if !strings.Contains(strings.Join(doc.Lines, "\n"), cmd) {
		t.Errorf("%s lacks %q", deployingDoc, cmd)
	}
	for _, f := range []string{"../../testdata/events/generateId.json", envVarsPath} {
		if _, err := os.Stat(f); err != nil {
			t.Error(err)
		}
	}
}

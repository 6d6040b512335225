package tools_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"gopkg.in/yaml.v3"

	"github.com/sendsafely/chatbot-connector/internal/tools"
)

var update = flag.Bool("update", false, "rewrite the generated files in docs/")

// TestDocsAreGenerated holds the files in docs/ to the Go values they are
// generated from: edit internal/tools, then run go test ./internal/tools -update.
func TestDocsAreGenerated(t *testing.T) {
	files, err := tools.Files()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		t.Run(f.Name, func(t *testing.T) {
			if f.YAML {
				f.Data = toYAML(t, f.Data)
			}
			path := filepath.Join("..", "..", "docs", f.Name)
			if *update {
				if err := os.WriteFile(path, f.Data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./internal/tools -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), string(f.Data)); diff != "" {
				t.Errorf("docs/%s is not what internal/tools generates; run go test ./internal/tools -update (-committed +generated):\n%s", f.Name, diff)
			}
		})
	}
}

// TestPlatformLimits checks the limits the platforms put on what they
// import: GPT Actions take operation descriptions up to 300 characters,
// Power Platform summaries up to 80, and Bedrock Agents names that match
// ([0-9a-zA-Z][_-]?){1,100}.
func TestPlatformLimits(t *testing.T) {
	bedrockName := regexp.MustCompile(`^([0-9a-zA-Z][_-]?){1,100}$`)
	for _, tl := range tools.All() {
		if n := len(tl.Description); n > 300 {
			t.Errorf("%s: description is %d characters, over 300", tl.Name, n)
		}
		if n := len(tl.Summary); n > 80 || n == 0 {
			t.Errorf("%s: summary is %d characters, want 1 to 80", tl.Name, n)
		}
		if !bedrockName.MatchString(tl.Name) {
			t.Errorf("%s: not a valid Bedrock function name", tl.Name)
		}
		for _, p := range tl.Input.Properties {
			if !bedrockName.MatchString(p.Name) {
				t.Errorf("%s.%s: not a valid Bedrock parameter name", tl.Name, p.Name)
			}
		}
	}
}

// TestOutputTypesMatchSchemas: the Go types the tools answer with carry
// exactly the properties their schemas document, with the same names.
func TestOutputTypesMatchSchemas(t *testing.T) {
	for _, tt := range []struct {
		tool string
		v    any
	}{
		{tools.GenerateUploadLink, tools.UploadLink{}},
		{tools.GetSecureLink, tools.LinkOutput{}},
	} {
		t.Run(tt.tool, func(t *testing.T) {
			tl, ok := tools.Lookup(tt.tool)
			if !ok {
				t.Fatalf("no tool %s", tt.tool)
			}
			var tags []string
			rt := reflect.TypeOf(tt.v)
			for i := range rt.NumField() {
				name, _, _ := strings.Cut(rt.Field(i).Tag.Get("json"), ",")
				tags = append(tags, name)
			}
			var props []string
			for _, p := range tl.Output.Properties {
				props = append(props, p.Name)
			}
			if !slices.Equal(tags, props) {
				t.Errorf("type fields %v, schema properties %v", tags, props)
			}
			for _, r := range tl.Output.Required {
				if tl.Output.Property(r) == nil {
					t.Errorf("required %q is not a property", r)
				}
			}
		})
	}
}

func TestJSONSchemaIsAnObject(t *testing.T) {
	for _, tl := range tools.All() {
		for _, s := range []*tools.Schema{tl.Input, tl.Output} {
			b, err := s.JSONSchema()
			if err != nil {
				t.Fatal(err)
			}
			var m map[string]any
			if err := json.Unmarshal(b, &m); err != nil || m["type"] != "object" {
				t.Errorf("%s: schema %s is not a JSON object schema (%v)", tl.Name, b, err)
			}
		}
	}
}

// toYAML converts a generated JSON document to the YAML of docs/: JSON is
// YAML, so it is parsed into nodes (keeping key order) and written back in
// block style. Strings that would read as another type stay quoted.
func toYAML(t *testing.T, data []byte) []byte {
	t.Helper()
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	var plain func(n *yaml.Node)
	plain = func(n *yaml.Node) {
		n.Style = 0
		for _, c := range n.Content {
			plain(c)
		}
	}
	plain(&doc)
	var buf bytes.Buffer
	buf.WriteString(tools.YAMLHeader)
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		t.Fatal(err)
	}
	if err := enc.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

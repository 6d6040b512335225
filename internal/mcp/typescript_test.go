package mcp_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sendsafely/chatbot-connector/internal/nodetest"
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
// after the test submits a package of a text file and a PNG through the
// webhook and retrieves it, finds it Ready, lists the files and reads
// them: the text as text content, the PNG as image content (base64 PNG,
// mimeType image/png), each with its download link as a resource_link.
func TestTypeScriptClient(t *testing.T) {
	node := needNode(t)
	l := startLocalFiles(t)
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

	text := "Ticket 88: the router reboots every hour.\nLog attached.\n"
	pic := pngOf(t, 40, 20)
	link := l.submitFiles(t, id, "TSCL-0001", sentFile{id: "file-text", name: "error.log.txt", data: []byte(text)},
		sentFile{id: "file-png", name: "screenshot.png", data: pic})
	c.say("submitted")
	type content = struct{ Type, Text, Data, MimeType, URI string }
	type read = struct {
		IsError           bool
		StructuredContent map[string]any
		Content           []content
	}
	var second struct {
		Ready struct {
			IsError           bool
			StructuredContent map[string]any
		}
		Reads map[string]read
	}
	c.next(&second)
	if sc := second.Ready.StructuredContent; second.Ready.IsError || sc["status"] != "Ready" || sc["secureLink"] != link {
		t.Errorf("get_secure_link after the submission: %+v, want Ready with %s", second.Ready, link)
	}
	kinds := func(r read) map[string]content {
		m := map[string]content{}
		for _, c := range r.Content {
			m[c.Type] = c
		}
		return m
	}
	tr := second.Reads["error.log.txt"]
	if tr.IsError || tr.StructuredContent["text"] != text || kinds(tr)["resource_link"].URI == "" || kinds(tr)["image"] != (content{}) {
		t.Errorf("read_file of the text file: %+v, want its text, a resource_link and no image", tr)
	}
	var out map[string]any
	if err := json.Unmarshal([]byte(kinds(tr)["text"].Text), &out); err != nil || out["text"] != text {
		t.Errorf("read_file's text content %q (%v), want the output with the file's text", kinds(tr)["text"].Text, err)
	}
	pr := second.Reads["screenshot.png"]
	img := kinds(pr)["image"]
	raw, err := base64.StdEncoding.DecodeString(img.Data)
	if pr.IsError || img.MimeType != "image/png" || err != nil {
		t.Fatalf("read_file of the PNG: %+v (%v), want image content of type image/png in base64", pr, err)
	}
	if cfg, format, err := image.DecodeConfig(bytes.NewReader(raw)); err != nil || format != "png" || cfg.Width != 40 || cfg.Height != 20 {
		t.Errorf("image content: %s %dx%d (%v), want the 40x20 PNG", format, cfg.Width, cfg.Height, err)
	}
	if kinds(pr)["resource_link"].MimeType != "image/png" {
		t.Errorf("read_file of the PNG: %+v, want a resource_link of image/png", pr.Content)
	}
	c.finish()
}

// pngOf is a w × h PNG of a gradient.
func pngOf(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x * 6), uint8(y * 12), 128, 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

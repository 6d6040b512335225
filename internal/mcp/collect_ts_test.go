package mcp_test

import (
	"strings"
	"testing"
)

// TestCollectFilesTypeScript runs collect_files from the TypeScript SDK v2
// client (@modelcontextprotocol/client) on 2026-07-28: the client shows
// the URL elicitation, the customer opens the page and a signed
// notification comes in, the client accepts and its SDK retries with the
// requestState, and the call returns Ready. A client declaring no URL
// elicitation gets the fallback text.
func TestCollectFilesTypeScript(t *testing.T) {
	node := needNode(t)
	for _, mode := range []string{"url", "none"} {
		t.Run(mode, func(t *testing.T) {
			l := startLocal(t)
			c := runClient(t, node, "collect.mjs", l.url+"/mcp", testToken, testEmail, mode)
			link := ""
			if mode == "url" {
				var shown struct{ Elicitation elicitation }
				c.next(&shown)
				e := shown.Elicitation
				if e.Mode != "url" || !strings.HasPrefix(e.Message, "A scan of your signed contract.") {
					t.Errorf("got elicitation %+v, want URL mode with the purpose", e)
				}
				link = l.submit(t, l.open(t, e.URL), "TSV2-0001")
				c.say("accepted")
			}
			var final struct {
				ProtocolVersion string
				Elicitations    int
				Result          struct {
					IsError           bool
					StructuredContent map[string]any
					Text              string
				}
			}
			c.next(&final)
			if final.ProtocolVersion != "2026-07-28" {
				t.Errorf("got protocol %q, want 2026-07-28", final.ProtocolVersion)
			}
			r := final.Result
			switch mode {
			case "url":
				if r.IsError || final.Elicitations != 1 || r.StructuredContent["status"] != "Ready" || r.StructuredContent["secureLink"] != link {
					t.Errorf("got %+v after %d elicitations, want Ready with %s after one", r, final.Elicitations, link)
				}
			default:
				if !r.IsError || !strings.Contains(r.Text, "generate_upload_link") {
					t.Errorf("got %+v, want the fallback text", r)
				}
			}
			c.finish()
		})
	}
}

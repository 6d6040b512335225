package mcp_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"os/exec"
	"strings"
	"testing"
	"time"
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
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, node, "collect.mjs", l.url+"/mcp", testToken, testEmail, mode)
			cmd.Dir = tsClient
			var stderr strings.Builder
			cmd.Stderr = &stderr
			stdin, err := cmd.StdinPipe()
			if err != nil {
				t.Fatal(err)
			}
			stdout, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			out := bufio.NewScanner(stdout)
			next := func(v any) {
				t.Helper()
				if !out.Scan() {
					cmd.Wait()
					t.Fatalf("the client stopped: %v\n%s", out.Err(), stderr.String())
				}
				t.Logf("client printed: %s", out.Text())
				if err := json.Unmarshal(out.Bytes(), v); err != nil {
					t.Fatalf("client printed %q: %v", out.Text(), err)
				}
			}
			link := ""
			if mode == "url" {
				var shown struct{ Elicitation elicitation }
				next(&shown)
				e := shown.Elicitation
				if e.Mode != "url" || !strings.HasPrefix(e.Message, "A scan of your signed contract.") {
					t.Errorf("got elicitation %+v, want URL mode with the purpose", e)
				}
				link = l.submit(t, l.open(t, e.URL), "TSV2-0001")
				if _, err := io.WriteString(stdin, "accepted\n"); err != nil {
					t.Fatal(err)
				}
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
			next(&final)
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
			stdin.Close()
			if err := cmd.Wait(); err != nil {
				t.Errorf("client: %v\n%s", err, stderr.String())
			}
		})
	}
}

package mcp_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/sendsafely/chatbot-connector/internal/mcp"
	"github.com/sendsafely/chatbot-connector/internal/tools"
)

func connect(t *testing.T, l *local, hc *http.Client, version string) *sdk.ClientSession {
	t.Helper()
	c := sdk.NewClient(&sdk.Implementation{Name: "go-sdk-test", Version: "1.0.0"}, nil)
	cs, err := c.Connect(context.Background(), &sdk.StreamableClientTransport{Endpoint: l.url + "/mcp", HTTPClient: hc},
		&sdk.ClientSessionOptions{ProtocolVersion: version})
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	t.Cleanup(func() { cs.Close() })
	return cs
}

func call(t *testing.T, cs *sdk.ClientSession, name string, args map[string]any) *sdk.CallToolResult {
	t.Helper()
	res, err := cs.CallTool(context.Background(), &sdk.CallToolParams{Name: name, Arguments: args})
	if err != nil {
		t.Fatalf("call %s: %v", name, err)
	}
	return res
}

// structured returns the result's structuredContent, after checking that
// its text content is the same JSON.
func structured(t *testing.T, res *sdk.CallToolResult) map[string]any {
	t.Helper()
	if res.IsError {
		t.Fatalf("tool error: %s", text(res))
	}
	b, err := json.Marshal(res.StructuredContent)
	if err != nil {
		t.Fatal(err)
	}
	var sc, tc map[string]any
	if err := json.Unmarshal(b, &sc); err != nil {
		t.Fatalf("structuredContent %s: %v", b, err)
	}
	if err := json.Unmarshal([]byte(text(res)), &tc); err != nil {
		t.Fatalf("text content %q is not JSON: %v", text(res), err)
	}
	if diff := cmp.Diff(sc, tc); diff != "" {
		t.Errorf("text content differs from structuredContent (-structured +text):\n%s", diff)
	}
	return sc
}

func text(res *sdk.CallToolResult) string {
	if len(res.Content) != 1 {
		return ""
	}
	if tc, ok := res.Content[0].(*sdk.TextContent); ok {
		return tc.Text
	}
	return ""
}

// TestGoClient runs the official Go SDK's client against the local
// connector in every protocol version the endpoint speaks: it lists the
// tools, creates an upload, finds it Pending, submits a package through the
// webhook, and finds it Ready; unknown uploads and bad arguments are tool
// errors the model can read.
func TestGoClient(t *testing.T) {
	versions := mcp.ProtocolVersions()
	if versions[len(versions)-1] != mcp.OldestProtocol || versions[0] != sdk.SupportedProtocolVersions()[0] {
		t.Fatalf("versions %v: want %s up to the SDK's newest", versions, mcp.OldestProtocol)
	}
	for _, version := range versions {
		t.Run(version, func(t *testing.T) {
			l := startLocal(t)
			cs := connect(t, l, bearer(), version)
			if got := cs.InitializeResult().ProtocolVersion; got != version {
				t.Errorf("negotiated %s, want %s", got, version)
			}

			list, err := cs.ListTools(context.Background(), nil)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, tl := range list.Tools {
				names = append(names, tl.Name)
				if tl.InputSchema == nil || tl.OutputSchema == nil {
					t.Errorf("%s lacks an input or output schema", tl.Name)
				}
				want, _ := tools.Lookup(tl.Name)
				if tl.Annotations == nil || tl.Annotations.ReadOnlyHint != want.ReadOnly {
					t.Errorf("%s annotations %+v, want readOnlyHint %v", tl.Name, tl.Annotations, want.ReadOnly)
				}
			}
			want := []string{tools.CollectFiles, tools.GenerateUploadLink, tools.GetSecureLink, tools.ListFiles, tools.ReadFile}
			if version < "2025-11-25" {
				// No URL elicitation before 2025-11-25: collect_files is
				// not offered to a client that cannot use it.
				want = want[1:]
			}
			if !slices.Equal(names, want) {
				t.Fatalf("tools %v, want %v", names, want)
			}

			up := structured(t, call(t, cs, tools.GenerateUploadLink, map[string]any{"email": testEmail, "conversationId": "c-1"}))
			id, _ := up["uploadId"].(string)
			if id == "" || !strings.Contains(up["uploadUrl"].(string), "id="+id) || up["expiresAt"] == "" {
				t.Fatalf("generate_upload_link: %v", up)
			}
			args := map[string]any{"uploadId": id, "email": testEmail}
			if got := structured(t, call(t, cs, tools.GetSecureLink, args)); !cmp.Equal(got, map[string]any{"status": "Pending"}) {
				t.Errorf("before the submission: %v, want Pending alone", got)
			}
			link := l.submit(t, id, "ABCD-1234")
			got := structured(t, call(t, cs, tools.GetSecureLink, args))
			if got["status"] != "Ready" || got["secureLink"] != link || !cmp.Equal(got["secureLinks"], []any{link}) || got["submittedAt"] == "" {
				t.Errorf("after the submission: %v, want Ready with %s", got, link)
			}

			for _, tt := range []struct {
				name string
				args map[string]any
				want string
			}{
				{"unknown upload", map[string]any{"uploadId": "8e2b1c7e-2f0a-4a57-9d83-6c1f1d0c9a4e", "email": testEmail},
					"No upload was found for that upload id and email; it may have expired."},
				{"foreign email", map[string]any{"uploadId": id, "email": "intruder@example.com"},
					"No upload was found for that upload id and email; it may have expired."},
				{"wait too long", map[string]any{"uploadId": id, "email": testEmail, "wait": 26},
					"The field wait must be a number of seconds from 0 to 25."},
				{"no upload id", map[string]any{"email": testEmail}, "The field uploadId is required."},
				{"email a number", map[string]any{"uploadId": id, "email": 5}, "The field email must be a string."},
			} {
				t.Run(tt.name, func(t *testing.T) {
					res := call(t, cs, tools.GetSecureLink, tt.args)
					if !res.IsError || text(res) != tt.want {
						t.Errorf("got isError %v %q, want isError and %q", res.IsError, text(res), tt.want)
					}
				})
			}
		})
	}
}

// TestGoClientAuth: the API token is checked on every request to /mcp, in
// each of the three forms, and a client without it cannot even connect.
func TestGoClientAuth(t *testing.T) {
	basic := "Basic " + base64.StdEncoding.EncodeToString([]byte("anyone:"+testToken))
	for _, tt := range []struct {
		name       string
		key, value string
		ok         bool
	}{
		{"bearer", "Authorization", "Bearer " + testToken, true},
		{"x-api-key", "X-Api-Key", testToken, true},
		{"basic password", "Authorization", basic, true},
		{"missing", "", "", false},
		{"wrong", "Authorization", "Bearer nope", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			l := startLocal(t)
			c := sdk.NewClient(&sdk.Implementation{Name: "go-sdk-test", Version: "1.0.0"}, nil)
			cs, err := c.Connect(context.Background(), &sdk.StreamableClientTransport{Endpoint: l.url + "/mcp",
				HTTPClient: client(tt.key, tt.value)}, nil)
			if !tt.ok {
				if err == nil {
					cs.Close()
					t.Fatal("connected without a valid token")
				}
				// The SDK reports a 401 by its status text alone.
				if !strings.Contains(err.Error(), "Unauthorized") {
					t.Errorf("error %q does not say why", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer cs.Close()
			if res := call(t, cs, tools.GenerateUploadLink, nil); res.IsError {
				t.Errorf("generate_upload_link: %s", text(res))
			}
		})
	}
}

package mcp_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/sendsafely/chatbot-connector/internal/tools"
)

// elicitation is the URL elicitation of a -32042 error or an input request.
type elicitation struct {
	Mode          string `json:"mode"`
	URL           string `json:"url"`
	Message       string `json:"message"`
	ElicitationID string `json:"elicitationId"`
}

// open follows the elicitation URL as the customer's browser would, and
// returns the upload id of the upload page it redirects to.
func (l *local) open(t *testing.T, u string) string {
	t.Helper()
	if !strings.HasPrefix(u, l.url+"/u/") {
		t.Fatalf("elicitation URL %q, want %s/u/<token>", u, l.url)
	}
	if strings.Contains(u, "example.com") || strings.Contains(u, "%40") {
		t.Errorf("elicitation URL %q holds the email", u)
	}
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noFollow.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, err := url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusFound || err != nil || !strings.HasPrefix(loc.String(), "https://files.sendsafely.com/html/cb_upload.htm?") {
		t.Fatalf("GET %s: got %d to %q, want 302 to the upload page", u, resp.StatusCode, loc)
	}
	return loc.Query().Get("id")
}

// TestCollectFilesDecline2026: a purpose without a full stop still reads
// as a sentence before the fixed text; a decline says what happens to the
// upload, and the call it points to offers the same upload again instead
// of leaving it orphaned.
func TestCollectFilesDecline2026(t *testing.T) {
	l := startLocal(t)
	headers := map[string]string{"Authorization": "Bearer " + testToken, "Content-Type": "application/json",
		"Accept": "application/json, text/event-stream", "Mcp-Protocol-Version": "2026-07-28", "Mcp-Method": "tools/call", "Mcp-Name": "collect_files"}
	meta := `"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientInfo":{"name":"raw","version":"1"},"io.modelcontextprotocol/clientCapabilities":{"elicitation":{"url":{}}}}`
	type result struct {
		ResultType    string `json:"resultType"`
		RequestState  string `json:"requestState"`
		IsError       bool   `json:"isError"`
		Content       []struct{ Text string }
		InputRequests map[string]struct {
			Params elicitation `json:"params"`
		} `json:"inputRequests"`
	}
	callRaw := func(args, extra string) result {
		t.Helper()
		body := `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"collect_files","arguments":{` + args + `}` + extra + `,` + meta + `}}`
		status, _, out := l.post(t, "POST", body, headers)
		var a struct {
			Result *result `json:"result"`
		}
		if err := json.Unmarshal([]byte(out), &a); status != 200 || err != nil || a.Result == nil {
			t.Fatalf("got %d %s, want a result", status, out)
		}
		return *a.Result
	}
	const args = `"purpose":"Your latest bank statement"`
	first := callRaw(args, "")
	msg := first.InputRequests["upload"].Params.Message
	if !strings.HasPrefix(msg, "Your latest bank statement. Open the ") {
		t.Errorf("message %q: want the purpose as a sentence, then the fixed text", msg)
	}
	id := l.open(t, first.InputRequests["upload"].Params.URL)

	for _, action := range []string{"decline", "cancel"} {
		declined := callRaw(args, `,"inputResponses":{"upload":{"action":"`+action+`"}},"requestState":"`+first.RequestState+`"`)
		text := ""
		if len(declined.Content) == 1 {
			text = declined.Content[0].Text
		}
		m := regexp.MustCompile(`elicitationId "([A-Za-z0-9_-]+)"`).FindStringSubmatch(text)
		if !declined.IsError || !strings.Contains(text, action) || !strings.Contains(text, "stays open") || m == nil {
			t.Fatalf("%s: got %+v, want a tool error saying the upload stays open and how to offer it again", action, declined)
		}
		again := callRaw(args+`,"elicitationId":"`+m[1]+`"`, "")
		in, ok := again.InputRequests["upload"]
		if again.ResultType != "input_required" || !ok || in.Params.Mode != "url" || again.RequestState == "" {
			t.Fatalf("after %s, the call the text names: got %+v, want input_required with the URL again", action, again)
		}
		if got := l.open(t, in.Params.URL); got != id {
			t.Errorf("after %s: the page opens upload %s, want the first one, %s", action, got, id)
		}
	}
}

// TestCollectFilesGoClient2025 runs collect_files from the Go SDK's client
// on 2025-11-25: -32042 with the URL, message and elicitationId; -32042
// again while nothing is in; the result once a signed notification came.
func TestCollectFilesGoClient2025(t *testing.T) {
	l := startLocal(t)
	cs := connect(t, l, bearer(), "2025-11-25")
	args := map[string]any{"email": testEmail, "purpose": "Your last two bank statements."}
	required := func() elicitation {
		t.Helper()
		_, err := cs.CallTool(context.Background(), &sdk.CallToolParams{Name: tools.CollectFiles, Arguments: args})
		var je *jsonrpc.Error
		if !errors.As(err, &je) || je.Code != sdk.CodeURLElicitationRequired {
			t.Fatalf("got %v, want the JSON-RPC error -32042", err)
		}
		var data struct{ Elicitations []elicitation }
		if err := json.Unmarshal(je.Data, &data); err != nil || len(data.Elicitations) != 1 {
			t.Fatalf("error data %s: want one elicitation", je.Data)
		}
		e := data.Elicitations[0]
		if e.Mode != "url" || e.ElicitationID == "" || !strings.HasPrefix(e.Message, "Your last two bank statements.") {
			t.Fatalf("got elicitation %+v, want URL mode with an id and the purpose", e)
		}
		if !strings.Contains(je.Message, "generate_upload_link") {
			t.Errorf("error message %q does not say what to do without URL elicitation", je.Message)
		}
		return e
	}
	first := required()
	id := l.open(t, first.URL)
	args["elicitationId"] = first.ElicitationID
	again := required()
	if again.ElicitationID != first.ElicitationID || l.open(t, again.URL) != id {
		t.Errorf("the second -32042 names another upload or state: %+v", again)
	}

	link := l.submit(t, id, "COLL-2025")
	got := structured(t, call(t, cs, tools.CollectFiles, args))
	if got["status"] != "Ready" || got["secureLink"] != link {
		t.Errorf("after the submission: %v, want Ready with %s", got, link)
	}

	// The state is bound to the arguments it was made for.
	args["purpose"] = "Something else."
	if res := call(t, cs, tools.CollectFiles, args); !res.IsError || !strings.Contains(text(res), "another call") {
		t.Errorf("state with other arguments: got %+v, want a tool error", res)
	}
}

// TestCollectFilesFallback: clients without URL elicitation get a tool
// error that steers the agent to the two-step tools.
func TestCollectFilesFallback(t *testing.T) {
	for _, version := range []string{"2026-07-28", "2025-06-18", "2025-03-26"} {
		t.Run(version, func(t *testing.T) {
			l := startLocal(t)
			cs := connect(t, l, bearer(), version)
			res := call(t, cs, tools.CollectFiles, map[string]any{"purpose": "ID"})
			if !res.IsError || !strings.Contains(text(res), "generate_upload_link") || !strings.Contains(text(res), "get_secure_link") {
				t.Errorf("got %+v %q, want a tool error naming generate_upload_link and get_secure_link", res, text(res))
			}
		})
	}
}

// TestCollectFilesRaw2026 drives the 2026-07-28 multi-round-trip flow with
// raw requests: input_required with one URL elicitation and a state; the
// state alone while nothing is in; the result once files are in; a
// decline ends it.
func TestCollectFilesRaw2026(t *testing.T) {
	l := startLocal(t)
	headers := map[string]string{"Authorization": "Bearer " + testToken, "Content-Type": "application/json",
		"Accept": "application/json, text/event-stream", "Mcp-Protocol-Version": "2026-07-28", "Mcp-Method": "tools/call", "Mcp-Name": "collect_files"}
	meta := `"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientInfo":{"name":"raw","version":"1"},"io.modelcontextprotocol/clientCapabilities":{"elicitation":{"url":{}}}}`
	type result struct {
		ResultType        string `json:"resultType"`
		RequestState      string `json:"requestState"`
		IsError           bool   `json:"isError"`
		StructuredContent map[string]any
		Content           []struct{ Text string }
		InputRequests     map[string]struct {
			Method string      `json:"method"`
			Params elicitation `json:"params"`
		} `json:"inputRequests"`
	}
	callRaw := func(extra string) result {
		t.Helper()
		body := `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"collect_files","arguments":{"purpose":"A photo of the meter."}` + extra + `,` + meta + `}}`
		status, _, out := l.post(t, "POST", body, headers)
		var a struct {
			Result *result `json:"result"`
		}
		if err := json.Unmarshal([]byte(out), &a); status != 200 || err != nil || a.Result == nil {
			t.Fatalf("got %d %s, want a result", status, out)
		}
		return *a.Result
	}
	first := callRaw("")
	in, ok := first.InputRequests["upload"]
	if first.ResultType != "input_required" || first.RequestState == "" || len(first.InputRequests) != 1 || !ok ||
		in.Method != "elicitation/create" || in.Params.Mode != "url" || in.Params.ElicitationID != "" ||
		!strings.HasPrefix(in.Params.Message, "A photo of the meter.") {
		t.Fatalf("first round: got %+v, want input_required with one URL elicitation and a state", first)
	}
	id := l.open(t, in.Params.URL)
	accept := `,"inputResponses":{"upload":{"action":"accept"}},"requestState":"` + first.RequestState + `"`
	second := callRaw(accept)
	if second.ResultType != "input_required" || second.RequestState != first.RequestState || len(second.InputRequests) != 0 {
		t.Errorf("nothing in yet: got %+v, want input_required with the state alone", second)
	}
	link := l.submit(t, id, "COLL-2026")
	third := callRaw(accept)
	if third.ResultType != "complete" || third.StructuredContent["status"] != "Ready" || third.StructuredContent["secureLink"] != link {
		t.Errorf("files in: got %+v, want complete and Ready with %s", third, link)
	}
	declined := callRaw(`,"inputResponses":{"upload":{"action":"decline"}},"requestState":"` + callRaw("").RequestState + `"`)
	if !declined.IsError || len(declined.Content) != 1 || !strings.Contains(declined.Content[0].Text, "decline") {
		t.Errorf("declined: got %+v, want a result saying so", declined)
	}
	altered := callRaw(`,"requestState":"` + first.RequestState[:len(first.RequestState)-2] + `AA"`)
	if !altered.IsError || altered.ResultType != "complete" {
		t.Errorf("altered state: got %+v, want a tool error", altered)
	}
}

// TestCollectFilesGoClient2026 runs collect_files from the Go SDK's client
// on 2026-07-28 with URL elicitation declared: its elicitation handler gets
// the URL, the customer uploads, and the SDK's multi-round-trip retry
// returns the result.
func TestCollectFilesGoClient2026(t *testing.T) {
	l := startLocal(t)
	var link string
	shown := 0
	c := sdk.NewClient(&sdk.Implementation{Name: "go-sdk-test", Version: "1.0.0"}, &sdk.ClientOptions{
		Capabilities: &sdk.ClientCapabilities{Elicitation: &sdk.ElicitationCapabilities{URL: &sdk.URLElicitationCapabilities{}}},
		ElicitationHandler: func(_ context.Context, req *sdk.ElicitRequest) (*sdk.ElicitResult, error) {
			shown++
			if req.Params.Mode != "url" || !strings.HasPrefix(req.Params.Message, "Your ID card.") {
				t.Errorf("got elicitation %+v, want URL mode with the purpose", req.Params)
			}
			link = l.submit(t, l.open(t, req.Params.URL), "COLL-GO26")
			return &sdk.ElicitResult{Action: "accept"}, nil
		},
	})
	cs, err := c.Connect(context.Background(), &sdk.StreamableClientTransport{Endpoint: l.url + "/mcp", HTTPClient: bearer()},
		&sdk.ClientSessionOptions{ProtocolVersion: "2026-07-28"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cs.Close() })
	got := structured(t, call(t, cs, tools.CollectFiles, map[string]any{"purpose": "Your ID card."}))
	if shown != 1 || got["status"] != "Ready" || got["secureLink"] != link {
		t.Errorf("got %v after %d elicitations, want Ready with %s after one", got, shown, link)
	}
}

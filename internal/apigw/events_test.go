package apigw_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

var update = flag.Bool("update", false, "rewrite the golden responses in testdata/golden")

// Starting states of the store for an event.
const (
	empty     = iota // nothing stored
	open             // the fixture upload exists, bound to its email
	submitted        // ... and the fixture webhook was accepted
)

// eventCase is how an event file of testdata/events is replayed.
type eventCase struct {
	state  int              // what the store holds first
	token  connector.Secret // the API token configured, if any
	status int              // the status the handler answers
}

// eventCases holds a case for every event file.
var eventCases = map[string]eventCase{
	"generateId.json":              {empty, "", 200},
	"generateId-rest.json":         {empty, "", 200},
	"generateId-function-url.json": {empty, "", 200},
	"generateId-stage.json":        {empty, "", 200},
	"getLink.json":                 {submitted, "", 200},
	"getLink-wait.json":            {open, "", 200},
	"getLink-unknown.json":         {open, "", 404},
	"getLink-missing-email.json":   {open, "", 400},
	"chat-malformed-json.json":     {empty, "", 400},
	"chat-unknown-action.json":     {empty, "", 400},
	"chat-no-action.json":          {empty, "", 400},
	"chat-wrong-method.json":       {empty, "", 405},
	"chat-unknown-path.json":       {empty, "", 404},
	"chat-preflight.json":          {empty, "", 204},
	"chat-bearer.json":             {empty, fixtureToken, 200},
	"chat-basic.json":              {empty, fixtureToken, 200},
	"chat-x-api-key.json":          {empty, fixtureToken, 200},
	"webhook.json":                 {open, "", 200},
	"webhook-json.json":            {open, "", 200},
	"webhook-rest.json":            {open, "", 200},
	"webhook-forged.json":          {open, "", 401},
	"webhook-preflight.json":       {empty, "", 204},
	"webhook-wrong-method.json":    {empty, "", 405},

	"tools-generate-upload-link.json":            {empty, "", 200},
	"tools-generate-upload-link-empty-body.json": {empty, "", 200},
	"tools-get-secure-link.json":                 {submitted, "", 200},
	"tools-get-secure-link-pending.json":         {open, "", 200},
	"tools-get-secure-link-unknown.json":         {open, "", 404},
	"tools-get-secure-link-bad-wait.json":        {open, "", 400},
	"tools-basic-auth.json":                      {empty, fixtureToken, 200},
	"tools-no-token.json":                        {empty, fixtureToken, 401},
	"tools-unknown-tool.json":                    {empty, "", 404},
	"tools-wrong-method.json":                    {empty, "", 405},

	"mcp-initialize.json":           {empty, fixtureToken, 200},
	"mcp-tools-list.json":           {empty, fixtureToken, 200},
	"mcp-call-get-secure-link.json": {submitted, fixtureToken, 200},
	"mcp-call-unknown-upload.json":  {open, fixtureToken, 200},
	"mcp-event-stream-only.json":    {submitted, fixtureToken, 200},
	"mcp-get.json":                  {empty, fixtureToken, 405},
	"mcp-delete.json":               {empty, fixtureToken, 405},
	"mcp-foreign-origin.json":       {empty, fixtureToken, 403},
	"mcp-no-token.json":             {empty, fixtureToken, 401},
}

// eventFiles returns the names of the files in testdata/events that have
// a case, and fails t if a file has no case or a case no file.
func eventFiles(t *testing.T) []string {
	t.Helper()
	all, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "events", "*.json"))
	// The Bedrock Agents and AgentCore events are not HTTP events:
	// cmd/connector replays them through the function's entry.
	var files []string
	for _, f := range all {
		if name := filepath.Base(f); !strings.HasPrefix(name, "bedrock-") && !strings.HasPrefix(name, "agentcore-") {
			files = append(files, f)
		}
	}
	if len(files) != len(eventCases) {
		t.Errorf("%d event files but %d cases: every event needs a case", len(files), len(eventCases))
	}
	var names []string
	for _, f := range files {
		name := filepath.Base(f)
		if _, ok := eventCases[name]; !ok {
			t.Errorf("no case for %s", name)
			continue
		}
		names = append(names, name)
	}
	return names
}

// newEventStack returns a stack in the starting state of tt.
func newEventStack(t *testing.T, tt eventCase) *stack {
	t.Helper()
	s := newStack(t)
	s.keys.Set(connector.KeySet{ValidationKey: fixtureKey, APIToken: tt.token})
	if tt.state >= open {
		if _, err := s.svc.GenerateID(context.Background(), connector.GenerateRequest{Email: fixtureEmail}); err != nil {
			t.Fatal(err)
		}
	}
	if tt.state >= submitted {
		if resp := s.invoke(t, readEvent(t, "webhook.json")); resp.StatusCode != 200 {
			t.Fatalf("setup webhook: %d %s", resp.StatusCode, resp.Body)
		}
	}
	return s
}

// TestEvents replays every event in testdata/events through the Lambda
// handler and compares the answer with its golden file.
func TestEvents(t *testing.T) {
	for _, name := range eventFiles(t) {
		tt := eventCases[name]
		t.Run(strings.TrimSuffix(name, ".json"), func(t *testing.T) {
			s := newEventStack(t, tt)
			resp := s.invoke(t, readEvent(t, name))
			if resp.StatusCode != tt.status {
				t.Errorf("status: got %d, want %d; body %s", resp.StatusCode, tt.status, resp.Body)
			}
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			enc.SetIndent("", "  ")
			if err := enc.Encode(resp); err != nil {
				t.Fatal(err)
			}
			got := buf.Bytes()
			golden := filepath.Join("..", "..", "testdata", "golden", name)
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./internal/apigw -update to create it)", err)
			}
			if diff := cmp.Diff(strings.TrimSpace(string(want)), strings.TrimSpace(string(got))); diff != "" {
				t.Errorf("response (-want +got):\n%s", diff)
			}
		})
	}
}

package bedrock_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sendsafely/chatbot-connector/internal/bedrock"
	"github.com/sendsafely/chatbot-connector/internal/tools"
)

// recorder is a Caller that notes what it was asked and answers reply.
type recorder struct {
	name    string
	args    map[string]any
	reply   tools.Reply
	surface tools.Surface
}

func (r *recorder) CallTool(ctx context.Context, name string, args json.RawMessage) tools.Reply {
	r.name, r.surface = name, tools.SurfaceOf(ctx)
	r.args = nil
	_ = json.Unmarshal(args, &r.args)
	return r.reply
}

// TestAgentArguments: parameters arrive as strings with a type; numbers
// and booleans that parse are passed on as such, the rest as strings, and
// an OpenAPI event's body properties join its parameters.
func TestAgentArguments(t *testing.T) {
	for _, tt := range []struct {
		name     string
		ev       bedrock.AgentEvent
		wantTool string
		wantArgs map[string]any
	}{
		{"function", bedrock.AgentEvent{Function: "get_secure_link", Parameters: []bedrock.Parameter{
			{Name: "uploadId", Type: "string", Value: "u"}, {Name: "wait", Type: "number", Value: "8"}, {Name: "flag", Type: "boolean", Value: "true"},
		}}, "get_secure_link", map[string]any{"uploadId": "u", "wait": 8.0, "flag": true}},
		{"number that is not", bedrock.AgentEvent{Function: "get_secure_link", Parameters: []bedrock.Parameter{
			{Name: "wait", Type: "integer", Value: "soon"},
		}}, "get_secure_link", map[string]any{"wait": "soon"}},
		{"openapi body", bedrock.AgentEvent{APIPath: "/tools/generate_upload_link", HTTPMethod: "POST",
			RequestBody: &bedrock.RequestBody{Content: map[string]struct {
				Properties []bedrock.Parameter `json:"properties"`
			}{"application/json": {Properties: []bedrock.Parameter{{Name: "email", Type: "string", Value: "a@b.example"}}}}},
		}, "generate_upload_link", map[string]any{"email": "a@b.example"}},
		{"openapi unknown path", bedrock.AgentEvent{APIPath: "/other", HTTPMethod: "POST"}, "/other", map[string]any{}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := &recorder{reply: tools.Reply{Status: 200, Body: json.RawMessage(`{}`)}}
			bedrock.New(r, nil, nil).Agent(context.Background(), tt.ev)
			if r.name != tt.wantTool {
				t.Errorf("tool %q, want %q", r.name, tt.wantTool)
			}
			if diff := cmp.Diff(tt.wantArgs, r.args); diff != "" {
				t.Errorf("arguments (-want +got):\n%s", diff)
			}
		})
	}
}

// TestFunctionResponseState: a client error lets the model try again
// (REPROMPT); a failure of the connector or a dependency ends the turn
// (FAILURE).
func TestFunctionResponseState(t *testing.T) {
	for _, tt := range []struct {
		status int
		want   string
	}{{200, ""}, {400, bedrock.StateReprompt}, {404, bedrock.StateReprompt}, {503, bedrock.StateFailure}, {500, bedrock.StateFailure}} {
		r := &recorder{reply: tools.Reply{Status: tt.status, Body: json.RawMessage(`{"x":1}`)}}
		resp := bedrock.New(r, nil, nil).Agent(context.Background(), bedrock.AgentEvent{Function: "get_secure_link"})
		fr, ok := resp.Response.(bedrock.FunctionResponse)
		if !ok {
			t.Fatalf("response %T, want FunctionResponse", resp.Response)
		}
		if fr.FunctionResponse.ResponseState != tt.want || fr.FunctionResponse.ResponseBody["TEXT"].Body != `{"x":1}` {
			t.Errorf("status %d: %+v, want state %q and the body as TEXT", tt.status, fr.FunctionResponse, tt.want)
		}
	}
}

// TestAgentSurface: a Bedrock Agents call reaches the tools as a surface
// that takes no images and bounds an answer to MaxBody bytes, so that
// read_file cuts its text to fit Bedrock's response limit.
func TestAgentSurface(t *testing.T) {
	r := &recorder{reply: tools.Reply{Status: 200, Body: json.RawMessage(`{}`)}}
	bedrock.New(r, nil, nil).Agent(context.Background(), bedrock.AgentEvent{Function: "read_file"})
	if want := (tools.Surface{MaxBytes: bedrock.MaxBody}); r.surface != want || bedrock.MaxBody <= 0 || bedrock.MaxBody > 20_000 {
		t.Errorf("surface %+v, want %+v (under Bedrock's 20 KB)", r.surface, want)
	}
}

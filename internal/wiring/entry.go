package wiring

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"

	"github.com/sendsafely/chatbot-connector/internal/apigw"
	"github.com/sendsafely/chatbot-connector/internal/bedrock"
	"github.com/sendsafely/chatbot-connector/internal/mcp"
	"github.com/sendsafely/chatbot-connector/internal/tools"
)

// Entry is the function's one handler. It tells the events it is invoked
// with apart by their shape, so one deployment serves API Gateway, Bedrock
// Agents and AgentCore Gateway with no setting to choose between them.
type Entry struct {
	// HTTP answers API Gateway and Function URL events, and serves
	// net/http for local runs.
	HTTP   *apigw.Handler
	agents *bedrock.Handler
}

// NewEntry builds the edges over svc: the MCP endpoint, the HTTP handler
// that serves it on POST /mcp, and the Bedrock handler, all running the
// tools through one tools.Runner, built here once.
func NewEntry(svc apigw.Service, opt apigw.Options) (*Entry, error) {
	runner := tools.NewRunner(svc, apigw.ErrorReply)
	srv, err := mcp.NewServer(runner, discard)
	if err != nil {
		return nil, err
	}
	opt.MCP = mcp.New(srv, discard)
	opt.Tools = runner
	return &Entry{HTTP: apigw.New(svc, opt), agents: bedrock.New(runner, opt.Logger, opt.Now)}, nil
}

// discard drops the MCP SDK's own logging: the edge logs one line per
// request, and the SDK's lines could carry what a tool was called with.
var discard = slog.New(slog.DiscardHandler)

// Invoke answers one event as the Lambda runtime delivers it, raw JSON in
// and out, which makes *Entry a lambda.Handler: an AgentCore Gateway
// invocation (the tool's name in the client context, its arguments as the
// event), a Bedrock Agents action group event (messageVersion, agent and
// actionGroup), or else an HTTP event from API Gateway or a Function URL,
// which takes apigw's reflection-free path. Answers keep "&" as it is:
// AgentCore hands them to the agent as text. An error means the event is
// not JSON the function can read at all.
func (e *Entry) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	if tool, ok := bedrock.GatewayTool(ctx); ok {
		// The answer is already JSON, written by the tool runner.
		return e.agents.Gateway(ctx, tool, payload), nil
	}
	if bedrock.IsAgentEvent(payload) {
		var ev bedrock.AgentEvent
		if err := json.Unmarshal(payload, &ev); err != nil {
			return nil, fmt.Errorf("bedrock agents event: %w", err)
		}
		return tools.Marshal(e.agents.Agent(ctx, ev))
	}
	out, err := e.HTTP.Invoke(ctx, payload)
	if err != nil {
		return nil, fmt.Errorf("http event: %w", err)
	}
	return out, nil
}

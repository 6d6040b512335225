package wiring

import (
	"log/slog"

	"github.com/sendsafely/chatbot-connector/internal/apigw"
	"github.com/sendsafely/chatbot-connector/internal/bedrock"
	"github.com/sendsafely/chatbot-connector/internal/lambdaentry"
	"github.com/sendsafely/chatbot-connector/internal/mcp"
	"github.com/sendsafely/chatbot-connector/internal/tools"
)

// NewEntry builds the edges over svc: the MCP endpoint, the HTTP handler
// that serves it on POST /mcp, and the Bedrock handler, all running the
// tools through one tools.Runner, built here once; and the entry that
// hands each event to them. SQS and Sweep are left nil until they exist:
// the entry refuses those events with a logged Lambda error. to shapes
// the tools' outputs (TOOLS_INCLUDE_LINK).
func NewEntry(svc apigw.Service, opt apigw.Options, to tools.Options) (*lambdaentry.Entry, error) {
	runner := tools.NewRunner(svc, apigw.ErrorReply, to)
	srv, err := mcp.NewServer(runner, discard)
	if err != nil {
		return nil, err
	}
	opt.MCP = mcp.New(srv, discard)
	opt.Tools = runner
	agents := bedrock.New(runner, opt.Logger, opt.Now)
	return &lambdaentry.Entry{
		HTTP:    apigw.New(svc, opt),
		Agents:  agents.InvokeAgent,
		Gateway: agents.Gateway,
		Log:     opt.Logger,
	}, nil
}

// discard drops the MCP SDK's own logging: the edge logs one line per
// request, and the SDK's lines could carry what a tool was called with.
var discard = slog.New(slog.DiscardHandler)

package wiring

import (
	"log/slog"
	"net/http"
	"sync"

	"github.com/sendsafely/chatbot-connector/internal/apigw"
	"github.com/sendsafely/chatbot-connector/internal/bedrock"
	"github.com/sendsafely/chatbot-connector/internal/lambdaentry"
	"github.com/sendsafely/chatbot-connector/internal/mcp"
	"github.com/sendsafely/chatbot-connector/internal/tools"
)

// NewEntry builds the edges over svc: the MCP endpoint, the HTTP handler
// that serves it on POST /mcp, and the Bedrock handler, all running the
// tools through one tools.Runner, built here once (the MCP server on its
// first request: lazyMCP); and the entry that
// hands each event to them. SQS and Sweep are left nil until they exist:
// the entry refuses those events with a logged Lambda error. to shapes
// the tools' outputs (TOOLS_INCLUDE_LINK).
func NewEntry(svc apigw.Service, opt apigw.Options, to tools.Options) (*lambdaentry.Entry, error) {
	runner := tools.NewRunner(svc, apigw.ErrorReply, to)
	opt.MCP = lazyMCP(sync.OnceValues(func() (http.Handler, error) {
		srv, err := mcp.NewServer(runner, discard)
		if err != nil {
			return nil, err
		}
		return mcp.New(srv, discard), nil
	}))
	opt.Tools = runner
	agents := bedrock.New(runner, opt.Logger, opt.Now)
	return &lambdaentry.Entry{
		HTTP:    apigw.New(svc, opt),
		Agents:  agents.InvokeAgent,
		Gateway: agents.Gateway,
		Log:     opt.Logger,
	}, nil
}

// lazyMCP is the MCP endpoint built on its first request: building the
// server (its tools' input and output schemas) takes some 6 ms, which a
// cold start that answers a chatbot, a webhook or an agent's /tools call
// would otherwise pay. The tool table is static and its schemas are
// tested (internal/mcp), so a build error is a bug: answered 500.
type lazyMCP func() (http.Handler, error)

func (l lazyMCP) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h, err := l()
	if err != nil {
		http.Error(w, "the MCP server could not be built", http.StatusInternalServerError)
		return
	}
	h.ServeHTTP(w, r)
}

// discard drops the MCP SDK's own logging: the edge logs one line per
// request, and the SDK's lines could carry what a tool was called with.
var discard = slog.New(slog.DiscardHandler)

// Package bedrock answers the agent tools to Amazon Bedrock: Bedrock Agents
// action groups (both the OpenAPI-schema and the function-details kind) and
// AgentCore Gateway Lambda targets. Both invoke the function directly,
// authorised by IAM, with events of their own shapes; this package tells
// those shapes apart from an HTTP event, turns them into tool calls and the
// replies back into the shapes each platform reads.
package bedrock

import (
	"context"
	"encoding/json"
	"log/slog"
	"time"

	"github.com/sendsafely/chatbot-connector/internal/tools"
)

// Caller runs the agent tools: tools.Runner is the one.
type Caller interface {
	// CallTool runs the tool called name with the JSON object args and
	// answers as POST /tools/<name> would, with what to log of the call.
	CallTool(ctx context.Context, name string, args json.RawMessage) tools.Reply
}

// Handler answers Bedrock Agents and AgentCore Gateway invocations, and
// logs one line for each.
type Handler struct {
	c   Caller
	log *slog.Logger
	now func() time.Time
}

// New returns a Handler that runs the tools through c and logs to log
// (nil discards) on the clock now (nil: time.Now).
func New(c Caller, log *slog.Logger, now func() time.Time) *Handler {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if now == nil {
		now = time.Now
	}
	return &Handler{c: c, log: log, now: now}
}

package mcp

import (
	"context"
	"net/http"
	"slices"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/sendsafely/chatbot-connector/internal/tools"
)

// collect_files asks the client to send the customer to the upload page,
// which MCP calls a URL elicitation, in the form the protocol version has:
//
//   - 2026-07-28 (multi-round-trip requests): an input_required result with
//     one URL-mode elicitation/create input request and the sealed
//     requestState; the client answers the elicitation and calls again with
//     the state, and gets input_required with the state alone until files
//     are in (each of those calls waits up to tools.CollectWait first);
//   - 2025-11-25: the URL-elicitation-required error -32042 with the URL,
//     the message and the sealed state as elicitationId; the client calls
//     again with elicitationId among the arguments;
//   - older versions, and 2026-07-28 clients that do not declare URL
//     elicitation: a tool error that steers the agent to
//     generate_upload_link and get_secure_link. Versions older than
//     2025-11-25 are not offered collect_files in tools/list at all.
//
// A decline or cancel ends the call with a tool error that hands the
// agent the state as an elicitationId: a later call with it (and the same
// arguments) offers the same upload's page again, where a call without it
// would start another upload and leave the first unused.
//
// The SDK (v1.8.0) expresses all three: CallToolResult.InputRequests and
// RequestState, and URLElicitationRequiredError. On 2025-11-25 a stateless
// server cannot see the capabilities the client declared at initialize
// (each request is a session of its own), so -32042 goes to every
// 2025-11-25 client, its message saying what to do without URL
// elicitation.

// inputKey names the one input request of collect_files.
const inputKey = "upload"

// The first protocol versions with URL elicitation and with multi-round-trip
// requests.
const (
	urlElicitationSince = "2025-11-25"
	multiRoundTripSince = "2026-07-28"
)

// fallbackText is the tool error for a client without URL elicitation.
const fallbackText = "This client cannot open a URL elicitation, which collect_files needs. " +
	"Use generate_upload_link instead: show the customer its uploadUrl, then call get_secure_link " +
	"with the uploadId and the customer's email once they say they are done."

// collectHandler runs collect_files through c.
func collectHandler(c Caller) sdk.ToolHandler {
	return func(ctx context.Context, req *sdk.CallToolRequest) (*sdk.CallToolResult, error) {
		version := req.ProtocolVersion()
		state := req.Params.RequestState
		switch {
		case version >= multiRoundTripSince:
			if state == "" && !urlCapable(req.ClientCapabilities()) {
				return toolError(fallbackText), nil
			}
		case version >= urlElicitationSince:
			state = "" // a 2025-11-25 client hands the state back as elicitationId
		default:
			return toolError(fallbackText), nil
		}
		// A client that hands back no state starts a round of its own
		// (the first, or one after a decline, resumed by elicitationId):
		// the customer is to see the page now, not after a wait.
		fresh := req.Params.RequestState == ""
		wait := tools.CollectWait
		if a := declined(req.Params.InputResponses); a != "" || fresh {
			wait = 0
		}
		step := c.Collect(ctx, req.Params.Arguments, state, tools.BaseURL(ctx), wait)
		tools.Deliver(ctx, step.Reply.Note)
		if step.Ended() {
			return ended(ctx, step.Reply)
		}
		if a := declined(req.Params.InputResponses); a != "" {
			return toolError(declinedText(a, step.State)), nil
		}
		elicit := &sdk.ElicitParams{Mode: "url", URL: step.URL, Message: step.Message, ElicitationID: step.State}
		if version < multiRoundTripSince {
			return nil, urlRequired(elicit)
		}
		res := &sdk.CallToolResult{RequestState: step.State, InputRequests: sdk.InputRequestMap{}}
		if fresh {
			// The elicitation ID of 2025-11-25 means nothing here.
			elicit.ElicitationID = ""
			res.InputRequests[inputKey] = elicit
		}
		return res, nil
	}
}

// declinedText is the tool error of a declined or cancelled elicitation:
// what happened, and the call that offers the same upload again (a call
// without elicitationId would start another and leave this one unused).
func declinedText(action, state string) string {
	did := "declined"
	if action == "cancel" {
		did = "cancelled"
	}
	return "The customer " + did + " the upload page, so no files have come in. " +
		"The upload stays open until it expires. To offer the same page again, call collect_files with the same " +
		`arguments and elicitationId "` + state + `"; without elicitationId, collect_files starts a new upload.`
}

// urlRequired is the -32042 error of a 2025-11-25 client: the SDK's, with
// a message that also tells a client without URL elicitation what to do.
func urlRequired(e *sdk.ElicitParams) error {
	err := sdk.URLElicitationRequiredError([]*sdk.ElicitParams{e})
	if je, ok := err.(*jsonrpc.Error); ok {
		je.Message = "The customer must upload the files through " + e.URL + " (URL elicitation required). " +
			"Call collect_files again with the same arguments and elicitationId once they are done. " +
			"A client that cannot open URL elicitations should use generate_upload_link and get_secure_link instead."
	}
	return err
}

// ended answers a round that ended: the output, a tool error the model can
// read, or, for a dependency that failed, a JSON-RPC error with Retry-After.
func ended(ctx context.Context, reply tools.Reply) (*sdk.CallToolResult, error) {
	if reply.Status == http.StatusServiceUnavailable {
		markRetry(ctx)
		return nil, &jsonrpc.Error{Code: codeServer, Message: reply.Message}
	}
	if !reply.OK() {
		return toolError(reply.Message), nil
	}
	return &sdk.CallToolResult{StructuredContent: reply.Body, Content: []sdk.Content{&sdk.TextContent{Text: string(reply.Body)}}}, nil
}

// toolError is a result with isError and text for the model.
func toolError(text string) *sdk.CallToolResult {
	return &sdk.CallToolResult{IsError: true, Content: []sdk.Content{&sdk.TextContent{Text: text}}}
}

// urlCapable reports whether the client declared URL elicitation.
func urlCapable(c *sdk.ClientCapabilities) bool {
	return c != nil && c.Elicitation != nil && c.Elicitation.URL != nil
}

// declined returns "decline" or "cancel" when the client answered the
// elicitation so, and "" otherwise.
func declined(responses sdk.InputResponseMap) string {
	r, ok := responses[inputKey].(*sdk.ElicitResult)
	if !ok || r == nil {
		return ""
	}
	if a := strings.ToLower(r.Action); a == "decline" || a == "cancel" {
		return a
	}
	return ""
}

// offerCollect drops collect_files from the tools/list of a protocol
// version without URL elicitation: such a client could only get the tool
// error that steers it to the two-step tools.
func offerCollect(next sdk.MethodHandler) sdk.MethodHandler {
	return func(ctx context.Context, method string, req sdk.Request) (sdk.Result, error) {
		res, err := next(ctx, method, req)
		list, ok := res.(*sdk.ListToolsResult)
		lr, isList := req.(*sdk.ListToolsRequest)
		if err != nil || !ok || !isList || lr.ProtocolVersion() >= urlElicitationSince {
			return res, err
		}
		out := *list // the SDK's own result stays as it is
		out.Tools = slices.DeleteFunc(slices.Clone(list.Tools), func(t *sdk.Tool) bool { return t.Name == tools.CollectFiles })
		return &out, nil
	}
}

// publicURL returns the connector's public URL for r when the edge did not
// put one on the context: the Host, with the scheme X-Forwarded-Proto
// names (https if none).
func publicURL(r *http.Request) string {
	proto := "https"
	if p := strings.TrimSpace(strings.Split(r.Header.Get("X-Forwarded-Proto"), ",")[0]); p == "http" {
		proto = p
	}
	return proto + "://" + r.Host
}

package tools

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// ErrUnknownTool means no tool has the name a call gives. The error table
// answers it 404, with UnknownToolMessage.
var ErrUnknownTool = errors.New("unknown tool")

// UnknownToolMessage is the sentence that answers ErrUnknownTool: it names
// the tools of the table.
var UnknownToolMessage = unknownToolMessage()

func unknownToolMessage() string {
	var names []string
	for _, t := range All() {
		if !t.MCPOnly {
			names = append(names, t.Name)
		}
	}
	list := names[len(names)-1]
	if len(names) > 1 {
		list = strings.Join(names[:len(names)-1], ", ") + " and " + list
	}
	return "There is no tool by that name; the tools are " + list + "."
}

// Runner runs the agent tools on the service, with the chatbot API's
// decoding rules. Every surface that offers the tools (the MCP endpoint,
// Bedrock Agents, AgentCore Gateway and the /tools/* routes) calls one
// Runner, built once. It checks no API token and logs nothing: each caller
// authenticates as its surface requires and logs the Reply's Note.
type Runner struct {
	svc   Service
	fail  func(error) Reply
	opt   Options
	tools map[string]Tool
}

// Options configure a Runner.
type Options struct {
	// OmitLinks leaves the secure links out of every output that would
	// carry them (get_secure_link, collect_files): the status and the time
	// only, for a deployment whose hand-off brings the link to people
	// (TOOLS_INCLUDE_LINK=false).
	OmitLinks bool
}

// NewRunner returns the runner of the tools of All on svc; collect_files
// (Collect) runs only when svc is a CollectService too, as
// *connector.Service is. fail writes an
// error as a Reply (status, body and sentence) from the edge's one error
// table; the runner adds the Note.
func NewRunner(svc Service, fail func(error) Reply, opt Options) *Runner {
	r := &Runner{svc: svc, fail: fail, opt: opt, tools: map[string]Tool{}}
	for _, t := range All() {
		if !t.MCPOnly {
			r.tools[t.Name] = t
		}
	}
	return r
}

// Has reports whether name is one of the tools every surface offers
// (collect_files, MCP only, is not).
func (r *Runner) Has(name string) bool {
	_, ok := r.tools[name]
	return ok
}

// CallTool runs the tool called name with the JSON object args and answers
// as POST /tools/<name> would. An empty or null args is an empty object,
// since a tool whose fields are all optional may be called with none.
func (r *Runner) CallTool(ctx context.Context, name string, args json.RawMessage) Reply {
	t, ok := r.tools[name]
	if !ok {
		reply := r.fail(ErrUnknownTool)
		reply.Note = Note{Tool: "unknown", Err: ErrUnknownTool}
		return reply
	}
	if a := bytes.TrimSpace(args); len(a) == 0 || bytes.Equal(a, []byte("null")) {
		args = []byte("{}")
	}
	out, note, err := t.run(ctx, r.svc, args)
	note.Tool = name
	if lo, ok := out.(LinkOutput); ok {
		out = r.shape(lo)
	}
	var body []byte
	if err == nil {
		body, err = Marshal(out)
	}
	if err != nil {
		reply := r.fail(err)
		note.Err = err
		reply.Note = note
		return reply
	}
	reply := Reply{Status: http.StatusOK, Body: body, Note: note}
	if ro, ok := out.(ReadOutput); ok {
		reply.Read = &ro
		if ro.image != nil {
			reply.Image, reply.ImageType = ro.image, ro.Image.Type
		}
	}
	return reply
}

// generateUploadLink is the call of generate_upload_link.
func generateUploadLink(ctx context.Context, svc Service, args []byte) (any, Note, error) {
	up, n, err := Generate(ctx, svc, args)
	if err != nil {
		return nil, n, err
	}
	return UploadLink{UploadID: up.ID, UploadURL: string(up.URL), ExpiresAt: connector.FormatTime(up.ExpiresAt)}, n, nil
}

// getSecureLink is the call of get_secure_link.
func getSecureLink(ctx context.Context, svc Service, args []byte) (any, Note, error) {
	res, n, err := ReadLinks(ctx, svc, args)
	if err != nil {
		return nil, n, err
	}
	return linkOutputOf(res), n, nil
}

// shape applies the runner's options to a link output.
func (r *Runner) shape(out LinkOutput) LinkOutput {
	if r.opt.OmitLinks {
		out.SecureLink, out.SecureLinks = "", nil
	}
	return out
}

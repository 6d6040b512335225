package tools

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// CollectService is what collect_files needs of the service.
type CollectService interface {
	StartCollect(ctx context.Context, req connector.CollectRequest) (connector.Collection, error)
	ResumeCollect(ctx context.Context, state string, req connector.CollectRequest, wait time.Duration) (connector.Collected, error)
}

var _ CollectService = (*connector.Service)(nil)

// collectRequest is the input of collect_files.
type collectRequest struct {
	Email          string `json:"email"`
	ConversationID string `json:"conversationId"`
	Purpose        string `json:"purpose"`
	// ElicitationID is the state, handed back as an argument by a
	// 2025-11-25 client retrying after -32042.
	ElicitationID string `json:"elicitationId"`
}

// CollectStep is one round of collect_files. Exactly one of these holds:
// Reply is set (the call ended: the get_secure_link output once files are
// in, or an error); or the customer is still to upload, through URL with
// Message shown, and the client comes back with State.
type CollectStep struct {
	// Reply ends the call when Reply.Status is not 0.
	Reply Reply
	// URL is <base>/u/<token>, the page the customer is sent to.
	URL string
	// Message says what to upload and why.
	Message string
	// State is the sealed request state (requestState, elicitationId).
	State string
	// Started reports whether this round created the upload.
	Started bool
}

// Ended reports whether the call has its answer.
func (s CollectStep) Ended() bool { return s.Reply.Status != 0 }

// CollectWait is how long a round that resumes waits for files before
// answering that they are still to come, so a client that retries at once
// does not spin: well inside API Gateway's 30 s.
const CollectWait = 20 * time.Second

// defaultPurpose is what the customer is told when the agent gave no
// purpose.
const defaultPurpose = "The support team asked you for files."

// Collect runs one round of collect_files with args (the tool's
// arguments) and state, the request state a client hands back (empty on
// the first round; a 2025-11-25 client passes it as the elicitationId
// argument instead). base is the connector's public URL, without a
// trailing slash. The first round creates the upload; later rounds wait up
// to wait for files.
func (r *Runner) Collect(ctx context.Context, args json.RawMessage, state, base string, wait time.Duration) CollectStep {
	svc, ok := r.svc.(CollectService)
	if !ok {
		return r.collectFailed(Note{}, ErrUnknownTool)
	}
	if a := strings.TrimSpace(string(args)); a == "" || a == "null" {
		args = []byte("{}")
	}
	var in collectRequest
	if err := DecodeObject(args, &in); err != nil {
		return r.collectFailed(Note{}, err)
	}
	if state == "" {
		state = strings.TrimSpace(in.ElicitationID)
	}
	req := connector.CollectRequest{Email: connector.Email(in.Email), ConversationID: in.ConversationID, Purpose: strings.TrimSpace(in.Purpose)}
	msg := message(req.Purpose)
	if state == "" {
		c, err := svc.StartCollect(ctx, req)
		if err != nil {
			return r.collectFailed(Note{}, err)
		}
		n := Note{Tool: CollectFiles, Upload: connector.LogID(c.Upload.ID), Outcome: "pending"}
		return CollectStep{URL: base + "/u/" + c.PageToken, Message: msg, State: c.State, Started: true, Reply: Reply{Note: n}}
	}
	got, err := svc.ResumeCollect(ctx, state, req, wait)
	if err != nil {
		return r.collectFailed(Note{}, err)
	}
	n := Note{Tool: CollectFiles, Upload: connector.LogID(got.UploadID)}
	if !got.Links.Ready && !got.Links.Rejected {
		n.Outcome = "pending"
		return CollectStep{URL: base + "/u/" + got.PageToken, Message: msg, State: state, Reply: Reply{Note: n}}
	}
	n.Outcome = "ready"
	if got.Links.Rejected {
		n.Outcome = "rejected"
	}
	out := linkOutputOf(got.Links)
	out.Next = nextForFiles(got.Links, state)
	body, err := Marshal(r.shape(out))
	if err != nil {
		return r.collectFailed(n, err)
	}
	return CollectStep{Reply: Reply{Status: http.StatusOK, Body: body, Note: n}}
}

// nextForFiles is what a collect_files result tells the agent it can do
// with the files once they are retrieved into the customer's storage
// (retrieval on: an accepted file has a retrieval state), naming the
// files and the two tools, with state as their access; "" otherwise.
func nextForFiles(res connector.LinkResult, state string) string {
	var names []string
	for _, f := range res.Files {
		if f.Status == connector.FileAccepted && f.Stored != "" {
			names = append(names, f.Name)
		}
	}
	if len(names) == 0 {
		return ""
	}
	return "The files (" + strings.Join(names, ", ") + ") are retrieved into the customer's storage. Call " +
		ListFiles + " with requestState \"" + state + "\" to see when each is stored and scanned, and " +
		ReadFile + " with the same requestState and a file's id to read its content."
}

// collectFailed ends the call with err.
func (r *Runner) collectFailed(n Note, err error) CollectStep {
	reply := r.fail(err)
	n.Tool, n.Err = CollectFiles, err
	reply.Note = n
	return CollectStep{Reply: reply}
}

// message is the elicitation's message: what to upload and why, and where
// the files go.
func message(purpose string) string {
	if purpose == "" {
		purpose = defaultPurpose
	}
	if r, _ := utf8.DecodeLastRuneInString(purpose); !strings.ContainsRune(".!?…。！？", r) {
		// "Your bank statement" is a sentence before the fixed text.
		purpose += "."
	}
	return purpose + " Open the secure SendSafely upload page to send them: the files go to the support team " +
		"encrypted and never pass through the AI assistant."
}

// linkOutputOf is the get_secure_link output of res.
func linkOutputOf(res connector.LinkResult) LinkOutput {
	if res.Rejected {
		out := LinkOutput{Status: StatusRejected, Message: res.Message}
		withManifest(&out, res)
		return out
	}
	if !res.Ready {
		return LinkOutput{Status: StatusPending}
	}
	links := make([]string, len(res.Links))
	for i, l := range res.Links {
		links[i] = string(l)
	}
	out := LinkOutput{Status: StatusReady, SecureLink: links[len(links)-1], SecureLinks: links,
		SubmittedAt: connector.FormatTime(res.SubmittedAt), Message: res.Message}
	withManifest(&out, res)
	return out
}

// withManifest adds res's manifest to out, if it has one.
func withManifest(out *LinkOutput, res connector.LinkResult) {
	if res.Files == nil {
		return
	}
	out.Files = make([]FileOutput, len(res.Files))
	for i, f := range res.Files {
		out.Files[i] = FileOutput{ID: f.ID, Name: f.Name, Size: f.Size, Type: f.Type, Status: f.Status, Reason: f.Reason, Message: f.Message}
		if res.Packages > 1 {
			out.Files[i].PackageID = f.PackageID
		}
	}
	n, size := res.FileCount(), res.TotalSize()
	out.FileCount, out.TotalSize = &n, &size
}

// baseKey is the context key of the connector's public URL.
type baseKey struct{}

// WithBaseURL returns ctx carrying the connector's public URL (scheme,
// host and stage path, no trailing slash), as the edge derived it from the
// request: collect_files builds its <base>/u/<token> URLs on it.
func WithBaseURL(ctx context.Context, base string) context.Context {
	return context.WithValue(ctx, baseKey{}, base)
}

// BaseURL returns the public URL WithBaseURL put on ctx, or "".
func BaseURL(ctx context.Context) string {
	s, _ := ctx.Value(baseKey{}).(string)
	return s
}

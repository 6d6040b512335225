package apigw

import (
	"errors"
	"net/http"

	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/tools"
)

// Errors of the HTTP edge itself, beside the domain's kinds.
var (
	// errTooLarge means the body is over MaxBody. HTTP 413.
	errTooLarge = errors.New("payload too large")
	// errMethod means the path exists but not for this method. HTTP 405.
	errMethod = errors.New("method not allowed")
	// errNoRoute means no such path. HTTP 404.
	errNoRoute = errors.New("no route")
	// errOrigin means a browser sent the request from an origin that is not
	// allowed, where that matters (POST /mcp). HTTP 403.
	errOrigin = errors.New("origin not allowed")
	// errBadBase64 means an isBase64Encoded body does not decode. HTTP 400.
	errBadBase64 = connector.Errorf(connector.ErrInvalid, "The request body is not valid base64.")
	// errNotUTF8 means the body is not valid UTF-8. HTTP 400.
	errNotUTF8 = connector.Errorf(connector.ErrInvalid, "The request body is not valid UTF-8.")
	// errUnreadable means a local net/http request's body could not be
	// read. HTTP 400.
	errUnreadable = connector.Errorf(connector.ErrInvalid, "The request body could not be read.")
)

// problem is how one kind of error is answered.
type problem struct {
	kind   error
	status int
	code   string // the chatbot API's Error field
	msg    string // the default sentence for a person
}

// problems is the one table from error kinds to answers. The first entry
// whose kind the error wraps decides; anything else is a 500.
var problems = []problem{
	{errTooLarge, http.StatusRequestEntityTooLarge, "PayloadTooLarge", "The request body is larger than 64 KiB."},
	{errMethod, http.StatusMethodNotAllowed, "MethodNotAllowed", "This path does not accept that method."},
	{errNoRoute, http.StatusNotFound, "NotFound", "There is nothing at this path."},
	{errOrigin, http.StatusForbidden, "Forbidden", "Requests from this origin are not allowed."},
	{tools.ErrUnknownTool, http.StatusNotFound, "NotFound", tools.UnknownToolMessage},
	{connector.ErrInvalid, http.StatusBadRequest, "InvalidRequest", "The request is not valid."},
	{connector.ErrUnauthorized, http.StatusUnauthorized, "Unauthorized", "The request could not be authenticated."},
	{connector.ErrNotFound, http.StatusNotFound, "NotFound", "No upload was found for that upload id and email; it may have expired."},
	{connector.ErrConflict, http.StatusConflict, "Conflict", "The request conflicts with what is stored."},
	{connector.ErrUnavailable, http.StatusServiceUnavailable, "Unavailable", "A service the connector depends on is unavailable; nothing was changed, please try again shortly."},
}

var internalProblem = problem{nil, http.StatusInternalServerError, "Internal", "Something went wrong inside the connector."}

// retryAfter is the Retry-After of every 503, in seconds.
const retryAfter = "2"

// classify returns the answer for err and the sentence to show: the
// error's own message for a client error, the table's default otherwise.
// Internal text never reaches the body.
func classify(err error) (problem, string) {
	for _, p := range problems {
		if errors.Is(err, p.kind) {
			msg := p.msg
			if m := connector.Message(err); m != "" && p.status < 500 {
				msg = m
			}
			return p, msg
		}
	}
	return internalProblem, internalProblem.msg
}

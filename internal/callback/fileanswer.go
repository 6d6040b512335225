package callback

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// Bounds of what a receiver's answer may record on a file.
const (
	maxUID     = 256
	maxFileURL = 2048
	maxMessage = 500
)

// fileAnswer is AmplifyReach's answer: {"status":0,"uid","url"} when the
// file was taken, {"status":1,"message"} when it was refused. uid may be
// a string or a number.
type fileAnswer struct {
	Status  *int            `json:"status"`
	UID     json.RawMessage `json:"uid"`
	URL     string          `json:"url"`
	Message string          `json:"message"`
}

// readAnswer reads the answer of host, its HTTP status code and body:
// status 0 on a 2xx is the file taken (uid and url recorded, an url that
// is not absolute http or https left out), status 1 on a 2xx or 4xx is
// the file refused (message recorded). Anything else is ErrUnavailable,
// to be tried again.
func readAnswer(host string, code int, body []byte) (connector.FileCallback, error) {
	var a fileAnswer
	if err := json.Unmarshal(bytes.TrimSpace(body), &a); err != nil || a.Status == nil {
		return connector.FileCallback{}, fmt.Errorf("file callback: %w: %s answered %d without {\"status\":0|1}", connector.ErrUnavailable, host, code)
	}
	switch {
	case *a.Status == 0 && code >= 200 && code < 300:
		return connector.FileCallback{UID: cut(uidOf(a.UID), maxUID), URL: webURL(a.URL)}, nil
	case *a.Status == 1 && code >= 200 && code < 500:
		msg := cut(strings.TrimSpace(a.Message), maxMessage)
		if msg == "" {
			msg = "refused by the receiver"
		}
		return connector.FileCallback{Error: msg}, nil
	}
	return connector.FileCallback{}, fmt.Errorf("file callback: %w: %s answered %d with status %d", connector.ErrUnavailable, host, code, *a.Status)
}

// uidOf is a uid given as a JSON string or number, "" otherwise.
func uidOf(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return strings.TrimSpace(s)
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return n.String()
	}
	return ""
}

// webURL is s if it is an absolute http or https URL no longer than
// maxFileURL, else "".
func webURL(s string) string {
	s = strings.TrimSpace(s)
	u, err := url.Parse(s)
	if err != nil || len(s) > maxFileURL || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return ""
	}
	return s
}

// cut shortens s to at most n bytes, at a rune boundary.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	s = s[:n]
	for len(s) > 0 && !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s
}

package mcp

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"unicode/utf8"
)

// The guard is the smallest layer that keeps every answer on /mcp a
// JSON-RPC message. The Go SDK (v1.8.0) answers a malformed body, a bad
// version header, a batch it will not take, an unknown method on versions
// before 2026-07-28 and an unexpected Content-Type with http.Error, in
// plain text, which MCP clients cannot read; it refuses a whole 2025-03-26
// batch for one bad member; it compares Mcp-Name without decoding the
// =?base64?…?= form and refuses a POST that carries Last-Event-ID. The
// guard checks the envelope before the SDK sees it, splits a 2025-03-26
// batch into single requests (the endpoint is stateless, so each member
// is independent), and turns any plain-text error the SDK still writes
// into a JSON-RPC error.

// JSON-RPC error codes the guard answers.
const (
	codeParse              = -32700
	codeInvalidRequest     = -32600
	codeMethodNotFound     = -32601
	codeServer             = -32000
	codeUnsupportedVersion = -32022
)

// batchesUntil is the first protocol version without JSON-RPC batches.
const batchesUntil = "2025-06-18"

// envelope is what the guard reads of a JSON-RPC message.
type envelope struct {
	JSONRPC *string         `json:"jsonrpc"`
	ID      json.RawMessage `json:"id"`
	Method  *string         `json:"method"`
	Result  json.RawMessage `json:"result"`
	Error   json.RawMessage `json:"error"`
}

// check decodes one message and returns it, or the code and sentence of
// the error that answers it.
func check(b []byte) (envelope, int, string) {
	var m envelope
	b = bytes.TrimSpace(b)
	if len(b) == 0 || b[0] != '{' {
		if !json.Valid(b) {
			return m, codeParse, "The body is not JSON."
		}
		return m, codeInvalidRequest, "A JSON-RPC message is a JSON object."
	}
	if !json.Valid(b) {
		return m, codeParse, "The body is not JSON."
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return m, codeInvalidRequest, "The message is not a valid JSON-RPC message."
	}
	switch {
	case m.JSONRPC == nil || *m.JSONRPC != "2.0":
		return m, codeInvalidRequest, `The message lacks "jsonrpc": "2.0".`
	case m.Method == nil && m.Result == nil && m.Error == nil:
		return m, codeInvalidRequest, "The message is neither a request nor a response."
	case m.Method != nil && *m.Method == "":
		return m, codeInvalidRequest, "The method is empty."
	case len(m.ID) > 0 && !validID(m.ID):
		return m, codeInvalidRequest, "The id must be a string or a number."
	}
	return m, 0, ""
}

// validID reports whether id is a JSON string or number.
func validID(id json.RawMessage) bool {
	return len(id) > 0 && (id[0] == '"' || id[0] == '-' || (id[0] >= '0' && id[0] <= '9'))
}

// guard answers what the SDK would answer in plain text, and hands the
// rest to h.
func (e *endpoint) guard(w http.ResponseWriter, r *http.Request, h http.Handler) {
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		writeError(w, http.StatusUnsupportedMediaType, nil, codeInvalidRequest, "Content-Type must be application/json.", nil)
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		writeError(w, http.StatusBadRequest, nil, codeParse, "The body could not be read.", nil)
		return
	}
	if !utf8.Valid(body) {
		// JSON is UTF-8 (RFC 8259); Go's decoder would quietly mend it.
		writeError(w, http.StatusBadRequest, nil, codeParse, "The body is not valid UTF-8.", nil)
		return
	}
	version := r.Header.Get("Mcp-Protocol-Version")
	if version != "" && !slices.Contains(e.versions, version) {
		var m envelope
		_ = json.Unmarshal(body, &m)
		data, _ := json.Marshal(struct {
			Supported []string `json:"supported"`
			Requested string   `json:"requested"`
		}{e.versions, version})
		writeError(w, http.StatusBadRequest, idOf(m), codeUnsupportedVersion, "Protocol version "+version+" is not supported.", data)
		return
	}
	// A POST never resumes a stream: the header means nothing here.
	r.Header.Del("Last-Event-ID")
	decodeName(r.Header)
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) > 0 && trimmed[0] == '[' {
		e.batch(w, r, h, trimmed, version)
		return
	}
	m, code, msg := check(trimmed)
	if code != 0 {
		writeError(w, http.StatusBadRequest, nil, code, msg, nil)
		return
	}
	status, header, out := e.one(r, h, body, m)
	for k, vs := range header {
		w.Header()[k] = vs
	}
	w.WriteHeader(status)
	w.Write(out)
}

// batch answers a JSON-RPC batch: refused from 2025-06-18 on, otherwise
// each member answered on its own, as JSON-RPC 2.0 requires, with an
// initialize among them refused (2025-03-26: it must not be batched).
func (e *endpoint) batch(w http.ResponseWriter, r *http.Request, h http.Handler, body []byte, version string) {
	if version >= batchesUntil {
		writeError(w, http.StatusBadRequest, nil, codeInvalidRequest, "JSON-RPC batches are not part of protocol version "+version+".", nil)
		return
	}
	var members []json.RawMessage
	if err := json.Unmarshal(body, &members); err != nil {
		writeError(w, http.StatusBadRequest, nil, codeParse, "The body is not JSON.", nil)
		return
	}
	if len(members) == 0 {
		writeError(w, http.StatusBadRequest, nil, codeInvalidRequest, "The batch is empty.", nil)
		return
	}
	var answers []json.RawMessage
	retry := ""
	for _, b := range members {
		m, code, msg := check(b)
		if code == 0 && m.Method != nil && *m.Method == "initialize" {
			code, msg = codeInvalidRequest, "initialize must not be part of a batch."
		}
		if code != 0 {
			id := json.RawMessage(nil)
			if code != codeParse && m.Method != nil && *m.Method == "initialize" {
				id = m.ID
			}
			answers = append(answers, errorMessage(id, code, msg, nil))
			continue
		}
		single := r.Clone(r.Context())
		single.Header.Set("Accept", bothTypes)
		_, header, out := e.one(single, e.json, b, m)
		if ra := header.Get("Retry-After"); ra != "" {
			retry = ra
		}
		if out = bytes.TrimSpace(out); len(out) > 0 {
			answers = append(answers, out)
		}
	}
	if retry != "" {
		w.Header().Set("Retry-After", retry)
	}
	if len(answers) == 0 {
		w.WriteHeader(http.StatusAccepted)
		return
	}
	out, _ := json.Marshal(answers)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	w.Write(out)
}

// retryKey is the context key of the flag a tool call sets when a
// dependency failed, so the answer carries Retry-After.
type retryKey struct{}

// RetryAfter is the Retry-After of an answer whose tool call failed on a
// dependency, in seconds: the chatbot API's.
const RetryAfter = "2"

// markRetry notes on ctx's request that its answer should carry
// Retry-After.
func markRetry(ctx context.Context) {
	if f, ok := ctx.Value(retryKey{}).(*atomic.Bool); ok {
		f.Store(true)
	}
}

// one runs a single message through h and returns its answer: a plain-text
// error rewritten as a JSON-RPC error, Retry-After added when a tool call
// failed on a dependency, and X-Accel-Buffering: no on an event stream so
// that no proxy holds it back.
func (e *endpoint) one(r *http.Request, h http.Handler, body []byte, m envelope) (int, http.Header, []byte) {
	retry := new(atomic.Bool)
	r = r.WithContext(context.WithValue(r.Context(), retryKey{}, retry))
	r.Body = io.NopCloser(bytes.NewReader(body))
	r.ContentLength = int64(len(body))
	rec := &capture{header: http.Header{}}
	h.ServeHTTP(rec, r)
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	mt, _, _ := mime.ParseMediaType(rec.header.Get("Content-Type"))
	switch {
	case mt == "text/plain" && rec.status >= 400:
		code, status, msg := codeInvalidRequest, rec.status, strings.TrimSpace(rec.body.String())
		if strings.HasPrefix(msg, "JSON RPC not handled") {
			// A notification is never answered, not even for an unknown method.
			if m.ID == nil {
				return http.StatusAccepted, http.Header{}, nil
			}
			code, status, msg = codeMethodNotFound, http.StatusOK, "Method not found."
		}
		out := &capture{header: http.Header{}}
		writeError(out, status, m.ID, code, msg, nil)
		return status, out.header, out.body.Bytes()
	case mt == "text/event-stream":
		rec.header.Set("X-Accel-Buffering", "no")
	}
	if retry.Load() {
		rec.header.Set("Retry-After", RetryAfter)
	}
	return rec.status, rec.header, rec.body.Bytes()
}

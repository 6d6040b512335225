package mcp

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
)

// rpcError is a JSON-RPC error answer.
type rpcError struct {
	JSONRPC string          `json:"jsonrpc"`
	ID      json.RawMessage `json:"id"`
	Error   rpcErrorBody    `json:"error"`
}

type rpcErrorBody struct {
	Code    int             `json:"code"`
	Message string          `json:"message"`
	Data    json.RawMessage `json:"data,omitempty"`
}

// errorMessage returns the JSON-RPC error answer to the message with id
// (nil or invalid: null).
func errorMessage(id json.RawMessage, code int, msg string, data json.RawMessage) json.RawMessage {
	if !validID(id) {
		id = json.RawMessage("null")
	}
	b, _ := json.Marshal(rpcError{JSONRPC: "2.0", ID: id, Error: rpcErrorBody{Code: code, Message: msg, Data: data}})
	return b
}

// writeError answers a JSON-RPC error with the HTTP status.
func writeError(w http.ResponseWriter, status int, id json.RawMessage, code int, msg string, data json.RawMessage) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(errorMessage(id, code, msg, data))
}

// idOf returns the id of m when it is a valid one.
func idOf(m envelope) json.RawMessage {
	if validID(m.ID) {
		return m.ID
	}
	return nil
}

// decodeName replaces an Mcp-Name header in the =?base64?…?= form (how a
// 2026-07-28 client sends a name that is not plain ASCII) with the name it
// encodes, so the SDK's comparison with the body sees the name itself.
func decodeName(h http.Header) {
	v := h.Get("Mcp-Name")
	enc, ok := strings.CutPrefix(v, "=?base64?")
	if !ok {
		return
	}
	if enc, ok = strings.CutSuffix(enc, "?="); !ok {
		return
	}
	b, err := base64.StdEncoding.DecodeString(enc)
	if err != nil {
		return
	}
	h.Set("Mcp-Name", string(b))
}

// capture is the http.ResponseWriter the guard runs the SDK on: the
// endpoint answers whole bodies (API Gateway buffers them anyway), so the
// answer is looked at before it is written.
type capture struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (c *capture) Header() http.Header { return c.header }

func (c *capture) WriteHeader(status int) {
	if c.status == 0 {
		c.status = status
	}
}

func (c *capture) Write(b []byte) (int, error) {
	c.WriteHeader(http.StatusOK)
	return c.body.Write(b)
}

// Flush does nothing: the answer is written whole.
func (c *capture) Flush() {}

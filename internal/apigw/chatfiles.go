package apigw

import (
	"context"
	"net/http"

	"github.com/sendsafely/chatbot-connector/internal/tools"
)

// The chatbot API's file actions: the fields of list_files and read_file,
// answered with Result and the tools' output.
const (
	actionListFiles = "listFiles"
	actionReadFile  = "readFile"
)

type listFilesResponse struct {
	Result string `json:"Result"`
	tools.LinkOutput
}

type readFileResponse struct {
	Result string `json:"Result"`
	tools.ReadOutput
}

func (h *Handler) listFiles(ctx context.Context, body []byte, line *logLine) Response {
	res, note, err := tools.List(ctx, h.svc, body)
	line.take(note)
	if err != nil {
		return h.fail(chatErrors, err, line)
	}
	return jsonResponse(http.StatusOK, listFilesResponse{Result: "Success", LinkOutput: tools.ListOutputOf(res)})
}

func (h *Handler) readFile(ctx context.Context, body []byte, line *logLine) Response {
	res, note, err := tools.Read(ctx, h.svc, body)
	line.take(note)
	if err != nil {
		return h.fail(chatErrors, err, line)
	}
	return jsonResponse(http.StatusOK, readFileResponse{Result: "Success", ReadOutput: tools.ReadOutputOf(res)})
}

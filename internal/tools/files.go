package tools

import (
	"context"
	"strings"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// The file tools' names.
const (
	ListFiles = "list_files"
	ReadFile  = "read_file"
)

// FilesService is what list_files and read_file need of the service.
type FilesService interface {
	ListFiles(ctx context.Context, req connector.FilesRequest) (connector.LinkResult, error)
	ReadFile(ctx context.Context, req connector.ReadRequest) (connector.ReadResult, error)
}

var _ FilesService = (*connector.Service)(nil)

// filesRequest is the input of list_files and read_file (and of the
// chatbot actions listFiles and readFile).
type filesRequest struct {
	UploadID     string `json:"uploadId"`
	Email        string `json:"email"`
	RequestState string `json:"requestState"`
	FileID       string `json:"fileId"`
	Offset       int    `json:"offset"`
	MaxChars     int    `json:"maxChars"`
}

func (r filesRequest) who() connector.FilesRequest {
	return connector.FilesRequest{UploadID: strings.TrimSpace(r.UploadID), Email: connector.Email(r.Email),
		State: strings.TrimSpace(r.RequestState)}
}

// Surface is what the platform a call comes from takes: images or not,
// and the most bytes an answer may have once quoted as a JSON string
// (0: no bound beyond maxChars).
type Surface struct {
	Images   bool
	MaxBytes int
}

type surfaceKey struct{}

// WithSurface returns ctx carrying the caller's Surface.
func WithSurface(ctx context.Context, s Surface) context.Context {
	return context.WithValue(ctx, surfaceKey{}, s)
}

// SurfaceOf returns the Surface ctx carries (none: no images, no bound).
func SurfaceOf(ctx context.Context) Surface {
	s, _ := ctx.Value(surfaceKey{}).(Surface)
	return s
}

// List decodes body and lists the upload's files.
func List(ctx context.Context, svc Service, body []byte) (connector.LinkResult, Note, error) {
	fs, ok := svc.(FilesService)
	if !ok {
		return connector.LinkResult{}, Note{}, ErrUnknownTool
	}
	var req filesRequest
	if err := DecodeObject(body, &req); err != nil {
		return connector.LinkResult{}, Note{}, err
	}
	n := Note{Upload: connector.LogID(req.UploadID)}
	res, err := fs.ListFiles(ctx, req.who())
	return res, n, err
}

// Read decodes body and reads a page of the file it names, for the
// caller's surface. The note carries the file id and the bytes served.
func Read(ctx context.Context, svc Service, body []byte) (connector.ReadResult, Note, error) {
	fs, ok := svc.(FilesService)
	if !ok {
		return connector.ReadResult{}, Note{}, ErrUnknownTool
	}
	var req filesRequest
	if err := DecodeObject(body, &req); err != nil {
		return connector.ReadResult{}, Note{}, err
	}
	n := Note{Upload: connector.LogID(req.UploadID)}
	res, err := fs.ReadFile(ctx, connector.ReadRequest{FilesRequest: req.who(), FileID: req.FileID,
		Offset: req.Offset, MaxChars: req.MaxChars, Images: SurfaceOf(ctx).Images})
	if err != nil {
		return res, n, err
	}
	n.Upload, n.File, n.Outcome = connector.LogID(res.UploadID), logFileID(req.FileID), "read"
	if res.Refused != "" {
		n.Outcome = "refused"
	}
	n.Bytes = res.Served()
	return res, n, nil
}

// listFiles is the call of list_files.
func listFiles(ctx context.Context, svc Service, args []byte) (any, Note, error) {
	res, n, err := List(ctx, svc, args)
	if err != nil {
		return nil, n, err
	}
	n.Outcome = "listed"
	return ListOutputOf(res), n, nil
}

// ListOutputOf is the list_files output of res: the get_secure_link
// output with each file's retrieval, scan, callback and readability.
func ListOutputOf(res connector.LinkResult) LinkOutput {
	out := linkOutputOf(res)
	for i, f := range res.Files {
		fo := &out.Files[i]
		fo.Stored, fo.Scan = f.Stored, f.Scan
		if f.Callback != nil {
			fo.Callback = &CallbackOutput{UID: f.Callback.UID, URL: f.Callback.URL, Error: f.Callback.Error}
		}
		ok, why := f.Ready()
		fo.Readable, fo.Unreadable = &ok, why
	}
	return out
}

// readFile is the call of read_file.
func readFile(ctx context.Context, svc Service, args []byte) (any, Note, error) {
	res, n, err := Read(ctx, svc, args)
	if err != nil {
		return nil, n, err
	}
	out := ReadOutputOf(res)
	if max := SurfaceOf(ctx).MaxBytes; max > 0 {
		fit(&out, max)
	}
	n.Bytes = len(out.Text) + len(out.image)
	return out, n, nil
}

// logFileID is a file id as a log line carries it: SendSafely's ids are
// short and name nothing; anything longer is cut.
func logFileID(id string) string {
	id = strings.TrimSpace(id)
	if len(id) > 64 {
		id = id[:64]
	}
	return id
}

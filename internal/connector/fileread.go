package connector

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// Limits of read_file.
const (
	// DefaultReadChars is how many characters a read gives when the
	// caller names no maxChars: agent clients cut long tool results.
	DefaultReadChars = 20_000
	// MaxReadChars is the most characters one read may ask for.
	MaxReadChars = 100_000
	// DownloadTTL is how long a read's download link works.
	DownloadTTL = 5 * time.Minute
)

// FilesRequest names an upload as getLink does (UploadID and Email), or
// by State, the request state collect_files sealed for its caller.
type FilesRequest struct {
	UploadID string
	Email    Email
	State    string
}

// ReadRequest asks for a page of one file of an upload.
type ReadRequest struct {
	FilesRequest
	FileID string
	// Offset is the first character to give; MaxChars the most (0:
	// DefaultReadChars, at most MaxReadChars).
	Offset, MaxChars int
	// Images says the asker takes image content.
	Images bool
}

// ReadResult is the answer to a read. A file that cannot be read is a
// result, not an error: Refused says why, in words an agent can relay.
type ReadResult struct {
	// UploadID is the upload read, for the caller's log line (hashed).
	UploadID string
	// File is the manifest entry; Found is false for an unknown file id.
	File  UploadFile
	Found bool
	// Refused says why the file cannot be read ("" when it was).
	Refused string
	// Content is the page rendered, when Rendered; Unrendered says why
	// there is no content besides the link (a type without rendering, a
	// file that could not be read, no renderer here).
	Content    Content
	Rendered   bool
	Unrendered string
	// Type and Size are the stored object's.
	Type string
	Size int64
	// Link is a download link valid until LinkExpires; "" when the store
	// cannot presign.
	Link        Link
	LinkExpires time.Time
}

// Served is how many bytes of content the read gives: text and image.
func (r ReadResult) Served() int { return len(r.Content.Text) + len(r.Content.Image) }

// ListFiles returns the state of an upload and its manifest, as
// get_secure_link does without waiting; each File's Ready says whether it
// can be read. Errors as GetLink's.
func (s *Service) ListFiles(ctx context.Context, req FilesRequest) (LinkResult, error) {
	ctx, cancel := s.bound(ctx, 0)
	defer cancel()
	u, err := s.filesUpload(ctx, req)
	if err != nil {
		return LinkResult{}, err
	}
	res := u.links(s.set.Files)
	if !res.Ready && !res.Rejected && s.lookupUpload(ctx, u.id, s.createdAt(u)) {
		if u, err = s.load(ctx, u.id); err != nil {
			return LinkResult{}, fmt.Errorf("list files: %w", err)
		}
		res = u.links(s.set.Files)
	}
	return res, nil
}

// ReadFile returns a page of the content of a file of an upload, and a
// download link valid DownloadTTL. Access is as GetLink's: ErrNotFound
// for an unknown or expired upload or a foreign email, ErrInvalid for a
// malformed request, ErrUnavailable if the store or object store fails.
// An unknown file, or one that is not Ready, is a result with Refused.
func (s *Service) ReadFile(ctx context.Context, req ReadRequest) (ReadResult, error) {
	if err := checkRead(&req); err != nil {
		return ReadResult{}, err
	}
	ctx, cancel := s.bound(ctx, 0)
	defer cancel()
	u, err := s.filesUpload(ctx, req.FilesRequest)
	if err != nil {
		return ReadResult{}, err
	}
	res := ReadResult{UploadID: u.id}
	key := ""
	for _, p := range u.st.Packages {
		if i := p.fileAt(req.FileID); i >= 0 {
			res.File, res.Found = UploadFile{PackageID: p.PackageID, File: p.Files[i]}, true
			if rt := p.retrievalOf(req.FileID); rt != nil {
				key = rt.Key
			}
			break
		}
	}
	if !res.Found {
		res.Refused = "no file with that id in this upload; list_files names them"
		return res, nil
	}
	if ok, why := res.File.Ready(); !ok {
		res.Refused = why
		return res, nil
	}
	if key == "" || s.objs == nil {
		res.Refused = "files cannot be read here: retrieval is off"
		return res, nil
	}
	return s.readObject(ctx, key, req, res)
}

// readObject renders the stored object under key and adds its link.
func (s *Service) readObject(ctx context.Context, key string, req ReadRequest, res ReadResult) (ReadResult, error) {
	info, err := s.objs.Stat(ctx, key)
	if isNotFound(err) {
		res.Refused = "the stored file is gone (it may have expired)"
		return res, nil
	}
	if err != nil {
		return ReadResult{}, fmt.Errorf("read file: %w", orUnavailable(err))
	}
	res.Type, res.Size = info.ContentType, info.Size
	if res.Type == "" {
		res.Type = res.File.Type
	}
	if link, err := s.objs.Presign(ctx, key, DownloadTTL); err == nil {
		res.Link, res.LinkExpires = Link(link), s.now().Add(DownloadTTL)
	}
	if s.render == nil {
		res.Unrendered = "content cannot be rendered here; use the download link"
		return res, nil
	}
	open := func(ctx context.Context, off int64) (io.ReadCloser, error) {
		rc, _, err := s.objs.Open(ctx, key, off)
		return rc, err
	}
	c, err := s.render.Render(ctx, ContentRequest{Type: res.Type, Size: res.Size, Open: open,
		Offset: req.Offset, MaxChars: req.MaxChars, Images: req.Images})
	switch {
	case err == nil:
		res.Content, res.Rendered = c, true
	case errors.Is(err, ErrUnsupported):
		res.Unrendered = "this type of file is not shown as text or image; use the download link"
	case errors.Is(err, ErrCorrupt):
		res.Unrendered = "could not read the file: " + corruptReason(err)
	default:
		return ReadResult{}, fmt.Errorf("read file: %w", orUnavailable(err))
	}
	return res, nil
}

// corruptReason is the reason an ErrCorrupt carries, without the kind.
func corruptReason(err error) string {
	if m := Message(err); m != "" {
		return m
	}
	msg := err.Error()
	if i := strings.LastIndex(msg, ErrCorrupt.Error()+": "); i >= 0 {
		msg = msg[i+len(ErrCorrupt.Error())+2:]
	}
	return msg
}

// checkRead checks a read's own fields and sets the default page.
func checkRead(req *ReadRequest) error {
	switch {
	case strings.TrimSpace(req.FileID) == "":
		return Errorf(ErrInvalid, "The field fileId is required.")
	case req.Offset < 0:
		return Errorf(ErrInvalid, "The field offset must be 0 or more.")
	case req.MaxChars < 0 || req.MaxChars > MaxReadChars:
		return Errorf(ErrInvalid, "The field maxChars must be a number from 1 to %d.", MaxReadChars)
	}
	req.FileID = strings.TrimSpace(req.FileID)
	if req.MaxChars == 0 {
		req.MaxChars = DefaultReadChars
	}
	return nil
}

// filesUpload loads the upload req names, with getLink's access: by its
// id and bound email, or by a collect_files request state.
func (s *Service) filesUpload(ctx context.Context, req FilesRequest) (*upload, error) {
	var u *upload
	if req.State != "" {
		p, _, err := s.openToken(ctx, adState, req.State)
		if err != nil {
			return nil, err
		}
		if u, err = s.load(ctx, p.UploadID); isNotFound(err) {
			return nil, notFound()
		} else if err != nil {
			return nil, fmt.Errorf("files: %w", err)
		}
		return u, nil
	}
	id, err := checkLinkRequest(LinkRequest{UploadID: req.UploadID, Email: req.Email})
	if err != nil {
		return nil, err
	}
	if u, err = s.accessUpload(ctx, id, req.Email); err != nil {
		return nil, fmt.Errorf("files: %w", err)
	}
	return u, nil
}

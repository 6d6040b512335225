package tools

import (
	"encoding/json"
	"strconv"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// ReadOutput is the output of read_file.
type ReadOutput struct {
	FileID string `json:"fileId"`
	Name   string `json:"name,omitempty"`
	Type   string `json:"type,omitempty"`
	Size   int64  `json:"size,omitempty"`
	// Readable is false when the file cannot be read; Reason says why.
	Readable bool   `json:"readable"`
	Reason   string `json:"reason,omitempty"`
	// Text is characters Offset to NextOffset (0: the end) of the file.
	Text       string `json:"text,omitempty"`
	Offset     int    `json:"offset"`
	NextOffset int    `json:"nextOffset,omitempty"`
	TotalChars int    `json:"totalChars,omitempty"`
	// Image describes the image; its bytes go as MCP image content only.
	Image *ImageOutput `json:"image,omitempty"`
	Note  string       `json:"note,omitempty"`
	// DownloadURL reads the file with a plain GET until DownloadExpiresAt.
	DownloadURL       string `json:"downloadUrl,omitempty"`
	DownloadExpiresAt string `json:"downloadExpiresAt,omitempty"`

	image []byte
}

// ImageBytes returns the image content of o, for surfaces that take it.
func (o ReadOutput) ImageBytes() []byte { return o.image }

// ImageOutput describes an image read.
type ImageOutput struct {
	Type         string `json:"type"`
	Width        int    `json:"width"`
	Height       int    `json:"height"`
	SourceWidth  int    `json:"sourceWidth"`
	SourceHeight int    `json:"sourceHeight"`
	Sent         bool   `json:"sent"`
}

// ReadOutputOf is the read_file output of res.
func ReadOutputOf(res connector.ReadResult) ReadOutput {
	f := res.File
	out := ReadOutput{FileID: f.ID, Name: f.Name, Type: f.Type, Size: f.Size}
	if !res.Found {
		out.Reason = res.Refused
		return out
	}
	if res.Refused != "" {
		out.Reason = res.Refused
		return out
	}
	out.Readable, out.Type, out.Size = true, res.Type, res.Size
	if res.Link != "" {
		out.DownloadURL, out.DownloadExpiresAt = string(res.Link), connector.FormatTime(res.LinkExpires)
	}
	c := res.Content
	switch {
	case !res.Rendered:
		out.Note = res.Unrendered
	case c.ImageType != "" || c.SourceWidth > 0:
		out.Image = &ImageOutput{Type: c.ImageType, Width: c.Width, Height: c.Height,
			SourceWidth: c.SourceWidth, SourceHeight: c.SourceHeight, Sent: c.Image != nil}
		out.image = c.Image
		out.Note = c.Note
		if c.Image == nil {
			out.Note = joinNote(c.Note, "This platform takes no images; the download link gives the file.")
		}
	default:
		out.Text, out.Offset, out.NextOffset, out.Note = c.Text, c.Offset, c.NextOffset, c.Note
		if c.TotalChars > 0 {
			out.TotalChars = c.TotalChars
		}
	}
	return out
}

func joinNote(a, b string) string {
	if a == "" {
		return b
	}
	return a + " " + b
}

// quotedLen is the length of o's JSON once quoted as a JSON string, as
// Bedrock Agents carries a body.
func quotedLen(o ReadOutput) int {
	b, err := Marshal(o)
	if err != nil {
		return 0
	}
	q, _ := json.Marshal(string(b))
	return len(q)
}

// fit cuts o's text until its quoted JSON is at most max bytes, and sets
// nextOffset to where the cut text ends.
func fit(o *ReadOutput, max int) {
	for range 64 {
		n := quotedLen(*o)
		if n <= max || o.Text == "" {
			return
		}
		rs := []rune(o.Text)
		keep := len(rs) * max / n * 9 / 10
		if keep >= len(rs) {
			keep = len(rs) - 1
		}
		o.Text = string(rs[:keep])
		o.NextOffset = o.Offset + keep
		o.Note = joinNote(cutNote(o.Note), cutMessage(o.NextOffset))
	}
}

const cutPrefix = "Cut to fit this platform: call again with offset "

func cutMessage(next int) string { return cutPrefix + strconv.Itoa(next) + " for more." }

// cutNote drops an earlier cut message from note.
func cutNote(note string) string {
	if i := indexOf(note, cutPrefix); i >= 0 {
		return note[:max(0, i-1)]
	}
	return note
}

func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}

package tools

import (
	"context"
	"encoding/json"
)

// The tools' names, as agents see them.
const (
	GenerateUploadLink = "generate_upload_link"
	GetSecureLink      = "get_secure_link"
	CollectFiles       = "collect_files"
)

// The values of LinkOutput.Status.
const (
	StatusPending  = "Pending"
	StatusReady    = "Ready"
	StatusRejected = "Rejected"
)

// Tool is one agent tool.
type Tool struct {
	Name  string
	Title string
	// Summary is a short verb phrase, for OpenAPI summaries (at most 80
	// characters, as Power Platform connectors require).
	Summary string
	// Description tells a model when and how to use the tool (at most 300
	// characters, as GPT Actions require).
	Description string
	Input       *Schema
	Output      *Schema
	// ReadOnly reports whether the tool changes nothing.
	ReadOnly bool
	// Idempotent reports whether calling it again with the same input has
	// no further effect.
	Idempotent bool
	// NotFound, when the tool can answer 404, says when, for the
	// generated documents.
	NotFound string
	// MCPOnly reports whether only the MCP endpoint offers the tool: it
	// needs URL elicitation, which no other platform has. The runner, the
	// /tools/* routes, Bedrock, AgentCore and the generated documents leave
	// it out; internal/mcp runs it through Runner.Collect.
	MCPOnly bool

	// run decodes the tool's input, calls the service and returns the
	// output object, which Output describes.
	run func(ctx context.Context, svc Service, args []byte) (any, Note, error)
}

// All returns the tools, in the order agents should meet them. This is the
// one table of tools: a new tool is a row here and its schemas in
// schema.go; the runner, the MCP server, Bedrock, AgentCore, the /tools/*
// routes and the generated documents all read it.
func All() []Tool {
	return []Tool{
		{
			Name:    GenerateUploadLink,
			Title:   "Generate an upload link",
			Summary: "Create an upload link for the customer",
			Description: "Create a secure SendSafely upload link for the customer to send files through. " +
				"Show uploadUrl to the customer; keep uploadId and the customer's email to fetch the result " +
				"with get_secure_link once they say they are done.",
			Input:  generateInput,
			Output: generateOutput,
			run:    generateUploadLink,
		},
		{
			Name:    GetSecureLink,
			Title:   "Get the secure link",
			Summary: "Get the secure link to the uploaded files",
			Description: "Get the secure link to the files the customer uploaded. Pending means nothing was " +
				"submitted yet: ask the customer to finish, then call again. Ready gives secureLink for a " +
				"human agent; it holds the key to the files, so never show it to the customer.",
			Input:      linkInput,
			Output:     linkOutput,
			ReadOnly:   true,
			Idempotent: true,
			NotFound:   "No upload for that uploadId and email; it may have expired.",
			run:        getSecureLink,
		},
		{
			Name:    ListFiles,
			Title:   "List the uploaded files",
			Summary: "List the files of an upload and which can be read",
			Description: "List the files the customer uploaded, each with whether it is stored, its malware " +
				"scan, and whether read_file can read it (readable, or unreadable saying why). Use the uploadId " +
				"and email as for get_secure_link.",
			Input:      filesInput,
			Output:     linkOutput,
			ReadOnly:   true,
			Idempotent: true,
			NotFound:   "No upload for that uploadId and email; it may have expired.",
			run:        listFiles,
		},
		{
			Name:    ReadFile,
			Title:   "Read an uploaded file",
			Summary: "Read the content of an uploaded file",
			Description: "Read a file the customer uploaded: text page by page (offset, nextOffset), images " +
				"where the client takes them, and a download link valid 5 minutes. A file that cannot be read " +
				"yet says why; tell the customer.",
			Input:      readInput,
			Output:     readOutput,
			ReadOnly:   true,
			Idempotent: true,
			NotFound:   "No upload for that uploadId and email; it may have expired.",
			run:        readFile,
		},
		{
			Name:    CollectFiles,
			Title:   "Collect files from the customer",
			Summary: "Ask the customer for files through a secure upload page the client opens",
			Description: "Ask the customer for files: the client shows them a secure upload page and the call " +
				"returns once files are in, with secureLink for a human agent (never show it to the customer). " +
				"Needs URL elicitation; otherwise use generate_upload_link and get_secure_link.",
			Input:   collectInput,
			Output:  linkOutput,
			MCPOnly: true,
		},
	}
}

// Shared returns the tools of All that every surface offers, leaving out
// the MCP-only ones: what the /tools/* routes, Bedrock, AgentCore and the
// generated documents describe.
func Shared() []Tool {
	var out []Tool
	for _, t := range All() {
		if !t.MCPOnly {
			out = append(out, t)
		}
	}
	return out
}

// Lookup returns the tool named name, and reports whether there is one.
func Lookup(name string) (Tool, bool) {
	for _, t := range All() {
		if t.Name == name {
			return t, true
		}
	}
	return Tool{}, false
}

// UploadLink is the output of generate_upload_link.
type UploadLink struct {
	UploadID  string `json:"uploadId"`
	UploadURL string `json:"uploadUrl"`
	ExpiresAt string `json:"expiresAt"`
}

// LinkOutput is the output of get_secure_link: Pending, Ready with the
// links, or Rejected; with the manifest in verified mode.
type LinkOutput struct {
	Status      string   `json:"status"`
	SecureLink  string   `json:"secureLink,omitempty"`
	SecureLinks []string `json:"secureLinks,omitempty"`
	SubmittedAt string   `json:"submittedAt,omitempty"`
	// Message is the sentence for the customer when files were rejected.
	Message string `json:"message,omitempty"`
	// Files, FileCount and TotalSize are the manifest (verified mode);
	// absent otherwise, files empty for packages of no files.
	Files     []FileOutput `json:"files,omitzero"`
	FileCount *int         `json:"fileCount,omitempty"`
	TotalSize *int64       `json:"totalSize,omitempty"`
	// Next tells an agent, in a collect_files result, that the files can
	// be listed and read with list_files and read_file.
	Next string `json:"next,omitempty"`
}

// FileOutput is a manifest entry in a tool's output. PackageID is set when
// the upload has several packages.
type FileOutput struct {
	PackageID string `json:"packageId,omitempty"`
	ID        string `json:"id"`
	Name      string `json:"name"`
	Size      int64  `json:"size"`
	Type      string `json:"type"`
	Status    string `json:"status"`
	Reason    string `json:"reason,omitempty"`
	Message   string `json:"message,omitempty"`
	// Stored, Scan, Callback, Readable and Unreadable are list_files's.
	Stored     string          `json:"stored,omitempty"`
	Scan       string          `json:"scan,omitempty"`
	Callback   *CallbackOutput `json:"callback,omitempty"`
	Readable   *bool           `json:"readable,omitempty"`
	Unreadable string          `json:"unreadable,omitempty"`
}

// CallbackOutput is the file callback receiver's answer for a file.
type CallbackOutput struct {
	UID   string `json:"uid,omitempty"`
	URL   string `json:"url,omitempty"`
	Error string `json:"error,omitempty"`
}

// Reply is the answer to one tool call, in the terms of the /tools/* routes:
// on success Status is 200 and Body the output object; otherwise Status and
// Body are the chatbot API's error status and body, and Message the sentence
// from that body, for platforms that show only text. Note is what the
// caller logs of the call.
type Reply struct {
	Status  int
	Body    json.RawMessage
	Message string
	Note    Note
	// Image is the image content of a read_file answer, for surfaces
	// that take images (Body describes it but does not carry it).
	Image     []byte
	ImageType string
	// Read is the read_file output that Body holds, for surfaces that
	// add content of their own (MCP's image and resource_link); nil for
	// other tools.
	Read *ReadOutput
}

// OK reports whether the tool succeeded.
func (r Reply) OK() bool { return r.Status == 200 }

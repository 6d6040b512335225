package tools

import "strings"

// Schema is the subset of JSON Schema the tools need. It keeps to what
// JSON Schema 2020-12 (MCP), OpenAPI 3.0 and 3.1 and Swagger 2.0 all read
// the same way, so one value can be written into each of them.
type Schema struct {
	Type        string // "object", "string", "number" or "array"
	Description string
	Format      string // "email", "uuid", "uri" or "date-time"
	Enum        []string
	MaxLength   int      // 0: none
	Minimum     *float64 // nil: none
	Maximum     *float64 // nil: none
	Default     any      // nil: none
	Items       *Schema
	Properties  []Property // in the order they are documented
	Required    []string
}

// Property is one named property of an object schema.
type Property struct {
	Name   string
	Schema *Schema
}

// Property returns the schema of the property called name, or nil.
func (s *Schema) Property(name string) *Schema {
	for _, p := range s.Properties {
		if p.Name == name {
			return p.Schema
		}
	}
	return nil
}

// IsRequired reports whether the object schema requires the property name.
func (s *Schema) IsRequired(name string) bool {
	for _, r := range s.Required {
		if r == name {
			return true
		}
	}
	return false
}

// document returns s as a JSON Schema object, keys in a fixed order. With
// full false it keeps only type, description, properties, required and
// items, the keywords every tool platform accepts.
func (s *Schema) document(full bool) obj {
	o := obj{{"type", s.Type}}
	if s.Description != "" {
		o = append(o, field{"description", s.Description})
	}
	if full {
		if s.Format != "" {
			o = append(o, field{"format", s.Format})
		}
		if len(s.Enum) > 0 {
			o = append(o, field{"enum", s.Enum})
		}
		if s.MaxLength > 0 {
			o = append(o, field{"maxLength", s.MaxLength})
		}
		if s.Minimum != nil {
			o = append(o, field{"minimum", *s.Minimum})
		}
		if s.Maximum != nil {
			o = append(o, field{"maximum", *s.Maximum})
		}
		if s.Default != nil {
			o = append(o, field{"default", s.Default})
		}
	}
	if s.Items != nil {
		o = append(o, field{"items", s.Items.document(full)})
	}
	if s.Type == "object" {
		props := obj{}
		for _, p := range s.Properties {
			props = append(props, field{p.Name, p.Schema.document(full)})
		}
		o = append(o, field{"properties", props})
		if len(s.Required) > 0 {
			o = append(o, field{"required", s.Required})
		}
	}
	return o
}

// withoutEnum returns a copy of s whose enums are named in the
// descriptions instead, for Bedrock Agents, which refuses enum.
func (s *Schema) withoutEnum() *Schema {
	c := *s
	if len(s.Enum) > 0 {
		c.Enum = nil
		sep := ""
		if c.Description != "" {
			sep = " "
		}
		c.Description += sep + "One of: " + strings.Join(s.Enum, ", ") + "."
	}
	if s.Items != nil {
		c.Items = s.Items.withoutEnum()
	}
	c.Properties = make([]Property, len(s.Properties))
	for i, p := range s.Properties {
		c.Properties[i] = Property{p.Name, p.Schema.withoutEnum()}
	}
	return &c
}

// JSONSchema returns s as a JSON Schema (2020-12) document, for MCP tool
// definitions.
func (s *Schema) JSONSchema() ([]byte, error) { return s.document(true).MarshalJSON() }

func number(f float64) *float64 { return &f }

// The largest wait, in seconds; the connector's own limit (connector.MaxWait).
const maxWaitSeconds = 25

// The schemas of the two tools. Field names are the contract's.
var (
	emailProperty = func(desc string) *Schema {
		return &Schema{Type: "string", Format: "email", Description: desc}
	}
	uploadIDProperty = func(desc string) *Schema {
		return &Schema{Type: "string", Format: "uuid", Description: desc}
	}

	generateInput = &Schema{
		Type: "object",
		Properties: []Property{
			{"email", emailProperty("The customer's email address, if known. It binds the upload to that " +
				"address now; without it, the upload is bound to the email of its first submission.")},
			{"conversationId", &Schema{Type: "string", MaxLength: 256, Description: "Your platform's " +
				"conversation or session id, carried into the connector's events so a human agent can find the chat."}},
		},
	}

	generateOutput = &Schema{
		Type: "object",
		Properties: []Property{
			{"uploadId", uploadIDProperty("The upload id. Keep it: get_secure_link needs it.")},
			{"uploadUrl", &Schema{Type: "string", Format: "uri", Description: "The upload page for the customer, " +
				"with every parameter filled in. Show it to the customer as a link or a button."}},
			{"expiresAt", &Schema{Type: "string", Format: "date-time", Description: "When the upload closes, in UTC."}},
		},
		Required: []string{"uploadId", "uploadUrl", "expiresAt"},
	}

	linkInput = &Schema{
		Type: "object",
		Properties: []Property{
			{"uploadId", uploadIDProperty("The uploadId that generate_upload_link returned.")},
			{"email", emailProperty("The customer's email address: the one given to generate_upload_link, " +
				"or the one the customer uploaded with.")},
			{"wait", &Schema{Type: "number", Minimum: number(0), Maximum: number(maxWaitSeconds), Default: 0,
				Description: "Seconds to wait for a submission before answering Pending (0 to 25). Keep it under " +
					"your platform's HTTP timeout: at most 8 where the timeout is 10 seconds."}},
		},
		Required: []string{"uploadId", "email"},
	}

	collectInput = &Schema{
		Type: "object",
		Properties: []Property{
			{"email", emailProperty("The customer's email address, if known. It binds the upload to that address now.")},
			{"conversationId", &Schema{Type: "string", MaxLength: 256, Description: "Your platform's " +
				"conversation or session id, carried into the connector's events so a human agent can find the chat."}},
			{"purpose", &Schema{Type: "string", MaxLength: 200, Description: "What to upload and why, in a " +
				"sentence the customer will see, such as \"Your last two bank statements, to verify your income.\""}},
			{"elicitationId", &Schema{Type: "string", Description: "Only when calling again after the " +
				"URL-elicitation-required error (-32042): the elicitationId it gave, with the same other arguments."}},
		},
	}

	linkOutput = &Schema{
		Type: "object",
		Properties: []Property{
			{"status", &Schema{Type: "string", Enum: []string{StatusPending, StatusReady, StatusRejected}, Description: "Pending: " +
				"nothing submitted yet. Ready: files were submitted and the links below are set. Rejected: every file " +
				"submitted broke the upload's file rules; there is no link, tell the customer message and let them " +
				"upload again through the same upload link."}},
			{"secureLink", &Schema{Type: "string", Format: "uri", Description: "The newest submission's secure " +
				"link, for a human agent. It holds the key to the files: never show it to the customer."}},
			{"secureLinks", &Schema{Type: "array", Items: &Schema{Type: "string", Format: "uri"},
				Description: "Every submission's secure link, oldest first (up to 20)."}},
			{"submittedAt", &Schema{Type: "string", Format: "date-time", Description: "When the newest submission " +
				"was made, in UTC."}},
			{"message", &Schema{Type: "string", Description: "When files were not accepted: one sentence to show " +
				"the customer as it is."}},
			{"files", &Schema{Type: "array", Items: fileOutput, Description: "The files submitted, in upload order, " +
				"each with its status (only with SendSafely verified mode)."}},
			{"fileCount", &Schema{Type: "number", Description: "How many files are listed in files."}},
			{"totalSize", &Schema{Type: "number", Description: "The size of the files listed, in bytes."}},
			{"next", &Schema{Type: "string", Description: "When the files are retrieved into the " +
				"customer's storage: what the agent can do with them next (list_files, read_file)."}},
		},
		Required: []string{"status"},
	}

	// fileOutput is a manifest entry of linkOutput.
	fileOutput = &Schema{
		Type: "object",
		Properties: []Property{
			{"packageId", &Schema{Type: "string", Description: "The submission the file came in; only when there were several."}},
			{"id", &Schema{Type: "string", Description: "SendSafely's file id."}},
			{"name", &Schema{Type: "string", Description: "The file name as uploaded."}},
			{"size", &Schema{Type: "number", Description: "Its size in bytes."}},
			{"type", &Schema{Type: "string", Description: "Its media type, from the name's extension, such as application/pdf."}},
			{"status", &Schema{Type: "string", Enum: []string{"accepted", "rejected"}, Description: "Whether the upload's file rules accepted it."}},
			{"reason", &Schema{Type: "string", Enum: []string{"type", "size", "count", "content"}, Description: "Why it was rejected."}},
			{"message", &Schema{Type: "string", Description: "Why it was rejected, as a sentence for the customer."}},
		},
		Required: []string{"id", "name", "size", "type", "status"},
	}

	// errorOutput is the chatbot API's error body, which the /tools/*
	// routes answer with too.
	errorOutput = &Schema{
		Type: "object",
		Properties: []Property{
			{"Result", &Schema{Type: "string", Enum: []string{"Error"}}},
			{"Error", &Schema{Type: "string", Description: "InvalidRequest, Unauthorized, NotFound, " +
				"MethodNotAllowed, PayloadTooLarge, Unavailable or Internal."}},
			{"Message", &Schema{Type: "string", Description: "One sentence for a person."}},
		},
		Required: []string{"Result", "Error", "Message"},
	}
)

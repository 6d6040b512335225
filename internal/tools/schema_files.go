package tools

// The schemas of list_files and read_file.
var (
	filesProperties = []Property{
		{"uploadId", uploadIDProperty("The uploadId that generate_upload_link returned.")},
		{"email", emailProperty("The customer's email address, as for get_secure_link.")},
		{"requestState", &Schema{Type: "string", Description: "Instead of uploadId and email, on MCP after the tool that collected the files by URL elicitation: " +
			"the requestState (or elicitationId) of that call."}},
	}

	filesInput = &Schema{Type: "object", Properties: filesProperties}

	readInput = &Schema{
		Type: "object",
		Properties: append(append([]Property(nil), filesProperties...),
			Property{"fileId", &Schema{Type: "string", Description: "The file's id, as list_files gives it."}},
			Property{"offset", &Schema{Type: "number", Minimum: number(0), Default: 0,
				Description: "The first character to read: 0, or the nextOffset of the previous read."}},
			Property{"maxChars", &Schema{Type: "number", Minimum: number(1), Maximum: number(100_000), Default: 20_000,
				Description: "The most characters to read (at most 100000)."}},
		),
		Required: []string{"fileId"},
	}

	readOutput = &Schema{
		Type: "object",
		Properties: []Property{
			{"fileId", &Schema{Type: "string", Description: "The file read."}},
			{"name", &Schema{Type: "string", Description: "The file name as uploaded."}},
			{"type", &Schema{Type: "string", Description: "Its media type."}},
			{"size", &Schema{Type: "number", Description: "Its size in bytes."}},
			{"readable", &Schema{Type: "boolean", Description: "Whether the file could be read; if not, reason says why."}},
			{"reason", &Schema{Type: "string", Description: "Why it cannot be read, such as \"not stored yet\", " +
				"\"rejected\" or \"threat found\": tell the customer."}},
			{"text", &Schema{Type: "string", Description: "The file's text from offset on."}},
			{"offset", &Schema{Type: "number", Description: "The first character of text."}},
			{"nextOffset", &Schema{Type: "number", Description: "Where the next read starts; absent at the end."}},
			{"totalChars", &Schema{Type: "number", Description: "The text's length in characters, when known."}},
			{"image", &Schema{Type: "object", Description: "An image: its type and pixels, and whether it was sent as image content.",
				Properties: []Property{
					{"type", &Schema{Type: "string"}}, {"width", &Schema{Type: "number"}}, {"height", &Schema{Type: "number"}},
					{"sourceWidth", &Schema{Type: "number"}}, {"sourceHeight", &Schema{Type: "number"}},
					{"sent", &Schema{Type: "boolean"}},
				}}},
			{"note", &Schema{Type: "string", Description: "What else to know, such as a PDF without a text layer."}},
			{"downloadUrl", &Schema{Type: "string", Format: "uri", Description: "Downloads the file with a plain GET for 5 minutes."}},
			{"downloadExpiresAt", &Schema{Type: "string", Format: "date-time", Description: "When downloadUrl stops working, in UTC."}},
		},
		Required: []string{"fileId", "readable", "offset"},
	}
)

func init() {
	fileOutput.Properties = append(fileOutput.Properties, []Property{
		{"stored", &Schema{Type: "string", Description: "list_files: pending, stored or failed (absent when retrieval is off)."}},
		{"scan", &Schema{Type: "string", Description: "list_files: the malware scan, pending, clean, threat, unsupported or failed."}},
		{"callback", &Schema{Type: "object", Description: "list_files: what the file callback's receiver answered.",
			Properties: []Property{{"uid", &Schema{Type: "string"}}, {"url", &Schema{Type: "string"}}, {"error", &Schema{Type: "string"}}}}},
		{"readable", &Schema{Type: "boolean", Description: "list_files: whether read_file can read it."}},
		{"unreadable", &Schema{Type: "string", Description: "list_files: why read_file cannot read it yet."}},
	}...)
}

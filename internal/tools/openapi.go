package tools

import (
	"bytes"
	"encoding/json"
)

// The OpenAPI versions the files in docs/ are written in.
const (
	// OpenAPI30 is 3.0.0 because Bedrock Agents requires exactly that
	// value for an action group to work, and takes no enum
	// (https://docs.aws.amazon.com/bedrock/latest/userguide/agents-api-schema.html);
	// the other platforms read any 3.0.x.
	OpenAPI30 = "3.0.0" // Bedrock Agents, watsonx Orchestrate, Dialogflow CX, Agentforce
	OpenAPI31 = "3.1.0" // GPT Actions
)

// Where the files say the connector is: a placeholder for the stack's
// ConnectorUrl output.
const (
	placeholderHost = "your-api-id.execute-api.us-east-1.amazonaws.com"
	serverNote      = "Replace with your stack's ConnectorUrl output, without the trailing slash."
)

const apiDescription = "Collect files from a customer through a SendSafely Hosted Dropzone. Call " +
	"generate_upload_link and show the customer uploadUrl; when they are done, call get_secure_link with " +
	"the uploadId and email, and hand secureLink to a human agent. Send the connector's API token as " +
	"Authorization: Bearer, as x-api-key, or as the password of HTTP Basic."

// Path returns the REST path of a tool.
func Path(tool string) string { return "/tools/" + tool }

func info() obj {
	return obj{{"title", "SendSafely chatbot connector tools"}, {"version", "1.0.0"}, {"description", apiDescription}}
}

// errorStatuses are the failures each tool documents, beside a default.
func errorStatuses(t Tool) []field {
	out := []field{
		{"400", "The input is not valid; Message names the field."},
		{"401", "The API token is missing or wrong."},
	}
	if t.NotFound != "" {
		out = append(out, field{"404", t.NotFound})
	}
	return append(out,
		field{"503", "A service the connector depends on failed; nothing was changed. Retry after Retry-After seconds."},
		field{"default", "Any other error, in the same shape."})
}

// OpenAPI returns the OpenAPI 3 document of the /tools/* routes in the
// given version, OpenAPI30 or OpenAPI31. Schemas are inline, since some
// agent platforms do not follow $ref.
func OpenAPI(version string) obj {
	paths := obj{}
	for _, t := range Shared() {
		jsonContent := func(s *Schema) obj {
			if version == OpenAPI30 {
				s = s.withoutEnum()
			}
			return obj{{"application/json", obj{{"schema", s.document(true)}}}}
		}
		responses := obj{{"200", obj{{"description", "The tool's output."}, {"content", jsonContent(t.Output)}}}}
		for _, e := range errorStatuses(t) {
			r := obj{{"description", e.val}, {"content", jsonContent(errorOutput)}}
			responses = append(responses, field{e.key, r})
		}
		op := obj{
			{"operationId", t.Name},
			{"summary", t.Summary},
			{"description", t.Description},
			{"requestBody", obj{{"required", len(t.Input.Required) > 0}, {"content", jsonContent(t.Input)}}},
			{"responses", responses},
		}
		if version == OpenAPI31 && t.ReadOnly {
			// The 3.1 file is GPT Actions': a tool that changes nothing must
			// not ask the user's leave on every call (get_secure_link polls).
			op = append(op, field{"x-openai-isConsequential", false})
		}
		paths = append(paths, field{Path(t.Name), obj{{"post", op}}})
	}
	return obj{
		{"openapi", version},
		{"info", info()},
		{"servers", []obj{{{"url", "https://" + placeholderHost}, {"description", serverNote}}}},
		{"paths", paths},
		{"components", obj{{"securitySchemes", obj{
			{"bearer", obj{{"type", "http"}, {"scheme", "bearer"}}},
			{"apiKey", obj{{"type", "apiKey"}, {"in", "header"}, {"name", "x-api-key"}}},
			{"basic", obj{{"type", "http"}, {"scheme", "basic"}}},
		}}}},
		{"security", []obj{{{"bearer", []string{}}}, {{"apiKey", []string{}}}, {{"basic", []string{}}}}},
	}
}

// Swagger returns the Swagger 2.0 document of the /tools/* routes, for
// Power Platform custom connectors (Copilot Studio), which take an API key
// header or HTTP Basic.
func Swagger() obj {
	paths := obj{}
	for _, t := range Shared() {
		responses := obj{{"200", obj{{"description", "The tool's output."}, {"schema", t.Output.document(true)}}}}
		for _, e := range errorStatuses(t) {
			responses = append(responses, field{e.key, obj{{"description", e.val}, {"schema", errorOutput.document(true)}}})
		}
		body := obj{{"name", "body"}, {"in", "body"}, {"required", len(t.Input.Required) > 0}, {"schema", t.Input.document(true)}}
		op := obj{
			{"operationId", t.Name},
			{"summary", t.Summary},
			{"description", t.Description},
			{"parameters", []obj{body}},
			{"responses", responses},
		}
		paths = append(paths, field{Path(t.Name), obj{{"post", op}}})
	}
	return obj{
		{"swagger", "2.0"},
		{"info", info()},
		{"host", placeholderHost},
		{"basePath", "/"},
		{"schemes", []string{"https"}},
		{"consumes", []string{"application/json"}},
		{"produces", []string{"application/json"}},
		{"paths", paths},
		{"securityDefinitions", obj{
			{"apiKey", obj{{"type", "apiKey"}, {"in", "header"}, {"name", "x-api-key"}}},
			{"basic", obj{{"type", "basic"}}},
		}},
		{"security", []obj{{{"apiKey", []string{}}}, {{"basic", []string{}}}}},
	}
}

// BedrockFunctions returns the function schema of a Bedrock Agents action
// group defined with function details (the --function-schema of
// aws bedrock-agent create-agent-action-group).
func BedrockFunctions() obj {
	var fns []obj
	for _, t := range Shared() {
		params := obj{}
		for _, p := range t.Input.Properties {
			params = append(params, field{p.Name, obj{
				{"type", p.Schema.Type}, {"description", p.Schema.Description}, {"required", t.Input.IsRequired(p.Name)},
			}})
		}
		fns = append(fns, obj{{"name", t.Name}, {"description", t.Description}, {"parameters", params}})
	}
	return obj{{"functions", fns}}
}

// AgentCoreTools returns the inline tool schema of an AgentCore Gateway
// Lambda target: the tools with their input schemas in the keywords the
// gateway accepts.
func AgentCoreTools() []obj {
	var out []obj
	for _, t := range Shared() {
		out = append(out, obj{{"name", t.Name}, {"description", t.Description}, {"inputSchema", t.Input.document(false)}})
	}
	return out
}

// File is one generated file of docs/.
type File struct {
	Name string // under docs/
	// Data is the document as indented JSON, keys in the order written.
	Data []byte
	// YAML reports whether the file under docs/ is YAML: the test that
	// writes and checks the files converts Data, so the YAML encoder stays
	// out of the function's binary.
	YAML bool
}

// YAMLHeader opens every generated YAML file.
const YAMLHeader = "# Generated from internal/tools by `go test ./internal/tools -update`; do not edit.\n"

// Files returns the generated files of docs/: the OpenAPI 3.0 and 3.1
// documents (YAML under docs/), the Swagger 2.0 document as JSON (Power
// Platform imports JSON), and the Bedrock and AgentCore tool schemas as
// JSON.
func Files() ([]File, error) {
	var files []File
	for _, f := range []struct {
		name string
		doc  any
		yaml bool
	}{
		{"tools-openapi-3.0.yaml", OpenAPI(OpenAPI30), true},
		{"tools-openapi-3.1.yaml", OpenAPI(OpenAPI31), true},
		{"tools-swagger-2.0.json", Swagger(), false},
		{"tools-bedrock-functions.json", BedrockFunctions(), false},
		{"tools-agentcore.json", AgentCoreTools(), false},
	} {
		b, err := encodeJSON(f.doc)
		if err != nil {
			return nil, err
		}
		files = append(files, File{Name: f.name, Data: b, YAML: f.yaml})
	}
	return files, nil
}

func encodeJSON(v any) ([]byte, error) {
	raw, err := Marshal(v)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := json.Indent(&buf, raw, "", "  "); err != nil {
		return nil, err
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}

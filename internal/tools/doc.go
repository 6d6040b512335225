// Package tools describes the connector's two agent tools, generate_upload_link
// and get_secure_link, once: their names, descriptions, and input and output
// JSON Schemas as Go values. The MCP server, the /tools/* routes, the Bedrock
// function details and every OpenAPI file in docs/ are derived from these
// values, so they cannot drift apart.
//
// It imports nothing of ours: the edges that run the tools import it.
package tools

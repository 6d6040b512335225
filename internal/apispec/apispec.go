// Package apispec holds docs/openapi.yaml, the one description of the
// connector's HTTP API, to what it promises, and derives the document's
// other forms from it.
//
// The document is written by hand, in the part of OpenAPI that 3.0.3 and
// 3.1 share, and defines every schema once, under components. Other forms
// are computed from it, never written beside it:
//
//   - OpenAPI 3.0.3, for platforms that take no 3.1: the same text with its
//     version changed (As30). The tests validate the result as 3.0.3, so a
//     3.1-only construct in the source fails them.
//
// That is all it derives. The agent tools' forms are not generated from
// this document: the MCP tool schemas, the /tools/* descriptions
// (docs/tools-openapi-3.1.yaml, tools-openapi-3.0.yaml,
// tools-swagger-2.0.json), the Bedrock function details and the AgentCore
// target schema all come from the Go values of internal/tools (tools.All
// and tools.Files), whose test compares each file in docs/ with what it
// generates.
package apispec

import (
	"bytes"
	"context"
	"fmt"
	"regexp"

	"github.com/getkin/kin-openapi/openapi3"
)

// Path is where the document lives, relative to the module root.
const Path = "docs/openapi.yaml"

// Load parses an OpenAPI document and validates it, examples included,
// under the rules of the version it declares.
func Load(ctx context.Context, data []byte) (*openapi3.T, error) {
	loader := openapi3.NewLoader()
	loader.Context = ctx
	doc, err := loader.LoadFromData(data)
	if err != nil {
		return nil, fmt.Errorf("apispec: load: %w", err)
	}
	if err := doc.Validate(ctx); err != nil {
		return nil, fmt.Errorf("apispec: validate OpenAPI %s: %w", doc.OpenAPI, err)
	}
	return doc, nil
}

// version31 matches the document's openapi field when it declares 3.1.
var version31 = regexp.MustCompile(`(?m)^openapi: *["']?3\.1\.\d+["']? *$`)

// As30 returns the OpenAPI 3.0.3 form of a 3.1 document written in the
// part of OpenAPI the two versions share: the same text with its openapi
// field changed, so comments and order stay as written. It returns an
// error if the document does not declare 3.1 on a line of its own. It
// does not translate 3.1-only constructs: validating the result says
// whether there were any.
func As30(doc []byte) ([]byte, error) {
	if n := len(version31.FindAllIndex(doc, -1)); n != 1 {
		return nil, fmt.Errorf("apispec: want one line declaring openapi: 3.1.x, found %d", n)
	}
	return version31.ReplaceAllLiteral(bytes.Clone(doc), []byte("openapi: 3.0.3")), nil
}

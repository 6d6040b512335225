package apispec_test

import (
	"context"
	"slices"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/sendsafely/chatbot-connector/internal/apispec"
)

// TestOperations holds the document to the contract's list of operations
// and answers: every status each route can answer, with the headers that
// come with it. Whether the handler's real answers match the schemas is
// internal/apigw's TestSpecConformance.
func TestOperations(t *testing.T) {
	doc, err := apispec.Load(context.Background(), source(t))
	if err != nil {
		t.Fatal(err)
	}
	type answers map[string][]string // status → headers that must come with it
	ops := []struct {
		path, operationID string
		anonymous         bool // no API token: authenticated otherwise, or not at all
		answers           answers
	}{
		{"/", "collectFiles", false, answers{
			"200": nil, "400": nil, "401": {"WWW-Authenticate"}, "404": nil, "405": {"Allow"},
			"413": nil, "500": nil, "503": {"Retry-After"},
		}},
		{"/webhook", "dropzoneNotification", true, answers{
			"200": nil, "400": nil, "401": nil, "404": nil, "405": {"Allow"}, "409": nil,
			"413": nil, "500": nil, "503": {"Retry-After"},
		}},
	}
	var paths []string
	for _, op := range ops {
		paths = append(paths, op.path)
	}
	if got := doc.Paths.InMatchingOrder(); !sameSet(got, paths) {
		t.Errorf("paths: got %v, want %v", got, paths)
	}
	for _, tt := range ops {
		t.Run(tt.operationID, func(t *testing.T) {
			item := doc.Paths.Value(tt.path)
			if item == nil {
				t.Fatalf("no path %s", tt.path)
			}
			if n := len(item.Operations()); n != 1 || item.Post == nil {
				t.Fatalf("%s: want POST as its only operation, got %d operations", tt.path, n)
			}
			op := item.Post
			if op.OperationID != tt.operationID || op.Summary == "" || op.Description == "" {
				t.Errorf("operationId %q, summary %q, description of %d bytes: want operationId %q and both texts",
					op.OperationID, op.Summary, len(op.Description), tt.operationID)
			}
			checkSecurity(t, doc, op, tt.anonymous)
			var statuses []string
			for status := range op.Responses.Map() {
				statuses = append(statuses, status)
			}
			want := make([]string, 0, len(tt.answers))
			for status := range tt.answers {
				want = append(want, status)
			}
			if !sameSet(statuses, want) {
				t.Errorf("statuses: got %v, want %v", sorted(statuses), sorted(want))
			}
			for status, headers := range tt.answers {
				resp := op.Responses.Value(status)
				if resp == nil {
					continue
				}
				if resp.Value.Content.Get("application/json") == nil {
					t.Errorf("%s: no application/json body", status)
				}
				for _, name := range headers {
					if h := resp.Value.Headers[name]; h == nil || !h.Value.Required {
						t.Errorf("%s: header %s is not declared as required", status, name)
					}
				}
			}
		})
	}
}

// checkSecurity checks the credentials op accepts: none for an anonymous
// operation, else the document's alternatives, bearer, x-api-key, basic
// or none (when no token is configured).
func checkSecurity(t *testing.T, doc *openapi3.T, op *openapi3.Operation, anonymous bool) {
	t.Helper()
	if anonymous {
		if op.Security == nil || len(*op.Security) != 0 {
			t.Errorf("security: want an empty list, which asks for no credential")
		}
		return
	}
	if op.Security != nil {
		t.Errorf("security: want the document's, got the operation's own")
	}
	var got []string
	for _, req := range doc.Security {
		if len(req) > 1 {
			t.Errorf("security requirement %v asks for several schemes at once", req)
		}
		name := ""
		for n := range req {
			name = n
		}
		got = append(got, name)
	}
	if want := []string{"bearer", "apiKey", "basic", ""}; !slices.Equal(got, want) {
		t.Errorf("security: got %q, want %q", got, want)
	}
	for name, want := range map[string]string{
		"bearer": "http bearer", "apiKey": "apiKey header x-api-key", "basic": "http basic",
	} {
		ref := doc.Components.SecuritySchemes[name]
		if ref == nil {
			t.Errorf("no security scheme %s", name)
			continue
		}
		s := ref.Value
		got := s.Type + " " + s.Scheme
		if s.Type == "apiKey" {
			got = s.Type + " " + s.In + " " + s.Name
		}
		if got != want {
			t.Errorf("security scheme %s: got %q, want %q", name, got, want)
		}
	}
}

func sameSet(a, b []string) bool { return slices.Equal(sorted(a), sorted(b)) }

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

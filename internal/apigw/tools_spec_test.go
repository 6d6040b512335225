package apigw_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi2"
	"github.com/getkin/kin-openapi/openapi2conv"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/tools"
)

// loadSpec loads one of the agent tools' OpenAPI files from docs/. The
// Swagger 2.0 file is converted to OpenAPI 3 by kin-openapi's openapi2conv,
// which keeps its schemas as they are; the 3.1 file is read as 3.1 (kin
// validates its schemas with a JSON Schema 2020-12 validator).
func loadToolsSpec(t *testing.T, name string) routers.Router {
	t.Helper()
	path := filepath.Join("..", "..", "docs", name)
	ctx := context.Background()
	var doc *openapi3.T
	if strings.HasSuffix(name, ".json") {
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var v2 openapi2.T
		if err := json.Unmarshal(raw, &v2); err != nil {
			t.Fatal(err)
		}
		if doc, err = openapi2conv.ToV3(&v2); err != nil {
			t.Fatal(err)
		}
	} else {
		var err error
		if doc, err = openapi3.NewLoader().LoadFromFile(path); err != nil {
			t.Fatal(err)
		}
	}
	if err := doc.Validate(ctx); err != nil {
		t.Fatalf("%s does not validate: %v", name, err)
	}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	return router
}

// TestToolsMatchTheirOpenAPI sends real requests through the handler and
// holds each answer to every OpenAPI file in docs/: the documented status,
// a body that validates against its schema. Each request is checked against
// the files too, so the examples here are what an agent would send.
func TestToolsMatchTheirOpenAPI(t *testing.T) {
	down := fmt.Errorf("%w: test: down", connector.ErrUnavailable)
	auth := map[string]string{"authorization": "Bearer " + fixtureToken, "content-type": "application/json"}
	cases := []struct {
		name, tool, body string
		state            int
		headers          map[string]string
		breakIt          func(*stack)
		status           int
	}{
		{"generate", "generate_upload_link", `{"email":"user@example.com","conversationId":"c-1"}`, empty, auth, nil, 200},
		{"generate with no input", "generate_upload_link", `{}`, empty, auth, nil, 200},
		{"generate bad conversation id", "generate_upload_link", `{"conversationId":"` + strings.Repeat("c", 257) + `"}`, empty, auth, nil, 400},
		{"generate without token", "generate_upload_link", `{}`, empty, map[string]string{"content-type": "application/json"}, nil, 401},
		{"pending", "get_secure_link", `{"uploadId":"` + fixtureID + `","email":"user@example.com"}`, open, auth, nil, 200},
		{"ready", "get_secure_link", `{"uploadId":"` + fixtureID + `","email":"user@example.com","wait":8}`, submitted, auth, nil, 200},
		{"unknown upload", "get_secure_link", `{"uploadId":"0b7f3c2e-9d4a-4e1b-8c6d-5a3f2e1d0c9b","email":"user@example.com"}`, open, auth, nil, 404},
		{"store down", "get_secure_link", `{"uploadId":"` + fixtureID + `","email":"user@example.com"}`, open, auth, func(s *stack) { s.store.Err = down }, 503},
	}
	for _, spec := range []string{"tools-openapi-3.0.yaml", "tools-openapi-3.1.yaml", "tools-swagger-2.0.json"} {
		t.Run(spec, func(t *testing.T) {
			router := loadToolsSpec(t, spec)
			for _, tt := range cases {
				t.Run(tt.name, func(t *testing.T) {
					s := newStack(t)
					s.keys.Set(connector.KeySet{ValidationKey: fixtureKey, APIToken: fixtureToken})
					if tt.state >= open {
						if _, err := s.svc.GenerateID(context.Background(), connector.GenerateRequest{Email: fixtureEmail}); err != nil {
							t.Fatal(err)
						}
					}
					if tt.state >= submitted {
						if resp := s.invoke(t, readEvent(t, "webhook.json")); resp.StatusCode != 200 {
							t.Fatalf("setup webhook: %d %s", resp.StatusCode, resp.Body)
						}
					}
					if tt.breakIt != nil {
						tt.breakIt(s)
					}
					resp := s.invoke(t, event("POST", "/tools/"+tt.tool, tt.body, tt.headers))
					if resp.StatusCode != tt.status {
						t.Fatalf("status %d, want %d: %s", resp.StatusCode, tt.status, resp.Body)
					}

					req, err := http.NewRequest("POST", "https://your-api-id.execute-api.us-east-1.amazonaws.com/tools/"+tt.tool, strings.NewReader(tt.body))
					if err != nil {
						t.Fatal(err)
					}
					for k, v := range tt.headers {
						req.Header.Set(k, v)
					}
					route, params, err := router.FindRoute(req)
					if err != nil {
						t.Fatalf("%s has no route for the request: %v", spec, err)
					}
					in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
						Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}}
					if tt.status != 400 {
						if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
							t.Errorf("the request does not match %s: %v", spec, err)
						}
					}
					header := http.Header{}
					for k, v := range resp.Headers {
						header.Set(k, v)
					}
					out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: resp.StatusCode, Header: header,
						Options: &openapi3filter.Options{IncludeResponseStatus: true}}
					out.SetBodyBytes(bytes.Clone([]byte(resp.Body)))
					if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
						t.Errorf("the answer does not match %s: %v\n%s", spec, err, resp.Body)
					}
				})
			}
		})
	}
}

// TestToolLimitsAreTheService: the limits the tool schemas document are
// the ones the service enforces (internal/tools imports nothing of ours, so
// it states them again).
func TestToolLimitsAreTheService(t *testing.T) {
	link, _ := tools.Lookup(tools.GetSecureLink)
	if w := link.Input.Property("wait"); w == nil || w.Maximum == nil || *w.Maximum != connector.MaxWait.Seconds() {
		t.Errorf("get_secure_link documents wait up to %v, the service allows %v", w, connector.MaxWait.Seconds())
	}
	gen, _ := tools.Lookup(tools.GenerateUploadLink)
	if c := gen.Input.Property("conversationId"); c == nil || c.MaxLength != connector.MaxConversationID {
		t.Errorf("generate_upload_link documents conversationId up to %v, the service allows %d", c, connector.MaxConversationID)
	}
}

package apigw_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"github.com/sendsafely/chatbot-connector/internal/apigw"
	"github.com/sendsafely/chatbot-connector/internal/apispec"
)

// loadSpec loads docs/openapi.yaml.
func loadSpec(t *testing.T) *openapi3.T {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", filepath.FromSlash(apispec.Path)))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := apispec.Load(context.Background(), b)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// specOptions make openapi3filter fail an answer whose status the spec
// does not list.
var specOptions = &openapi3filter.Options{IncludeResponseStatus: true, AuthenticationFunc: credentialPresent}

// credentialPresent tells openapi3filter whether the request carries a
// credential in the form of the security scheme. Whether it is the right
// token is the handler's business.
func credentialPresent(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	h, s := in.RequestValidationInput.Request.Header, in.SecurityScheme
	switch s.Type {
	case "apiKey":
		if s.In == "header" && h.Get(s.Name) != "" {
			return nil
		}
	case "http":
		if scheme, _, _ := strings.Cut(h.Get("Authorization"), " "); strings.EqualFold(scheme, s.Scheme) {
			return nil
		}
	}
	return fmt.Errorf("no %s credential", in.SecuritySchemeName)
}

// checkAgainstSpec checks the request of the event raw, and the handler's
// answer resp, against the spec's POST operation of the request's path; it
// returns that path. A request by another method is refused by the
// handler with 405, which the POST operation documents. fits says whether
// the request is to fit the request schema.
func checkAgainstSpec(t *testing.T, doc *openapi3.T, raw []byte, resp apigw.Response, fits bool) string {
	t.Helper()
	req, path := httpRequest(t, raw)
	in := requestInput(t, doc, req, path)
	if req.Method != http.MethodPost {
		if fits {
			t.Errorf("a %s request cannot fit the spec, which describes POST only", req.Method)
		}
	} else if err := openapi3filter.ValidateRequest(context.Background(), in); fits && err != nil {
		t.Errorf("the request does not fit the spec: %v", err)
	} else if !fits && err == nil {
		t.Errorf("the request fits the spec, but the case says it does not")
	}
	if err := validateResponse(in, resp); err != nil {
		t.Errorf("the answer does not match the spec: %v\nheaders: %v", err, resp.Headers)
	}
	return path
}

// validateAnswer validates the answer resp to the event raw against the
// spec, and returns what is wrong with it.
func validateAnswer(t *testing.T, doc *openapi3.T, raw []byte, resp apigw.Response) error {
	t.Helper()
	req, path := httpRequest(t, raw)
	return validateResponse(requestInput(t, doc, req, path), resp)
}

// requestInput returns the validation input of req, routed to the POST
// operation of path.
func requestInput(t *testing.T, doc *openapi3.T, req *http.Request, path string) *openapi3filter.RequestValidationInput {
	t.Helper()
	item := doc.Paths.Value(path)
	if item == nil || item.Post == nil {
		t.Fatalf("the spec has no POST %s", path)
	}
	route := &routers.Route{Spec: doc, Path: path, PathItem: item, Method: http.MethodPost, Operation: item.Post}
	return &openapi3filter.RequestValidationInput{Request: req, Route: route, Options: specOptions}
}

func validateResponse(in *openapi3filter.RequestValidationInput, resp apigw.Response) error {
	header := http.Header{}
	for k, v := range resp.Headers {
		header.Set(k, v)
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: resp.StatusCode, Header: header, Options: specOptions}
	out.SetBodyBytes([]byte(resp.Body))
	return openapi3filter.ValidateResponse(context.Background(), out)
}

// httpRequest returns the HTTP request an event stands for, as the client
// sent it to the local server of the spec, and the path the handler
// routes on: without an API Gateway stage or a trailing slash.
func httpRequest(t *testing.T, raw []byte) (*http.Request, string) {
	t.Helper()
	var ev apigw.Event
	if err := json.Unmarshal(raw, &ev); err != nil {
		t.Fatal(err)
	}
	method, path := ev.RequestContext.HTTP.Method, ev.RawPath
	if method == "" { // REST API, whose path has no stage
		method, path = ev.HTTPMethod, ev.Path
	} else if st := ev.RequestContext.Stage; st != "" && st != "$default" {
		path = strings.TrimPrefix(path, "/"+st)
	}
	if path = strings.TrimRight(path, "/"); path == "" {
		path = "/"
	}
	body := []byte(ev.Body)
	if ev.IsBase64Encoded {
		var err error
		if body, err = base64.StdEncoding.DecodeString(ev.Body); err != nil {
			t.Fatal(err)
		}
	}
	req, err := http.NewRequestWithContext(t.Context(), method, "http://127.0.0.1:8080"+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, vs := range ev.MultiValueHeaders {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	for k, v := range ev.Headers { // a REST API event has both; they agree
		req.Header.Set(k, v)
	}
	return req, path
}

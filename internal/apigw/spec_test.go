package apigw_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/sendsafely/chatbot-connector/internal/apigw"
	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// eventFits says whether the request of each event file fits the request
// schema of docs/openapi.yaml. generateId-function-url.json does not, yet
// is answered 200: field names and the action match in any case, and the
// spec shows only their canonical spelling.
var eventFits = map[string]bool{
	"generateId.json":              true,
	"generateId-rest.json":         true,
	"generateId-function-url.json": false,
	"generateId-stage.json":        true,
	"getLink.json":                 true,
	"getLink-wait.json":            true,
	"getLink-unknown.json":         true,
	"getLink-missing-email.json":   false,
	"chat-malformed-json.json":     false,
	"chat-unknown-action.json":     false,
	"chat-no-action.json":          false,
	"chat-wrong-method.json":       false,
	"webhook-wrong-method.json":    false,
	"chat-bearer.json":             true,
	"chat-basic.json":              true,
	"chat-x-api-key.json":          true,
	"webhook.json":                 true,
	"webhook-json.json":            true,
	"webhook-rest.json":            true,
	"webhook-forged.json":          true,
}

// eventsOutsideSpec are the event files that reach no operation of the
// spec, and why. The test checks that the spec indeed has none for them.
var eventsOutsideSpec = map[string]string{
	"chat-unknown-path.json": "an unknown path",
	"webhook-preflight.json": "a CORS preflight, which API Gateway answers itself in the deployed stack",
	"chat-preflight.json":    "a CORS preflight, which API Gateway answers itself in the deployed stack",
}

// outsideSpec reports whether an event file reaches no operation of
// docs/openapi.yaml, and why: the ones listed above, and the agent routes,
// which the tools' own documents (tools_spec_test.go) and the MCP protocol
// describe.
func outsideSpec(name string) (string, bool) {
	switch {
	case strings.HasPrefix(name, "tools-"):
		return "a /tools route, described by docs/tools-openapi-*.yaml", true
	case strings.HasPrefix(name, "mcp-"):
		return "the MCP endpoint, described by the MCP protocol", true
	}
	why, ok := eventsOutsideSpec[name]
	return why, ok
}

// specCase is one request replayed through the handler and checked
// against the spec.
type specCase struct {
	name    string
	start   eventCase    // starting state and token
	breakIt func(*stack) // makes a dependency fail; nil for none
	buggy   bool         // serve with brokenService, whose every call fails as a bug would
	raw     func(t *testing.T) []byte
	fits    bool // whether the request fits the spec's request schema
}

// TestSpecConformance replays every event file and the requests that
// provoke the remaining answers (401, 409, 413, 500, 503, ...) through the
// handler, and checks each request and each answer, status, headers and
// body, against docs/openapi.yaml with kin-openapi's openapi3filter. The
// spec is OpenAPI 3.1, which openapi3filter validates with a JSON Schema
// 2020-12 validator. Every answer the spec documents must be seen.
func TestSpecConformance(t *testing.T) {
	doc := loadSpec(t)
	seen := map[string]map[int]bool{}
	for _, tt := range specCases(t, doc) {
		t.Run(tt.name, func(t *testing.T) {
			var s *stack
			if tt.buggy {
				s = &stack{h: apigw.New(brokenService{}, apigw.Options{})}
			} else {
				s = newEventStack(t, tt.start)
			}
			if tt.breakIt != nil {
				tt.breakIt(s)
			}
			raw := tt.raw(t)
			resp := s.invoke(t, raw)
			path := checkAgainstSpec(t, doc, raw, resp, tt.fits)
			if seen[path] == nil {
				seen[path] = map[int]bool{}
			}
			seen[path][resp.StatusCode] = true
		})
	}
	for path, item := range doc.Paths.Map() {
		if item.Post == nil {
			continue
		}
		for status := range item.Post.Responses.Map() {
			code, _ := strconv.Atoi(status)
			if !seen[path][code] {
				t.Errorf("POST %s %s: documented, but no case was answered with it", path, status)
			}
		}
	}
}

// specCases returns a case for every event file that reaches an
// operation of the spec, then the cases for the answers that no event
// file provokes.
func specCases(t *testing.T, doc *openapi3.T) []specCase {
	var cases []specCase
	for _, name := range eventFiles(t) {
		if why, ok := outsideSpec(name); ok {
			req, path := httpRequest(t, readEvent(t, name))
			if item := doc.Paths.Value(path); item != nil && item.GetOperation(req.Method) != nil {
				t.Errorf("%s is said to be outside the spec (%s), but the spec has %s %s", name, why, req.Method, path)
			}
			continue
		}
		fits, ok := eventFits[name]
		if !ok {
			t.Errorf("%s: say in eventFits whether its request fits the spec, or in eventsOutsideSpec why it is outside", name)
			continue
		}
		cases = append(cases, specCase{name: strings.TrimSuffix(name, ".json"), start: eventCases[name], fits: fits,
			raw: func(t *testing.T) []byte { return readEvent(t, name) }})
	}
	down := fmt.Errorf("%w: test: down", connector.ErrUnavailable)
	generate := func(*testing.T) []byte { return event("POST", "/", `{"action":"generateId"}`, jsonCT) }
	notice := func(t *testing.T) []byte { return readEvent(t, "webhook.json") }
	form := map[string]string{"content-type": "application/x-www-form-urlencoded"}
	changedNotice := func(change func(url.Values)) func(t *testing.T) []byte {
		return func(t *testing.T) []byte {
			v := webhookForm(t)
			change(v)
			return event("POST", "/webhook", v.Encode(), form)
		}
	}
	return append(cases, []specCase{
		{name: "chat without the configured token", start: eventCase{state: empty, token: fixtureToken}, raw: generate, fits: true},
		{name: "chat over 64 KiB", raw: func(*testing.T) []byte {
			return event("POST", "/", `{"action":"generateId","pad":"`+strings.Repeat("x", apigw.MaxBody)+`"}`, jsonCT)
		}, fits: true},
		{name: "chat with the table down", breakIt: func(s *stack) { s.store.Err = down }, raw: generate, fits: true},
		{name: "chat with the secret unreadable", breakIt: func(s *stack) { s.keys.Fail(errors.New("access denied")) }, raw: generate, fits: true},
		{name: "chat hitting a bug", buggy: true, raw: generate, fits: true},
		{name: "webhook for an unknown upload", raw: notice, fits: true},
		{name: "webhook with a link for another package", start: eventCase{state: open}, raw: changedNotice(func(v url.Values) {
			v.Set("secureLink", strings.Replace(v.Get("secureLink"), "ABCD-1234", "WXYZ-9876", 1))
		}), fits: true},
		{name: "webhook with another link for a stored package", start: eventCase{state: submitted}, raw: changedNotice(func(v url.Values) {
			v.Set("secureLink", strings.Replace(v.Get("secureLink"), "keyCode=", "keyCode=x", 1))
		}), fits: true},
		{name: "webhook by PUT", raw: func(*testing.T) []byte { return event("PUT", "/webhook", "", form) }, fits: false},
		{name: "webhook over 64 KiB", raw: func(*testing.T) []byte {
			body := "data=" + strings.Repeat("A", apigw.MaxBody) + "&digest=AAAA&secureLink=https%3A%2F%2Facme.sendsafely.com%2Freceive%2F"
			return event("POST", "/webhook", body, form)
		}, fits: true},
		{name: "webhook with the topic down", start: eventCase{state: open}, breakIt: func(s *stack) { s.pub.Err = down }, raw: notice, fits: true},
		{name: "webhook hitting a bug", buggy: true, raw: notice, fits: true},
	}...)
}

// TestSpecCatchesShapeChanges changes real answers the way a careless
// edit of the handler would, and checks that the spec refuses each: the
// conformance test can fail.
func TestSpecCatchesShapeChanges(t *testing.T) {
	doc := loadSpec(t)
	file := func(name string) func(*testing.T) []byte {
		return func(t *testing.T) []byte { return readEvent(t, name) }
	}
	rename := func(from, to string) func(*apigw.Response) {
		return func(r *apigw.Response) { r.Body = strings.Replace(r.Body, `"`+from+`":`, `"`+to+`":`, 1) }
	}
	replace := func(from, to string) func(*apigw.Response) {
		return func(r *apigw.Response) { r.Body = strings.Replace(r.Body, from, to, 1) }
	}
	for _, tt := range []struct {
		name    string
		start   eventCase
		breakIt func(*stack)
		raw     func(*testing.T) []byte
		change  func(*apigw.Response)
	}{
		{"generateId field renamed", eventCase{}, nil, file("generateId.json"), rename("UploadId", "UploadID")},
		{"generateId field dropped", eventCase{}, nil, file("generateId.json"), replace(`,"ExpiresAt":"2026-11-22T08:01:00Z"`, "")},
		{"getLink links not a list", eventCase{state: submitted}, nil, file("getLink.json"), func(r *apigw.Response) {
			var m map[string]any
			_ = json.Unmarshal([]byte(r.Body), &m)
			m["SecureLinks"] = m["SecureLink"]
			b, _ := json.Marshal(m)
			r.Body = string(b)
		}},
		{"Pending spelt otherwise", eventCase{state: open}, nil, file("getLink-wait.json"), replace(`"Pending"`, `"pending"`)},
		{"Pending without its message", eventCase{state: open}, nil, file("getLink-wait.json"), func(r *apigw.Response) {
			r.Body = `{"Result":"Pending","Message":""}`
		}},
		{"error code of another status", eventCase{state: open}, nil, file("getLink-unknown.json"), replace(`"NotFound"`, `"InvalidRequest"`)},
		{"status the spec does not list", eventCase{state: open}, nil, file("getLink-unknown.json"), func(r *apigw.Response) { r.StatusCode = 410 }},
		{"Allow missing from a 405", eventCase{}, nil, file("chat-wrong-method.json"), func(r *apigw.Response) { delete(r.Headers, "Allow") }},
		{"Retry-After missing from a 503", eventCase{}, func(s *stack) { s.store.Err = connector.ErrUnavailable },
			func(*testing.T) []byte { return event("POST", "/", `{"action":"generateId"}`, jsonCT) },
			func(r *apigw.Response) { delete(r.Headers, "Retry-After") }},
		{"not JSON", eventCase{}, nil, file("generateId.json"), func(r *apigw.Response) { r.Headers["Content-Type"] = "text/plain" }},
		{"webhook in the chatbot API's shape", eventCase{state: open}, nil, file("webhook.json"), func(r *apigw.Response) { r.Body = `{"Result":"Success"}` }},
		{"webhook error field renamed", eventCase{state: open}, nil, file("webhook-forged.json"), rename("error", "message")},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := newEventStack(t, tt.start)
			if tt.breakIt != nil {
				tt.breakIt(s)
			}
			raw := tt.raw(t)
			resp := s.invoke(t, raw)
			if err := validateAnswer(t, doc, raw, resp); err != nil {
				t.Fatalf("the real answer does not match the spec: %v", err)
			}
			tt.change(&resp)
			if err := validateAnswer(t, doc, raw, resp); err == nil {
				t.Errorf("the spec accepts the changed answer %d %v %s", resp.StatusCode, resp.Headers, resp.Body)
			}
		})
	}
}

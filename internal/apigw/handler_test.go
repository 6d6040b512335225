package apigw_test

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/sendsafely/chatbot-connector/internal/apigw"
	"github.com/sendsafely/chatbot-connector/internal/connector"
)

var jsonCT = map[string]string{"content-type": "application/json"}

func TestBodyLimits(t *testing.T) {
	big := `{"action":"generateId","pad":"` + strings.Repeat("x", apigw.MaxBody) + `"}`
	atLimit := `{"action":"generateId","pad":"` + strings.Repeat("x", apigw.MaxBody-32) + `"}`
	for _, tt := range []struct {
		name   string
		raw    []byte
		status int
		shape  string // "chat" or "webhook" error body
	}{
		{"chat over 64 KiB", event("POST", "/", big, jsonCT), 413, "chat"},
		{"chat at 64 KiB", event("POST", "/", atLimit, jsonCT), 200, ""},
		{"webhook over 64 KiB", event("POST", "/webhook", big, nil), 413, "webhook"},
		{"base64 over 64 KiB", b64Event("/", big), 413, "chat"},
		{"base64 not base64", b64EventRaw("/", "%%%"), 400, "chat"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if len(atLimit) != apigw.MaxBody {
				t.Fatalf("test body is %d bytes, want exactly %d", len(atLimit), apigw.MaxBody)
			}
			s := newStack(t)
			resp := s.invoke(t, tt.raw)
			if resp.StatusCode != tt.status {
				t.Fatalf("status: got %d, want %d (%s)", resp.StatusCode, tt.status, resp.Body)
			}
			checkErrorShape(t, resp, tt.shape)
		})
	}
}

func b64Event(path, body string) []byte {
	return b64EventRaw(path, base64.StdEncoding.EncodeToString([]byte(body)))
}

func b64EventRaw(path, encoded string) []byte {
	return []byte(fmt.Sprintf(`{"version":"2.0","rawPath":%q,"body":%q,"isBase64Encoded":true,"requestContext":{"http":{"method":"POST"}}}`, path, encoded))
}

// checkErrorShape checks the error body of a route: the chatbot API's
// {Result, Error, Message} or the webhook's {result, error}.
func checkErrorShape(t *testing.T, resp apigw.Response, shape string) {
	t.Helper()
	m := body(t, resp)
	switch shape {
	case "chat":
		if m["Result"] != "Error" || m["Error"] == "" || m["Message"] == "" {
			t.Errorf("chat error body: %s", resp.Body)
		}
	case "webhook":
		if m["result"] != "error" || m["error"] == "" {
			t.Errorf("webhook error body: %s", resp.Body)
		}
	}
}

func TestAuth(t *testing.T) {
	basic := func(user, pass string) string {
		return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+pass))
	}
	for _, tt := range []struct {
		name    string
		headers map[string]string
		status  int
	}{
		{"bearer", map[string]string{"authorization": "Bearer " + fixtureToken}, 200},
		{"bearer lower case scheme", map[string]string{"authorization": "bearer " + fixtureToken}, 200},
		{"x-api-key", map[string]string{"x-api-key": fixtureToken}, 200},
		{"basic password", map[string]string{"authorization": basic("anyone", fixtureToken)}, 200},
		{"basic token as user name", map[string]string{"authorization": basic(fixtureToken, "")}, 401},
		{"wrong bearer", map[string]string{"authorization": "Bearer nope"}, 401},
		{"wrong key, right bearer", map[string]string{"authorization": "Bearer " + fixtureToken, "x-api-key": "nope"}, 200},
		{"none", nil, 401},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := newStack(t)
			s.keys.Set(connector.KeySet{ValidationKey: fixtureKey, APIToken: fixtureToken})
			resp := s.invoke(t, event("POST", "/", `{"action":"generateId"}`, tt.headers))
			if resp.StatusCode != tt.status {
				t.Fatalf("status: got %d, want %d", resp.StatusCode, tt.status)
			}
			if tt.status == 401 {
				checkErrorShape(t, resp, "chat")
				if body(t, resp)["Error"] != "Unauthorized" || resp.Headers["WWW-Authenticate"] == "" {
					t.Errorf("401 without Unauthorized code or WWW-Authenticate: %v %s", resp.Headers, resp.Body)
				}
				if len(s.store.Records()) != 0 {
					t.Error("an unauthorized call stored an upload")
				}
			}
		})
	}
}

// TestWebhookNeedsNoToken: the upload page cannot hold the API token; the
// webhook is authenticated by its digest alone.
func TestWebhookNeedsNoToken(t *testing.T) {
	s := newStack(t)
	s.keys.Set(connector.KeySet{ValidationKey: fixtureKey, APIToken: fixtureToken})
	if _, err := s.svc.GenerateID(context.Background(), connector.GenerateRequest{Email: fixtureEmail}); err != nil {
		t.Fatal(err)
	}
	if resp := s.invoke(t, readEvent(t, "webhook.json")); resp.StatusCode != 200 {
		t.Fatalf("got %d %s", resp.StatusCode, resp.Body)
	}
}

func TestDependencyDown(t *testing.T) {
	down := fmt.Errorf("%w: test: down", connector.ErrUnavailable)
	for _, tt := range []struct {
		name    string
		breakIt func(s *stack)
		raw     func(t *testing.T) []byte
		shape   string
	}{
		{"secret unreadable on chat", func(s *stack) { s.keys.Fail(errors.New("access denied")) },
			func(*testing.T) []byte { return event("POST", "/", `{"action":"generateId"}`, nil) }, "chat"},
		{"store down on generateId", func(s *stack) { s.store.Err = down },
			func(*testing.T) []byte { return event("POST", "/", `{"action":"generateId"}`, nil) }, "chat"},
		{"store down on getLink", func(s *stack) { s.store.Err = down },
			func(t *testing.T) []byte { return readEvent(t, "getLink.json") }, "chat"},
		{"secret unreadable on webhook", func(s *stack) { s.keys.Fail(errors.New("access denied")) },
			func(t *testing.T) []byte { return readEvent(t, "webhook.json") }, "webhook"},
		{"topic down on webhook", func(s *stack) { s.pub.Err = down },
			func(t *testing.T) []byte { return readEvent(t, "webhook.json") }, "webhook"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := newStack(t)
			if _, err := s.svc.GenerateID(context.Background(), connector.GenerateRequest{Email: fixtureEmail}); err != nil {
				t.Fatal(err)
			}
			tt.breakIt(s)
			resp := s.invoke(t, tt.raw(t))
			if resp.StatusCode != 503 || resp.Headers["Retry-After"] == "" {
				t.Fatalf("got %d, Retry-After %q; want 503 with Retry-After", resp.StatusCode, resp.Headers["Retry-After"])
			}
			checkErrorShape(t, resp, tt.shape)
			if strings.Contains(resp.Body, "test: down") || strings.Contains(resp.Body, "access denied") {
				t.Errorf("internal error text in the body: %s", resp.Body)
			}
		})
	}
}

// brokenService fails every call with an error of no kind: a bug.
type brokenService struct{}

var errBug = errors.New("nil pointer somewhere deep inside")

func (brokenService) Authorize(context.Context, ...connector.Secret) error { return nil }
func (brokenService) GenerateID(context.Context, connector.GenerateRequest) (connector.Upload, error) {
	return connector.Upload{}, errBug
}
func (brokenService) GetLink(context.Context, connector.LinkRequest) (connector.LinkResult, error) {
	return connector.LinkResult{}, errBug
}
func (brokenService) Notify(context.Context, connector.Notice) (connector.Receipt, error) {
	return connector.Receipt{}, errBug
}
func (brokenService) UploadPage(context.Context, string) (connector.Link, error) { return "", errBug }

func TestInternalErrorHidesItsText(t *testing.T) {
	h := apigw.New(brokenService{}, apigw.Options{})
	s := &stack{h: h}
	for _, raw := range [][]byte{event("POST", "/", `{"action":"generateId"}`, nil), event("POST", "/webhook", "data=x&digest=y", nil)} {
		resp := s.invoke(t, raw)
		if resp.StatusCode != 500 {
			t.Fatalf("got %d, want 500", resp.StatusCode)
		}
		if strings.Contains(resp.Body, "nil pointer") {
			t.Errorf("internal text in body: %s", resp.Body)
		}
	}
}

func TestWebhookAnswers(t *testing.T) {
	s := newStack(t)
	if _, err := s.svc.GenerateID(context.Background(), connector.GenerateRequest{Email: fixtureEmail}); err != nil {
		t.Fatal(err)
	}
	form := webhookForm(t)
	for _, tt := range []struct {
		name   string
		mod    func(url.Values)
		status int
	}{
		{"accepted", func(url.Values) {}, 200},
		{"repeat", func(url.Values) {}, 200},
		{"other link for the package", func(v url.Values) {
			v.Set("secureLink", strings.Replace(v.Get("secureLink"), "keyCode=", "keyCode=x", 1))
		}, 409},
		{"link for another package", func(v url.Values) {
			v.Set("secureLink", strings.Replace(v.Get("secureLink"), "ABCD-1234", "WXYZ-9876", 1))
		}, 400},
		{"no digest", func(v url.Values) { v.Del("digest") }, 401},
		{"empty body", func(v url.Values) { v.Del("digest"); v.Del("data"); v.Del("secureLink") }, 401},
		{"wrong method", nil, 405},
	} {
		t.Run(tt.name, func(t *testing.T) {
			method := "POST"
			v := url.Values{}
			for k, vs := range form {
				v[k] = append([]string(nil), vs...)
			}
			if tt.mod == nil {
				method = "PUT"
			} else {
				tt.mod(v)
			}
			resp := s.invoke(t, event(method, "/webhook", v.Encode(), map[string]string{"content-type": "application/x-www-form-urlencoded"}))
			if resp.StatusCode != tt.status {
				t.Fatalf("got %d %s, want %d", resp.StatusCode, resp.Body, tt.status)
			}
			if tt.status != 200 {
				checkErrorShape(t, resp, "webhook")
			}
		})
	}
	if n := len(s.pub.Events()); n != 1 {
		t.Errorf("events: got %d, want 1", n)
	}
}

// webhookForm returns the form of testdata/events/webhook.json.
func webhookForm(t *testing.T) url.Values {
	t.Helper()
	var ev apigw.Event
	if err := jsonUnmarshal(readEvent(t, "webhook.json"), &ev); err != nil {
		t.Fatal(err)
	}
	v, err := url.ParseQuery(ev.Body)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestCORS(t *testing.T) {
	for _, tt := range []struct {
		name, origin, want string
	}{
		{"upload page", "https://files.sendsafely.com", "https://files.sendsafely.com"},
		{"sendsafely host", "https://acme.sendsafely.com", "https://acme.sendsafely.com"},
		{"other origin", "https://evil.example", ""},
		{"no origin", "", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := newStack(t)
			h := map[string]string{"origin": tt.origin}
			for _, raw := range [][]byte{event("POST", "/webhook", "", h), event("OPTIONS", "/", "", h), event("POST", "/", "{}", h)} {
				resp := s.invoke(t, raw)
				if got := resp.Headers["Access-Control-Allow-Origin"]; got != tt.want {
					t.Errorf("Access-Control-Allow-Origin: got %q, want %q", got, tt.want)
				}
			}
		})
	}
}

func TestRequestDecoding(t *testing.T) {
	for _, tt := range []struct {
		name, body string
		status     int
		msg        string
	}{
		{"field names any case", `{"ACTION":"generateId","EMAIL":"a@b.example"}`, 200, ""},
		{"action any case", `{"action":"GetLink","uploadId":"8e2b1c7e-2f0a-4a57-9d83-6c1f1d0c9a4e","email":"user@example.com"}`, 200, ""},
		{"wait as string", `{"action":"getLink","uploadId":"8e2b1c7e-2f0a-4a57-9d83-6c1f1d0c9a4e","email":"user@example.com","wait":"0"}`, 200, ""},
		{"wait out of range", `{"action":"getLink","uploadId":"8e2b1c7e-2f0a-4a57-9d83-6c1f1d0c9a4e","email":"user@example.com","wait":26}`, 400, "wait"},
		{"wait not a number", `{"action":"getLink","uploadId":"8e2b1c7e-2f0a-4a57-9d83-6c1f1d0c9a4e","email":"user@example.com","wait":"soon"}`, 400, "wait"},
		{"email a number", `{"action":"generateId","email":5}`, 400, "email"},
		{"action a number", `{"action":5}`, 400, "action"},
		{"array body", `[{"action":"generateId"}]`, 400, "JSON object"},
		{"empty body", ``, 400, "JSON object"},
		{"null body", `null`, 400, "JSON object"},
		{"form body", `action=generateId`, 400, "JSON object"},
		{"conversationId too long", `{"action":"generateId","conversationId":"` + strings.Repeat("c", 257) + `"}`, 400, "conversationId"},
		{"listFiles", `{"action":"listFiles","uploadId":"8e2b1c7e-2f0a-4a57-9d83-6c1f1d0c9a4e","email":"user@example.com"}`, 200, ""},
		{"listFiles wrong email", `{"action":"listFiles","uploadId":"8e2b1c7e-2f0a-4a57-9d83-6c1f1d0c9a4e","email":"other@example.com"}`, 404, "No upload"},
		{"readFile wrong email", `{"action":"readFile","uploadId":"8e2b1c7e-2f0a-4a57-9d83-6c1f1d0c9a4e","email":"other@example.com","fileId":"F1"}`, 404, "No upload"},
		{"readFile unknown file", `{"action":"readFile","uploadId":"8e2b1c7e-2f0a-4a57-9d83-6c1f1d0c9a4e","email":"user@example.com","fileId":"F1"}`, 200, ""},
		{"readFile without fileId", `{"action":"readFile","uploadId":"8e2b1c7e-2f0a-4a57-9d83-6c1f1d0c9a4e","email":"user@example.com"}`, 400, "fileId"},
		{"readFile maxChars over the limit", `{"action":"readFile","uploadId":"8e2b1c7e-2f0a-4a57-9d83-6c1f1d0c9a4e","email":"user@example.com","fileId":"F1","maxChars":100001}`, 400, "maxChars"},
		{"malformed upload id", `{"action":"getLink","uploadId":"../../etc","email":"user@example.com"}`, 400, "uploadId"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := newStack(t)
			if _, err := s.svc.GenerateID(context.Background(), connector.GenerateRequest{Email: fixtureEmail}); err != nil {
				t.Fatal(err)
			}
			resp := s.invoke(t, event("POST", "/", tt.body, map[string]string{"content-type": "text/plain"}))
			if resp.StatusCode != tt.status {
				t.Fatalf("got %d %s, want %d", resp.StatusCode, resp.Body, tt.status)
			}
			if tt.msg != "" && !strings.Contains(body(t, resp)["Message"].(string), tt.msg) {
				t.Errorf("message %q does not name %q", body(t, resp)["Message"], tt.msg)
			}
		})
	}
}

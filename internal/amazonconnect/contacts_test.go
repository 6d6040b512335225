package amazonconnect_test

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/google/go-cmp/cmp"

	"github.com/sendsafely/chatbot-connector/internal/amazonconnect"
	"github.com/sendsafely/chatbot-connector/internal/connector"
)

const (
	instanceID = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
	contactID  = "9a8b7c6d-5e4f-4031-9283-7a6b5c4d3e2f"
	contactARN = "arn:aws:connect:eu-west-2:123456789012:instance/" + instanceID + "/contact/" + contactID
	testLink   = connector.Link("https://acme.sendsafely.com/receive/?thread=PKG-1&packageCode=c#keyCode=k")
)

// request is an UpdateContact call as the endpoint received it.
type request struct {
	Method, Path, Auth string
	Body               map[string]any
}

// endpoint plays the Amazon Connect endpoint for UpdateContact: it records
// each request and answers with its status and error type (200 with an
// empty result when status is 0).
type endpoint struct {
	mu        sync.Mutex
	got       []request
	status    int
	errorType string
}

func (e *endpoint) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	raw, _ := io.ReadAll(r.Body)
	var body map[string]any
	if err := json.Unmarshal(raw, &body); err != nil {
		body = map[string]any{"unparsable": string(raw)}
	}
	e.mu.Lock()
	e.got = append(e.got, request{Method: r.Method, Path: r.URL.EscapedPath(), Auth: r.Header.Get("Authorization"), Body: body})
	status, errorType := e.status, e.errorType
	e.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	if status == 0 {
		w.Write([]byte("{}"))
		return
	}
	if errorType != "" {
		w.Header().Set("X-Amzn-ErrorType", errorType)
	}
	w.WriteHeader(status)
	w.Write([]byte(`{"Message":"the service says no to ` + string(testLink) + `"}`))
}

func (e *endpoint) requests() []request {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]request(nil), e.got...)
}

// client is the real SDK client pointed at url, in another region than the
// contact's, without retries so that each call is one request.
func client(url string) *connect.Client {
	return connect.New(connect.Options{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDTEST", "secret", ""),
		BaseEndpoint: aws.String(url),
		Retryer:      aws.NopRetryer{},
		HTTPClient:   &http.Client{Timeout: 5 * time.Second},
	})
}

// TestAttachLinkRequest asserts the exact request the SDK sends.
func TestAttachLinkRequest(t *testing.T) {
	ep := &endpoint{}
	srv := httptest.NewServer(ep)
	defer srv.Close()
	if err := amazonconnect.New(client(srv.URL)).AttachLink(t.Context(), contactARN, testLink, ""); err != nil {
		t.Fatalf("AttachLink: %v", err)
	}
	got := ep.requests()
	if len(got) != 1 {
		t.Fatalf("got %d requests, want 1", len(got))
	}
	if got[0].Method != http.MethodPost || got[0].Path != "/contacts/"+instanceID+"/"+contactID {
		t.Errorf("got %s %s, want POST /contacts/%s/%s", got[0].Method, got[0].Path, instanceID, contactID)
	}
	want := map[string]any{"References": map[string]any{
		"Secure upload": map[string]any{"Type": "URL", "Value": string(testLink)},
	}}
	if diff := cmp.Diff(want, got[0].Body); diff != "" {
		t.Errorf("body (-want +got):\n%s", diff)
	}
	// Signed for Amazon Connect in the contact's region, whatever the
	// client's own.
	if !strings.Contains(got[0].Auth, "/eu-west-2/connect/aws4_request") {
		t.Errorf("got Authorization %q, want a SigV4 scope for connect in eu-west-2", got[0].Auth)
	}
}

func TestAttachLinkErrors(t *testing.T) {
	for _, tt := range []struct {
		name      string
		status    int
		errorType string
		want      error
	}{
		{"contact not found", 404, "ResourceNotFoundException", connector.ErrGone},
		{"invalid parameter", 400, "InvalidParameterException", connector.ErrInvalid},
		{"invalid request", 400, "InvalidRequestException", connector.ErrInvalid},
		{"throttled", 429, "ThrottlingException", connector.ErrUnavailable},
		{"internal", 500, "InternalServiceException", connector.ErrUnavailable},
		{"bad gateway without a type", 502, "", connector.ErrUnavailable},
		{"access denied", 403, "AccessDeniedException", connector.ErrUnavailable},
		{"conflict", 409, "ConflictException", connector.ErrUnavailable},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(&endpoint{status: tt.status, errorType: tt.errorType})
			defer srv.Close()
			err := amazonconnect.New(client(srv.URL)).AttachLink(t.Context(), contactARN, testLink, "")
			if !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
			t.Logf("error: %v", err)
			if strings.Contains(err.Error(), "keyCode") || strings.Contains(err.Error(), "says no") {
				t.Errorf("error %q quotes the service's message or the link", err)
			}
		})
	}
}

func TestAttachLinkUnreachable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	err := amazonconnect.New(client(url)).AttachLink(t.Context(), contactARN, testLink, "")
	if !errors.Is(err, connector.ErrUnavailable) {
		t.Fatalf("got %v, want ErrUnavailable", err)
	}
	if strings.Contains(err.Error(), "keyCode") {
		t.Errorf("error %q quotes the link", err)
	}
}

// TestAttachLinkNeedsAContactARN: anything but a contact ARN is refused
// before any request.
func TestAttachLinkNeedsAContactARN(t *testing.T) {
	ep := &endpoint{}
	srv := httptest.NewServer(ep)
	defer srv.Close()
	c := amazonconnect.New(client(srv.URL))
	for _, arn := range []string{
		"", "conv-1",
		"arn:aws:connect:eu-west-2:123456789012:instance/" + instanceID,
		"arn:aws:connect:eu-west-2:123456789012:instance/" + instanceID + "/contact/",
		"arn:aws:connect:eu-west-2:123456789012:instance/" + instanceID + "/contact/" + contactID + "/more",
		"arn:aws:connect:eu-west-2:123456789012:instance/" + instanceID + "/queue/" + contactID,
		"arn:aws:lex:eu-west-2:123456789012:instance/" + instanceID + "/contact/" + contactID,
		"arn:aws:connect::123456789012:instance/" + instanceID + "/contact/" + contactID,
	} {
		if err := c.AttachLink(t.Context(), arn, testLink, ""); !errors.Is(err, connector.ErrInvalid) {
			t.Errorf("AttachLink(%q): got %v, want ErrInvalid", arn, err)
		}
	}
	if n := len(ep.requests()); n != 0 {
		t.Errorf("sent %d requests, want none", n)
	}
}

// TestAttachFiles: the Files STRING reference goes beside the link in the
// same call, cut with "…" on a character boundary to what the contact's
// references may hold.
func TestAttachFiles(t *testing.T) {
	long := "40 files, 1.2 MB: " + strings.Repeat("ünïcødé-name.pdf, ", 100)
	for _, tt := range []struct {
		name, files, want string
	}{
		{"short", "3 files, 12.4 MB: statement.pdf, id-front.jpg, payslip.xlsx", "3 files, 12.4 MB: statement.pdf, id-front.jpg, payslip.xlsx"},
		{"cut", long, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ep := &endpoint{}
			srv := httptest.NewServer(ep)
			defer srv.Close()
			if err := amazonconnect.New(client(srv.URL)).AttachLink(t.Context(), contactARN, testLink, tt.files); err != nil {
				t.Fatalf("AttachLink: %v", err)
			}
			got := ep.requests()
			if len(got) != 1 {
				t.Fatalf("got %d requests, want 1", len(got))
			}
			refs := got[0].Body["References"].(map[string]any)
			files, _ := refs["Files"].(map[string]any)
			if files["Type"] != "STRING" {
				t.Errorf("Files reference %v, want type STRING", files)
			}
			v, _ := files["Value"].(string)
			if tt.want != "" && v != tt.want {
				t.Errorf("value %q, want %q", v, tt.want)
			}
			if tt.want == "" {
				if !strings.HasSuffix(v, "…") || !utf8.ValidString(v) || len(v) > 1024 || !strings.HasPrefix(long, strings.TrimSuffix(v, "…")) {
					t.Errorf("cut value %q (%d bytes): want a valid prefix ending in … within 1024 bytes", v, len(v))
				}
			}
			link := refs["Secure upload"].(map[string]any)["Value"].(string)
			if total := len("Secure upload") + len(link) + len("Files") + len(v); total > 4096 {
				t.Errorf("references hold %d bytes, over Amazon Connect's 4,096", total)
			}
		})
	}
}

package sendsafely

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// DefaultTimeout bounds each call to SendSafely, answer read included.
const DefaultTimeout = 4 * time.Second

// maxBody bounds the answer read: a page of 100 list entries is tens of
// KiB.
const maxBody = 4 << 20

// Client is the connector.SendSafely port over SendSafely's REST API. The
// credentials come with every call, since they live in a secret that can
// change while the function is warm. A Client is safe for concurrent use.
type Client struct {
	base    string // scheme://host[:port], no trailing slash
	http    *http.Client
	timeout time.Duration
	now     func() time.Time
	keys    *keyCache

	parts       *http.Client // part fetches: no client-wide timeout
	partTimeout time.Duration
	sleep       func(context.Context, time.Duration) error
}

var _ connector.SendSafely = (*Client)(nil)

// Option configures a Client.
type Option func(*Client)

// WithHTTPClient makes the Client send through hc, and fetch parts
// through its transport.
func WithHTTPClient(hc *http.Client) Option { return func(c *Client) { c.http = hc } }

// WithTimeout bounds each call by d instead of DefaultTimeout.
func WithTimeout(d time.Duration) Option { return func(c *Client) { c.timeout = d } }

// WithClock makes the Client stamp requests with now.
func WithClock(now func() time.Time) Option { return func(c *Client) { c.now = now } }

// New returns a Client for the API at baseURL, SENDSAFELY_API_URL or
// https://<SENDSAFELY_HOST>. It does no work beyond remembering its
// arguments: the private key is read on first use.
func New(baseURL string, opts ...Option) *Client {
	c := &Client{
		base:    strings.TrimRight(baseURL, "/"),
		timeout: DefaultTimeout,
		now:     time.Now,
		keys:    new(keyCache),

		partTimeout: DefaultPartTimeout,
		sleep:       sleepCtx,
	}
	for _, o := range opts {
		o(c)
	}
	if c.http == nil {
		c.http = &http.Client{Timeout: c.timeout}
	}
	c.parts = partClient(c.http)
	return c
}

// ErrAuthenticationFailed is wrapped, beside connector.ErrUnavailable,
// when SendSafely refuses the API key and secret (AUTHENTICATION_FAILED),
// so that a tool can tell its user to check them.
var ErrAuthenticationFailed = errors.New("SendSafely refused the API key and secret (AUTHENTICATION_FAILED)")

// String names the API the Client calls, and nothing it holds: its cache
// holds a parsed private key.
func (c Client) String() string { return "sendsafely.Client(" + c.base + ")" }

// GoString is String, so that %#v hides the cache too.
func (c Client) GoString() string { return c.String() }

// answer is the envelope of every SendSafely answer.
type answer struct {
	Response string `json:"response"`
}

// refusal is SendSafely's answer, over HTTP 200, that it will not do what
// was asked (a response other than SUCCESS and AUTHENTICATION_FAILED): the
// response code, or "an unexpected response".
type refusal string

func (r refusal) Error() string { return string(r) }

// Is makes SendSafely's UNKNOWN_PACKAGE a connector.ErrUnknownPackage.
func (r refusal) Is(target error) bool {
	return target == connector.ErrUnknownPackage && r == "UNKNOWN_PACKAGE"
}

// isCode reports whether s looks like a response code, safe to quote in an
// error: SendSafely's are short upper-case words such as UNKNOWN_PACKAGE.
// (A function, not a regexp: the package does no work at start.)
func isCode(s string) bool {
	if s == "" || len(s) > 40 {
		return false
	}
	for _, r := range s {
		if (r < 'A' || r > 'Z') && r != '_' {
			return false
		}
	}
	return true
}

// call sends one signed request for path (starting at /api/v2.0, segments
// already escaped) and decodes a SUCCESS answer into out. Any other
// outcome is ErrUnavailable, wrapped with op and, where it holds no
// secret, what went wrong. The request body, the answer body and the
// credentials are never quoted.
func (c *Client) call(ctx context.Context, key connector.TrustedKey, op, method, path, query string, in, out any) error {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()

	var body []byte
	if in != nil {
		var err error
		if body, err = json.Marshal(in); err != nil {
			return fmt.Errorf("sendsafely: %s: %w: encode request", op, connector.ErrUnavailable)
		}
	}
	u := c.base + path
	if query != "" {
		u += "?" + query
	}
	req, err := http.NewRequestWithContext(ctx, method, u, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("sendsafely: %s: %w: bad API URL", op, connector.ErrUnavailable)
	}
	ts := Timestamp(c.now())
	req.Header.Set(HeaderAPIKey, string(key.APIKey))
	req.Header.Set(HeaderTimestamp, ts)
	req.Header.Set(HeaderSignature, Sign(string(key.APIKey), string(key.APISecret), path, ts, string(body)))
	req.Header.Set("Accept", "application/json")
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}

	resp, err := c.http.Do(req)
	if err != nil {
		// The transport's error names the URL, which holds only the
		// package id and the page; never a credential.
		return fmt.Errorf("sendsafely: %s: %w: %w", op, connector.ErrUnavailable, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		return fmt.Errorf("sendsafely: %s: %w: read answer: %w", op, connector.ErrUnavailable, err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("sendsafely: %s: %w: HTTP status %d", op, connector.ErrUnavailable, resp.StatusCode)
	}
	if len(raw) > maxBody {
		return fmt.Errorf("sendsafely: %s: %w: answer larger than %d bytes", op, connector.ErrUnavailable, maxBody)
	}
	var a answer
	if err := json.Unmarshal(raw, &a); err != nil {
		return fmt.Errorf("sendsafely: %s: %w: answer is not a JSON object", op, connector.ErrUnavailable)
	}
	if a.Response == "AUTHENTICATION_FAILED" {
		return fmt.Errorf("sendsafely: %s: %w: %w", op, connector.ErrUnavailable, ErrAuthenticationFailed)
	}
	if a.Response != "SUCCESS" {
		r := "an unexpected response"
		if isCode(a.Response) {
			r = a.Response
		}
		// Not the message: SendSafely's text is not ours to vouch for.
		return fmt.Errorf("sendsafely: %s: %w: %w", op, connector.ErrUnavailable, refusal(r))
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			return fmt.Errorf("sendsafely: %s: %w: answer has unexpected fields", op, connector.ErrUnavailable)
		}
	}
	return nil
}

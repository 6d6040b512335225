package callback

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// DefaultTimeout is how long a receiver has to answer.
const DefaultTimeout = 10 * time.Second

// maxDrain is how much of an answer's body is read, so that the connection
// can be reused; the rest is dropped.
const maxDrain = 64 << 10

// Options tune a Client; the zero value is the production setting.
type Options struct {
	// AllowLoopbackHTTP lets the receiver URL be plain http when its host
	// is a loopback address (local runs and tests). Otherwise only https.
	AllowLoopbackHTTP bool
	// Timeout bounds one attempt; DefaultTimeout when zero.
	Timeout time.Duration
	// Now returns the time of an attempt, for webhook-timestamp; time.Now
	// when nil.
	Now func() time.Time
	// Transport carries the requests; a clone of http.DefaultTransport
	// when nil.
	Transport http.RoundTripper
}

// Client posts events to one receiver. It is safe for concurrent use.
type Client struct {
	url     string
	host    string // for errors: never the path or query, which may hold a token
	timeout time.Duration
	now     func() time.Time
	http    *http.Client
}

var _ connector.Callbacks = (*Client)(nil)

// New returns a Client that posts to rawURL, or an error if rawURL is not
// an absolute https URL (or, with AllowLoopbackHTTP, an http URL of a
// loopback host). The error never quotes the URL.
func New(rawURL string, opt Options) (*Client, error) {
	u, err := receiverURL(rawURL, opt)
	if err != nil {
		return nil, err
	}
	c := &Client{url: u.String(), host: u.Host, timeout: opt.Timeout, now: opt.Now, http: httpClient(opt, 0)}
	if c.timeout <= 0 {
		c.timeout = DefaultTimeout
	}
	if c.now == nil {
		c.now = time.Now
	}
	return c, nil
}

// receiverURL parses rawURL, which must be an absolute https URL (or, with
// AllowLoopbackHTTP, an http URL of a loopback host) without credentials.
// The error never quotes the URL.
func receiverURL(rawURL string, opt Options) (*url.URL, error) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Host == "" || u.User != nil {
		return nil, errors.New("callback: the callback url is not an absolute url without credentials")
	}
	switch {
	case u.Scheme == "https":
	case u.Scheme == "http" && opt.AllowLoopbackHTTP && loopback(u.Hostname()):
	case u.Scheme == "http" && opt.AllowLoopbackHTTP:
		return nil, fmt.Errorf("callback: plain http is allowed only to a loopback address, not %s", u.Hostname())
	default:
		return nil, fmt.Errorf("callback: the callback url must be https, not %s", u.Scheme)
	}
	return u, nil
}

// httpClient is the client of opt's transport that follows no redirect:
// a redirect could lead a signed request anywhere, even to plain http, so
// it is an answer like any other non-2xx, tried again later. A positive
// answerTimeout bounds the wait for the answer once the request is sent.
func httpClient(opt Options, answerTimeout time.Duration) *http.Client {
	tr := opt.Transport
	if tr == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.ResponseHeaderTimeout = answerTimeout
		tr = t
	}
	return &http.Client{Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}
}

// loopback reports whether host is localhost or a loopback IP address.
func loopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Send posts ev as JSON, signed with secret, and waits at most the
// timeout for the answer. 2xx is delivered; 410 Gone returns
// connector.ErrGone; any other answer, no answer in time, a transport
// failure or a malformed secret returns connector.ErrUnavailable. Errors
// name the receiver's host only, never its path, query, the secret or the
// body.
func (c *Client) Send(ctx context.Context, ev connector.Event, secret connector.Secret) error {
	k, err := key(secret)
	if err != nil {
		return fmt.Errorf("callback: %w: %w", connector.ErrUnavailable, err)
	}
	body, err := json.Marshal(ev)
	if err != nil {
		return fmt.Errorf("callback: encode event: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("callback: %w: build request to %s", connector.ErrUnavailable, c.host)
	}
	ts := strconv.FormatInt(c.now().Unix(), 10)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(HeaderID, ev.ID)
	req.Header.Set(HeaderTimestamp, ts)
	req.Header.Set(HeaderSignature, sign(k, ev.ID, ts, body))

	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("callback: %w: post to %s: %s", connector.ErrUnavailable, c.host, transportReason(ctx, err))
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, maxDrain))
	resp.Body.Close()
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		return nil
	case resp.StatusCode == http.StatusGone:
		return fmt.Errorf("callback: %s answered 410: %w", c.host, connector.ErrGone)
	default:
		return fmt.Errorf("callback: %w: %s answered %d", connector.ErrUnavailable, c.host, resp.StatusCode)
	}
}

// transportReason says why a request got no answer, without the URL that
// *url.Error quotes.
func transportReason(ctx context.Context, err error) string {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return "no answer in time"
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	var op *net.OpError
	if errors.As(err, &op) {
		return op.Op + ": " + op.Err.Error()
	}
	return err.Error()
}

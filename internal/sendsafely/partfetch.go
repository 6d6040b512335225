package sendsafely

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// DefaultPartTimeout bounds each fetch of one part, body included. The
// largest parts, Java's 10 MiB, take about 40 s at 2 Mbit/s, and a second
// or less from Lambda to S3 in the same region: a minute trips on a stalled
// connection, not on a slow one.
const DefaultPartTimeout = 60 * time.Second

// Retries of a part's fetch after a network error or a 5xx: the delays
// before each further attempt double from retryDelay.
const (
	partAttempts = 4
	retryDelay   = time.Second
)

// maxPart bounds a part, encrypted and decrypted: uploaders make parts of
// 10 MiB at most, and partOverhead covers the OpenPGP packets around them.
// A larger part is not one an uploader made, so it is refused as corrupt
// rather than buffered.
const (
	maxPart      = 32 << 20
	partOverhead = 64 << 10
)

// errExpired says a part URL answered 403: its batch expired.
var errExpired = errors.New("the part URL expired (HTTP status 403)")

// WithPartTimeout bounds each fetch of a part by d instead of
// DefaultPartTimeout.
func WithPartTimeout(d time.Duration) Option { return func(c *Client) { c.partTimeout = d } }

// WithSleep makes the Client wait between a part's attempts with sleep,
// which returns early with ctx's error if ctx ends first.
func WithSleep(sleep func(ctx context.Context, d time.Duration) error) Option {
	return func(c *Client) { c.sleep = sleep }
}

// sleepCtx waits d or until ctx ends.
func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// idleParts is how many idle connections to one host the part fetches
// keep: those of two downloads at once (make run retrieves a file's ranges
// in one process). net/http keeps two by default, so that with more parts
// in flight every round closed connections and dialed new ones: a TLS
// handshake with S3 per part, and the garbage of each connection.
const idleParts = 2 * partsInFlight

// partClient returns the HTTP client of part fetches: the API client's
// transport, keeping idleParts idle connections per host, with no
// client-wide timeout (each fetch has its own) and no redirects followed
// (a presigned URL answers itself, and a redirect could leave https).
func partClient(hc *http.Client) *http.Client {
	rt := hc.Transport
	if rt == nil {
		rt = http.DefaultTransport
	}
	if t, ok := rt.(*http.Transport); ok && t.MaxIdleConnsPerHost < idleParts {
		t = t.Clone()
		t.MaxIdleConnsPerHost = idleParts
		rt = t
	}
	return &http.Client{
		Transport:     rt,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// checkPartURL reports why raw may not be fetched: a part URL is https, or
// plain http to a loopback address (a stand-in's).
func checkPartURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return errors.New("a part URL does not parse")
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		if ip := net.ParseIP(u.Hostname()); ip != nil && ip.IsLoopback() {
			return nil
		}
	}
	return errors.New("a part URL is neither https nor http to a loopback address")
}

// fetchPart reads the encrypted part n at u (checked by checkPartURL) into
// buf, retrying network errors and 5xx with growing delays. It returns
// errExpired on a 403, ErrCorrupt (wrapped) if the part is larger than any
// uploader makes, and ErrUnavailable otherwise. No error quotes u: a
// presigned URL is a credential.
func (c *Client) fetchPart(ctx context.Context, n int, u string, buf *bytes.Buffer) error {
	delay := retryDelay
	var err error
	for attempt := 1; ; attempt++ {
		var retry bool
		retry, err = c.fetchOnce(ctx, u, buf)
		if err == nil || !retry || attempt == partAttempts || ctx.Err() != nil {
			break
		}
		if serr := c.sleep(ctx, delay); serr != nil {
			err = serr
			break
		}
		delay *= 2
	}
	switch {
	case err == nil:
		return nil
	case errors.Is(err, errExpired):
		return err
	case errors.Is(err, connector.ErrCorrupt):
		return fmt.Errorf("sendsafely: fetch part %d: %w", n, err)
	}
	return fmt.Errorf("sendsafely: fetch part %d: %w: %w", n, connector.ErrUnavailable, err)
}

// fetchOnce makes one GET of u into buf and reports whether a failure is
// worth another attempt.
func (c *Client) fetchOnce(ctx context.Context, u string, buf *bytes.Buffer) (retry bool, err error) {
	buf.Reset()
	ctx, cancel := context.WithTimeout(ctx, c.partTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return false, errors.New("a part URL does not make a request")
	}
	resp, err := c.parts.Do(req)
	if err != nil {
		return true, transportError(err)
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusForbidden:
		return false, errExpired
	case resp.StatusCode >= 500:
		return true, fmt.Errorf("HTTP status %d", resp.StatusCode)
	case resp.StatusCode != http.StatusOK:
		return false, fmt.Errorf("HTTP status %d", resp.StatusCode)
	}
	const limit = maxPart + partOverhead
	if resp.ContentLength > limit {
		return false, fmt.Errorf("%w: the part is larger than %d bytes", connector.ErrCorrupt, limit)
	}
	if resp.ContentLength > 0 {
		// ReadFrom grows a buffer with less than MinRead free.
		buf.Grow(int(resp.ContentLength) + bytes.MinRead)
	}
	if _, err := buf.ReadFrom(io.LimitReader(resp.Body, limit+1)); err != nil {
		return true, fmt.Errorf("read part: %w", transportError(err))
	}
	if buf.Len() > limit {
		return false, fmt.Errorf("%w: the part is larger than %d bytes", connector.ErrCorrupt, limit)
	}
	return false, nil
}

// transportError is err without the URL a *url.Error quotes.
func transportError(err error) error {
	if ue, ok := errors.AsType[*url.Error](err); ok {
		return ue.Err
	}
	return err
}

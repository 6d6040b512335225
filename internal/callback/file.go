package callback

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// DefaultFileTimeout is how long a file callback's receiver may go
// without taking more of the body, and then without answering: the
// contract's 30 s.
const DefaultFileTimeout = 30 * time.Second

// errStalled is the cause of a post cut because the receiver stalled.
var errStalled = errors.New("no progress in time")

// FileClient posts stored files to the file callback's receiver the way
// AmplifyReach's external callback does: multipart/form-data with the
// fields file and chatID (and packageId, fileId, sha256), signed with the
// Standard Webhooks headers over the exact body bytes. The body streams
// from the store twice (once to sign it, once to send it), so no file is
// ever held in memory. It is safe for concurrent use.
type FileClient struct {
	url     string
	host    string // for errors: never the path or query
	timeout time.Duration
	now     func() time.Time
	http    *http.Client
}

var _ connector.FileCallbacks = (*FileClient)(nil)

// NewFile returns a FileClient that posts to rawURL, which must be as New
// takes it. opt.Timeout bounds each wait for the receiver (taking the
// next bytes of the body, then its answer); DefaultFileTimeout when zero.
func NewFile(rawURL string, opt Options) (*FileClient, error) {
	u, err := receiverURL(rawURL, opt)
	if err != nil {
		return nil, err
	}
	c := &FileClient{url: u.String(), host: u.Host, timeout: opt.Timeout, now: opt.Now}
	if c.timeout <= 0 {
		c.timeout = DefaultFileTimeout
	}
	if c.now == nil {
		c.now = time.Now
	}
	c.http = httpClient(opt, c.timeout)
	return c, nil
}

// SendFile posts p, signed with secret, and returns the receiver's
// answer (see connector.FileCallbacks). The first pass over the content
// signs the body and checks the content against p.Size and p.Sha256
// (ErrCorrupt if it differs, nothing sent); the second sends it with its
// Content-Length. A receiver that takes no byte of the body, or gives no
// answer, for the timeout is cut (ErrUnavailable). Errors name the
// receiver's host only, never its path, the secret, the file's name or
// content.
func (c *FileClient) SendFile(ctx context.Context, p connector.FilePost, secret connector.Secret) (connector.FileCallback, error) {
	k, err := key(secret)
	if err != nil {
		return connector.FileCallback{}, fmt.Errorf("file callback: %w: %w", connector.ErrUnavailable, err)
	}
	ts := strconv.FormatInt(c.now().Unix(), 10)
	form, err := newForm(p)
	if err != nil {
		return connector.FileCallback{}, err
	}
	m := signer(k, p.WebhookID, ts)
	size, err := form.write(ctx, m, true)
	if err != nil {
		return connector.FileCallback{}, err
	}

	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	dog := time.AfterFunc(c.timeout, func() { cancel(errStalled) })
	defer dog.Stop()
	pr, pw := io.Pipe()
	go func() {
		_, err := form.write(ctx, pw, false)
		pw.CloseWithError(err)
	}()
	defer pr.Close()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, &kicking{r: pr, dog: dog, d: c.timeout})
	if err != nil {
		return connector.FileCallback{}, fmt.Errorf("file callback: %w: build request to %s", connector.ErrUnavailable, c.host)
	}
	req.ContentLength = size
	req.Header.Set("Content-Type", form.contentType())
	req.Header.Set(HeaderID, p.WebhookID)
	req.Header.Set(HeaderTimestamp, ts)
	req.Header.Set(HeaderSignature, signature(m))
	resp, err := c.http.Do(req)
	if err != nil {
		reason := transportReason(ctx, err)
		if errors.Is(context.Cause(ctx), errStalled) {
			reason = fmt.Sprintf("no progress in %s", c.timeout)
		}
		return connector.FileCallback{}, fmt.Errorf("file callback: %w: post to %s: %s", connector.ErrUnavailable, c.host, reason)
	}
	defer resp.Body.Close()
	dog.Reset(c.timeout)
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxDrain))
	if err != nil {
		return connector.FileCallback{}, fmt.Errorf("file callback: %w: read the answer of %s: %s", connector.ErrUnavailable, c.host, transportReason(ctx, err))
	}
	return readAnswer(c.host, resp.StatusCode, body)
}

// kicking reads r and puts off the watchdog dog by d on every read: the
// body makes progress as long as the transport reads it.
type kicking struct {
	r   io.Reader
	dog *time.Timer
	d   time.Duration
}

func (k *kicking) Read(p []byte) (int, error) {
	n, err := k.r.Read(p)
	k.dog.Reset(k.d)
	return n, err
}

package sendsafely

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// partsInFlight is how many parts are fetched and decrypted at once: the
// next three are under way while one is written. Each holds its part
// encrypted and decrypted, so a download holds about 20 MiB with the
// browser's parts and 80 MiB with Java's 10 MiB parts, whatever the file's
// size, and never more than 4 × 2 × 32 MiB (maxPart).
const partsInFlight = 4

// maxExpiries bounds the batches of URLs asked for again, after a 403,
// with no part written in between.
const maxExpiries = 3

var _ connector.FileSource = (*Client)(nil)

// partBuffers are the buffers of parts, encrypted and decrypted, reused
// from part to part and file to file.
var partBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// partResult is a fetched part: its plaintext, from partBuffers, or why
// there is none, and the batch of the URL it was fetched from.
type partResult struct {
	plain *bytes.Buffer
	batch int
	err   error
}

// download is the state of one Download call.
type download struct {
	c        *Client
	key      connector.TrustedKey
	path     string // of download-urls
	checksum string
	pass     []byte // serverSecret + keycode
	last     int

	urls    partURLs // the latest batch
	batches int
	pending map[int]chan partResult
	wg      sync.WaitGroup
}

// Download writes the plaintext of parts first to last of file f to w, as
// connector.FileSource says: URLs are asked for 25 parts at a time (again
// after a 403), parts are fetched a few at a time, each with its own time
// bound and retries, and each part's plaintext is written only once its
// integrity check has passed.
func (c *Client) Download(ctx context.Context, key connector.TrustedKey, f connector.FileRef, first, last int, w io.Writer) (int64, error) {
	if first < 1 || last < first {
		return 0, fmt.Errorf("sendsafely: download: %w: parts %d to %d", connector.ErrInvalid, first, last)
	}
	pid, err := segment("download", f.PackageID)
	if err != nil {
		return 0, err
	}
	fid, err := segment("download", f.FileID)
	if err != nil {
		return 0, err
	}
	d := &download{
		c:        c,
		key:      key,
		path:     "/api/v2.0/package/" + pid + "/file/" + fid + "/download-urls/",
		checksum: Checksum(f.KeyCode, f.PackageCode),
		pass:     []byte(string(f.ServerSecret) + string(f.KeyCode)),
		last:     last,
		pending:  make(map[int]chan partResult, partsInFlight),
	}
	ctx, cancel := context.WithCancel(ctx)
	defer d.close()
	defer cancel()
	return d.run(ctx, first, w)
}

// run writes parts first to d.last to w in order.
func (d *download) run(ctx context.Context, first int, w io.Writer) (int64, error) {
	var written int64
	started, expiries := first-1, 0
	for n := first; n <= d.last; {
		for started < min(n+partsInFlight-1, d.last) {
			started++
			if err := d.start(ctx, started); err != nil {
				return written, err
			}
		}
		r := <-d.pending[n]
		delete(d.pending, n)
		if errors.Is(r.err, errExpired) {
			if r.batch == d.urls.batch {
				// The latest batch expired: ask again, a few times.
				if expiries++; expiries > maxExpiries {
					return written, fmt.Errorf("sendsafely: fetch part %d: %w: the part URLs keep expiring", n, connector.ErrUnavailable)
				}
				if err := d.ask(ctx, n); err != nil {
					return written, err
				}
			}
			if err := d.start(ctx, n); err != nil {
				return written, err
			}
			continue
		}
		if r.err != nil {
			return written, r.err
		}
		k, err := w.Write(r.plain.Bytes())
		written += int64(k)
		partBuffers.Put(r.plain)
		if err != nil {
			return written, fmt.Errorf("sendsafely: download part %d: write: %w", n, err)
		}
		expiries = 0
		n++
	}
	return written, nil
}

// ask replaces d.urls by a batch of URLs from part n on.
func (d *download) ask(ctx context.Context, n int) error {
	urls, err := d.c.downloadURLs(ctx, d.key, d.path, d.checksum, n, min(n+urlBatch-1, d.last))
	if err != nil {
		return err
	}
	d.batches++
	d.urls = partURLs{batch: d.batches, urls: urls}
	return nil
}

// start fetches and decrypts part n in the background, from the latest
// batch's URL, asking for a batch from n on if that has none for n.
func (d *download) start(ctx context.Context, n int) error {
	u, ok := d.urls.urls[n]
	if !ok {
		if err := d.ask(ctx, n); err != nil {
			return err
		}
		u = d.urls.urls[n]
	}
	ch := make(chan partResult, 1)
	d.pending[n] = ch
	batch := d.urls.batch
	d.wg.Go(func() { ch <- d.c.part(ctx, n, u, d.pass, batch) })
	return nil
}

// close waits for the parts still under way (their context is canceled
// first) and returns their buffers.
func (d *download) close() {
	d.wg.Wait()
	for _, ch := range d.pending {
		if r := <-ch; r.plain != nil {
			partBuffers.Put(r.plain)
		}
	}
}

// part fetches part n from u and decrypts it with pass.
func (c *Client) part(ctx context.Context, n int, u string, pass []byte, batch int) partResult {
	enc := partBuffers.Get().(*bytes.Buffer)
	defer partBuffers.Put(enc)
	if err := c.fetchPart(ctx, n, u, enc); err != nil {
		return partResult{batch: batch, err: err}
	}
	plain := partBuffers.Get().(*bytes.Buffer)
	if err := decryptPart(enc.Bytes(), pass, plain); err != nil {
		partBuffers.Put(plain)
		return partResult{batch: batch, err: fmt.Errorf("sendsafely: decrypt part %d: %w", n, err)}
	}
	return partResult{plain: plain, batch: batch}
}

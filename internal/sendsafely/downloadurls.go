package sendsafely

import (
	"context"
	"crypto/pbkdf2"
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// urlBatch is how many segments one download-urls call asks for, as
// SendSafely's own clients do.
const urlBatch = 25

// Checksum returns the checksum download-urls asks for: the lowercase hex
// PBKDF2-HMAC-SHA256 of the keycode, salted with the package code, 1024
// rounds, 32 bytes.
func Checksum(keyCode, packageCode connector.Secret) string {
	k, err := pbkdf2.Key(sha256.New, string(keyCode), []byte(packageCode), 1024, 32)
	if err != nil {
		// Only an invalid key length fails, and 32 is valid.
		panic("sendsafely: pbkdf2: " + err.Error())
	}
	return hex.EncodeToString(k)
}

// partURLs are the URLs of one download-urls answer, by part number, and
// the batch they came in (later batches have larger numbers).
type partURLs struct {
	batch int
	urls  map[int]string
}

// downloadURLs asks for the URLs of parts start to at most end (the server
// may return fewer) of the file whose download-urls path is path. It
// returns those of start to the last part of an unbroken run from start:
// a run that does not begin at start, or has a gap, leaves a part without
// a URL, which is ErrUnavailable rather than a part skipped, and so is a
// URL that may not be fetched (checkPartURL).
func (c *Client) downloadURLs(ctx context.Context, key connector.TrustedKey, path, checksum string, start, end int) (map[int]string, error) {
	in := struct {
		Checksum     string `json:"checksum"`
		StartSegment int    `json:"startSegment"`
		EndSegment   int    `json:"endSegment"`
	}{checksum, start, end}
	var a struct {
		DownloadURLs []struct {
			Part int    `json:"part"`
			URL  string `json:"url"`
		} `json:"downloadUrls"`
	}
	if err := c.call(ctx, key, "read part URLs", "POST", path, "", in, &a); err != nil {
		return nil, err
	}
	got := make(map[int]string, len(a.DownloadURLs))
	for _, u := range a.DownloadURLs {
		if u.Part < start || u.Part > end || u.URL == "" {
			return nil, fmt.Errorf("sendsafely: read part URLs: %w: the answer has a part outside %d-%d or without a URL", connector.ErrUnavailable, start, end)
		}
		if err := checkPartURL(u.URL); err != nil {
			return nil, fmt.Errorf("sendsafely: read part URLs: %w: %w", connector.ErrUnavailable, err)
		}
		if _, dup := got[u.Part]; dup {
			return nil, fmt.Errorf("sendsafely: read part URLs: %w: the answer has part %d twice", connector.ErrUnavailable, u.Part)
		}
		got[u.Part] = u.URL
	}
	last := start - 1
	for got[last+1] != "" {
		last++
	}
	if last < start {
		return nil, fmt.Errorf("sendsafely: read part URLs: %w: the answer has no URL for part %d", connector.ErrUnavailable, start)
	}
	if len(got) != last-start+1 {
		return nil, fmt.Errorf("sendsafely: read part URLs: %w: the answer has no URL for part %d", connector.ErrUnavailable, last+1)
	}
	return got, nil
}

package sendsafely

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// Paging of the received list, as the contract sets it.
const (
	pageSize = 100
	maxPages = 5
)

// segment returns s escaped as one path segment, so that an id from a
// notification cannot change which call is made. An id that no escaping
// keeps in its segment ("", ".", "..") is refused before any call.
func segment(op, s string) (string, error) {
	if s == "" || s == "." || s == ".." {
		return "", fmt.Errorf("sendsafely: %s: %w: an id is empty or a dot segment", op, connector.ErrUnavailable)
	}
	return url.PathEscape(s), nil
}

// Package returns the details of package packageID
// (GET /api/v2.0/package/{packageId}/).
func (c *Client) Package(ctx context.Context, key connector.TrustedKey, packageID string) (connector.Package, error) {
	var a struct {
		PackageID        string `json:"packageId"`
		PackageCode      string `json:"packageCode"`
		PackageSender    string `json:"packageSender"`
		Label            string `json:"label"`
		PackageTimestamp string `json:"packageTimestamp"`
		ServerSecret     string `json:"serverSecret"`
		Files            []file `json:"files"`
	}
	id, err := segment("read package", packageID)
	if err != nil {
		return connector.Package{}, err
	}
	path := "/api/v2.0/package/" + id + "/"
	if err := c.call(ctx, key, "read package", "GET", path, "", nil, &a); err != nil {
		return connector.Package{}, err
	}
	if a.PackageCode == "" {
		// Not a disagreement SendSafely vouched for: a mismatch must rest
		// on a code it gave.
		return connector.Package{}, fmt.Errorf("sendsafely: read package: %w: the answer has no packageCode", connector.ErrUnavailable)
	}
	if a.PackageID == "" {
		a.PackageID = packageID
	}
	files, err := packageFiles(a.Files)
	if err != nil {
		return connector.Package{}, fmt.Errorf("sendsafely: read package: %w: %w", connector.ErrUnavailable, err)
	}
	return connector.Package{
		ID:           a.PackageID,
		Code:         connector.Secret(a.PackageCode),
		Label:        a.Label,
		Sender:       connector.Email(a.PackageSender),
		Timestamp:    ParseTime(a.PackageTimestamp),
		Files:        files,
		ServerSecret: connector.Secret(a.ServerSecret),
	}, nil
}

// KeyCode returns the keycode of package packageID, read with
// GET /api/v2.0/package/{packageId}/link/{trustedKeyId}/ and decrypted with
// the trusted key's private half.
func (c *Client) KeyCode(ctx context.Context, key connector.TrustedKey, packageID string) (connector.Secret, error) {
	var a struct {
		Message string `json:"message"`
	}
	id, err := segment("read keycode", packageID)
	if err != nil {
		return "", err
	}
	keyID, err := segment("read keycode", key.KeyID)
	if err != nil {
		return "", err
	}
	path := "/api/v2.0/package/" + id + "/link/" + keyID + "/"
	if err := c.call(ctx, key, "read keycode", "GET", path, "", nil, &a); err != nil {
		var r refusal
		if errors.As(err, &r) {
			// SendSafely answered, and has no keycode for the trusted key
			// (the package was finalized before the key was registered):
			// asking again will not change that.
			return "", fmt.Errorf("sendsafely: read keycode: %w: %w: %s", connector.ErrUnavailable, connector.ErrCorrupt, r)
		}
		return "", err
	}
	kc, err := c.keys.decrypt(key.PrivateKey, a.Message)
	switch {
	case errors.Is(err, errMessage):
		// Encrypted to another key, or not a message: the same every time.
		return "", fmt.Errorf("sendsafely: read keycode: %w: %w: %w", connector.ErrUnavailable, connector.ErrCorrupt, err)
	case err != nil:
		// Our own key is unreadable: every package fails alike.
		return "", fmt.Errorf("sendsafely: read keycode: %w: %w", connector.ErrUnavailable, err)
	}
	return kc, nil
}

// Received returns the received packages as list entries
// (GET /api/v2.0/package/received/), reading at most 5 pages of 100 and
// stopping early at a short page or a missing nextRowIndex.
func (c *Client) Received(ctx context.Context, key connector.TrustedKey) ([]connector.Package, error) {
	var all []connector.Package
	row := 0
	for page := 0; page < maxPages; page++ {
		var a struct {
			Packages []struct {
				PackageID              string `json:"packageId"`
				PackageCode            string `json:"packageCode"`
				PackageLabel           string `json:"packageLabel"`
				PackageUpdateTimestamp string `json:"packageUpdateTimestamp"`
			} `json:"packages"`
			Pagination struct {
				NextRowIndex *int `json:"nextRowIndex"`
			} `json:"pagination"`
		}
		q := url.Values{"rowIndex": {strconv.Itoa(row)}, "pageSize": {strconv.Itoa(pageSize)}}
		if err := c.call(ctx, key, "list received packages", "GET", "/api/v2.0/package/received/", q.Encode(), nil, &a); err != nil {
			return nil, err
		}
		for _, p := range a.Packages {
			if p.PackageID == "" {
				continue // nothing to look up or store
			}
			all = append(all, connector.Package{
				ID:        p.PackageID,
				Code:      connector.Secret(p.PackageCode),
				Label:     p.PackageLabel,
				Timestamp: ParseTime(p.PackageUpdateTimestamp),
			})
		}
		next := a.Pagination.NextRowIndex
		if len(a.Packages) < pageSize || next == nil || *next <= row {
			break
		}
		row = *next
	}
	return all, nil
}

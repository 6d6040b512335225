package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"

	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/sendsafely"
)

// urlBatch is how many part URLs one download-urls call gives.
const urlBatch = 25

// floor is retrieval's floor: the part URLs (download-urls, 25 at a
// time, signed), then one after the other a plain HTTP GET of each part,
// go-crypto decrypting it (its integrity packet checked at the end of the
// body) and the plaintext written to one file. No retries, no pipelining,
// no hashing, no object store, no records.
func floor(s setup, f setupFile, dir string) (result, error) {
	out, err := os.Create(filepath.Join(dir, f.Name))
	if err != nil {
		return result{}, err
	}
	defer out.Close()
	path := "/api/v2.0/package/" + f.PackageID + "/file/" + f.FileID + "/download-urls/"
	checksum := sendsafely.Checksum(connector.Secret(f.KeyCode), connector.Secret(f.PackageCode))
	pass := []byte(f.ServerSecret + f.KeyCode)
	var buf bytes.Buffer

	runtime.GC()
	base, start, err := startWork()
	if err != nil {
		return result{}, err
	}
	var written int64
	for first := 1; first <= f.Parts; first += urlBatch {
		urls, err := partURLs(s, path, checksum, first, min(first+urlBatch-1, f.Parts))
		if err != nil {
			return result{}, err
		}
		for _, u := range urls {
			n, err := getAndDecrypt(u, pass, &buf, out)
			if err != nil {
				return result{}, err
			}
			written += n
		}
	}
	if err := out.Close(); err != nil {
		return result{}, err
	}
	res := result{Path: out.Name(), Bytes: written}
	return res, endWork(&res, base, start)
}

// partURLs asks download-urls for the URLs of parts first to last.
func partURLs(s setup, path, checksum string, first, last int) ([]string, error) {
	body, err := json.Marshal(map[string]any{"checksum": checksum, "startSegment": first, "endSegment": last})
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequest(http.MethodPost, s.URL+path, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	ts := sendsafely.Timestamp(time.Now())
	req.Header.Set(sendsafely.HeaderAPIKey, s.APIKey)
	req.Header.Set(sendsafely.HeaderTimestamp, ts)
	req.Header.Set(sendsafely.HeaderSignature, sendsafely.Sign(s.APIKey, s.APISecret, path, ts, string(body)))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var a struct {
		Response     string
		DownloadURLs []struct {
			Part int
			URL  string
		} `json:"downloadUrls"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&a); err != nil || a.Response != "SUCCESS" || len(a.DownloadURLs) != last-first+1 {
		return nil, fmt.Errorf("download-urls %d-%d: %q, %d URLs, %v", first, last, a.Response, len(a.DownloadURLs), err)
	}
	var urls []string
	for i, u := range a.DownloadURLs {
		if u.Part != first+i {
			return nil, fmt.Errorf("download-urls %d-%d: part %d at %d", first, last, u.Part, i)
		}
		urls = append(urls, u.URL)
	}
	return urls, nil
}

// getAndDecrypt fetches the part at u into buf and writes its plaintext
// to w.
func getAndDecrypt(u string, pass []byte, buf *bytes.Buffer, w io.Writer) (int64, error) {
	resp, err := http.Get(u)
	if err != nil {
		return 0, err
	}
	buf.Reset()
	_, err = buf.ReadFrom(resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("GET a part: %d, %v", resp.StatusCode, err)
	}
	asked := false
	prompt := func([]openpgp.Key, bool) ([]byte, error) {
		if asked {
			return nil, fmt.Errorf("the passphrase does not decrypt the part")
		}
		asked = true
		return pass, nil
	}
	md, err := openpgp.ReadMessage(bytes.NewReader(buf.Bytes()), nil, prompt, nil)
	if err != nil {
		return 0, err
	}
	return io.Copy(w, md.UnverifiedBody)
}

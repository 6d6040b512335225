package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

	"github.com/sendsafely/chatbot-connector/internal/callback"
	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/dirstore"
	"github.com/sendsafely/chatbot-connector/internal/sendsafely/sendsafelytest"
)

// forwardKey is where forward stores its file in the directory store.
const forwardKey = "uploads/bench/PKG-BENCH/forward.bin"

// forward measures the file callback forwarding a file of size bytes:
// the file is written to a directory store under dir (untimed, by a
// one-part write of generated content, never held in memory), then
// callback.FileClient posts it, streamed from the store twice (to sign,
// to send), to a receiver in this process that reads the body to its
// end, hashing it, and answers status 0. The time and memory are those of
// SendFile; the receiver's part of them is a 32 KiB buffer. The result's
// Path is empty: the receiver checks the body's SHA-256 instead (a wrong
// one fails the run).
func forward(size int64, dir string) (result, error) {
	ctx := context.Background()
	store, err := dirstore.New(dir)
	if err != nil {
		return result{}, err
	}
	defer store.Close()
	h := sha256.New()
	content := io.TeeReader(sendsafelytest.GeneratedContent(size, 7), h)
	staging := "uploads.staging/forward.bin"
	id, err := store.Begin(ctx, staging)
	if err != nil {
		return result{}, err
	}
	part, err := store.WritePart(ctx, staging, id, 1, content, size)
	if err != nil {
		return result{}, err
	}
	if err := store.Finish(ctx, staging, id, []connector.ObjectPart{part}); err != nil {
		return result{}, err
	}
	sum := hex.EncodeToString(h.Sum(nil))
	if err := store.Promote(ctx, staging, forwardKey, connector.ObjectMeta{ContentType: "application/octet-stream"}); err != nil {
		return result{}, err
	}

	var got int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"status":0,"uid":"U-1","url":"https://files.example/U-1"}`)
	}))
	defer srv.Close()
	c, err := callback.NewFile(srv.URL, callback.Options{AllowLoopbackHTTP: true})
	if err != nil {
		return result{}, err
	}
	secret, err := callback.NewSecret()
	if err != nil {
		return result{}, err
	}
	post := connector.FilePost{WebhookID: "evt_bench.F1", ChatID: "chat", PackageID: "PKG-BENCH", FileID: "F1",
		Name: "forward.bin", Type: "application/octet-stream", Size: size, Sha256: sum,
		Open: func(ctx context.Context) (io.ReadCloser, error) {
			rc, _, err := store.Open(ctx, forwardKey, 0)
			return rc, err
		}}

	base, start, err := startWork()
	if err != nil {
		return result{}, err
	}
	cb, err := c.SendFile(ctx, post, secret)
	if err != nil {
		return result{}, err
	}
	var res result
	if err := endWork(&res, base, start); err != nil {
		return result{}, err
	}
	if cb.UID != "U-1" || got <= size {
		return result{}, fmt.Errorf("the receiver got %d bytes for a %d-byte file and answered %+v", got, size, cb)
	}
	res.Bytes = got
	return res, nil
}

package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"sync"
	"time"

	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/dirstore"
	"github.com/sendsafely/chatbot-connector/internal/dropzone"
	"github.com/sendsafely/chatbot-connector/internal/memory"
	"github.com/sendsafely/chatbot-connector/internal/sendsafely"
)

// ours retrieves file f as `make run` wires retrieval
// (cmd/connector-dev/files.go): the upload is made (GenerateID) and its
// notification accepted in verified mode (Notify reads the package from
// the stand-in), untimed; then the package's fan-out job is sent to
// in-process jobs running connector.Retriever, and the time and memory
// are those of the jobs until the last ends. The manifest must then show
// the file stored. rangeParts is FILES_RANGE_PARTS (0: the default): a
// file of more parts is retrieved in ranges, whose jobs run at once.
func ours(s setup, f setupFile, dir string, rangeParts int) (result, error) {
	ctx := context.Background()
	priv, err := os.ReadFile(s.PrivateKeyFile)
	if err != nil {
		return result{}, err
	}
	keys := memory.NewKeys(connector.KeySet{ValidationKey: connector.Secret(s.ValidationKey),
		Trusted: connector.TrustedKey{APIKey: connector.Secret(s.APIKey), APISecret: connector.Secret(s.APISecret),
			KeyID: s.KeyID, PrivateKey: connector.Secret(priv)}})
	client := sendsafely.New(s.URL)
	svc, err := connector.New(connector.Settings{SendSafelyHost: s.Host, DropzoneID: s.DropzoneID,
		UploadPageURL: "https://files.sendsafely.com/html/cb_upload.htm",
		UploadTTL:     24 * time.Hour, LinkTTL: 168 * time.Hour, WebhookMaxAge: time.Hour,
	}, connector.Deps{Store: &memory.Store{}, Publisher: &memory.Publisher{}, Keys: keys, Dropzone: dropzone.Codec{},
		SendSafely: client, NewID: func() (string, error) { return f.UploadID, nil }})
	if err != nil {
		return result{}, err
	}
	store, err := dirstore.New(dir)
	if err != nil {
		return result{}, err
	}
	defer store.Close()
	var mu sync.Mutex
	var failed []error
	jobs := &memory.Jobs{Done: func(job connector.FileJob, err error) {
		if err != nil {
			mu.Lock()
			failed = append(failed, fmt.Errorf("job %s range %d: %w", job.FileID, job.Range, err))
			mu.Unlock()
		}
	}}
	r, err := svc.Retriever(connector.RetrievalSettings{Prefix: "uploads/", RangeParts: rangeParts}, client, store, jobs)
	if err != nil {
		return result{}, err
	}
	jobs.Run = r.Retrieve

	if _, err := svc.GenerateID(ctx, connector.GenerateRequest{Email: connector.Email(s.Email), ConversationID: "bench"}); err != nil {
		return result{}, err
	}
	data, digest := dropzone.Encode(dropzone.Payload{UploadID: f.UploadID, Email: s.Email, PackageID: f.PackageID,
		PackageCode: f.PackageCode, DropzoneID: s.DropzoneID, SubmittedAt: time.Now().Add(-time.Minute).Format(time.RFC3339)},
		[]byte(s.ValidationKey))
	if _, err := svc.Notify(ctx, connector.Notice{Data: data, Digest: digest, SecureLink: connector.Link(f.Link)}); err != nil {
		return result{}, fmt.Errorf("notify: %w", err)
	}

	runtime.GC()
	base, start, err := startWork()
	if err != nil {
		return result{}, err
	}
	if err := jobs.Send(ctx, []connector.FileJob{{UploadID: f.UploadID, PackageID: f.PackageID}}); err != nil {
		return result{}, err
	}
	jobs.Wait()
	var res result
	if err := endWork(&res, base, start); err != nil {
		return result{}, err
	}
	if len(failed) > 0 {
		return result{}, errors.Join(failed...)
	}
	links, err := svc.GetLink(ctx, connector.LinkRequest{UploadID: f.UploadID, Email: connector.Email(s.Email)})
	if err != nil {
		return result{}, err
	}
	if len(links.Files) != 1 || links.Files[0].Stored != connector.StoredDone || links.Files[0].Sha256 != f.Sha256 {
		return result{}, fmt.Errorf("the manifest after retrieval is %+v, want the file stored with sha256 %s", links.Files, f.Sha256)
	}
	res.Path, res.Bytes = links.Files[0].Location, links.Files[0].Size
	return res, nil
}

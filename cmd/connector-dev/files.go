package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"

	"github.com/sendsafely/chatbot-connector/internal/config"
	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/content"
	"github.com/sendsafely/chatbot-connector/internal/dirstore"
	"github.com/sendsafely/chatbot-connector/internal/memory"
	"github.com/sendsafely/chatbot-connector/internal/wiring"
)

// filesDirName is where a local run puts retrieved files in the data
// folder unless FILES_DIR names another directory.
const filesDirName = "files"

// localFiles is retrieval in a local run: the directory store and an
// in-process files queue (memory.Jobs) in place of S3 and SQS.
type localFiles struct {
	store *dirstore.Store
	jobs  *memory.Jobs
	// svc is the service the jobs run on; the file callback's deliverer
	// reads the same store through it.
	svc *connector.Service
}

// retrieveFiles turns retrieval on in an embedded backend in verified
// mode: FILES_DIR (default <data>/files) becomes the directory store,
// each upload.submitted the publisher writes starts its package's
// fan-out, as the topic's subscription to the files queue does when
// deployed, and the jobs run in the process with the same
// connector.Retriever. A job that fails is logged and not tried again:
// locally there is no queue to retry from. read_file's download links
// are presign's. It chains onto the events' deliver hook, so other local
// subscribers (callbacks) keep theirs.
func (b *backend) retrieveFiles(logs io.Writer, presign dirstore.Presigner) error {
	if b.kind != backendEmbedded || b.local == nil {
		return nil
	}
	dir := b.cfg.Files.Dir
	if strings.TrimSpace(dir) == "" {
		dir = filepath.Join(b.dataDir, filesDirName)
	}
	store, err := dirstore.New(dir, dirstore.WithPresigner(presign))
	if err != nil {
		return fmt.Errorf("config: %s: %w", config.FilesDir, err)
	}
	b.cfg.Files.Dir = dir
	// list_files and read_file read what retrieval stored.
	parts := b.parts
	parts.Stored, parts.Renderer = store, content.New(content.Limits{})
	svc, err := wiring.Service(b.cfg, parts, wiring.Platform{})
	if err != nil {
		store.Close()
		return err
	}
	log := slog.New(slog.NewJSONHandler(logs, nil))
	jobs := &memory.Jobs{Done: func(job connector.FileJob, err error) {
		if err != nil {
			log.Warn("retrieval", slog.String("route", "files"), slog.Any("job", job),
				slog.String("outcome", "failed"), slog.String("error", err.Error()), slog.String("note", "not retried in a local run"))
			return
		}
		log.Info("retrieval", slog.String("route", "files"), slog.Any("job", job), slog.String("outcome", "done"))
	}}
	src, _ := b.parts.SendSafely.(connector.FileSource) // the stand-in's client (useLocalSendSafely)
	r, err := svc.Retriever(connector.RetrievalSettings{Prefix: b.cfg.Files.Prefix, RangeParts: b.cfg.Files.RangeParts},
		src, store, jobs)
	if err != nil {
		store.Close()
		return err
	}
	jobs.Run = r.Retrieve
	prev := b.events.deliver
	b.events.deliver = func(ev connector.Event) {
		if prev != nil {
			prev(ev)
		}
		if ev.Type == connector.EventSubmitted {
			_ = jobs.Send(context.Background(), []connector.FileJob{{UploadID: ev.UploadID, PackageID: ev.PackageID}})
		}
	}
	b.files, b.parts = &localFiles{store: store, jobs: jobs, svc: svc}, parts
	return nil
}

// close waits for the jobs under way and releases the directory.
func (f *localFiles) close() error {
	if f == nil {
		return nil
	}
	f.jobs.Wait()
	return f.store.Close()
}

package connector_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"sync"
	"testing"

	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/wiring/connectortest"
)

const filesPackage = "PKG-FILES-1"

// fileSpec is a file of the test package: its name and the plaintext of
// its parts.
type fileSpec struct {
	id, name string
	parts    [][]byte
}

// filesEnv is a stored package with a manifest of accepted files, their
// content at a SendSafely stand-in, and a retriever over in-memory parts.
type filesEnv struct {
	*connectortest.Env
	svc      *connector.Service
	r        *connector.Retriever
	src      *connectortest.Source
	objs     *connectortest.Objects
	q        *connectortest.Jobs
	pkgs     *connectortest.Packages
	uploadID string
}

type filesOption func(*connector.Settings, *connector.RetrievalSettings)

func rangeParts(n int) filesOption {
	return func(_ *connector.Settings, r *connector.RetrievalSettings) { r.RangeParts = n }
}

func withNames(s *connector.Settings, _ *connector.RetrievalSettings) {
	s.EventsIncludeFileNames = true
}

func newFilesEnv(t *testing.T, files []fileSpec, opts ...filesOption) *filesEnv {
	t.Helper()
	ctx := t.Context()
	set, rset := connectortest.Settings(), connector.RetrievalSettings{Prefix: "uploads/"}
	for _, o := range opts {
		o(&set, &rset)
	}
	ce := connectortest.New(t, connectortest.WithSettings(func(s *connector.Settings) { *s = set }))
	e := &filesEnv{Env: ce, src: &connectortest.Source{}, objs: &connectortest.Objects{}, q: &connectortest.Jobs{},
		pkgs: &connectortest.Packages{}}
	deps := ce.Deps(connectortest.SequentialIDs())
	deps.SendSafely = e.pkgs
	deps.Objects = e.objs
	svc, err := connector.New(set, deps)
	if err != nil {
		t.Fatal(err)
	}
	e.svc = svc
	up, err := svc.GenerateID(ctx, connector.GenerateRequest{Email: connectortest.FixtureEmail, ConversationID: "chat/42"})
	if err != nil {
		t.Fatal(err)
	}
	e.uploadID = up.ID
	if _, err := svc.Notify(ctx, connectortest.Sign(t, ce.Payload(up.ID, filesPackage), connectortest.FixtureKey)); err != nil {
		t.Fatalf("Notify: %v", err)
	}
	var manifest []connector.File
	var listed []connector.PackageFile
	for _, f := range files {
		var size int64
		for _, p := range f.parts {
			size += int64(len(p))
		}
		manifest = append(manifest, connector.File{ID: f.id, Name: f.name, Size: size, Type: "application/octet-stream",
			Status: connector.FileAccepted})
		listed = append(listed, connector.PackageFile{ID: f.id, Name: f.name, Size: size, Parts: len(f.parts)})
		e.src.Put(f.id, f.parts...)
	}
	if err := connector.SetFiles(ctx, svc, up.ID, filesPackage, manifest); err != nil {
		t.Fatal(err)
	}
	e.pkgs.Put(filesPackage, listed...)
	ce.Keys.Set(connector.KeySet{ValidationKey: connectortest.FixtureKey, Trusted: connectortest.Trusted})
	if e.r, err = svc.Retriever(rset, e.src, e.objs, e.q); err != nil {
		t.Fatal(err)
	}
	return e
}

// fanOut is the package's fan-out job, as upload.submitted brings it.
func (e *filesEnv) fanOut() connector.FileJob {
	return connector.FileJob{UploadID: e.uploadID, PackageID: filesPackage}
}

// drain runs the fan-out, then every job it sent, each delivered times
// times, all at once; it fails the test on an error.
func (e *filesEnv) drain(t *testing.T, times int) {
	t.Helper()
	if err := e.r.Retrieve(t.Context(), e.fanOut()); err != nil {
		t.Fatalf("fan-out: %v", err)
	}
	jobs := e.q.Take()
	errs := make([]error, len(jobs)*times)
	var wg sync.WaitGroup
	for i := range errs {
		wg.Go(func() { errs[i] = e.r.Retrieve(context.Background(), jobs[i%len(jobs)]) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("job %+v: %v", jobs[i%len(jobs)], err)
		}
	}
}

// files returns the package's manifest.
func (e *filesEnv) files(t *testing.T) []connector.File {
	t.Helper()
	files, err := connector.FilesOf(t.Context(), e.svc, e.uploadID, filesPackage)
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// stored returns the upload.stored events published.
func (e *filesEnv) stored() []connector.Event {
	var out []connector.Event
	for _, ev := range e.Published().Events() {
		if ev.Type == connector.EventStored {
			out = append(out, ev)
		}
	}
	return out
}

// blob returns n bytes that start with head, the rest a pattern seeded by
// seed.
func blob(head string, n int, seed byte) []byte {
	b := bytes.Repeat([]byte{seed, seed + 1, seed + 2, '\n'}, n/4+1)[:n]
	copy(b, head)
	return b
}

func sum(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

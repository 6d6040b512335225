package mcp_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/sendsafely/chatbot-connector/internal/apigw"
	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/content"
	"github.com/sendsafely/chatbot-connector/internal/dropzone"
	"github.com/sendsafely/chatbot-connector/internal/tools"
	"github.com/sendsafely/chatbot-connector/internal/wiring"
	"github.com/sendsafely/chatbot-connector/internal/wiring/connectortest"
)

// filesLocal is the local connector in verified mode with retrieval:
// SendSafely's packages and files in memory (connectortest), the files
// stored in memory, and read_file rendering them with internal/content,
// as the function does.
type filesLocal struct {
	*local
	pkgs *connectortest.Packages
	src  *connectortest.Source
	jobs *connectortest.Jobs
	r    *connector.Retriever
}

// startLocalFiles starts a filesLocal.
func startLocalFiles(t *testing.T) *filesLocal {
	t.Helper()
	e := connectortest.New(t, connectortest.WithSettings(func(s *connector.Settings) { s.SendSafelyHost, s.DropzoneID = testHost, testDZ }),
		connectortest.WithKeys(connector.KeySet{ValidationKey: testKey, APIToken: testToken, Trusted: connectortest.Trusted}),
		connectortest.WithNow(time.Now().UTC().Truncate(time.Second)), connectortest.WithIDs(connectortest.RandomIDs))
	l := &filesLocal{local: &local{keys: e.Keys, clock: e.Clock}, pkgs: &connectortest.Packages{}, src: &connectortest.Source{},
		jobs: &connectortest.Jobs{}}
	objs := &connectortest.Objects{}
	deps := e.Deps(connectortest.RandomIDs)
	deps.SendSafely, deps.Objects, deps.Renderer = l.pkgs, objs, content.New(content.Limits{})
	svc, err := connector.New(e.Settings, deps)
	if err != nil {
		t.Fatal(err)
	}
	if l.r, err = svc.Retriever(connector.RetrievalSettings{Prefix: "uploads/"}, l.src, objs, l.jobs); err != nil {
		t.Fatal(err)
	}
	entry, err := wiring.NewEntry(svc, apigw.Options{AllowedOrigins: []string{"https://files.sendsafely.com"}, Now: l.clock.Now}, tools.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(entry.HTTP)
	t.Cleanup(ts.Close)
	l.url = ts.URL
	return l
}

// sentFile is a file of a package: its id, name and content.
type sentFile struct {
	id, name string
	data     []byte
}

// submitFiles makes package packageID of files at SendSafely for the
// upload, posts the page's notification, and retrieves every file as the
// files queue would; it fails t unless each step succeeds. It returns the
// package's secure link.
func (l *filesLocal) submitFiles(t *testing.T, uploadID, packageID string, files ...sentFile) string {
	t.Helper()
	var listed []connector.PackageFile
	for _, f := range files {
		listed = append(listed, connector.PackageFile{ID: f.id, Name: f.name, Size: int64(len(f.data)), Parts: 1})
		l.src.Put(f.id, f.data)
	}
	code := "pc-" + packageID
	l.pkgs.PutSubmitted(packageID, uploadID, testEmail, code, listed...)
	p := dropzone.Payload{UploadID: uploadID, Email: testEmail, PackageID: packageID, PackageCode: code,
		DropzoneID: testDZ, SubmittedAt: l.clock.Now().Format(time.RFC3339)}
	f := dropzone.Form(p, []byte(testKey), testHost, connectortest.LinkKey)
	resp, err := http.Post(l.url+"/webhook", "application/x-www-form-urlencoded", strings.NewReader(f.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("webhook: %d %s", resp.StatusCode, b)
	}
	ctx := context.Background()
	if err := l.r.Retrieve(ctx, connector.FileJob{UploadID: uploadID, PackageID: packageID}); err != nil {
		t.Fatalf("fan-out: %v", err)
	}
	for _, job := range l.jobs.Take() {
		if err := l.r.Retrieve(ctx, job); err != nil {
			t.Fatalf("job %+v: %v", job, err)
		}
	}
	return f.Get("secureLink")
}

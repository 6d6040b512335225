package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sendsafely/chatbot-connector/internal/sendsafely/sendsafelytest"
)

// TestSDKPackageVerified: a package that SendSafely's own Node.js SDK,
// unchanged, made at make run's SendSafely stand-in (label = the upload
// id, two files uploaded with the SDK's encryption, the keycode encrypted
// to the local Trusted Browser key, finalized) and that no browser
// reported is found by getLink's lookup and confirmed by the connector in
// verified mode: Success with the SDK's own link, and a manifest equal to
// what the SDK uploaded (ids, names, sizes, in the SDK's order).
func TestSDKPackageVerified(t *testing.T) {
	d := startDevVerified(t, t.TempDir(), nil)
	local := d.backend.local
	// The customer's own client: its API user is the uploader, the
	// email the upload is bound to.
	local.ss.SetUserEmail(testEmail)
	id, _ := d.generateID(t)
	dir := t.TempDir()
	var paths []string
	for name, content := range map[string][]byte{"a.txt": []byte("hello"), "b.bin": make([]byte, 3_000_000)} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, content, 0o600); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	var up sendsafelytest.SDKUpload
	local.ss.RunSDK(t, "../../internal/sendsafely/testdata/sdk", local.url, "upload.js", map[string]any{"label": id, "files": paths}, &up)

	m := d.getLink(t, id)
	if m["Result"] != "Success" {
		t.Fatalf("getLink: %v, want Success through the lookup", m)
	}
	if diff := cmp.Diff(linkParts(t, up.Link), linkParts(t, m["SecureLink"].(string))); diff != "" {
		t.Errorf("SecureLink (-the SDK's +got):\n%s", diff)
	}
	type entry struct {
		ID, Name string
		Size     int64
	}
	var want, got []entry
	for _, f := range up.Files {
		want = append(want, entry{f.FileID, f.FileName, f.FileSize})
	}
	manifest, _ := m["Files"].([]any)
	for _, e := range manifest {
		f, _ := e.(map[string]any)
		size, _ := f["Size"].(float64)
		id, _ := f["Id"].(string)
		name, _ := f["Name"].(string)
		got = append(got, entry{id, name, int64(size)})
	}
	if diff := cmp.Diff(want, got); diff != "" || len(want) != 2 {
		t.Errorf("getLink's Files (-the SDK's +got):\n%s", diff)
	}
	files, err := local.ss.Files(up.PackageID)
	if err != nil || len(files) != 2 {
		t.Errorf("the stand-in holds %v (%v), want the SDK's two files", files, err)
	}
}

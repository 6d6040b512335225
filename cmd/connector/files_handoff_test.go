package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

// TestFilesReachTheCallback: in verified mode, the signed callback of a
// package with files carries the full manifest, names included, even
// with EVENTS_INCLUDE_FILE_NAMES off (the callback carries the link
// already), and a rejected file with its reason.
func TestFilesReachTheCallback(t *testing.T) {
	v := newVerifiedCloud(t)
	rc, srv := v.callbackReceiver(t)
	h := v.withPolicy(t, map[string]string{"CALLBACK_URL": srv.URL + "/hook", "DELIVERY_QUEUE_URL": v.queueURL, "ALLOWED_FILE_TYPES": "pdf"})

	const email = "customer@example.com"
	id := v.generate(t, email)
	if st, err := post(h, v.uploadFiles(t, id, email, file{"statement.pdf", 1200}, file{"notes.exe", 7}).Encode()); err != nil || st != 200 {
		t.Fatalf("webhook: %d, %v", st, err)
	}
	v.deliverQueued(t, h, 1)

	rc.mu.Lock()
	defer rc.mu.Unlock()
	if len(rc.bad) != 0 || len(rc.got) != 1 {
		t.Fatalf("receiver: %d verified, %d refused", len(rc.got), len(rc.bad))
	}
	ev := rc.got[0]
	files, _ := ev["files"].([]any)
	var got []string
	for _, f := range files {
		m, _ := f.(map[string]any)
		got = append(got, fmt.Sprint(m["name"], " ", m["size"], " ", m["type"], " ", m["status"], " ", m["reason"]))
	}
	want := []string{"statement.pdf 1200 application/pdf accepted <nil>", "notes.exe 7 application/vnd.microsoft.portable-executable rejected type"}
	if fmt.Sprint(got) != fmt.Sprint(want) || ev["fileCount"] != 2.0 || ev["totalSize"] != 1207.0 || ev["type"] != "upload.submitted" {
		t.Errorf("callback files %q (fileCount %v, totalSize %v), want %q", got, ev["fileCount"], ev["totalSize"], want)
	}
}

// connectEndpoint plays Amazon Connect's UpdateContact endpoint and keeps
// the JSON bodies it was sent.
type connectEndpoint struct {
	mu     sync.Mutex
	bodies []map[string]any
	paths  []string
}

func (c *connectEndpoint) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var body map[string]any
	_ = json.NewDecoder(r.Body).Decode(&body)
	c.mu.Lock()
	c.bodies, c.paths = append(c.bodies, body), append(c.paths, r.Method+" "+r.URL.Path)
	c.mu.Unlock()
	w.Header().Set("content-type", "application/json")
	_, _ = w.Write([]byte(`{}`))
}

// TestFilesReachAmazonConnect: in verified mode, the contact an upload
// was made for gets, in the one UpdateContact call that attaches the
// link, a STRING reference Files naming the package's files.
func TestFilesReachAmazonConnect(t *testing.T) {
	v := newVerifiedCloud(t)
	ep := &connectEndpoint{}
	srv := httptest.NewServer(ep)
	t.Cleanup(srv.Close)
	const instance = "arn:aws:connect:us-east-1:123456789012:instance/0f6c4a2e-5d0b-4d8e-9b6a-6f3a2b1c0d9e"
	const contact = "7a1e9b42-3c5d-4e6f-8a9b-0c1d2e3f4a5b"
	// The SDK reads a service's endpoint from the process's environment
	// (as Lambda's is) when AWS_ENDPOINT_URL is set there too, as the
	// harness sets it for moto.
	t.Setenv("AWS_ENDPOINT_URL_CONNECT", srv.URL)
	h := v.withPolicy(t, map[string]string{"CONNECT_INSTANCE_ARN": instance, "DELIVERY_QUEUE_URL": v.queueURL,
		"AWS_ENDPOINT_URL_CONNECT": srv.URL})

	st, up := v.chat(t, `{"action":"generateId","email":"customer@example.com","conversationId":"`+instance+`/contact/`+contact+`"}`)
	if st != 200 {
		t.Fatalf("generateId: %d %v", st, up)
	}
	id := up["UploadId"].(string)
	form := v.uploadFiles(t, id, "customer@example.com", file{"statement.pdf", 1_200_000}, file{"id-front.jpg", 300_000})
	if st, err := post(h, form.Encode()); err != nil || st != 200 {
		t.Fatalf("webhook: %d, %v", st, err)
	}
	v.deliverQueued(t, h, 1)

	ep.mu.Lock()
	defer ep.mu.Unlock()
	if len(ep.bodies) != 1 || ep.paths[0] != "POST /contacts/0f6c4a2e-5d0b-4d8e-9b6a-6f3a2b1c0d9e/"+contact {
		t.Fatalf("Amazon Connect got %v, want one UpdateContact of the contact", ep.paths)
	}
	refs, _ := ep.bodies[0]["References"].(map[string]any)
	files, _ := refs["Files"].(map[string]any)
	link, _ := refs["Secure upload"].(map[string]any)
	if want := "2 files, 1.5 MB: statement.pdf, id-front.jpg"; files["Type"] != "STRING" || files["Value"] != want || link["Value"] != form.Get("secureLink") {
		t.Errorf("references %v, want Files %q beside the link", refs, want)
	}
}

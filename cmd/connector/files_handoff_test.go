package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

// TestFilesReachTheCallback: in verified mode, the signed callback of a
// package with files carries the full manifest, names included, even
// with EVENTS_INCLUDE_FILE_NAMES off (the callback carries the link
// already), and a rejected file with its reason.
func TestFilesReachTheCallback(t *testing.T) {
	v := newVerifiedCloud(t)
	secret := []byte("0123456789abcdefghijklmnopqrstuv")
	rc := &receiver{secret: secret}
	srv := httptest.NewServer(rc)
	t.Cleanup(srv.Close)
	var fields map[string]string
	out, err := v.sm.GetSecretValue(context.Background(), &secretsmanager.GetSecretValueInput{SecretId: aws.String(v.vars["SECRET_ARN"])})
	if err != nil || json.Unmarshal([]byte(aws.ToString(out.SecretString)), &fields) != nil {
		t.Fatalf("secret: %v", err)
	}
	fields["callbackSecret"] = "whsec_" + base64.StdEncoding.EncodeToString(secret)
	raw, _ := json.Marshal(fields)
	if _, err := v.sm.PutSecretValue(context.Background(), &secretsmanager.PutSecretValueInput{SecretId: aws.String(v.vars["SECRET_ARN"]),
		SecretString: aws.String(string(raw))}); err != nil {
		t.Fatal(err)
	}
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

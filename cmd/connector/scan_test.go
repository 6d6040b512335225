package main

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"
)

// scanEvent is GuardDuty's documented sample scan result
// (internal/guardduty/testdata) for bucket and key with status.
func scanEvent(t *testing.T, bucket, key, status string) []byte {
	t.Helper()
	raw, err := os.ReadFile("../../internal/guardduty/testdata/scan-result.json")
	if err != nil {
		t.Fatal(err)
	}
	var ev map[string]any
	if err := json.Unmarshal(raw, &ev); err != nil {
		t.Fatal(err)
	}
	d := ev["detail"].(map[string]any)
	d["s3ObjectDetails"].(map[string]any)["bucketName"] = bucket
	d["s3ObjectDetails"].(map[string]any)["objectKey"] = key
	d["scanResultDetails"].(map[string]any)["scanResultStatus"] = status
	out, _ := json.Marshal(ev)
	return out
}

// TestScanOnMoto: with MALWARE_SCAN=true, stored files wait in scan
// pending and cannot be read; GuardDuty's scan results, through the real
// function, make a clean file readable and keep a threat unreadable; a
// result delivered twice and one for another bucket change nothing; one
// upload.scanned says the package is not all clean.
func TestScanOnMoto(t *testing.T) {
	f := newFilesCloud(t)
	f.h = f.withPolicy(t, map[string]string{"MALWARE_SCAN": "true"})
	const email = "customer@example.com"
	files := map[string][]byte{"notes.txt": []byte("call back on Monday"), "eicar.txt": []byte("pretend this is malware")}
	id := f.generate(t, email)
	f.upload(t, id, email, []string{"notes.txt", "eicar.txt"}, files)
	f.drainFiles(t)
	args := func(extra string) string { return `{"uploadId":"` + id + `","email":"` + email + `"` + extra + `}` }
	list := func() []map[string]any {
		t.Helper()
		st, m, _ := callOn(t, f.h, "POST", "/tools/list_files", args(""), bearer)
		if st != 200 {
			t.Fatalf("list_files: %d %v", st, m)
		}
		return filesOf(t, m, "files")
	}
	read := func(fileID string) map[string]any {
		t.Helper()
		st, m, _ := callOn(t, f.h, "POST", "/tools/read_file", args(`,"fileId":"`+fileID+`"`), bearer)
		if st != 200 {
			t.Fatalf("read_file: %d %v", st, m)
		}
		return m
	}
	lf := list()
	if statuses(lf, "stored") != "stored,stored" || statuses(lf, "scan") != "pending,pending" || statuses(lf, "readable") != "false,false" {
		t.Fatalf("list_files before any verdict: %v", lf)
	}
	if m := read(lf[0]["id"].(string)); m["readable"] != false || m["reason"] != "malware scan pending" || m["text"] != nil {
		t.Errorf("read_file while the scan is pending: %v", m)
	}

	keys := map[string]string{}
	out, err := f.s3.ListObjectsV2(context.Background(), &awss3.ListObjectsV2Input{Bucket: aws.String("customer-files"), Prefix: aws.String("uploads/")})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range out.Contents {
		k := aws.ToString(o.Key)
		keys[k[strings.LastIndex(k, "/")+1:]] = k
	}
	f.drain(t) // the events so far
	for _, ev := range [][]byte{
		scanEvent(t, "customer-files", keys["notes.txt"], "NO_THREATS_FOUND"),
		scanEvent(t, "customer-files", keys["notes.txt"], "NO_THREATS_FOUND"), // at least once
		scanEvent(t, "someone-elses-bucket", keys["eicar.txt"], "NO_THREATS_FOUND"),
		scanEvent(t, "customer-files", "uploads/_unassigned/NO-SUCH/file.txt", "THREATS_FOUND"),
		scanEvent(t, "customer-files", keys["eicar.txt"], "THREATS_FOUND"),
	} {
		if _, err := f.h.Invoke(context.Background(), ev); err != nil {
			t.Fatalf("scan result: %v", err)
		}
	}
	lf = list()
	if statuses(lf, "scan") != "clean,threat" || statuses(lf, "readable") != "true,false" {
		t.Errorf("list_files after the verdicts: %v", lf)
	}
	if m := read(lf[0]["id"].(string)); m["readable"] != true || m["text"] != "call back on Monday" {
		t.Errorf("read_file of the clean file: %v", m)
	}
	if m := read(lf[1]["id"].(string)); m["readable"] != false || m["reason"] != "threat found" || m["downloadUrl"] != nil || m["text"] != nil {
		t.Errorf("read_file of the threat: %v", m)
	}
	var scanned []received
	for _, r := range f.drain(t) {
		if r.Type == "upload.scanned" {
			scanned = append(scanned, r)
		}
	}
	if len(scanned) != 1 || scanned[0].Body["clean"] != false {
		t.Errorf("upload.scanned events %v, want one, not clean", scanned)
	}
}

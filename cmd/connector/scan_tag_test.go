package main

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// tagsAddedEvent is S3's "Object Tags Added" sample event
// (internal/s3events/testdata) for bucket and key, the key as the event
// writes it.
func tagsAddedEvent(t *testing.T, bucket, key string) []byte {
	t.Helper()
	raw, err := os.ReadFile("../../internal/s3events/testdata/object-tags-added.json")
	if err != nil {
		t.Fatal(err)
	}
	var ev map[string]any
	if err := json.Unmarshal(raw, &ev); err != nil {
		t.Fatal(err)
	}
	d := ev["detail"].(map[string]any)
	d["bucket"].(map[string]any)["name"] = bucket
	d["object"].(map[string]any)["key"] = key
	out, _ := json.Marshal(ev)
	return out
}

// TestScanTagOnMoto: with another scanner's tag (cdk-serverless-clamscan's
// scan-status=CLEAN), the object's tags, put through the real S3 client,
// are the verdict that S3's "Object Tags Added" events, through the real
// function, bring: CLEAN is clean and readable, INFECTED a threat (its key
// URL-encoded in the event, a space as "+"); an event for a tag other
// than the scanner's, another bucket, or an object that is not there
// changes nothing; GuardDuty's result is still read; one upload.scanned.
func TestScanTagOnMoto(t *testing.T) {
	f := newFilesCloud(t)
	f.h = f.withPolicy(t, map[string]string{"MALWARE_SCAN": "true", "MALWARE_SCAN_TAG": "scan-status", "MALWARE_CLEAN_VALUE": "CLEAN"})
	const email = "customer@example.com"
	names := []string{"notes.txt", "eicar report.txt", "later.txt"}
	files := map[string][]byte{names[0]: []byte("call back on Monday"), names[1]: []byte("pretend this is malware"), names[2]: []byte("judged by GuardDuty")}
	id := f.generate(t, email)
	f.upload(t, id, email, names, files)
	f.drainFiles(t)
	args := `{"uploadId":"` + id + `","email":"` + email + `"}`
	list := func() []map[string]any {
		t.Helper()
		st, m, _ := callOn(t, f.h, "POST", "/tools/list_files", args, bearer)
		if st != 200 {
			t.Fatalf("list_files: %d %v", st, m)
		}
		return filesOf(t, m, "files")
	}
	ctx := context.Background()
	keys := map[string]string{}
	out, err := f.s3.ListObjectsV2(ctx, &awss3.ListObjectsV2Input{Bucket: aws.String("customer-files"), Prefix: aws.String("uploads/")})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range out.Contents {
		k := aws.ToString(o.Key)
		keys[k[strings.LastIndex(k, "/")+1:]] = k
	}
	if !strings.Contains(keys[names[1]], " ") {
		t.Fatalf("the key of %q has no space: %v", names[1], keys)
	}
	tag := func(key string, tags map[string]string) {
		t.Helper()
		var set []s3types.Tag
		for k, v := range tags {
			set = append(set, s3types.Tag{Key: aws.String(k), Value: aws.String(v)})
		}
		if _, err := f.s3.PutObjectTagging(ctx, &awss3.PutObjectTaggingInput{Bucket: aws.String("customer-files"), Key: aws.String(key),
			Tagging: &s3types.Tagging{TagSet: set}}); err != nil {
			t.Fatal(err)
		}
	}
	invoke := func(ev []byte) {
		t.Helper()
		if _, err := f.h.Invoke(ctx, ev); err != nil {
			t.Fatalf("tags event: %v", err)
		}
	}
	f.drain(t) // the events so far

	tag(keys[names[0]], map[string]string{"owner": "support"}) // not the scanner's tag
	invoke(tagsAddedEvent(t, "customer-files", keys[names[0]]))
	if lf := list(); statuses(lf, "scan") != "pending,pending,pending" {
		t.Fatalf("list_files after another tag: %v", lf)
	}

	tag(keys[names[0]], map[string]string{"owner": "support", "scan-status": "CLEAN"})
	tag(keys[names[1]], map[string]string{"scan-status": "INFECTED"})
	for _, ev := range [][]byte{
		tagsAddedEvent(t, "customer-files", keys[names[0]]),
		tagsAddedEvent(t, "customer-files", keys[names[0]]), // at least once
		tagsAddedEvent(t, "someone-elses-bucket", keys[names[2]]),
		tagsAddedEvent(t, "customer-files", "uploads/_unassigned/NO-SUCH/file.txt"),
		tagsAddedEvent(t, "customer-files", strings.ReplaceAll(keys[names[1]], " ", "+")), // as S3 encodes keys
		scanEvent(t, "customer-files", keys[names[2]], "NO_THREATS_FOUND"),
	} {
		invoke(ev)
	}
	lf := list()
	if statuses(lf, "scan") != "clean,threat,clean" || statuses(lf, "readable") != "true,false,true" {
		t.Errorf("list_files after the verdicts: %v", lf)
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

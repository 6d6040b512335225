package main

import (
	"context"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/sendsafely/chatbot-connector/internal/lambdaentry"
)

// Sizes of the generated files of these tests, as the browser splits them
// (a first part of 655,360 bytes, then 2,621,440).
const (
	// nineParts is 1 + 8 parts: one range by default.
	nineParts = 20_000_000
	// thirteenParts is 1 + 12 parts: with FILES_RANGE_PARTS=2 (made 4 by
	// the 8 MiB floor of a range) three ranges, the last taking the tail.
	thirteenParts = 31_000_000
)

// onlyObject checks that the bucket holds one object, under the key
// uploads/_unassigned/<packageId>/<name>, of the generated content of
// size and seed 1, and no multipart upload.
func onlyObject(t *testing.T, f *filesCloud, packageID, name string, size int64) {
	t.Helper()
	objs := f.objects(t, "")
	key := "uploads/_unassigned/" + packageID + "/" + name
	o, ok := objs[key]
	if len(objs) != 1 || !ok {
		t.Errorf("bucket holds %q, want %s alone", keysOf(objs), key)
	}
	if want := generatedSum(t, size, 1); ok && (o.sha256 != want || o.size != size || o.meta["sha256"] != want) {
		t.Errorf("%s: %d bytes, sha256 %s (metadata %s), want %d bytes, %s", key, o.size, o.sha256, o.meta["sha256"], size, want)
	}
	if ups := f.multipartUploads(t); len(ups) != 0 {
		t.Errorf("multipart uploads left: %q", ups)
	}
}

func keysOf(objs map[string]stored) []string {
	var keys []string
	for k := range objs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// oneStoredEvent checks that the subscriber got one upload.stored,
// listing the files with statuses (comma-separated, in order).
func oneStoredEvent(t *testing.T, f *filesCloud, statuses string) map[string]any {
	t.Helper()
	evs := f.eventsOf(t, "upload.stored")
	if len(evs) != 1 {
		t.Fatalf("upload.stored events: %v, want one", evs)
	}
	var got []string
	files, _ := evs[0].Body["files"].([]any)
	for _, e := range files {
		got = append(got, e.(map[string]any)["status"].(string))
	}
	if strings.Join(got, ",") != statuses {
		t.Errorf("upload.stored files: %v, want statuses %s", files, statuses)
	}
	return evs[0].Body
}

// TestRetrieveExpiredURLsOnMoto: the part URLs of a file of several parts
// expire while it downloads (403 "Request has expired" from the part GET
// named, as S3 answers past a presigned URL's expiry); the function asks
// SendSafely for the batch again within the same invocation and stores the
// whole file: nothing lost, nothing twice. The file has the browser's
// parts (1 + 8), or the parts SendSafely's Node.js SDK made (8).
func TestRetrieveExpiredURLsOnMoto(t *testing.T) {
	for _, tt := range []struct {
		name     string
		sdk      bool
		expireAt []int // part GETs (1-based) before which the URLs expire
	}{
		{"before the first part", false, []int{1}},
		{"mid-file", false, []int{5}},
		{"twice", false, []int{3, 8}},
		{"mid-file, made by the SDK", true, []int{4}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := newFilesCloud(t)
			proxy := f.proxySendSafely(t)
			const email = "customer@example.com"
			id := f.generate(t, email)
			files := []sdkFile{{"statement.bin", nineParts}}
			var pkgID string
			if tt.sdk {
				pkgID = byTheSDK(t, f, id, email, files).id
			} else {
				pkgID, _ = f.generatedUpload(t, id, email, files)
			}
			made, err := f.ss.Files(pkgID)
			if err != nil || len(made) != 1 || made[0].Parts < 8 {
				t.Fatalf("the stand-in's files %v (%v), want one of 8 parts or more", made, err)
			}
			proxy.set(func(n int) {
				for _, at := range tt.expireAt {
					if n == at {
						f.ss.ExpirePartURLs(true)
					}
				}
			}, func(int) { f.ss.ExpirePartURLs(false) }) // a new batch is valid
			f.drain(t)
			f.drainFiles(t) // fails the test if a message is to be retried
			parts, urls := proxy.counts()
			if want := made[0].Parts + len(tt.expireAt); urls != 1+len(tt.expireAt) || parts < want {
				t.Errorf("%d download-urls calls and %d part GETs, want %d calls (the batch asked for again after each expiry) and at least %d GETs",
					urls, parts, 1+len(tt.expireAt), want)
			}
			// writeFiles and the stand-in make the same content from seed 1.
			onlyObject(t, f, pkgID, "statement.bin", nineParts)
			oneStoredEvent(t, f, "stored")
		})
	}
}

// handleAtOnce hands each message to its own function instance, all at
// the same moment, as parallel invocations of the event source mapping,
// and deletes each that no instance names as failed. It returns the
// failed ones.
func (f *filesCloud) handleAtOnce(t *testing.T, msgs []sqstypes.Message) []sqstypes.Message {
	t.Helper()
	hs := make([]*lambdaentry.Entry, len(msgs))
	for i := range hs {
		hs[i] = f.instance(t)
	}
	bad := make([]bool, len(msgs))
	errs := make([]error, len(msgs))
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, m := range msgs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			failed, err := handleBatch(hs[i], []sqstypes.Message{m})
			bad[i], errs[i] = failed[aws.ToString(m.MessageId)], err
		}()
	}
	close(start)
	wg.Wait()
	var failed []sqstypes.Message
	deleted := map[string]bool{} // a message delivered twice is deleted once
	for i, m := range msgs {
		if errs[i] != nil {
			t.Fatalf("files batch: %v", errs[i])
		}
		if bad[i] {
			failed = append(failed, m)
		} else if h := aws.ToString(m.ReceiptHandle); !deleted[h] {
			deleted[h] = true
			f.deleteMessage(t, m)
		}
	}
	return failed
}

// rangeJobs checks that jobs are the ranges 0 … n-1 (n ≥ 3) of one file
// and returns them in range order.
func rangeJobs(t *testing.T, jobs []sqstypes.Message) []sqstypes.Message {
	t.Helper()
	sort.Slice(jobs, func(i, j int) bool { return jobOf(jobs[i]).Range < jobOf(jobs[j]).Range })
	for i, m := range jobs {
		if j := jobOf(m); j.FileID == "" || j.FileID != jobOf(jobs[0]).FileID || j.Range != i {
			t.Fatalf("job %d: %+v, want range %d of one file", i, j, i)
		}
	}
	if len(jobs) < 3 {
		t.Fatalf("%d range messages, want at least 3 for a file of 13 parts with FILES_RANGE_PARTS=2", len(jobs))
	}
	return jobs
}

// TestRetrieveRangesOnMoto: with FILES_RANGE_PARTS=2 a file of thirteen
// SendSafely parts is planned as several range messages; handled by
// parallel invocations (one message delivered twice at once), or one
// after another with the last range first, the ranges are written as
// blocks of one multipart upload that the last to finish completes: one
// object with the file's sha256, no upload left, one upload.stored.
func TestRetrieveRangesOnMoto(t *testing.T) {
	for _, tt := range []struct {
		name string
		run  func(t *testing.T, f *filesCloud, jobs []sqstypes.Message)
	}{
		{"in parallel, the first range twice", func(t *testing.T, f *filesCloud, jobs []sqstypes.Message) {
			if failed := f.handleAtOnce(t, append([]sqstypes.Message{jobs[0]}, jobs...)); len(failed) != 0 {
				t.Errorf("%d range messages failed", len(failed))
			}
		}},
		{"one after another, the last range first", func(t *testing.T, f *filesCloud, jobs []sqstypes.Message) {
			for i := len(jobs) - 1; i >= 0; i-- {
				if failed := f.handle(t, jobs[i:i+1]); len(failed) != 0 {
					t.Errorf("range %d failed", i)
				}
				if i > 0 && len(f.objects(t, "uploads/")) != 0 {
					t.Errorf("an object exists before the last range is written (range %d)", i)
				}
			}
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f, _ := newKMSFilesCloud(t, map[string]string{"FILES_RANGE_PARTS": "2"})
			const email = "customer@example.com"
			id := f.generate(t, email)
			pkgID, _ := f.generatedUpload(t, id, email, []sdkFile{{"scan.bin", thirteenParts}})
			f.drain(t)
			jobs := rangeJobs(t, f.fanOut(t))
			tt.run(t, f, jobs)
			if n := f.drainFiles(t); n != 0 {
				t.Errorf("%d more messages after the ranges, want none", n)
			}
			onlyObject(t, f, pkgID, "scan.bin", thirteenParts)
			if lf := f.listFiles(t, id, email); statuses(lf, "stored") != "stored" {
				t.Errorf("list_files: %v", lf)
			}
			oneStoredEvent(t, f, "stored")
		})
	}
}

// TestRetrieveCorruptPartOnMoto: one part served with a byte flipped (its
// integrity check fails) fails its file at once, whichever range it is
// in: no object under the final key or the staging prefix, the multipart
// upload aborted (moto lists none), the file failed in list_files and
// getLink, and one upload.stored saying so. No message is retried: a part
// that does not verify never heals.
func TestRetrieveCorruptPartOnMoto(t *testing.T) {
	for _, tt := range []struct {
		name       string
		rangeParts string
		corrupt    int // the part served corrupt
	}{
		{"one range, after a part is written", "", 8},
		{"the last of three ranges, in parallel", "2", 11},
		{"the first of three ranges, in parallel", "2", 2},
	} {
		t.Run(tt.name, func(t *testing.T) {
			vars := map[string]string{}
			if tt.rangeParts != "" {
				vars["FILES_RANGE_PARTS"] = tt.rangeParts
			}
			f, _ := newKMSFilesCloud(t, vars)
			const email = "customer@example.com"
			id := f.generate(t, email)
			_, made := f.generatedUpload(t, id, email, []sdkFile{{"payslip.bin", thirteenParts}})
			f.ss.CorruptPart(made[0].ID, tt.corrupt, true)
			f.drain(t)
			jobs := f.fanOut(t)
			if tt.rangeParts != "" {
				if failed := f.handleAtOnce(t, rangeJobs(t, jobs)); len(failed) != 0 {
					t.Errorf("%d range messages to be retried, want none", len(failed))
				}
			} else if failed := f.handle(t, jobs); len(failed) != 0 {
				t.Errorf("%d messages to be retried, want none", len(failed))
			}
			f.drainFiles(t)

			if objs := f.objects(t, ""); len(objs) != 0 {
				t.Errorf("bucket holds %q, want nothing", keysOf(objs))
			}
			if ups := f.multipartUploads(t); len(ups) != 0 {
				t.Errorf("multipart uploads left: %q, want the write aborted", ups)
			}
			if lf := f.listFiles(t, id, email); statuses(lf, "stored") != "failed" || statuses(lf, "readable") != "false" {
				t.Errorf("list_files: %v, want the file failed, unreadable", lf)
			}
			if m := f.manifest(t, id, email); m[0]["Stored"] != "failed" || m[0]["Location"] != nil || m[0]["Sha256"] != nil {
				t.Errorf("getLink's file: %v, want failed with no location or sha256", m[0])
			}
			ev := oneStoredEvent(t, f, "failed")
			if ef := ev["files"].([]any)[0].(map[string]any); ef["id"] != made[0].ID || ef["location"] != nil || ef["sha256"] != nil {
				t.Errorf("upload.stored file: %v, want %s with no location or sha256", ef, made[0].ID)
			}
		})
	}
}

// TestRetrieveSendSafelyDownOnMoto: SendSafely answers 503 while a file
// is retrieved; the file's message fails and goes back to the queue after
// its delay (not visible at once), the file still pending and no object
// stored; SendSafely back, the message's next delivery completes the file
// whole, with no multipart upload left from the failed attempt.
func TestRetrieveSendSafelyDownOnMoto(t *testing.T) {
	for _, tt := range []struct {
		name string
		// down takes SendSafely down for the file's job.
		down func(f *filesCloud, proxy *faultProxy)
		// parts is how many part GETs the failed attempt makes at least.
		parts int
	}{
		{"before the file's job", func(f *filesCloud, _ *faultProxy) { f.ss.SetDown(true) }, 0},
		{"mid-file, its URLs expired", func(f *filesCloud, proxy *faultProxy) {
			proxy.set(func(n int) {
				if n == 4 {
					f.ss.ExpirePartURLs(true)
					f.ss.SetDown(true)
				}
			}, nil)
		}, 4},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f, _ := newKMSFilesCloud(t, nil)
			proxy := f.proxySendSafely(t)
			const email = "customer@example.com"
			id := f.generate(t, email)
			pkgID, _ := f.generatedUpload(t, id, email, []sdkFile{{"contract.bin", nineParts}})
			f.drain(t)
			jobs := f.fanOut(t)
			tt.down(f, proxy)
			failed := f.handle(t, jobs)
			if len(failed) != 1 {
				t.Fatalf("%d of %d messages failed, want the file's", len(failed), len(jobs))
			}
			if parts, _ := proxy.counts(); parts < tt.parts {
				t.Errorf("the failed attempt made %d part GETs, want at least %d", parts, tt.parts)
			}
			if again := f.receive(t); len(again) != 0 {
				t.Errorf("%d messages visible at once, want the failed one hidden for its retry delay", len(again))
			}
			if lf := f.listFiles(t, id, email); statuses(lf, "stored") != "pending" {
				t.Errorf("list_files while SendSafely is down: %v, want pending", lf)
			}
			if objs := f.objects(t, "uploads/"); len(objs) != 0 {
				t.Errorf("objects while SendSafely is down: %q", keysOf(objs))
			}
			if evs := f.eventsOf(t, "upload.stored"); len(evs) != 0 {
				t.Errorf("upload.stored while SendSafely is down: %v", evs)
			}

			f.ss.SetDown(false)
			f.ss.ExpirePartURLs(false)
			// The retry delay passes.
			if _, err := f.sqs.ChangeMessageVisibility(context.Background(), &sqs.ChangeMessageVisibilityInput{QueueUrl: &f.filesURL,
				ReceiptHandle: failed[0].ReceiptHandle, VisibilityTimeout: 0}); err != nil {
				t.Fatal(err)
			}
			retry := f.receive(t)
			if len(retry) != 1 || aws.ToString(retry[0].MessageId) != aws.ToString(failed[0].MessageId) || retry[0].Attributes["ApproximateReceiveCount"] != "2" {
				t.Fatalf("after the delay: %d messages, want the failed one, received a second time", len(retry))
			}
			if again := f.handle(t, retry); len(again) != 0 {
				t.Fatal("the retry failed with SendSafely back")
			}
			onlyObject(t, f, pkgID, "contract.bin", nineParts)
			oneStoredEvent(t, f, "stored")
		})
	}
}

// TestRetrieveRedeliveredOnMoto: each file's message delivered three
// times, one after another or at once on three instances, leaves one
// object per file and one upload.stored; one after another, the second
// and third deliveries fetch no part again.
func TestRetrieveRedeliveredOnMoto(t *testing.T) {
	for _, tt := range []struct {
		name   string
		atOnce bool
	}{
		{"one after another", false},
		{"at once", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f, _ := newKMSFilesCloud(t, nil)
			const email = "customer@example.com"
			id := f.generate(t, email)
			files := []sdkFile{{"notes.bin", 1000}, {"scan.bin", nineParts}}
			pkgID, _ := f.generatedUpload(t, id, email, files)
			f.drain(t)
			jobs := f.fanOut(t)
			if len(jobs) != 2 {
				t.Fatalf("%d file messages, want 2", len(jobs))
			}
			for _, m := range jobs {
				thrice := []sqstypes.Message{m, m, m}
				if tt.atOnce {
					if failed := f.handleAtOnce(t, thrice); len(failed) != 0 {
						t.Errorf("%d deliveries failed", len(failed))
					}
					continue
				}
				for i := range thrice {
					before := partGets(f)
					bad, err := handleBatch(f.h, thrice[i:i+1])
					if err != nil || len(bad) != 0 {
						t.Fatalf("delivery %d: %v %v", i+1, bad, err)
					}
					if got := partGets(f) - before; i > 0 && got != 0 {
						t.Errorf("delivery %d fetched %d parts again, want none", i+1, got)
					}
				}
				f.deleteMessage(t, m)
			}
			f.drainFiles(t)
			objs := f.objects(t, "")
			if len(objs) != 2 {
				t.Errorf("bucket holds %q, want the two files", keysOf(objs))
			}
			for i, fl := range files {
				o := objs["uploads/_unassigned/"+pkgID+"/"+fl.name]
				if want := generatedSum(t, fl.size, uint64(i+1)); o.sha256 != want {
					t.Errorf("%s: sha256 %q, want %s", fl.name, o.sha256, want)
				}
			}
			if ups := f.multipartUploads(t); len(ups) != 0 {
				t.Errorf("multipart uploads left: %q", ups)
			}
			oneStoredEvent(t, f, "stored,stored")
		})
	}
}

// partGets counts the part GETs the stand-in has logged.
func partGets(f *filesCloud) int {
	n := 0
	for _, r := range f.ss.Requests() {
		if r.Method == "GET" && strings.HasPrefix(r.Path, "/s3/") {
			n++
		}
	}
	return n
}

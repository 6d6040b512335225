package main

import (
	"fmt"
	"net/url"
	"sort"
	"testing"
)

// madePackage is a package made at the stand-in for a test: its id, and
// each file's id and SHA-256 by name.
type madePackage struct {
	id            string
	fileIDs, sums map[string]string
}

// byTheSDK has SendSafely's Node.js SDK upload files for upload id.
func byTheSDK(t *testing.T, f *filesCloud, id, email string, files []sdkFile) madePackage {
	paths, sums := writeFiles(t, files)
	up := f.sdkUpload(t, id, email, paths)
	mp := madePackage{id: up.PackageID, fileIDs: map[string]string{}, sums: sums}
	for _, sf := range up.Files {
		mp.fileIDs[sf.FileName] = sf.FileID
	}
	return mp
}

// byTheStandIn has the stand-in make files for upload id as the browser
// uploader splits them (a first part of 655,360 bytes, then 2,621,440).
func byTheStandIn(t *testing.T, f *filesCloud, id, email string, files []sdkFile) madePackage {
	pkgID, made := f.generatedUpload(t, id, email, files)
	mp := madePackage{id: pkgID, fileIDs: map[string]string{}, sums: map[string]string{}}
	for i, sf := range made {
		mp.fileIDs[sf.Name], mp.sums[sf.Name] = sf.ID, generatedSum(t, files[i].size, uint64(i+1))
	}
	return mp
}

// TestRetrieveStoredByteForByteOnMoto: packages go through the real
// function on moto, and each file is stored byte for byte (sha256) under
// uploads/<conversation>/<packageId>/<name>, encrypted with the function's
// KMS key and the bucket key, with the contract's metadata and content
// type, and nothing else left in the bucket (no staging object, no
// multipart upload); list_files shows each stored, getLink its sha256 and
// location, and one upload.stored lists them all. The sizes are the edges
// of SendSafely's parts. The first package is made by SendSafely's own
// Node.js SDK (3.1.0, parts of 2,621,440 bytes), 60 MB included; a file of
// whole segments (2,621,440 bytes, 5,242,880) it declares with as many
// parts and follows with one more, empty, which files[] does not count.
// The second is made by the stand-in as the browser splits files (a first
// part of 655,360 bytes, then 2,621,440).
func TestRetrieveStoredByteForByteOnMoto(t *testing.T) {
	for _, tt := range []struct {
		name  string
		make  func(*testing.T, *filesCloud, string, string, []sdkFile) madePackage
		files []sdkFile
	}{
		{"SendSafely's Node.js SDK", byTheSDK, []sdkFile{
			{"empty.txt", 0},
			{"one byte.bin", 1},
			{"one segment.bin", 2_621_440},
			{"one part and a byte.bin", 2_621_441},
			{"two segments.bin", 5_242_880},
			{"sixty MB.bin", 60_000_000},
		}},
		{"the browser's parts", byTheStandIn, []sdkFile{
			{"first part.bin", 655_360},
			{"a byte more.bin", 655_361},
			{"two and a half MiB.bin", 2_621_440},
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f, keyARN := newKMSFilesCloud(t, nil)
			const email = "customer@example.com"
			st, m := f.chat(t, `{"action":"generateId","email":"`+email+`","conversationId":"chat/42"}`)
			if st != 200 {
				t.Fatalf("generateId: %d %v", st, m)
			}
			id := m["UploadId"].(string)
			mp := tt.make(t, f, id, email, tt.files)
			f.drain(t) // upload.submitted
			f.drainFiles(t)

			folder := "uploads/chat%2F42/" + mp.id + "/"
			objs := f.objects(t, "")
			if len(objs) != len(tt.files) {
				var keys []string
				for k := range objs {
					keys = append(keys, k)
				}
				sort.Strings(keys)
				t.Errorf("bucket holds %q, want the %d files and nothing else (no staging object)", keys, len(tt.files))
			}
			for _, fl := range tt.files {
				o, ok := objs[folder+fl.name]
				if !ok {
					t.Errorf("%s: no object under %s", fl.name, folder+fl.name)
					continue
				}
				wantType := "application/octet-stream"
				if fl.name == "empty.txt" {
					wantType = "text/plain" // nothing to sniff: from the name
				}
				want := stored{key: o.key, sha256: mp.sums[fl.name], size: fl.size, contentType: wantType, sse: "aws:kms", kmsKey: keyARN, bucketKey: true,
					meta: map[string]string{"package-id": mp.id, "file-id": mp.fileIDs[fl.name], "sha256": mp.sums[fl.name], "original-name": url.PathEscape(fl.name)}}
				if fmt.Sprint(o) != fmt.Sprint(want) {
					t.Errorf("%s:\n got %+v\nwant %+v", fl.name, o, want)
				}
			}
			if ups := f.multipartUploads(t); len(ups) != 0 {
				t.Errorf("multipart uploads left: %q", ups)
			}

			for _, e := range f.listFiles(t, id, email) {
				if e["stored"] != "stored" || e["readable"] != true {
					t.Errorf("list_files: %v, want stored and readable", e)
				}
			}
			for _, e := range f.manifest(t, id, email) {
				name := fmt.Sprint(e["Name"])
				if e["Stored"] != "stored" || e["Sha256"] != mp.sums[name] || e["Location"] != "s3://"+filesBucket+"/"+folder+name {
					t.Errorf("getLink's %s: %v, want stored with its sha256 and location", name, e)
				}
			}
			evs := f.eventsOf(t, "upload.stored")
			if len(evs) != 1 {
				t.Fatalf("upload.stored events: %v, want one", evs)
			}
			evFiles, _ := evs[0].Body["files"].([]any)
			if len(evFiles) != len(tt.files) || evs[0].Body["packageId"] != mp.id || evs[0].Body["uploadId"] != id {
				t.Fatalf("upload.stored: %v", evs[0].Body)
			}
			for _, e := range evFiles {
				ef := e.(map[string]any)
				var name string
				for n, fid := range mp.fileIDs {
					if fid == ef["id"] {
						name = n
					}
				}
				if ef["status"] != "stored" || ef["sha256"] != mp.sums[name] || ef["location"] != "s3://"+filesBucket+"/"+folder+name || ef["name"] != nil {
					t.Errorf("upload.stored file %v, want %s stored with its sha256 and location, no name", ef, name)
				}
			}
		})
	}
}

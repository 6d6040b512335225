package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/sendsafely/chatbot-connector/internal/dropzone"
	"github.com/sendsafely/chatbot-connector/internal/lambdaentry"
)

// file is a file to put into a stand-in package: a name and a size.
type file struct {
	name string
	size int
}

// uploadFiles is a Dropzone upload of files at the stand-in and the
// notification its page would post.
func (v *verifiedCloud) uploadFiles(t testing.TB, id, email string, files ...file) url.Values {
	t.Helper()
	p := v.ss.CreatePackage(id, email)
	for _, f := range files {
		if _, err := v.ss.AddFile(p.ID, f.name, make([]byte, f.size)); err != nil {
			t.Fatal(err)
		}
	}
	link, err := v.ss.Finalize(p.ID)
	if err != nil {
		t.Fatal(err)
	}
	payload := dropzone.Payload{UploadID: id, Email: email, PackageID: p.ID, PackageCode: p.Code, DropzoneID: itDZ,
		SubmittedAt: time.Now().UTC().Format(time.RFC3339)}
	data, digest := dropzone.Encode(payload, []byte(itKey))
	return url.Values{"data": {data}, "digest": {digest}, "secureLink": {link}}
}

// withPolicy returns a function instance of v's deployment with these
// settings added.
func (v *verifiedCloud) withPolicy(t testing.TB, vars map[string]string) *lambdaentry.Entry {
	t.Helper()
	for k, val := range vars {
		v.vars[k] = val
	}
	return v.instance(t)
}

// files returns the Files (or files) of an answer as name → entry.
func filesOf(t *testing.T, m map[string]any, key string) []map[string]any {
	t.Helper()
	raw, ok := m[key].([]any)
	if !ok {
		t.Fatalf("answer %v has no %s list", m, key)
	}
	out := make([]map[string]any, len(raw))
	for i, r := range raw {
		out[i] = r.(map[string]any)
	}
	return out
}

func statuses(files []map[string]any, status string) string {
	var s []string
	for _, f := range files {
		s = append(s, fmt.Sprint(f[status]))
	}
	return strings.Join(s, ",")
}

// TestFilesOnMoto walks the manifest and the file policy through the
// deployed function in verified mode against the stand-in: getLink and
// every tool surface show the manifest, events name files only when told
// to, a wholly rejected package hands nothing off and leaves the upload
// open, and the table holds no file name in the clear.
func TestFilesOnMoto(t *testing.T) {
	v := newVerifiedCloud(t)
	policy := map[string]string{"ALLOWED_FILE_TYPES": "pdf|image/*, .txt", "MAX_FILE_SIZE": "10KB", "MAX_FILES": "45"}
	h := v.withPolicy(t, policy)
	v.vars["EVENTS_INCLUDE_FILE_NAMES"] = "true"
	withNames := v.instance(t)
	const email = "customer@example.com"
	var names []string // every file name used, for the table scan
	up := func(t *testing.T, h *lambdaentry.Entry, id string, files ...file) {
		t.Helper()
		for _, f := range files {
			names = append(names, f.name)
		}
		if st, err := post(h, v.uploadFiles(t, id, email, files...).Encode()); err != nil || st != 200 {
			t.Fatalf("webhook: %d, %v", st, err)
		}
	}
	getLink := func(t *testing.T, id string) map[string]any {
		t.Helper()
		st, m, _ := callOn(t, h, "POST", "/", `{"action":"getLink","uploadId":"`+id+`","email":"`+email+`"}`, bearer)
		if st != 200 {
			t.Fatalf("getLink: %d %v", st, m)
		}
		return m
	}

	t.Run("manifest in getLink and every tool", func(t *testing.T) {
		id := v.generate(t, email)
		up(t, h, id, file{"statement-q3.pdf", 1000}, file{"installer-q3.exe", 10}, file{"passport-q3.jpg", 500})
		m := getLink(t, id)
		fs := filesOf(t, m, "Files")
		if m["Result"] != "Success" || statuses(fs, "Status") != "accepted,rejected,accepted" || statuses(fs, "Name") != "statement-q3.pdf,installer-q3.exe,passport-q3.jpg" ||
			statuses(fs, "Type") != "application/pdf,application/vnd.microsoft.portable-executable,image/jpeg" || statuses(fs, "Size") != "1000,10,500" {
			t.Errorf("getLink: %v", m)
		}
		if _, ok := fs[0]["PackageId"]; ok || fs[1]["Reason"] != "type" || m["FileCount"] != 3.0 || m["TotalSize"] != 1510.0 {
			t.Errorf("getLink: %v", m)
		}
		if want := "installer-q3.exe was not accepted: allowed types are pdf, image/*, txt."; m["Message"] != want {
			t.Errorf("Message %q, want %q", m["Message"], want)
		}
		args := `{"uploadId":"` + id + `","email":"` + email + `"}`
		st, tm, _ := callOn(t, h, "POST", "/tools/get_secure_link", args, bearer)
		if tf := filesOf(t, tm, "files"); st != 200 || tm["status"] != "Ready" || statuses(tf, "status") != "accepted,rejected,accepted" ||
			tm["fileCount"] != 3.0 || tm["totalSize"] != 1510.0 || tm["message"] != m["Message"] {
			t.Errorf("/tools/get_secure_link: %d %v", st, tm)
		}
		mcp := `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"get_secure_link","arguments":` + args + `}}`
		st, mm, _ := callOn(t, h, "POST", "/mcp", mcp, map[string]string{"authorization": "Bearer " + itToken,
			"content-type": "application/json", "accept": "application/json, text/event-stream", "mcp-protocol-version": "2025-06-18"})
		sc, _ := mm["result"].(map[string]any)["structuredContent"].(map[string]any)
		if st != 200 || sc == nil || statuses(filesOf(t, sc, "files"), "name") != "statement-q3.pdf,installer-q3.exe,passport-q3.jpg" {
			t.Errorf("MCP get_secure_link: %d %v", st, mm)
		}
		bedrock, _ := json.Marshal(map[string]any{"messageVersion": "1.0", "agent": map[string]string{"name": "a", "id": "A", "alias": "T", "version": "DRAFT"},
			"sessionId": "s", "actionGroup": "sendsafely", "function": "get_secure_link",
			"parameters": []map[string]string{{"name": "uploadId", "type": "string", "value": id}, {"name": "email", "type": "string", "value": email}}})
		out, err := h.Invoke(context.Background(), bedrock)
		if err != nil || !strings.Contains(string(out), `\"files\":[`) || !strings.Contains(string(out), `\"fileCount\":3`) {
			t.Errorf("Bedrock: %s, %v", out, err)
		}
		out, err = h.Invoke(gatewayContext("get_secure_link"), []byte(args))
		if err != nil || !strings.Contains(string(out), `"files":[`) || !strings.Contains(string(out), `"status":"rejected"`) {
			t.Errorf("AgentCore: %s, %v", out, err)
		}
		evs := v.drain(t)
		if len(evs) != 1 || evs[0].Type != "upload.submitted" || evs[0].Body["fileCount"] != 3.0 || evs[0].Body["totalSize"] != 1510.0 {
			t.Fatalf("events %+v, want one upload.submitted with the manifest", evs)
		}
		for _, f := range evs[0].Body["files"].([]any) {
			if _, ok := f.(map[string]any)["name"]; ok {
				t.Errorf("event file %v has a name without EVENTS_INCLUDE_FILE_NAMES", f)
			}
		}
		if strings.Contains(fmt.Sprint(evs[0].Body), "q3") {
			t.Errorf("event %v names a file", evs[0].Body)
		}
	})

	t.Run("EVENTS_INCLUDE_FILE_NAMES=true names them", func(t *testing.T) {
		id := v.generate(t, email)
		up(t, withNames, id, file{"named-in-event.pdf", 10})
		evs := v.drain(t)
		if len(evs) != 1 || fmt.Sprint(evs[0].Body["files"]) != "[map[id:"+evs[0].Body["files"].([]any)[0].(map[string]any)["id"].(string)+
			" name:named-in-event.pdf size:10 status:accepted type:application/pdf]]" {
			t.Errorf("events %+v, want the file named", evs)
		}
	})

	t.Run("every file rejected, then a package that passes", func(t *testing.T) {
		id := v.generate(t, email)
		up(t, h, id, file{"too-big-report.pdf", 10_001}, file{"tool-q4.exe", 5})
		m := getLink(t, id)
		if m["Result"] != "Rejected" || m["SecureLink"] != nil || statuses(filesOf(t, m, "Files"), "Reason") != "size,type" {
			t.Errorf("getLink: %v, want Rejected with reasons size,type and no link", m)
		}
		if msg, _ := m["Message"].(string); !strings.Contains(msg, "too-big-report.pdf was not accepted: files may be at most 10 KB") ||
			!strings.Contains(msg, "same upload link") {
			t.Errorf("Message %q", msg)
		}
		_, tm, _ := callOn(t, h, "POST", "/tools/get_secure_link", `{"uploadId":"`+id+`","email":"`+email+`"}`, bearer)
		if tm["status"] != "Rejected" || tm["secureLink"] != nil {
			t.Errorf("/tools/get_secure_link: %v, want Rejected without a link", tm)
		}
		evs := v.drain(t)
		if len(evs) != 1 || evs[0].Type != "upload.rejected" || evs[0].Body["secureLink"] != nil || len(evs[0].Body["files"].([]any)) != 2 {
			t.Fatalf("events %+v, want one upload.rejected with the manifest", evs)
		}
		up(t, h, id, file{"small-report.pdf", 100})
		m = getLink(t, id)
		fs := filesOf(t, m, "Files")
		if m["Result"] != "Success" || len(m["SecureLinks"].([]any)) != 1 || statuses(fs, "Status") != "rejected,rejected,accepted" || m["Message"] != nil {
			t.Errorf("getLink after a second package: %v", m)
		}
		if fs[0]["PackageId"] == nil || fs[0]["PackageId"] == fs[2]["PackageId"] {
			t.Errorf("files %v, want each with its package id", fs)
		}
		if evs := v.drain(t); len(evs) != 1 || evs[0].Type != "upload.submitted" {
			t.Errorf("events %+v, want one upload.submitted", evs)
		}
	})

	t.Run("a package of no files", func(t *testing.T) {
		id := v.generate(t, email)
		up(t, h, id)
		m := getLink(t, id)
		if m["Result"] != "Success" || len(filesOf(t, m, "Files")) != 0 || m["FileCount"] != 0.0 || m["TotalSize"] != 0.0 {
			t.Errorf("getLink: %v, want Success with Files []", m)
		}
		v.drain(t)
	})

	t.Run("40 files", func(t *testing.T) {
		id := v.generate(t, email)
		var files []file
		for i := range 40 {
			files = append(files, file{fmt.Sprintf("page-%02d-scan.txt", i), i})
		}
		up(t, h, id, files...)
		m := getLink(t, id)
		fs := filesOf(t, m, "Files")
		if len(fs) != 40 || m["FileCount"] != 40.0 || m["TotalSize"] != 780.0 || strings.Contains(statuses(fs, "Status"), "rejected") ||
			fs[39]["Name"] != "page-39-scan.txt" {
			t.Errorf("getLink: %d files, %v", len(fs), m["FileCount"])
		}
		v.drain(t)
	})

	t.Run("names as uploaded", func(t *testing.T) {
		odd := []string{"my bank statement.pdf", `"quoted" and 'single'.pdf`, "folder/sub\\dir/scan.pdf", "🎉 emoji-file.pdf",
			"\u202eright-to-left\u200f.pdf", strings.Repeat("x", 251) + ".pdf"}
		id := v.generate(t, email)
		var files []file
		for _, n := range odd {
			files = append(files, file{n, 1})
		}
		up(t, h, id, files...)
		fs := filesOf(t, getLink(t, id), "Files")
		for i, n := range odd {
			if fs[i]["Name"] != n || fs[i]["Status"] != "accepted" {
				t.Errorf("file %d: %v, want %q accepted", i, fs[i], n)
			}
		}
		v.drain(t)
	})

	t.Run("the table holds no file name in the clear", func(t *testing.T) {
		out, err := v.ddb.Scan(context.Background(), &dynamodb.ScanInput{TableName: aws.String("uploads")})
		if err != nil {
			t.Fatal(err)
		}
		dump := strings.ToLower(dumpItems(out.Items))
		for _, n := range names {
			for _, part := range []string{strings.ToLower(n), strings.TrimSuffix(strings.ToLower(n), ".pdf")} {
				if len(part) >= 8 && strings.Contains(dump, part) {
					t.Errorf("table holds %q in the clear", part)
				}
			}
		}
		for _, s := range []string{"application/pdf", "accepted", "rejected"} {
			if strings.Contains(dump, s) {
				t.Errorf("table holds %q in the clear", s)
			}
		}
	})
}

// TestFilePolicyNeedsVerifiedMode: a file policy while the secret does
// not turn verified mode on answers every request 503, and the log line
// says why.
func TestFilePolicyNeedsVerifiedMode(t *testing.T) {
	c := newCloud(t)
	c.vars["MAX_FILES"] = "3"
	var logs bytes.Buffer
	h, err := newHandler(context.Background(), platform{getenv: func(k string) string { return c.vars[k] }, logs: &logs})
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	st, m, hdr := callOn(t, h, "POST", "/", `{"action":"generateId"}`, bearer)
	if st != 503 || m["Error"] != "Unavailable" || hdr["Retry-After"] == "" {
		t.Errorf("generateId: %d %v %v, want 503 Unavailable with Retry-After", st, m, hdr)
	}
	if !strings.Contains(logs.String(), "needs verified mode") || strings.Count(logs.String(), "\n") != 1 {
		t.Errorf("log %q, want one line saying the policy needs verified mode", logs.String())
	}
	// A malformed policy stops the function at start, naming the variable.
	c.vars["MAX_FILE_SIZE"] = "10 parsecs"
	if _, err := newHandler(context.Background(), platform{getenv: func(k string) string { return c.vars[k] }, logs: &logs}); err == nil ||
		!strings.Contains(err.Error(), "MAX_FILE_SIZE") {
		t.Errorf("start with a malformed MAX_FILE_SIZE: %v", err)
	}
}

package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/sendsafely/chatbot-connector/internal/config"
	"github.com/sendsafely/chatbot-connector/internal/dropzone"
)

// TestLocalFlow walks the flow over HTTP as the chatbot and the upload
// page would, without a browser: generateId, the page, the signing
// endpoint, the webhook (cross-origin), getLink; then a restart on the
// same data folder keeps the upload and the key.
func TestLocalFlow(t *testing.T) {
	dataDir := t.TempDir()
	d := startDev(t, backendEmbedded, dataDir, nil)
	id, uploadURL := d.generateID(t)

	u, err := url.Parse(uploadURL)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if got := u.Scheme + "://" + u.Host + u.Path; got != d.pageURL+pagePath {
		t.Errorf("UploadUrl page: got %s, want %s", got, d.pageURL+pagePath)
	}
	if q.Get("id") != id || q.Get("e") != testEmail || q.Get("dz") != defaultDropzoneID || q.Get("h") != defaultHost {
		t.Errorf("UploadUrl parameters: %v", q)
	}
	for _, path := range []string{pagePath, "/html/cb_upload.js", "/html/cb_upload.css"} {
		resp, err := http.Get(d.pageURL + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || len(b) == 0 || resp.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("GET %s: %d, %d bytes, Cache-Control %q", path, resp.StatusCode, len(b), resp.Header.Get("Cache-Control"))
		}
	}
	if m := d.getLink(t, id); m["Result"] != "Pending" {
		t.Fatalf("getLink before the upload: %v", m)
	}

	code, keyCode := newCode(), newCode()
	st, signed := d.signAsPage(t, url.Values{"name": {id}, "email": {testEmail}, "packageCode": {code},
		"publicApiKey": {q.Get("dz")}, "packageId": {"ABCD-1234"}})
	if st != 200 || signed["success"] != "true" {
		t.Fatalf("sign: %d %v", st, signed)
	}
	urls, _ := signed["integrationUrls"].([]any)
	if len(urls) != 1 || urls[0] != d.connectorURL+"/webhook" {
		t.Fatalf("integrationUrls: %v", signed["integrationUrls"])
	}
	link := dropzone.Link(q.Get("h"), "ABCD-1234", code, keyCode)
	form := url.Values{"digest": {signed["digest"].(string)}, "data": {signed["data"].(string)}, "secureLink": {link}}
	st, answer, h := post(t, urls[0].(string), "application/x-www-form-urlencoded", form.Encode(), map[string]string{"Origin": d.pageURL})
	if st != 200 || answer["result"] != "success" {
		t.Fatalf("webhook: %d %v", st, answer)
	}
	if h.Get("Access-Control-Allow-Origin") != d.pageURL {
		t.Errorf("webhook answer to the page's origin: Access-Control-Allow-Origin %q, want %q", h.Get("Access-Control-Allow-Origin"), d.pageURL)
	}
	if m := d.getLink(t, id); m["Result"] != "Success" || m["SecureLink"] != link {
		t.Fatalf("getLink: %v, want %s", m, link)
	}
	evs := d.eventLines(t)
	if len(evs) != 1 || evs[0]["type"] != "upload.submitted" || evs[0]["uploadId"] != id || evs[0]["packageId"] != "ABCD-1234" || evs[0]["secureLink"] != nil {
		t.Errorf("events: %v", evs)
	}
	for _, secret := range []string{keyCode, code, string(d.backend.key), testEmail, id} {
		if strings.Contains(d.logs.String(), secret) {
			t.Errorf("the request log holds %q", secret)
		}
	}

	// A restart keeps the upload and the key.
	key := d.backend.key
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	again := startDev(t, backendEmbedded, dataDir, nil)
	if again.backend.key != key {
		t.Error("the validation key changed across a restart")
	}
	if m := again.getLink(t, id); m["Result"] != "Success" || m["SecureLink"] != link {
		t.Fatalf("getLink after a restart: %v", m)
	}
}

// TestSignEndpoint: the stand-in for SendSafely's submitHostedDropzone signs
// what the page sends, in the form the connector verifies.
func TestSignEndpoint(t *testing.T) {
	d := startDev(t, backendEmbedded, t.TempDir(), nil)
	good := url.Values{"name": {"8e2b1c7e-2f0a-4a57-9d83-6c1f1d0c9a4e"}, "email": {testEmail}, "packageCode": {"pc"},
		"publicApiKey": {"DZ"}, "packageId": {"ABCD-1234"}}
	without := func(field string) url.Values {
		v := url.Values{}
		for k, vs := range good {
			if k != field {
				v[k] = vs
			}
		}
		return v
	}
	for _, tt := range []struct {
		name   string
		action string
		form   url.Values
		status int
	}{
		{"signed", signAction, good, 200},
		{"unknown action", "createPackage", good, 404},
		{"no upload id", signAction, without("name"), 400},
		{"no email", signAction, without("email"), 400},
		{"no package code", signAction, without("packageCode"), 400},
		{"no dropzone id", signAction, without("publicApiKey"), 400},
		{"no package id", signAction, without("packageId"), 400},
	} {
		t.Run(tt.name, func(t *testing.T) {
			st, m, _ := post(t, d.pageURL+signPath+"?action="+tt.action, "application/x-www-form-urlencoded", tt.form.Encode(), nil)
			if st != tt.status {
				t.Fatalf("got %d %v, want %d", st, m, tt.status)
			}
			if tt.status != 200 {
				if m["success"] != "false" || m["message"] == "" {
					t.Errorf("error answer: %v", m)
				}
				return
			}
			data, digest := m["data"].(string), m["digest"].(string)
			if !(dropzone.Codec{}).Verify(data, digest, []byte(d.backend.key)) {
				t.Error("digest does not verify under the local key")
			}
			raw, err := base64.RawURLEncoding.DecodeString(data)
			if err != nil {
				t.Fatal(err)
			}
			var sub dropzone.Payload
			if err := json.Unmarshal(raw, &sub); err != nil {
				t.Fatal(err)
			}
			if sub.UploadID != good.Get("name") || sub.Email != testEmail || sub.PackageID != "ABCD-1234" || sub.PackageCode != "pc" ||
				sub.DropzoneID != "DZ" || sub.SubmittedAt == "" {
				t.Errorf("signed data: %+v", sub)
			}
		})
	}
}

// TestStartErrors: what stops the server at start says what to fix.
func TestStartErrors(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	busyPort := busy.Addr().(*net.TCPAddr).Port
	for _, tt := range []struct {
		name    string
		o       serveOptions
		vars    map[string]string
		wantErr string
	}{
		{"unknown backend", serveOptions{backend: "sqlite"}, nil, `backend "sqlite"`},
		{"bad variable", serveOptions{backend: backendEmbedded}, map[string]string{"SENDSAFELY_HOST": "https://acme.sendsafely.com"},
			`config: SENDSAFELY_HOST: "https://acme.sendsafely.com" is not a host name`},
		{"bad host with a path", serveOptions{backend: backendEmbedded}, map[string]string{"SENDSAFELY_HOST": "acme.sendsafely.com/x", "DROPZONE_ID": "DZ 1"},
			`config: 2 variables are wrong: SENDSAFELY_HOST: "acme.sendsafely.com/x" is not a host name`},
		{"aws: a callback without the queue", serveOptions{backend: backendAWS}, map[string]string{"TABLE_NAME": "t",
			"TOPIC_ARN": "arn:aws:sns:us-east-1:123456789012:events", "SECRET_ARN": "arn:aws:secretsmanager:us-east-1:123456789012:secret:s",
			"CALLBACK_URL": "https://receiver.example.com/hook"}, "config: DELIVERY_QUEUE_URL: is required when CALLBACK_URL is set"},
		{"aws without a table", serveOptions{backend: backendAWS}, nil, "TABLE_NAME"},
		{"port in use", serveOptions{backend: backendEmbedded, port: busyPort}, nil, "listen"},
		{"page port in use", serveOptions{backend: backendEmbedded, pagePort: busyPort}, nil, "listen"},
		{"sendsafely port in use", serveOptions{backend: backendEmbedded, verified: true, ssPort: busyPort}, nil, "-sendsafely-port or CONNECTOR_SENDSAFELY_PORT"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tt.o.data = t.TempDir()
			e := env{getenv: func(k string) string { return tt.vars[k] }, stdout: io.Discard, stderr: io.Discard}
			d, err := startServer(context.Background(), tt.o, e)
			if err == nil {
				d.Close()
				t.Fatal("started")
			}
			if !strings.Contains(err.Error(), tt.wantErr) || strings.Contains(err.Error(), "\n") {
				t.Errorf("got %q, want one line saying %q", err, tt.wantErr)
			}
			if strings.Contains(err.Error(), config.AllowedOrigins) {
				t.Errorf("got %q: ALLOWED_ORIGINS was not set, its local default follows the host", err)
			}
		})
	}
}

func TestLocalDefaults(t *testing.T) {
	const page = "http://127.0.0.1:9081"
	for _, tt := range []struct {
		name, key string
		vars      map[string]string
		want      string
	}{
		{"host", "SENDSAFELY_HOST", nil, "acme.sendsafely.com"},
		{"host set", "SENDSAFELY_HOST", map[string]string{"SENDSAFELY_HOST": "corp.sendsafely.com"}, "corp.sendsafely.com"},
		{"dropzone", "DROPZONE_ID", nil, "local-dropzone"},
		{"page", "UPLOAD_PAGE_URL", nil, page + "/html/cb_upload.htm"},
		{"page set", "UPLOAD_PAGE_URL", map[string]string{"UPLOAD_PAGE_URL": "https://files.sendsafely.com/html/cb_upload.htm"}, "https://files.sendsafely.com/html/cb_upload.htm"},
		{"origins", "ALLOWED_ORIGINS", nil, "https://files.sendsafely.com,https://acme.sendsafely.com," + page},
		{"origins follow the host", "ALLOWED_ORIGINS", map[string]string{"SENDSAFELY_HOST": "Corp.SendSafely.com"}, "https://files.sendsafely.com,https://corp.sendsafely.com," + page},
		{"origins set", "ALLOWED_ORIGINS", map[string]string{"ALLOWED_ORIGINS": "https://a.example"}, "https://a.example"},
		{"no default", "TABLE_NAME", nil, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			getenv := func(k string) string { return tt.vars[k] }
			got := withLocalDefaults(getenv, page)(tt.key)
			if tt.key == config.AllowedOrigins {
				cfg, err := config.LoadOptions(withLocalDefaults(getenv, page))
				if err != nil {
					t.Fatal(err)
				}
				got = strings.Join(withPageOrigin(getenv, page)(cfg).AllowedOrigins, ",")
			}
			if got != tt.want {
				t.Errorf("%s: got %q, want %q", tt.key, got, tt.want)
			}
		})
	}
}

package config_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sendsafely/chatbot-connector/internal/config"
	"github.com/sendsafely/chatbot-connector/internal/connector"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func base() map[string]string {
	return map[string]string{
		config.TableName: "uploads", config.TopicARN: "arn:aws:sns:us-east-1:123456789012:events",
		config.SecretARN: "arn:aws:secretsmanager:us-east-1:123456789012:secret:key", config.SendSafelyHost: "Acme.SendSafely.com",
		config.DropzoneID: "DZ1",
	}
}

func TestLoadDefaults(t *testing.T) {
	got, err := config.Load(env(base()))
	if err != nil {
		t.Fatal(err)
	}
	want := config.Config{
		TableName: "uploads", TopicARN: "arn:aws:sns:us-east-1:123456789012:events",
		SecretARN: "arn:aws:secretsmanager:us-east-1:123456789012:secret:key",
		Service: connector.Settings{SendSafelyHost: "acme.sendsafely.com", DropzoneID: "DZ1",
			UploadPageURL: "https://files.sendsafely.com/html/cb_upload.htm",
			UploadTTL:     24 * time.Hour, LinkTTL: 168 * time.Hour, WebhookMaxAge: time.Hour, SweepLookback: 15 * time.Minute},
		AllowedOrigins:   []string{"https://files.sendsafely.com", "https://acme.sendsafely.com"},
		SecretCacheTTL:   5 * time.Minute,
		SendSafelyAPIURL: "https://acme.sendsafely.com",
		ToolsIncludeLink: true,
		Files:            config.Files{Prefix: "uploads/", RangeParts: 400},
		Scan:             config.Scan{Tag: config.DefaultMalwareScanTag, CleanValue: config.DefaultMalwareCleanValue},
		FileCallback:     config.FileCallback{MaxSize: config.DefaultFileCallbackMaxSize},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestLoadOverrides(t *testing.T) {
	m := base()
	m[config.UploadPageURL] = "http://127.0.0.1:8080/upload"
	m[config.UploadTTL] = "2h"
	m[config.LinkTTL] = "48h"
	m[config.WebhookMaxAge] = "15m"
	m[config.AllowedOrigins] = " https://a.example , https://B.example/ "
	m[config.EventsIncludeLink] = "true"
	m[config.SecretCacheTTL] = "0s"
	m[config.SendSafelyAPIURL] = "http://127.0.0.1:8082"
	m[config.SweepLookback] = "1h"
	m[config.CallbackURL] = "https://receiver.example.com/hook"
	m[config.ConnectInstance] = "arn:aws:connect:us-east-1:123456789012:instance/abc"
	m[config.DeliveryQueueURL] = "https://sqs.us-east-1.amazonaws.com/123456789012/deliveries"
	m[config.ToolsIncludeLink] = "false"
	got, err := config.Load(env(m))
	if err != nil {
		t.Fatal(err)
	}
	if got.Service.UploadPageURL != "http://127.0.0.1:8080/upload" || got.Service.UploadTTL != 2*time.Hour ||
		got.Service.LinkTTL != 48*time.Hour || got.Service.WebhookMaxAge != 15*time.Minute || !got.Service.EventsIncludeLink ||
		got.SecretCacheTTL != 0 || got.SendSafelyAPIURL != "http://127.0.0.1:8082" || got.Service.SweepLookback != time.Hour ||
		got.CallbackURL != "https://receiver.example.com/hook" || got.ConnectInstanceARN != "arn:aws:connect:us-east-1:123456789012:instance/abc" ||
		got.DeliveryQueueURL != "https://sqs.us-east-1.amazonaws.com/123456789012/deliveries" || got.ToolsIncludeLink {
		t.Errorf("got %+v", got)
	}
	if diff := cmp.Diff([]string{"https://a.example", "https://b.example"}, got.AllowedOrigins); diff != "" {
		t.Errorf("origins (-want +got):\n%s", diff)
	}
}

func TestLoadErrorsNameTheVariable(t *testing.T) {
	for _, tt := range []struct {
		name, key, value string
	}{
		{"table missing", config.TableName, ""},
		{"topic missing", config.TopicARN, ""},
		{"topic not an arn", config.TopicARN, "events"},
		{"secret missing", config.SecretARN, " "},
		{"host missing", config.SendSafelyHost, ""},
		{"host with scheme", config.SendSafelyHost, "https://acme.sendsafely.com"},
		{"host with path", config.SendSafelyHost, "acme.sendsafely.com/x"},
		{"dropzone with space", config.DropzoneID, "DZ 1"},
		{"page not https", config.UploadPageURL, "http://files.example.com/x"},
		{"page relative", config.UploadPageURL, "/upload"},
		{"ttl not a duration", config.UploadTTL, "24"},
		{"ttl negative", config.LinkTTL, "-1h"},
		{"ttl zero", config.WebhookMaxAge, "0s"},
		{"bool", config.EventsIncludeLink, "yes please"},
		{"origin with path", config.AllowedOrigins, "https://a.example/page"},
		{"origin no scheme", config.AllowedOrigins, "a.example"},
		{"origins empty list", config.AllowedOrigins, " , "},
		{"api url not https", config.SendSafelyAPIURL, "http://acme.sendsafely.com"},
		{"sweep lookback zero", config.SweepLookback, "0s"},
		{"callback over http", config.CallbackURL, "http://receiver.example.com/hook"},
		{"connect not an instance arn", config.ConnectInstance, "arn:aws:sns:us-east-1:123456789012:events"},
		{"queue url relative", config.DeliveryQueueURL, "/queue"},
		{"tools include link not a bool", config.ToolsIncludeLink, "sometimes"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m := base()
			m[tt.key] = tt.value
			_, err := config.Load(env(m))
			if err == nil {
				t.Fatal("accepted")
			}
			if msg := err.Error(); !strings.Contains(msg, tt.key) || strings.Contains(msg, "\n") {
				t.Errorf("error %q: want one line naming %s", msg, tt.key)
			}
		})
	}
}

// TestLoadOptions: a run with parts of its own needs no AWS resource and
// reads none, and still holds every other variable to the same rules.
func TestLoadOptions(t *testing.T) {
	for _, tt := range []struct {
		name, key, value string
		wantErr          bool
	}{
		{"no aws resources", "", "", false},
		{"aws resources ignored", config.TopicARN, "not an arn", false},
		{"host missing", config.SendSafelyHost, "", true},
		{"dropzone with space", config.DropzoneID, "DZ 1", true},
		{"page on loopback over http", config.UploadPageURL, "http://127.0.0.1:8081/html/cb_upload.htm", false},
		{"page not https", config.UploadPageURL, "http://files.example.com/x", true},
		{"ttl zero", config.UploadTTL, "0s", true},
		{"origin with path", config.AllowedOrigins, "http://127.0.0.1:8081/page", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m := map[string]string{config.SendSafelyHost: "acme.sendsafely.com", config.DropzoneID: "DZ1"}
			if tt.key != "" {
				m[tt.key] = tt.value
			}
			var read []string
			got, err := config.LoadOptions(func(k string) string { read = append(read, k); return m[k] })
			if tt.wantErr {
				if err == nil || !strings.Contains(err.Error(), tt.key) {
					t.Fatalf("got %v, want an error naming %s", err, tt.key)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.TableName != "" || got.TopicARN != "" || got.SecretARN != "" || got.Service.DropzoneID != "DZ1" {
				t.Errorf("got %+v", got)
			}
			for _, k := range read {
				if k == config.TableName || k == config.TopicARN || k == config.SecretARN {
					t.Errorf("read %s", k)
				}
			}
		})
	}
}

// with returns base's variables with m's on top.
func with(m map[string]string) map[string]string {
	b := base()
	for k, v := range m {
		b[k] = v
	}
	return b
}

// TestLoadReportsEveryVariableAtOnce: a start that fails names every
// variable at fault in one line, so a deploy is fixed in one pass rather
// than one variable per run.
func TestLoadReportsEveryVariableAtOnce(t *testing.T) {
	for _, tt := range []struct {
		name    string
		env     map[string]string
		options bool // LoadOptions rather than Load
		want    string
	}{
		{
			name: "nothing set",
			env:  map[string]string{},
			want: "config: 5 variables are wrong: TABLE_NAME: is required and not set; TOPIC_ARN: is required and not set; " +
				"SECRET_ARN: is required and not set; SENDSAFELY_HOST: is required and not set; DROPZONE_ID: is required and not set",
		},
		{
			name: "missing and malformed together",
			env: map[string]string{
				config.TopicARN: "EventsTopic", config.SecretARN: "arn:aws:secretsmanager:us-east-1:123456789012:secret:key",
				config.SendSafelyHost: "https://acme.sendsafely.com", config.DropzoneID: "DZ1",
				config.UploadTTL: "24", config.EventsIncludeLink: "yes please",
			},
			want: `config: 5 variables are wrong: TABLE_NAME: is required and not set; ` +
				`SENDSAFELY_HOST: "https://acme.sendsafely.com" is not a host name; give the host only, such as acme.sendsafely.com; ` +
				`UPLOAD_TTL: "24" is not a Go duration such as 24h or 90m; EVENTS_INCLUDE_LINK: "yes please" is not true or false; ` +
				`TOPIC_ARN: "EventsTopic" is not an ARN`,
		},
		{
			name: "one wrong keeps the short form",
			env: map[string]string{
				config.TableName: "uploads", config.TopicARN: "arn:aws:sns:us-east-1:123456789012:events",
				config.SecretARN: "arn:aws:secretsmanager:us-east-1:123456789012:secret:key", config.SendSafelyHost: "acme.sendsafely.com",
				config.DropzoneID: "DZ1", config.LinkTTL: "-1h",
			},
			want: `config: LINK_TTL: "-1h" must be positive`,
		},
		{
			name: "a callback without the delivery queue",
			env:  with(map[string]string{config.CallbackURL: "https://receiver.example.com/hook"}),
			want: "config: DELIVERY_QUEUE_URL: is required when CALLBACK_URL is set (deliveries run through the queue; the template sets it)",
		},
		{
			name: "callback and contacts without the delivery queue: one variable to set",
			env: with(map[string]string{config.CallbackURL: "https://receiver.example.com/hook",
				config.ConnectInstance: "arn:aws:connect:us-east-1:123456789012:instance/abc"}),
			want: "config: DELIVERY_QUEUE_URL: is required when CALLBACK_URL and CONNECT_INSTANCE_ARN are set (deliveries run through the queue; the template sets it)",
		},
		{
			name: "a wrong callback and no queue: both named, counted right",
			env:  with(map[string]string{config.CallbackURL: "http://receiver.example.com/hook", config.LinkTTL: "-1h"}),
			want: `config: 3 variables are wrong: LINK_TTL: "-1h" must be positive; CALLBACK_URL: "http://receiver.example.com/hook" is not an absolute https URL; ` +
				`DELIVERY_QUEUE_URL: is required when CALLBACK_URL is set (deliveries run through the queue; the template sets it)`,
		},
		{
			name:    "options: a callback needs no queue (connector-dev delivers in-process)",
			options: true,
			env:     map[string]string{config.CallbackURL: "http://127.0.0.1:9000/cb", config.DropzoneID: "DZ 1", config.SendSafelyHost: "acme.sendsafely.com"},
			want:    `config: DROPZONE_ID: "DZ 1" is not a plain identifier`,
		},
		{
			name:    "options: host, page and origins",
			options: true,
			env: map[string]string{
				config.DropzoneID: "DZ 1", config.UploadPageURL: "/upload", config.AllowedOrigins: "a.example",
			},
			want: `config: 4 variables are wrong: SENDSAFELY_HOST: is required and not set; DROPZONE_ID: "DZ 1" is not a plain identifier; ` +
				`UPLOAD_PAGE_URL: "/upload" is not an absolute https URL; ALLOWED_ORIGINS: "a.example" is not an origin such as https://example.com`,
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			load := config.Load
			if tt.options {
				load = config.LoadOptions
			}
			_, err := load(env(tt.env))
			if err == nil {
				t.Fatal("accepted")
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

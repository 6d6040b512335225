// Package config reads the connector's configuration from the environment
// and validates it at start, naming every variable that is wrong at once.
package config

import (
	"fmt"
	"strings"
	"time"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// The environment variables the connector reads.
const (
	TableName         = "TABLE_NAME"
	TopicARN          = "TOPIC_ARN"
	SecretARN         = "SECRET_ARN"
	SendSafelyHost    = "SENDSAFELY_HOST"
	DropzoneID        = "DROPZONE_ID"
	UploadPageURL     = "UPLOAD_PAGE_URL"
	UploadTTL         = "UPLOAD_TTL"
	LinkTTL           = "LINK_TTL"
	WebhookMaxAge     = "WEBHOOK_MAX_AGE"
	AllowedOrigins    = "ALLOWED_ORIGINS"
	EventsIncludeLink = "EVENTS_INCLUDE_LINK"
	SecretCacheTTL    = "SECRET_CACHE_TTL"
	SendSafelyAPIURL  = "SENDSAFELY_API_URL"
	SweepLookback     = "SWEEP_LOOKBACK"
	CallbackURL       = "CALLBACK_URL"
	ConnectInstance   = "CONNECT_INSTANCE_ARN"
	DeliveryQueueURL  = "DELIVERY_QUEUE_URL"
	ToolsIncludeLink  = "TOOLS_INCLUDE_LINK"
)

// All lists every variable Load reads, in the order of the contract's table.
// The deployment template must set exactly these (internal/deploy checks it).
var All = []string{
	TableName, TopicARN, SecretARN, SendSafelyHost, DropzoneID, UploadPageURL,
	UploadTTL, LinkTTL, WebhookMaxAge, AllowedOrigins, EventsIncludeLink, SecretCacheTTL,
	SendSafelyAPIURL, SweepLookback, CallbackURL, ConnectInstance, DeliveryQueueURL, ToolsIncludeLink,
	AllowedFileTypes, MaxFileSize, MaxFiles, EventsIncludeFileNames,
	FilesBucket, FilesDir, FilesPrefix, FilesQueueURL, FilesRangeParts, FilesKMSKeyID,
	MalwareScan, MalwareScanTag, MalwareCleanValue,
	FileCallbackURL, FileCallbackMaxSize,
}

// Required lists the variables without a default.
var Required = []string{TableName, TopicARN, SecretARN, SendSafelyHost, DropzoneID}

// Defaults of the optional variables (ALLOWED_ORIGINS depends on the host).
const (
	DefaultUploadPageURL  = "https://files.sendsafely.com/html/cb_upload.htm"
	DefaultUploadTTL      = 24 * time.Hour
	DefaultLinkTTL        = 168 * time.Hour
	DefaultWebhookMaxAge  = time.Hour
	DefaultSecretCacheTTL = 5 * time.Minute
	DefaultSweepLookback  = 15 * time.Minute
	// UploadPageOrigin is where the hosted upload page lives.
	UploadPageOrigin = "https://files.sendsafely.com"
)

// Config is the validated configuration.
type Config struct {
	TableName      string
	TopicARN       string
	SecretARN      string
	Service        connector.Settings
	AllowedOrigins []string // "*" allows any origin
	SecretCacheTTL time.Duration
	// SendSafelyAPIURL is the base URL of SendSafely's REST API (verified
	// mode); by default https://<SENDSAFELY_HOST>.
	SendSafelyAPIURL string
	// CallbackURL receives signed callbacks; "" when there is none.
	CallbackURL string
	// ConnectInstanceARN is the Amazon Connect instance whose contacts get
	// the link; "" when there is none.
	ConnectInstanceARN string
	// DeliveryQueueURL is the queue that drives deliveries (the function
	// extends its messages' visibility to retry); "" when there is none.
	DeliveryQueueURL string
	// ToolsIncludeLink reports whether the agent tools hand out the secure
	// link (true by default); POST / always does.
	ToolsIncludeLink bool
	// Files is where retrieved files go (files.go); off unless a bucket
	// or a directory is set.
	Files Files
	// Scan is the malware scan (scan.go); off unless MALWARE_SCAN.
	Scan Scan
	// FileCallback is the file callback (off unless FILE_CALLBACK_URL).
	FileCallback FileCallback
}

// Load reads the configuration through getenv (os.Getenv in production).
// Its error is one line that names every variable at fault and what is
// wrong with each, so one run shows all there is to fix.
func Load(getenv func(string) string) (Config, error) {
	return load(getenv, true)
}

// LoadOptions reads the configuration of a run that keeps uploads, events
// and keys in parts of its own rather than in AWS: everything Load reads
// except TABLE_NAME, TOPIC_ARN and SECRET_ARN, which it neither reads nor
// sets. Its error is one line that names every variable at fault.
func LoadOptions(getenv func(string) string) (Config, error) {
	return load(getenv, false)
}

// load reads the configuration, with the AWS resources when aws is set.
func load(getenv func(string) string, aws bool) (Config, error) {
	r := reader{getenv: getenv}
	var c Config
	if aws {
		c.TableName = r.required(TableName)
		c.TopicARN = r.required(TopicARN)
		c.SecretARN = r.required(SecretARN)
	}
	c.Service = connector.Settings{
		SendSafelyHost:    r.host(SendSafelyHost),
		DropzoneID:        r.token(DropzoneID),
		UploadPageURL:     r.pageURL(UploadPageURL, DefaultUploadPageURL),
		UploadTTL:         r.duration(UploadTTL, DefaultUploadTTL, false),
		LinkTTL:           r.duration(LinkTTL, DefaultLinkTTL, false),
		WebhookMaxAge:     r.duration(WebhookMaxAge, DefaultWebhookMaxAge, false),
		EventsIncludeLink: r.boolean(EventsIncludeLink, false),
	}
	c.Service.SweepLookback = r.duration(SweepLookback, DefaultSweepLookback, false)
	c.Service.Files = r.filePolicy()
	c.Service.EventsIncludeFileNames = r.boolean(EventsIncludeFileNames, false)
	c.SecretCacheTTL = r.duration(SecretCacheTTL, DefaultSecretCacheTTL, true)
	c.SendSafelyAPIURL = r.pageURL(SendSafelyAPIURL, "https://"+c.Service.SendSafelyHost)
	c.CallbackURL = r.pageURL(CallbackURL, "")
	c.ConnectInstanceARN = r.arn(ConnectInstance, ":connect:", ":instance/")
	c.DeliveryQueueURL = r.pageURL(DeliveryQueueURL, "")
	c.ToolsIncludeLink = r.boolean(ToolsIncludeLink, true)
	c.Files = r.files()
	c.Scan = r.scan(c.Files)
	c.FileCallback = r.fileCallback(c.Files, aws)
	if aws && c.TopicARN != "" && !strings.HasPrefix(c.TopicARN, "arn:") {
		r.fail(TopicARN, "%q is not an ARN", c.TopicARN)
	}
	if aws {
		// connector-dev's embedded backend delivers in-process.
		r.requireQueue(c.DeliveryQueueURL)
	}
	c.AllowedOrigins = r.origins(AllowedOrigins, []string{UploadPageOrigin, "https://" + c.Service.SendSafelyHost})
	if err := r.err(); err != nil {
		return Config{}, err
	}
	return c, nil
}

// reader collects what is wrong, one problem per variable, so Load reads
// as a list and reports every variable at fault together.
type reader struct {
	getenv   func(string) string
	problems []string // "NAME: what is wrong", in the order read
	failed   map[string]bool
}

// fail records what is wrong with the variable name; a variable already
// at fault keeps its first problem.
func (r *reader) fail(name, format string, args ...any) {
	if r.failed[name] {
		return
	}
	if r.failed == nil {
		r.failed = map[string]bool{}
	}
	r.failed[name] = true
	r.problems = append(r.problems, name+": "+fmt.Sprintf(format, args...))
}

// err returns the problems as one line (a start-up error is one log line
// in CloudWatch), or nil if there are none.
func (r *reader) err() error {
	switch len(r.problems) {
	case 0:
		return nil
	case 1:
		return fmt.Errorf("config: %s", r.problems[0])
	default:
		return fmt.Errorf("config: %d variables are wrong: %s", len(r.problems), strings.Join(r.problems, "; "))
	}
}

func (r *reader) get(name string) string { return strings.TrimSpace(r.getenv(name)) }

func (r *reader) required(name string) string {
	v := r.get(name)
	if v == "" {
		r.fail(name, "is required and not set")
	}
	return v
}

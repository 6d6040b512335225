package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	awssns "github.com/aws/aws-sdk-go-v2/service/sns"

	"github.com/sendsafely/chatbot-connector/internal/dropzone"
	"github.com/sendsafely/chatbot-connector/internal/motoserver"
)

// The deployment the functions run against.
const (
	tableName  = "uploads"
	host       = "acme.sendsafely.com"
	dropzoneID = "DZ-BENCH"
	valKey     = "bench-validation-key"
	apiToken   = "bench-api-token"
	email      = "customer@example.com"
)

// cloud is moto_server with the connector's table, topic and secret, the
// proxy in front of it and the Runtime API the functions poll.
type cloud struct {
	moto      *motoserver.Server
	proxy     *awsProxy
	rt        *runtimeAPI
	ddb       *dynamodb.Client
	topicARN  string
	secretARN string
	home      string // an empty HOME: no shared AWS configuration, as on Lambda
	template  map[string]json.RawMessage
}

func startCloud(ctx context.Context, root, tmp string) (*cloud, error) {
	moto, err := motoserver.Launch()
	if err != nil {
		return nil, err
	}
	c := &cloud{moto: moto, home: filepath.Join(tmp, "home")}
	if err := c.setUp(ctx, root); err != nil {
		c.close()
		return nil, err
	}
	return c, nil
}

func (c *cloud) setUp(ctx context.Context, root string) error {
	if err := os.MkdirAll(c.home, 0o755); err != nil {
		return err
	}
	raw, err := os.ReadFile(filepath.Join(root, "testdata", "events", "generateId.json"))
	if err != nil {
		return err
	}
	if err := json.Unmarshal(raw, &c.template); err != nil {
		return err
	}
	cfg, err := c.moto.SDKConfig(ctx)
	if err != nil {
		return err
	}
	c.ddb = dynamodb.NewFromConfig(cfg)
	if _, err := c.ddb.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName:            aws.String(tableName),
		AttributeDefinitions: []ddbtypes.AttributeDefinition{{AttributeName: aws.String("pk"), AttributeType: ddbtypes.ScalarAttributeTypeS}},
		KeySchema:            []ddbtypes.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: ddbtypes.KeyTypeHash}},
		BillingMode:          ddbtypes.BillingModePayPerRequest,
	}); err != nil {
		return fmt.Errorf("create table: %w", err)
	}
	tp, err := awssns.NewFromConfig(cfg).CreateTopic(ctx, &awssns.CreateTopicInput{Name: aws.String("connector-events")})
	if err != nil {
		return fmt.Errorf("create topic: %w", err)
	}
	c.topicARN = *tp.TopicArn
	sec, err := secretsmanager.NewFromConfig(cfg).CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("connector"),
		SecretString: aws.String(fmt.Sprintf(`{"validationKey":%q,"previousValidationKey":"","apiToken":%q}`, valKey, apiToken))})
	if err != nil {
		return fmt.Errorf("create secret: %w", err)
	}
	c.secretARN = *sec.ARN
	if c.proxy, err = startProxy(c.moto.URL); err != nil {
		return err
	}
	c.rt, err = startRuntimeAPI()
	return err
}

func (c *cloud) close() {
	if c.rt != nil {
		c.rt.close()
	}
	if c.proxy != nil {
		c.proxy.close()
	}
	c.moto.Close()
}

// env is the environment of a function process: what Lambda sets (the
// Runtime API, region, credentials) and the connector's configuration,
// with AWS reached through the proxy.
func (c *cloud) env() []string {
	return []string{
		"PATH=" + os.Getenv("PATH"),
		"NODE_NO_WARNINGS=1", // the SDK's notice that it will want Node.js 22 from 2027
		"HOME=" + c.home,
		"AWS_LAMBDA_RUNTIME_API=" + c.rt.addr,
		"AWS_ENDPOINT_URL=" + c.proxy.url,
		"AWS_REGION=" + motoserver.Region,
		"AWS_DEFAULT_REGION=" + motoserver.Region,
		"AWS_ACCESS_KEY_ID=testing",
		"AWS_SECRET_ACCESS_KEY=testing",
		"AWS_SESSION_TOKEN=testing",
		"AWS_LAMBDA_FUNCTION_NAME=connector",
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE=128",
		"TABLE_NAME=" + tableName,
		"TOPIC_ARN=" + c.topicARN,
		"SECRET_ARN=" + c.secretARN,
		"SENDSAFELY_HOST=" + host,
		"DROPZONE_ID=" + dropzoneID,
	}
}

// event returns testdata/events/generateId.json, an HTTP API event as API
// Gateway sends it, with another path, headers and body.
func (c *cloud) event(path string, headers map[string]string, body string) []byte {
	ev := make(map[string]json.RawMessage, len(c.template))
	for k, v := range c.template {
		ev[k] = v
	}
	for k, v := range map[string]any{"rawPath": path, "routeKey": "POST " + path, "headers": headers, "body": body} {
		ev[k], _ = json.Marshal(v)
	}
	raw, _ := json.Marshal(ev)
	return raw
}

func (c *cloud) chatEvent(body string) []byte {
	return c.event("/", map[string]string{"content-type": "application/json", "authorization": "Bearer " + apiToken,
		"host": "abc123.execute-api.us-east-1.amazonaws.com", "user-agent": "chatbot/1.0"}, body)
}

func (c *cloud) generateIDEvent() []byte {
	return c.chatEvent(`{"action":"generateId","email":"` + email + `","conversationId":"chat-123"}`)
}

func (c *cloud) getLinkEvent(uploadID string) []byte {
	return c.chatEvent(`{"action":"getLink","uploadId":"` + uploadID + `","email":"` + email + `"}`)
}

// webhookEvent is a Dropzone notification for a new package of uploadID,
// signed now with the validation key.
func (c *cloud) webhookEvent(uploadID, packageID string) []byte {
	code := "pc-" + packageID
	data, _ := json.Marshal(map[string]string{"uploadId": uploadID, "email": email, "packageId": packageID, "packageCode": code,
		"dropzoneId": dropzoneID, "submittedAt": time.Now().UTC().Format(time.RFC3339)})
	d := base64.RawURLEncoding.EncodeToString(data)
	form := url.Values{
		"data":       {d},
		"digest":     {base64.RawURLEncoding.EncodeToString(dropzoneSign(d))},
		"secureLink": {"https://" + host + "/receive/?thread=" + packageID + "&packageCode=" + code + "#keyCode=a2V5Y29kZWtleWNvZGVrZXljb2Rla2V5Y29kZWtleWM"},
	}
	return c.event("/webhook", map[string]string{"content-type": "application/x-www-form-urlencoded", "origin": "https://files.sendsafely.com",
		"host": "abc123.execute-api.us-east-1.amazonaws.com", "user-agent": "Mozilla/5.0"}, form.Encode())
}

func dropzoneSign(data string) []byte { return dropzone.Sign(data, []byte(valKey)) }

// apiResponse is the part of a function's answer the benchmark checks.
type apiResponse struct {
	StatusCode int    `json:"statusCode"`
	Body       string `json:"body"`
}

func decodeAnswer(raw []byte) (apiResponse, error) {
	var r apiResponse
	if err := json.Unmarshal(raw, &r); err != nil {
		return r, fmt.Errorf("answer %q: %w", raw, err)
	}
	if r.StatusCode != 200 {
		return r, fmt.Errorf("answer %d: %s", r.StatusCode, strings.TrimSpace(r.Body))
	}
	return r, nil
}

// largestItem returns the size of the largest item in the table, as
// DynamoDB counts it for capacity units (attribute names and values in
// bytes; numbers counted as their digits, which over-counts slightly), and
// how many items there are.
func (c *cloud) largestItem(ctx context.Context) (int, int, error) {
	var largest, n int
	p := dynamodb.NewScanPaginator(c.ddb, &dynamodb.ScanInput{TableName: aws.String(tableName)})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			return 0, 0, err
		}
		for _, it := range out.Items {
			n++
			size := 0
			for k, v := range it {
				size += len(k)
				switch v := v.(type) {
				case *ddbtypes.AttributeValueMemberS:
					size += len(v.Value)
				case *ddbtypes.AttributeValueMemberN:
					size += len(v.Value)
				case *ddbtypes.AttributeValueMemberB:
					size += len(v.Value)
				}
			}
			largest = max(largest, size)
		}
	}
	return largest, n, nil
}

package main

import (
	"bytes"
	"context"
	"io"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	awssns "github.com/aws/aws-sdk-go-v2/service/sns"

	"github.com/sendsafely/chatbot-connector/internal/motoserver"

	"github.com/sendsafely/chatbot-connector/internal/dropzone"
)

// TestAWSBackend runs the dev server with -backend aws against moto_server:
// uploads land in the table, the stand-in page signs with the secret's key,
// and nothing is kept in the data folder.
func TestAWSBackend(t *testing.T) {
	srv := motoserver.Start(t)
	for _, kv := range srv.Env() {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	cfg := srv.Config(t)
	ctx := context.Background()
	if _, err := dynamodb.NewFromConfig(cfg).CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName:            aws.String("uploads"),
		AttributeDefinitions: []ddbtypes.AttributeDefinition{{AttributeName: aws.String("pk"), AttributeType: ddbtypes.ScalarAttributeTypeS}},
		KeySchema:            []ddbtypes.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: ddbtypes.KeyTypeHash}},
		BillingMode:          ddbtypes.BillingModePayPerRequest,
	}); err != nil {
		t.Fatal(err)
	}
	topic, err := awssns.NewFromConfig(cfg).CreateTopic(ctx, &awssns.CreateTopicInput{Name: aws.String("events")})
	if err != nil {
		t.Fatal(err)
	}
	secret, err := secretsmanager.NewFromConfig(cfg).CreateSecret(ctx, &secretsmanager.CreateSecretInput{
		Name: aws.String("connector"), SecretString: aws.String(`{"validationKey":"moto-key"}`)})
	if err != nil {
		t.Fatal(err)
	}
	dataDir := t.TempDir()
	d := startDev(t, backendAWS, dataDir, map[string]string{"TABLE_NAME": "uploads", "TOPIC_ARN": *topic.TopicArn, "SECRET_ARN": *secret.ARN})
	var banner bytes.Buffer
	d.banner(&banner)
	for _, want := range []string{"secret           read at start: validation key set", "API token        none", "verified mode    off"} {
		if !strings.Contains(banner.String(), want) {
			t.Errorf("banner lacks %q:\n%s", want, banner.String())
		}
	}

	// The secret is read and checked at start: a malformed one stops it
	// there, with what is wrong, not at the first request.
	bad, err := secretsmanager.NewFromConfig(cfg).CreateSecret(ctx, &secretsmanager.CreateSecretInput{
		Name: aws.String("connector-bad"), SecretString: aws.String(`["moto-key"]`)})
	if err != nil {
		t.Fatal(err)
	}
	e := env{getenv: func(k string) string {
		return map[string]string{"TABLE_NAME": "uploads", "TOPIC_ARN": *topic.TopicArn, "SECRET_ARN": *bad.ARN}[k]
	}, stdout: io.Discard, stderr: io.Discard}
	if s, err := startServer(ctx, serveOptions{backend: backendAWS, data: t.TempDir()}, e); err == nil || !strings.Contains(err.Error(), "not an object") {
		if s != nil {
			s.Close()
		}
		t.Errorf("a malformed secret: got %v, want the start to fail saying what is wrong", err)
	}

	id, uploadURL := d.generateID(t)
	if !strings.HasPrefix(uploadURL, d.pageURL+pagePath+"?id="+id) {
		t.Errorf("UploadUrl %s, want the stand-in page", uploadURL)
	}
	st, signed := d.signAsPage(t, url.Values{"name": {id}, "email": {testEmail}, "packageCode": {"pc"},
		"publicApiKey": {defaultDropzoneID}, "packageId": {"WXYZ-0001"}})
	if st != 200 {
		t.Fatalf("sign: %d %v", st, signed)
	}
	link := dropzone.Link(defaultHost, "WXYZ-0001", "pc", "KeyCode-0123456789abcdef")
	form := url.Values{"digest": {signed["digest"].(string)}, "data": {signed["data"].(string)}, "secureLink": {link}}
	if st, m, _ := post(t, d.connectorURL+"/webhook", "application/x-www-form-urlencoded", form.Encode(), nil); st != 200 {
		t.Fatalf("webhook: %d %v", st, m)
	}
	if m := d.getLink(t, id); m["Result"] != "Success" || m["SecureLink"] != link {
		t.Fatalf("getLink: %v", m)
	}
	if ev := d.events.String(); ev != "" {
		t.Errorf("events went to stdout, not the topic: %q", ev)
	}
	scan, err := dynamodb.NewFromConfig(cfg).Scan(ctx, &dynamodb.ScanInput{TableName: aws.String("uploads")})
	if err != nil || scan.Count != 1 {
		t.Fatalf("table: %v items, %v", scan.Count, err)
	}
	if files, err := os.ReadDir(dataDir); err != nil || len(files) != 0 {
		t.Errorf("data folder holds %v (%v), want nothing", files, err)
	}
}

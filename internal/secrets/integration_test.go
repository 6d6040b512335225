package secrets_test

import (
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/google/go-cmp/cmp"

	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/motoserver"
	"github.com/sendsafely/chatbot-connector/internal/secrets"
)

// TestKeysOnMoto reads and rotates a secret in moto_server through the real
// Secrets Manager client.
func TestKeysOnMoto(t *testing.T) {
	srv := motoserver.Start(t)
	client := secretsmanager.NewFromConfig(srv.Config(t))
	ctx := t.Context()

	created, err := client.CreateSecret(ctx, &secretsmanager.CreateSecretInput{
		Name:         aws.String("connector"),
		SecretString: aws.String(`{"validationKey":"vk-1","apiToken":"tok-1"}`),
	})
	if err != nil {
		t.Fatalf("create secret: %v", err)
	}
	clk := newClock()
	k := secrets.New(client, aws.ToString(created.ARN), 5*time.Minute, secrets.WithClock(clk.Now))
	mustKeys(t, k, keySet{Validation: "vk-1", Token: "tok-1"})

	// The operator rotates the validation key, keeping the old one for a while.
	_, err = client.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{
		SecretId:     created.ARN,
		SecretString: aws.String(`{"validationKey":"vk-2","previousValidationKey":"vk-1","apiToken":"tok-1"}`),
	})
	if err != nil {
		t.Fatalf("put secret value: %v", err)
	}
	clk.Advance(4 * time.Minute)
	mustKeys(t, k, keySet{Validation: "vk-1", Token: "tok-1"})
	clk.Advance(time.Minute)
	mustKeys(t, k, keySet{Validation: "vk-2", Previous: "vk-1", Token: "tok-1"})

	t.Run("binary secret", func(t *testing.T) {
		created, err := client.CreateSecret(ctx, &secretsmanager.CreateSecretInput{
			Name:         aws.String("connector-binary"),
			SecretBinary: []byte("vk-bin\n"),
		})
		if err != nil {
			t.Fatalf("create secret: %v", err)
		}
		mustKeys(t, secrets.New(client, aws.ToString(created.ARN), 0), keySet{Validation: "vk-bin"})
	})

	t.Run("missing secret", func(t *testing.T) {
		const missing = "arn:aws:secretsmanager:us-east-1:123456789012:secret:missing-AbCdEf"
		_, err := secrets.New(client, missing, time.Minute).Keys(ctx)
		if !errors.Is(err, connector.ErrUnavailable) {
			t.Errorf("got %v, want ErrUnavailable", err)
		}
	})
}

func mustKeys(t *testing.T, k *secrets.Keys, want keySet) {
	t.Helper()
	got, err := k.Keys(t.Context())
	if err != nil {
		t.Fatalf("Keys: %v", err)
	}
	if diff := cmp.Diff(want, plain(got)); diff != "" {
		t.Fatalf("Keys (-want +got):\n%s", diff)
	}
}

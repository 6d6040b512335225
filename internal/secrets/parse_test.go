package secrets_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/secrets"
)

func TestSecretForms(t *testing.T) {
	for _, tt := range []struct {
		name    string
		text    string
		binary  []byte // if set, the secret is binary and text is unused
		want    keySet
		wantErr error
	}{
		{name: "plain string", text: "vk-1", want: keySet{Validation: "vk-1"}},
		{name: "plain string with white space", text: "  vk-1\r\n", want: keySet{Validation: "vk-1"}},
		{
			name: "json with every field",
			text: `{"validationKey":"vk-2","previousValidationKey":"vk-1","apiToken":"tok"}`,
			want: keySet{Validation: "vk-2", Previous: "vk-1", Token: "tok"},
		},
		{name: "json with only validationKey", text: `{"validationKey":"vk-1"}`, want: keySet{Validation: "vk-1"}},
		{
			name: "json names in another case",
			text: `{"ValidationKey":"vk-2","PREVIOUSVALIDATIONKEY":"vk-1","ApiToken":"tok"}`,
			want: keySet{Validation: "vk-2", Previous: "vk-1", Token: "tok"},
		},
		// An unknown field is refused, not ignored: a typo must not switch
		// the API token off.
		{name: "json with an unknown field", text: `{"validationKey":"vk-1","note":"rotated monthly"}`, wantErr: connector.ErrUnavailable},
		{name: "json with a misspelt token", text: `{"validationKey":"vk-1","api_token":"tok"}`, wantErr: connector.ErrUnavailable},
		{
			name: "json with white space around it and in values",
			text: "\n  {\"validationKey\": \" vk-1\\n\", \"apiToken\": \"\\ttok \"}  \n",
			want: keySet{Validation: "vk-1", Token: "tok"},
		},
		{name: "json with nulls", text: `{"validationKey":"vk-1","apiToken":null}`, want: keySet{Validation: "vk-1"}},
		{name: "json without keys", text: `{}`, want: keySet{}},
		{name: "empty", text: "", want: keySet{}},
		{name: "only white space", text: " \n\t", want: keySet{}},
		{name: "malformed json", text: `{"validationKey":"s3cr3t-value","apiToken":"t0ken-value"`, wantErr: connector.ErrUnavailable},
		{name: "json with a number", text: `{"validationKey":1234567890}`, wantErr: connector.ErrUnavailable},
		{name: "json with trailing text", text: `{"validationKey":"s3cr3t-value"} s3cr3t`, wantErr: connector.ErrUnavailable},
		{name: "binary plain", binary: []byte(" vk-bin\n"), want: keySet{Validation: "vk-bin"}},
		// JSON that is not an object is a mistake, not a key: refused.
		{name: "json array", text: `[{"validationKey":"s3cr3t-value"}]`, wantErr: connector.ErrUnavailable},
		{name: "json array, not valid", text: `["s3cr3t-value"`, wantErr: connector.ErrUnavailable},
		{name: "json string", text: `"s3cr3t-value"`, wantErr: connector.ErrUnavailable},
		{name: "json null", text: `null`, wantErr: connector.ErrUnavailable},
		{name: "json number", text: `1234567890`, wantErr: connector.ErrUnavailable},
		{name: "binary json array", binary: []byte(` ["s3cr3t-value"]`), wantErr: connector.ErrUnavailable},
		{name: "a plain key with a quote inside", text: `vk"1`, want: keySet{Validation: `vk"1`}},
		{name: "binary json", binary: []byte(`{"validationKey":"vk-bin","apiToken":"tok"}`), want: keySet{Validation: "vk-bin", Token: "tok"}},
		{name: "binary malformed json", binary: []byte(`{"validationKey":`), wantErr: connector.ErrUnavailable},
	} {
		t.Run(tt.name, func(t *testing.T) {
			fake := &fakeSecret{text: tt.text, binary: tt.binary}
			got, err := secrets.New(fake, secretARN, 0).Keys(t.Context())
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("got %v, want %v", err, tt.wantErr)
				}
				assertNoSecret(t, err, "s3cr3t", "t0ken", "1234567890", "validationKey\":")
				return
			}
			if err != nil {
				t.Fatalf("Keys: %v", err)
			}
			if diff := cmp.Diff(tt.want, plain(got)); diff != "" {
				t.Errorf("Keys (-want +got):\n%s", diff)
			}
			if got, want := fake.ids, []string{secretARN}; !cmp.Equal(got, want) {
				t.Errorf("secret ids read: got %q, want %q", got, want)
			}
		})
	}
}

// assertNoSecret fails t if err's text contains any of the values.
func assertNoSecret(t *testing.T, err error, values ...string) {
	t.Helper()
	for _, v := range values {
		if strings.Contains(err.Error(), v) {
			t.Errorf("error %q holds secret material %q", err, v)
		}
	}
}

// The verified-mode fields and callbackSecret: all four or none, an empty
// string meaning unset, and a partial set naming what is missing.
func TestVerifiedModeFields(t *testing.T) {
	const key = "-----BEGIN PGP PRIVATE KEY BLOCK-----\nk3y-material\n-----END PGP PRIVATE KEY BLOCK-----"
	all := connector.TrustedKey{APIKey: "ak-value", APISecret: "as-value", KeyID: "key-id-1", PrivateKey: key}
	for _, tt := range []struct {
		name        string
		text        string
		want        connector.KeySet
		wantErr     error
		wantMissing []string // named in the error
		wantNamed   []string // not named
	}{
		{
			name: "all four",
			text: `{"validationKey":"vk-1","sendsafelyApiKey":"ak-value","sendsafelyApiSecret":"as-value","trustedKeyId":"key-id-1","trustedPrivateKey":"-----BEGIN PGP PRIVATE KEY BLOCK-----\nk3y-material\n-----END PGP PRIVATE KEY BLOCK-----\n"}`,
			want: connector.KeySet{ValidationKey: "vk-1", Trusted: all},
		},
		{
			name: "all four and a callback secret",
			text: `{"sendsafelyApiKey":" ak-value","sendsafelyApiSecret":"as-value ","trustedKeyId":"key-id-1","trustedPrivateKey":"` + strings.ReplaceAll(key, "\n", `\n`) + `","callbackSecret":"whsec_c2VjcmV0"}`,
			want: connector.KeySet{Trusted: all, CallbackSecret: "whsec_c2VjcmV0"},
		},
		{
			name: "none, empty strings",
			text: `{"validationKey":"vk-1","sendsafelyApiKey":"","sendsafelyApiSecret":"","trustedKeyId":"","trustedPrivateKey":"","callbackSecret":""}`,
			want: connector.KeySet{ValidationKey: "vk-1"},
		},
		{name: "callback secret alone", text: `{"callbackSecret":"whsec_c2VjcmV0"}`, want: connector.KeySet{CallbackSecret: "whsec_c2VjcmV0"}},
		{
			name:        "the private key missing",
			text:        `{"sendsafelyApiKey":"ak-value","sendsafelyApiSecret":"as-value","trustedKeyId":"key-id-1"}`,
			wantErr:     connector.ErrUnavailable,
			wantMissing: []string{"trustedPrivateKey"},
			wantNamed:   []string{"sendsafelyApiKey", "sendsafelyApiSecret", "trustedKeyId"},
		},
		{
			name:        "only the API key",
			text:        `{"sendsafelyApiKey":"ak-value","trustedPrivateKey":""}`,
			wantErr:     connector.ErrUnavailable,
			wantMissing: []string{"sendsafelyApiSecret", "trustedKeyId", "trustedPrivateKey"},
			wantNamed:   []string{"sendsafelyApiKey"},
		},
		{
			name:        "a blank key id",
			text:        `{"sendsafelyApiKey":"ak-value","sendsafelyApiSecret":"as-value","trustedKeyId":"  ","trustedPrivateKey":"k3y-material"}`,
			wantErr:     connector.ErrUnavailable,
			wantMissing: []string{"trustedKeyId"},
			wantNamed:   []string{"sendsafelyApiKey", "sendsafelyApiSecret", "trustedPrivateKey"},
		},
		{
			name:        "a misspelt field is named with the known ones",
			text:        `{"sendsafelyApiKey":"ak-value","trustedKeyID_":"x"}`,
			wantErr:     connector.ErrUnavailable,
			wantMissing: []string{`"trustedKeyID_"`, "validationKey", "sendsafelyApiSecret", "trustedPrivateKey", "callbackSecret"},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := secrets.New(&fakeSecret{text: tt.text}, secretARN, 0).Keys(t.Context())
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("got %v, want %v", err, tt.wantErr)
				}
				assertNoSecret(t, err, "ak-value", "as-value", "key-id-1", "k3y-material", "BEGIN")
				for _, name := range tt.wantMissing {
					if !strings.Contains(err.Error(), name) {
						t.Errorf("error %q does not name %s", err, name)
					}
				}
				for _, name := range tt.wantNamed {
					if strings.Contains(err.Error(), name) {
						t.Errorf("error %q names %s, which is set", err, name)
					}
				}
				return
			}
			if err != nil {
				t.Fatalf("Keys: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Keys (-want +got):\n%s", diff)
			}
		})
	}
}

package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/google/go-cmp/cmp"

	"github.com/sendsafely/chatbot-connector/internal/apigw"
	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/dropzone"
	"github.com/sendsafely/chatbot-connector/internal/lambdaentry"
	"github.com/sendsafely/chatbot-connector/internal/sendsafely"
	"github.com/sendsafely/chatbot-connector/internal/sendsafely/sendsafelytest"
)

// verifiedCloud is the connector on moto in verified mode against the
// SendSafely stand-in, through the real function built from its
// environment: the secret holds a Trusted Browser key registered at the
// stand-in, and SENDSAFELY_API_URL points there.
type verifiedCloud struct {
	*cloud
	ss  *sendsafelytest.Server
	h   *lambdaentry.Entry
	key connector.TrustedKey // what the secret holds
}

func newVerifiedCloud(t testing.TB, awsOptions ...func(*aws.Config)) *verifiedCloud {
	t.Helper()
	return newVerifiedCloudWith(t, sendsafelytest.Config{Host: itHost}, awsOptions...)
}

// newVerifiedCloudWith is newVerifiedCloud with the stand-in configured
// by ssCfg (its clock, for one).
func newVerifiedCloudWith(t testing.TB, ssCfg sendsafelytest.Config, awsOptions ...func(*aws.Config)) *verifiedCloud {
	t.Helper()
	c := newCloud(t)
	ss := sendsafelytest.Start(t, ssCfg)
	kp, err := sendsafely.GenerateKeyPair("connector@example.com")
	if err != nil {
		t.Fatal(err)
	}
	keyID, err := ss.RegisterKey(kp.Public, "chatbot connector test")
	if err != nil {
		t.Fatal(err)
	}
	secret, _ := json.Marshal(map[string]string{"validationKey": itKey, "apiToken": itToken,
		"sendsafelyApiKey": ss.APIKey(), "sendsafelyApiSecret": ss.APISecret(), "trustedKeyId": keyID, "trustedPrivateKey": string(kp.Private)})
	if _, err := c.sm.PutSecretValue(context.Background(), &secretsmanager.PutSecretValueInput{SecretId: aws.String(c.vars["SECRET_ARN"]),
		SecretString: aws.String(string(secret))}); err != nil {
		t.Fatal(err)
	}
	c.vars["SENDSAFELY_API_URL"] = ss.URL()
	return &verifiedCloud{cloud: c, ss: ss, h: c.instance(t, awsOptions...), key: connector.TrustedKey{APIKey: connector.Secret(ss.APIKey()),
		APISecret: connector.Secret(ss.APISecret()), KeyID: keyID, PrivateKey: kp.Private}}
}

// invoke sends a raw event through the verified function.
func (v *verifiedCloud) invoke(t testing.TB, ev any) (apigw.Response, error) {
	t.Helper()
	raw, _ := json.Marshal(ev)
	out, err := v.h.Invoke(context.Background(), raw)
	if err != nil {
		return apigw.Response{}, err
	}
	var resp apigw.Response
	_ = json.Unmarshal(out, &resp)
	return resp, nil
}

// chat sends a chatbot API call through the verified function.
func (v *verifiedCloud) chat(t testing.TB, body string) (int, map[string]any) {
	t.Helper()
	st, m, _ := callOn(t, v.h, "POST", "/", body, bearer)
	return st, m
}

func (v *verifiedCloud) generate(t testing.TB, email string) string {
	t.Helper()
	body := `{"action":"generateId"}`
	if email != "" {
		body = `{"action":"generateId","email":"` + email + `"}`
	}
	st, m := v.chat(t, body)
	if st != 200 {
		t.Fatalf("generateId: %d %v", st, m)
	}
	return m["UploadId"].(string)
}

func (v *verifiedCloud) getLink(t *testing.T, id, email string) (int, map[string]any) {
	t.Helper()
	return v.chat(t, `{"action":"getLink","uploadId":"`+id+`","email":"`+email+`"}`)
}

// upload is a Dropzone upload at the stand-in and the notification its
// page would post: our JSON data, signed, and the real secure link.
func (v *verifiedCloud) upload(t testing.TB, id, email string) (form url.Values, link string) {
	t.Helper()
	p, link, err := v.ss.Upload(id, email)
	if err != nil {
		t.Fatal(err)
	}
	payload := dropzone.Payload{UploadID: id, Email: email, PackageID: p.ID, PackageCode: p.Code, DropzoneID: itDZ,
		SubmittedAt: time.Now().UTC().Format(time.RFC3339)}
	data, digest := dropzone.Encode(payload, []byte(itKey))
	return url.Values{"data": {data}, "digest": {digest}, "secureLink": {link}}, link
}

func (v *verifiedCloud) webhook(t *testing.T, form url.Values) int {
	t.Helper()
	st, err := post(v.h, form.Encode())
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// TestVerifiedModeOnMoto walks verified mode through the deployed function:
// SendSafely decides which link is true, and uploads complete without the
// browser, each published once with its source.
func TestVerifiedModeOnMoto(t *testing.T) {
	v := newVerifiedCloud(t)
	const email = "customer@example.com"

	t.Run("forged keyCode: 400, nothing stored", func(t *testing.T) {
		id := v.generate(t, email)
		form, link := v.upload(t, id, email)
		i := strings.Index(link, "keyCode=") + len("keyCode=")
		form.Set("secureLink", link[:i]+"Forged0123456789abcdefghijklmnopqrstuvwxyz0")
		if st := v.webhook(t, form); st != 400 {
			t.Fatalf("forged: got %d, want 400", st)
		}
		if evs := v.drain(t); len(evs) != 0 {
			t.Errorf("forged: %d events", len(evs))
		}
		// The real link is still accepted afterwards: the forger chose nothing.
		form.Set("secureLink", link)
		if st := v.webhook(t, form); st != 200 {
			t.Fatalf("real link after the forgery: got %d, want 200", st)
		}
		evs := v.drain(t)
		if len(evs) != 1 || evs[0].Body["source"] != "webhook" {
			t.Errorf("events: %v, want one from the webhook", evs)
		}
		if st, m := v.getLink(t, id, email); st != 200 || m["SecureLink"] != link {
			t.Errorf("getLink: %d %v %v", st, m["Result"], m["SecureLink"] == link)
		}
	})

	t.Run("SendSafely down: 503, then getLink completes it", func(t *testing.T) {
		id := v.generate(t, email)
		form, link := v.upload(t, id, email)
		v.ss.SetDown(true)
		st := v.webhook(t, form)
		v.ss.SetDown(false)
		if st != 503 {
			t.Fatalf("SendSafely down: got %d, want 503", st)
		}
		if evs := v.drain(t); len(evs) != 0 {
			t.Fatalf("down: %d events", len(evs))
		}
		if st, m := v.getLink(t, id, email); st != 200 || m["Result"] != "Success" || m["SecureLink"] != link {
			t.Fatalf("getLink after SendSafely is back: %d %v", st, m["Result"])
		}
		evs := v.drain(t)
		if len(evs) != 1 || evs[0].Type != "upload.submitted" || evs[0].Body["source"] != "sendsafely" {
			t.Errorf("events: %v, want one upload.submitted from sendsafely", evs)
		}
	})

	t.Run("browser never posts: getLink Success, one event", func(t *testing.T) {
		id := v.generate(t, "")
		_, link := v.upload(t, id, email)
		st, m := v.getLink(t, id, email)
		if st != 200 || m["Result"] != "Success" || m["SecureLink"] != link {
			t.Fatalf("getLink: %d %v", st, m["Result"])
		}
		evs := v.drain(t)
		if len(evs) != 1 || evs[0].Body["source"] != "sendsafely" || evs[0].Body["email"] != email ||
			!strings.HasPrefix(fmt.Sprint(evs[0].Body["id"]), "evt_") {
			t.Errorf("events: %v, want one from sendsafely with its id", evs)
		}
	})

	t.Run("sweep completes an upload nobody asked about", func(t *testing.T) {
		if evs := v.drain(t); len(evs) != 0 {
			t.Fatalf("left over: %v", evs)
		}
		id := v.generate(t, email)
		v.ss.Upload(id, email)
		if _, err := v.invoke(t, map[string]string{"action": "sweep"}); err != nil {
			t.Fatalf("sweep: %v", err)
		}
		evs := v.drain(t)
		if len(evs) != 1 || evs[0].Body["uploadId"] != id || evs[0].Body["source"] != "sendsafely" {
			t.Errorf("events after the sweep: %v", evs)
		}
		if _, err := v.invoke(t, map[string]string{"action": "sweep"}); err != nil {
			t.Fatalf("second sweep: %v", err)
		}
		if evs := v.drain(t); len(evs) != 0 {
			t.Errorf("a second sweep published %d events", len(evs))
		}
	})

	t.Run("opaque data, correctly signed, is read from SendSafely", func(t *testing.T) {
		id := v.generate(t, "")
		form, link := v.upload(t, id, email)
		data := base64.RawURLEncoding.EncodeToString([]byte("\x8f opaque bytes of SendSafely's own format \x00"))
		form.Set("data", data)
		form.Set("digest", base64.RawURLEncoding.EncodeToString(dropzone.Sign(data, []byte(itKey))))
		if st := v.webhook(t, form); st != 200 {
			t.Fatalf("opaque data: got %d, want 200", st)
		}
		if st, m := v.getLink(t, id, email); st != 200 || m["SecureLink"] != link {
			t.Errorf("getLink: %d %v", st, m["Result"])
		}
		if evs := v.drain(t); len(evs) != 1 {
			t.Errorf("events: %d, want 1", len(evs))
		}
	})

	t.Run("webhook, getLink and two sweeps racing: stored and published once", func(t *testing.T) {
		id := v.generate(t, email)
		form, _ := v.upload(t, id, email)
		var wg sync.WaitGroup
		start := make(chan struct{})
		wg.Go(func() { <-start; v.webhook(t, form) })
		wg.Go(func() { <-start; v.getLink(t, id, email) })
		for range 2 {
			wg.Go(func() { <-start; _, _ = v.invoke(t, map[string]string{"action": "sweep"}) })
		}
		close(start)
		wg.Wait()
		if evs := v.drain(t); len(evs) != 1 {
			t.Errorf("events: %d, want 1", len(evs))
		}
		if st, m := v.getLink(t, id, email); st != 200 || len(m["SecureLinks"].([]any)) != 1 {
			t.Errorf("getLink: %d %v", st, m)
		}
	})
}

// TestVerifiedCallsPerRoute counts what verified mode costs in AWS and
// SendSafely round trips: the checks add two SendSafely reads to a first
// delivery and nothing to AWS; a lookup or a sweep that completes one
// package reads the upload once and then writes as a first delivery does.
func TestVerifiedCallsPerRoute(t *testing.T) {
	var calls callCounter
	v := newVerifiedCloud(t, calls.option())
	const email = "customer@example.com"
	// measure starts counting: what the case does next is what it costs.
	measure := func() {
		calls.reset()
		v.ss.ClearRequests()
	}
	for _, tt := range []struct {
		name      string
		do        func(t *testing.T) int
		want      map[string]int
		wantReads int
	}{
		{"verified webhook, first delivery", func(t *testing.T) int {
			id := v.generate(t, email)
			form, _ := v.upload(t, id, email)
			measure()
			return v.webhook(t, form)
		}, map[string]int{"DynamoDB.GetItem": 1, "DynamoDB.PutItem": 2, "SNS.Publish": 1}, 2},
		{"verified webhook with SendSafely's own data", func(t *testing.T) int {
			id := v.generate(t, email)
			form, _ := v.upload(t, id, email)
			data := base64.RawURLEncoding.EncodeToString([]byte("opaque \x00 data"))
			form.Set("data", data)
			form.Set("digest", base64.RawURLEncoding.EncodeToString(dropzone.Sign(data, []byte(itKey))))
			measure()
			return v.webhook(t, form)
		}, map[string]int{"DynamoDB.GetItem": 1, "DynamoDB.PutItem": 2, "SNS.Publish": 1}, 2},
		{"getLink that finds the upload at SendSafely", func(t *testing.T) int {
			id := v.generate(t, email)
			v.upload(t, id, email)
			measure()
			st, _ := v.getLink(t, id, email)
			return st
		}, map[string]int{"DynamoDB.GetItem": 3, "DynamoDB.PutItem": 2, "SNS.Publish": 1}, 3},
		{"sweep completing one upload", func(t *testing.T) int {
			v.invoke(t, map[string]string{"action": "sweep"}) // nothing left over
			id := v.generate(t, email)
			v.upload(t, id, email)
			measure()
			if _, err := v.invoke(t, map[string]string{"action": "sweep"}); err != nil {
				t.Fatal(err)
			}
			return 200
		}, // Each received package in the lookback costs one read: the
			// three of the cases above (stored) and the new one.
			map[string]int{"DynamoDB.GetItem": 4, "DynamoDB.PutItem": 2, "SNS.Publish": 1}, 3},
	} {
		t.Run(tt.name, func(t *testing.T) {
			st := tt.do(t)
			var reads []string
			for _, r := range v.ss.Requests() {
				reads = append(reads, r.Method+" "+r.Path)
			}
			if st != 200 {
				t.Fatalf("status %d", st)
			}
			if diff := cmp.Diff(tt.want, calls.reset()); diff != "" {
				t.Errorf("AWS calls (-want +got):\n%s", diff)
			}
			if len(reads) != tt.wantReads {
				t.Errorf("SendSafely requests %v, want %d", reads, tt.wantReads)
			}
		})
	}
}

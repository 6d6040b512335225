package main

import (
	"fmt"
	"io"
	"path/filepath"

	"github.com/sendsafely/chatbot-connector/internal/bolt"
)

// banner prints where everything is. On the embedded backend it prints the
// local validation key: a key for local runs only, and what a tester needs
// to sign notifications of their own.
func (d *devServer) banner(w io.Writer) {
	b := d.backend
	p := func(format string, args ...any) { fmt.Fprintf(w, format+"\n", args...) }
	p("connector-dev: the chatbot connector, %s backend", b.kind)
	p("  connector API    %s/    (POST {\"action\":\"generateId\"} or {\"action\":\"getLink\",…})", d.connectorURL)
	p("  webhook          %s/webhook", d.connectorURL)
	p("  upload page      %s%s    (local stand-in for the Dropzone page; a second origin)", d.pageURL, pagePath)
	p("  SendSafely host  %s    Dropzone id  %s", b.cfg.Service.SendSafelyHost, b.cfg.Service.DropzoneID)
	p("  allowed origins  %v", b.cfg.AllowedOrigins)
	if b.kind == backendEmbedded {
		p("  validation key   %s    (a local development key, kept in %s)", string(b.key), b.keyFile)
		if b.tokenSet {
			p("  API token        required ($%s)", envAPIToken)
		} else {
			p("  API token        none (set $%s to require one)", envAPIToken)
		}
		p("  uploads          kept in %s; events printed to stdout as JSON lines", filepath.Join(b.dataDir, bolt.FileName))
		if b.local != nil {
			p("  verified mode    on: SendSafely stand-in %s, Trusted Browser key %s (kept in %s)", d.sendSafelyURL, b.local.key.KeyID, b.local.keyFile)
		} else {
			p("  verified mode    off (-verified=false): links are taken on the notification's digest alone")
		}
		if b.cfg.CallbackURL != "" {
			p("  callbacks        to %s, signed with %s (kept in %s)", b.cfg.CallbackURL, string(b.callbackSecret), b.callbackSecretFile)
		} else {
			p("  callbacks        none (set CALLBACK_URL=http://127.0.0.1:<port>/… to deliver to a receiver)")
		}
		if b.cfg.FileCallback.On() && b.files != nil {
			p("  file callback    stored files to %s, signed with %s (kept in %s)", b.cfg.FileCallback.URL, string(b.callbackSecret), b.callbackSecretFile)
		}
	} else {
		p("  table %s, topic %s; keys from the secret", b.cfg.TableName, b.cfg.TopicARN)
		p("  secret           read at start: validation key %s", onOff(b.keySet, "set", "NOT SET (every notification will be refused)"))
		p("  API token        %s", onOff(b.tokenSet, "required (the secret's apiToken)", "none (the secret has no apiToken)"))
		p("  verified mode    %s", onOff(b.verifiedOn, "on (the secret has the four verified-mode fields)", "off (the secret has no verified-mode fields)"))
	}
	p("Request logs go to stderr. Try:")
	p(`  curl -s %s/ -d '{"action":"generateId","email":"customer@example.com"}'`, d.connectorURL)
	p("then open the UploadUrl it returns in a browser. Ctrl-C stops.")
}

// onOff returns on if b, else off.
func onOff(b bool, on, off string) string {
	if b {
		return on
	}
	return off
}

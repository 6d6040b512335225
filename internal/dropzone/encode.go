package dropzone

import (
	"encoding/base64"
	"encoding/json"
	"net/url"
)

// Encode returns the data of p and its digest under key, both base64url
// without padding: what SendSafely's server hands the upload page, in our
// reading of the format. It is Decode and Verify run backwards, for
// connector-dev's stand-in server, its notify command, and tests.
func Encode(p Payload, key []byte) (data, digest string) {
	raw, _ := json.Marshal(p) // a struct of strings always encodes
	data = base64.RawURLEncoding.EncodeToString(raw)
	return data, base64.RawURLEncoding.EncodeToString(Sign(data, key))
}

// Link returns the secure link SendSafely gives a package:
// https://<host>/receive/?thread=<packageId>&packageCode=<code>#keyCode=<key>.
func Link(host, packageID, packageCode, keyCode string) string {
	return "https://" + host + "/receive/?thread=" + url.QueryEscape(packageID) +
		"&packageCode=" + url.QueryEscape(packageCode) + "#keyCode=" + url.QueryEscape(keyCode)
}

// Form returns the form the upload page posts to the webhook for p, signed
// under key, with the secure link of p's package on host.
func Form(p Payload, key []byte, host, keyCode string) url.Values {
	data, digest := Encode(p, key)
	return url.Values{"digest": {digest}, "data": {data}, "secureLink": {Link(host, p.PackageID, p.PackageCode, keyCode)}}
}

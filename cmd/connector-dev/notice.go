package main

import (
	"crypto/rand"
	"encoding/base64"
	"time"
)

// submittedAt returns t as a notification carries it.
func submittedAt(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// newPackageID returns an id shaped like SendSafely's, such as A4Z1-MBLN.
func newPackageID() string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	var raw [8]byte
	_, _ = rand.Read(raw[:])
	b := make([]byte, 0, 9)
	for i, r := range raw {
		if i == 4 {
			b = append(b, '-')
		}
		b = append(b, alphabet[int(r)%len(alphabet)])
	}
	return string(b)
}

// newCode returns a package code or key code: 32 random bytes, base64url,
// 43 characters.
func newCode() string {
	var raw [32]byte
	_, _ = rand.Read(raw[:])
	return base64.RawURLEncoding.EncodeToString(raw[:])
}

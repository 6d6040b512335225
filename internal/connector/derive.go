package connector

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"sync"
)

// Labels (HKDF info) that separate the keys derived from one upload id.
// They are part of the stored format: changing one orphans every record.
var (
	infoTableKey = []byte("chatbot-connector/v1 table key")
	infoSealKey  = []byte("chatbot-connector/v1 seal key")
	infoLogID    = []byte("chatbot-connector/v1 log id")
	infoEventID  = []byte("chatbot-connector/v1 event id")
)

// idKeys derives the keys of one canonical upload id with HKDF-SHA256
// (RFC 5869) and no salt. HKDF's extract step depends on the id alone, so
// it is done once per id, and every key the connector asks of it fits in one block of
// the expand step: a request derives each key with one HMAC. An idKeys
// belongs to one request; it is not safe for concurrent use.
type idKeys struct{ expand hash.Hash }

// extractors hold HMAC-SHA256 keyed with HKDF's default salt, HashLen zero
// bytes: HKDF-Extract with no salt is HMAC under that fixed key, so one
// keyed HMAC serves every id.
var extractors = sync.Pool{New: func() any { return hmac.New(sha256.New, make([]byte, sha256.Size)) }}

// keysOf returns the key derivation of a canonical upload id. The upload id
// is a random UUID (122 bits), so a one-way derivation from it cannot be
// reversed by search.
func keysOf(id string) idKeys {
	ext := extractors.Get().(hash.Hash)
	ext.Reset()
	ext.Write([]byte(id))
	prk := ext.Sum(make([]byte, 0, sha256.Size))
	extractors.Put(ext)
	return idKeys{expand: hmac.New(sha256.New, prk)}
}

// blockOne is HKDF-Expand's counter for its first block.
var blockOne = []byte{1}

// derive returns n ≤ 32 bytes for one purpose: the first block of
// HKDF-Expand, T(1) = HMAC(PRK, info | 0x01), cut to n, which is what
// hkdf.Key(sha256.New, id, nil, info, n) returns.
func (k idKeys) derive(info []byte, n int) []byte {
	if n > sha256.Size {
		panic("connector: derive: more than one HKDF block asked for") // no caller does
	}
	k.expand.Reset()
	k.expand.Write(info)
	k.expand.Write(blockOne)
	return k.expand.Sum(nil)[:n]
}

// table returns the store key.
func (k idKeys) table() string { return hex.EncodeToString(k.derive(infoTableKey, 32)) }

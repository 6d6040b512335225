package connector

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding"
	"errors"
	"fmt"
	"hash"
)

// sniffLen is how much of a file's head is kept to judge its content:
// what net/http.DetectContentType reads.
const sniffLen = 512

// partWriter is the io.Writer a range is downloaded into: it cuts the
// stream into object parts of the range's part size and writes each as it
// fills, so that a range of any size holds at most one part and a tail in
// memory. A tail below MinObjectPart stays with the part before it, so
// every part but the range's last is at least the part size, and the last
// at least MinObjectPart unless the range is shorter than that. It hashes
// the stream and keeps its first sniffLen bytes as it goes.
type partWriter struct {
	ctx     context.Context
	store   ObjectStore
	key, id string
	r       fileRange
	buf     []byte
	parts   []ObjectPart
	written int64
	sum     hash.Hash
	head    []byte
	err     error // the first write error: every later write returns it
}

func newPartWriter(ctx context.Context, store ObjectStore, key, writeID string, r fileRange) *partWriter {
	return &partWriter{ctx: ctx, store: store, key: key, id: writeID, r: r,
		buf: make([]byte, 0, r.PartSize+MinObjectPart), sum: sha256.New()}
}

// errRangeTooLong means a range needed more parts than its block of part
// numbers: its parts were far larger than SendSafely's size let expect.
var errRangeTooLong = errors.New("connector: range needs more parts than its block")

// Write buffers p, writing a part whenever a whole one and a tail of at
// least MinObjectPart are held.
func (w *partWriter) Write(p []byte) (int, error) {
	if w.err != nil {
		return 0, w.err
	}
	if len(w.head) < sniffLen {
		w.head = append(w.head, p[:min(len(p), sniffLen-len(w.head))]...)
	}
	w.sum.Write(p)
	n := 0
	for len(p) > 0 {
		room := cap(w.buf) - len(w.buf)
		take := min(room, len(p))
		w.buf = append(w.buf, p[:take]...)
		p, n = p[take:], n+take
		if int64(len(w.buf)) == int64(cap(w.buf)) {
			if err := w.flush(int(w.r.PartSize)); err != nil {
				w.err = err
				return n, err
			}
		}
	}
	w.written += int64(n)
	return n, nil
}

// flush writes the first size bytes held as the range's next part and
// keeps the rest.
func (w *partWriter) flush(size int) error {
	if len(w.parts) >= w.r.PartCount {
		return errRangeTooLong
	}
	num := w.r.PartBase + len(w.parts)
	part, err := w.store.WritePart(w.ctx, w.key, w.id, num, bytes.NewReader(w.buf[:size]), int64(size))
	if err != nil {
		return fmt.Errorf("write part %d: %w", num, err)
	}
	w.parts = append(w.parts, part)
	w.buf = w.buf[:copy(w.buf, w.buf[size:])]
	return nil
}

// Close writes what is held as the range's last part. A range that
// wrote nothing writes one empty part, so that an empty file is an
// object too.
func (w *partWriter) Close() error {
	if w.err != nil {
		return w.err
	}
	if len(w.buf) > 0 || len(w.parts) == 0 {
		w.err = w.flush(len(w.buf))
	}
	return w.err
}

// Sha256 is the lowercase hex SHA-256 of what was written.
func (w *partWriter) Sha256() string { return fmt.Sprintf("%x", w.sum.Sum(nil)) }

// hashState returns the SHA-256 state of what w was written, which a hash
// restored from it goes on from; nil if the hash cannot give it.
func (w *partWriter) hashState() []byte {
	m, ok := w.sum.(encoding.BinaryMarshaler)
	if !ok {
		return nil
	}
	b, err := m.MarshalBinary()
	if err != nil {
		return nil
	}
	return b
}

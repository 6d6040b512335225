package connectortest

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"io"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// Objects is an in-memory connector.ObjectStore that holds writes to the
// rules S3 holds them to: parts of at least 5 MiB but the last, in
// ascending numbers, ETags that must match. It stands in for the S3 and
// directory stores in tests of the domain. The zero value is ready.
type Objects struct {
	mu      sync.Mutex
	objects map[string]object
	writes  map[string]*write
	next    int
	read    int64
	// Aborted counts the writes aborted.
	Aborted int
	// Err, when set, is what every call returns: a store that is down.
	Err error
}

var _ connector.ObjectStore = (*Objects)(nil)

type object struct {
	data []byte
	meta connector.ObjectMeta
}

type write struct {
	key   string
	parts map[int][]byte
}

func (o *Objects) lock() error {
	o.mu.Lock()
	if o.objects == nil {
		o.objects, o.writes = map[string]object{}, map[string]*write{}
	}
	return o.Err
}

// Location names key as mem://key.
func (o *Objects) Location(key string) string { return "mem://" + key }

// Begin starts a write.
func (o *Objects) Begin(_ context.Context, key string) (string, error) {
	defer o.mu.Unlock()
	if err := o.lock(); err != nil {
		return "", err
	}
	o.next++
	id := fmt.Sprintf("w%d", o.next)
	o.writes[id] = &write{key: key, parts: map[int][]byte{}}
	return id, nil
}

// WritePart keeps part n; it returns ErrNotFound for an unknown write.
func (o *Objects) WritePart(_ context.Context, key, writeID string, n int, r io.Reader, size int64) (connector.ObjectPart, error) {
	data, err := io.ReadAll(r)
	defer o.mu.Unlock()
	if err := o.lock(); err != nil {
		return connector.ObjectPart{}, err
	}
	switch w := o.writes[writeID]; {
	case err != nil:
		return connector.ObjectPart{}, err
	case w == nil || w.key != key:
		return connector.ObjectPart{}, fmt.Errorf("objects: no write %s: %w", writeID, connector.ErrNotFound)
	case n < 1 || n > connector.MaxObjectParts || int64(len(data)) != size:
		return connector.ObjectPart{}, fmt.Errorf("objects: part %d of %d bytes, said %d: %w", n, len(data), size, connector.ErrInvalid)
	default:
		w.parts[n] = data
		sum := md5.Sum(data)
		return connector.ObjectPart{Number: n, ETag: hex.EncodeToString(sum[:]), Size: size}, nil
	}
}

// Finish makes the object whole from parts, as S3 checks them.
func (o *Objects) Finish(_ context.Context, key, writeID string, parts []connector.ObjectPart) error {
	defer o.mu.Unlock()
	if err := o.lock(); err != nil {
		return err
	}
	w := o.writes[writeID]
	if w == nil || w.key != key {
		return fmt.Errorf("objects: no write %s: %w", writeID, connector.ErrNotFound)
	}
	if len(parts) == 0 {
		return fmt.Errorf("objects: no parts: %w", connector.ErrInvalid)
	}
	var buf bytes.Buffer
	for i, p := range parts {
		data, ok := w.parts[p.Number]
		sum := md5.Sum(data)
		switch {
		case !ok || hex.EncodeToString(sum[:]) != p.ETag:
			return fmt.Errorf("objects: part %d is not as written: %w", p.Number, connector.ErrInvalid)
		case i > 0 && p.Number <= parts[i-1].Number:
			return fmt.Errorf("objects: parts out of order: %w", connector.ErrInvalid)
		case i < len(parts)-1 && len(data) < connector.MinObjectPart:
			return fmt.Errorf("objects: part %d is too small: %w", p.Number, connector.ErrInvalid)
		}
		buf.Write(data)
	}
	o.objects[key] = object{data: buf.Bytes()}
	delete(o.writes, writeID)
	return nil
}

// Abort drops a write.
func (o *Objects) Abort(_ context.Context, _, writeID string) error {
	defer o.mu.Unlock()
	if err := o.lock(); err != nil {
		return err
	}
	if _, ok := o.writes[writeID]; ok {
		o.Aborted++
	}
	delete(o.writes, writeID)
	return nil
}

// Promote moves staging to final with meta.
func (o *Objects) Promote(_ context.Context, staging, final string, meta connector.ObjectMeta) error {
	defer o.mu.Unlock()
	if err := o.lock(); err != nil {
		return err
	}
	obj, ok := o.objects[staging]
	if !ok {
		if _, done := o.objects[final]; done {
			return nil
		}
		return fmt.Errorf("objects: no %s: %w", staging, connector.ErrNotFound)
	}
	obj.meta = meta
	o.objects[final] = obj
	delete(o.objects, staging)
	return nil
}

// Stat describes the object under key.
func (o *Objects) Stat(_ context.Context, key string) (connector.ObjectInfo, error) {
	defer o.mu.Unlock()
	if err := o.lock(); err != nil {
		return connector.ObjectInfo{}, err
	}
	obj, ok := o.objects[key]
	if !ok {
		return connector.ObjectInfo{}, fmt.Errorf("objects: no %s: %w", key, connector.ErrNotFound)
	}
	return connector.ObjectInfo{Key: key, Size: int64(len(obj.data)), ObjectMeta: obj.meta}, nil
}

// Open reads the object under key from off.
func (o *Objects) Open(ctx context.Context, key string, off int64) (io.ReadCloser, connector.ObjectInfo, error) {
	info, err := o.Stat(ctx, key)
	if err != nil {
		return nil, info, err
	}
	o.mu.Lock()
	data := o.objects[key].data
	o.read += max(int64(len(data))-off, 0)
	o.mu.Unlock()
	return io.NopCloser(bytes.NewReader(data[min(off, int64(len(data))):])), info, nil
}

// Read counts the bytes Open has returned, from their offsets to the
// objects' ends.
func (o *Objects) Read() int64 {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.read
}

// Delete removes the object under key.
func (o *Objects) Delete(_ context.Context, key string) error {
	defer o.mu.Unlock()
	if err := o.lock(); err != nil {
		return err
	}
	delete(o.objects, key)
	return nil
}

// Presign returns mem://key.
func (o *Objects) Presign(_ context.Context, key string, _ time.Duration) (string, error) {
	return o.Location(key), nil
}

// Keys lists the keys of the objects held, sorted.
func (o *Objects) Keys() []string {
	defer o.mu.Unlock()
	_ = o.lock()
	return slices.Sorted(maps.Keys(o.objects))
}

// Writes counts the writes begun and neither finished nor aborted.
func (o *Objects) Writes() int {
	defer o.mu.Unlock()
	_ = o.lock()
	return len(o.writes)
}

// Object returns the content and metadata of the object under key.
func (o *Objects) Object(key string) ([]byte, connector.ObjectMeta, bool) {
	defer o.mu.Unlock()
	_ = o.lock()
	obj, ok := o.objects[key]
	return obj.data, obj.meta, ok
}

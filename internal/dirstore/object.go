package dirstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// sidecar is the JSON beside an object.
type sidecar struct {
	ContentType string            `json:"contentType,omitempty"`
	Metadata    map[string]string `json:"metadata,omitempty"`
}

// Promote writes final's sidecar with meta, then renames staging to
// final, replacing what final held, and removes staging's sidecar. A
// Promote cut short is done again whole: staging is still there. Once
// staging is gone and final exists, Promote is no error; with neither it
// returns ErrNotFound.
func (s *Store) Promote(_ context.Context, staging, final string, meta connector.ObjectMeta) error {
	if err := errors.Join(checkKey(staging), checkKey(final)); err != nil {
		return fmt.Errorf("dirstore: promote: %w", err)
	}
	if _, err := s.object(staging); errors.Is(err, fs.ErrNotExist) {
		if _, err := s.object(final); err != nil {
			return fsError("promote: neither the staging nor the final object", err)
		}
		return nil
	} else if err != nil {
		return fsError("promote", err)
	}
	b, err := json.Marshal(sidecar{ContentType: meta.ContentType, Metadata: meta.Metadata})
	if err != nil {
		return fmt.Errorf("dirstore: promote: %w", err)
	}
	if err := s.writeFile(metaPath(final), b); err != nil {
		return fsError("promote: write metadata", err)
	}
	if err := s.root.Rename(path(staging), path(final)); err != nil {
		return fsError("promote", err)
	}
	if err := s.root.Remove(metaPath(staging)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fsError("promote: remove staging metadata", err)
	}
	return nil
}

// Stat describes the object under key (no tags: no scanner runs
// locally). It returns ErrNotFound if there is none.
func (s *Store) Stat(_ context.Context, key string) (connector.ObjectInfo, error) {
	if err := checkKey(key); err != nil {
		return connector.ObjectInfo{}, fmt.Errorf("dirstore: stat: %w", err)
	}
	fi, err := s.object(key)
	if err != nil {
		return connector.ObjectInfo{}, fsError("stat", err)
	}
	return s.info(key, fi.Size())
}

// Open returns the object's file from byte offset off on; past the end it
// reads nothing. It returns ErrNotFound if there is no object.
func (s *Store) Open(_ context.Context, key string, off int64) (io.ReadCloser, connector.ObjectInfo, error) {
	if err := checkKey(key); err != nil {
		return nil, connector.ObjectInfo{}, fmt.Errorf("dirstore: open: %w", err)
	}
	if off < 0 {
		return nil, connector.ObjectInfo{}, fmt.Errorf("dirstore: open: %w: negative offset %d", connector.ErrInvalid, off)
	}
	f, err := s.root.Open(path(key))
	if err != nil {
		return nil, connector.ObjectInfo{}, fsError("open", err)
	}
	fi, err := f.Stat()
	if err == nil && !fi.Mode().IsRegular() {
		err = fs.ErrNotExist
	}
	if err == nil {
		_, err = f.Seek(off, io.SeekStart)
	}
	if err != nil {
		f.Close()
		return nil, connector.ObjectInfo{}, fsError("open", err)
	}
	info, err := s.info(key, fi.Size())
	if err != nil {
		f.Close()
		return nil, connector.ObjectInfo{}, err
	}
	return f, info, nil
}

// Delete removes the object under key and its sidecar; a missing object
// is no error.
func (s *Store) Delete(_ context.Context, key string) error {
	if err := checkKey(key); err != nil {
		return fmt.Errorf("dirstore: delete: %w", err)
	}
	if _, err := s.object(key); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	for _, name := range []string{path(key), metaPath(key)} {
		if err := s.root.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fsError("delete", err)
		}
	}
	return nil
}

// object stats the object under key: fs.ErrNotExist if there is none (a
// directory is none).
func (s *Store) object(key string) (fs.FileInfo, error) {
	fi, err := s.root.Stat(path(key))
	if err == nil && !fi.Mode().IsRegular() {
		return nil, fs.ErrNotExist
	}
	return fi, err
}

// info describes key of size bytes with what its sidecar holds.
func (s *Store) info(key string, size int64) (connector.ObjectInfo, error) {
	info := connector.ObjectInfo{Key: key, Size: size}
	b, err := s.root.ReadFile(metaPath(key))
	if errors.Is(err, fs.ErrNotExist) {
		return info, nil
	}
	if err != nil {
		return connector.ObjectInfo{}, fsError("read metadata", err)
	}
	var sc sidecar
	if err := json.Unmarshal(b, &sc); err != nil {
		return connector.ObjectInfo{}, fmt.Errorf("dirstore: read metadata: %w: %w", connector.ErrUnavailable, err)
	}
	info.ContentType, info.Metadata = sc.ContentType, sc.Metadata
	return info, nil
}

// writeFile writes b to name whole or not at all: into a temporary file
// of .writes/, then renamed into place.
func (s *Store) writeFile(name string, b []byte) error {
	if err := s.root.MkdirAll(writesDir, dirMode); err != nil {
		return err
	}
	tmp := filepath.Join(writesDir, "tmp-"+randomID())
	if err := s.root.WriteFile(tmp, b, fileMode); err != nil {
		return err
	}
	if err := s.place(tmp, name); err != nil {
		_ = s.root.Remove(tmp)
		return err
	}
	return nil
}

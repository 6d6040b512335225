package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/sendsafely/chatbot-connector/internal/sendsafely"
	"github.com/sendsafely/chatbot-connector/internal/sendsafely/sendsafelytest"
)

// The deployment ours is configured for.
const (
	benchHost       = "acme.sendsafely.com"
	benchEmail      = "customer@example.com"
	benchDropzone   = "DROPZONE"
	benchValidation = "bench-validation-key"
)

// standIn serves the stand-in with a package of one generated file per
// size, each labelled with an upload id of its own (ours makes that upload
// first), its keycode encrypted to a Trusted Browser key registered at it
// (whose private half it writes into dir), its parts encrypted once into
// dir before the setup is printed and served from there, as S3 serves
// SendSafely's stored ciphertext; it prints the setup and serves until
// stdin closes.
func standIn(dir, sizes string) error {
	if dir == "" || sizes == "" {
		return fmt.Errorf("standin needs -dir and -sizes")
	}
	s := sendsafelytest.New(sendsafelytest.Config{Host: benchHost})
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	go func() { _ = http.Serve(l, s.Handler()) }()
	var sz []int64
	for _, field := range strings.Split(sizes, ",") {
		size, err := strconv.ParseInt(field, 10, 64)
		if err != nil {
			return fmt.Errorf("-sizes: %w", err)
		}
		sz = append(sz, size)
	}
	st, err := prepare(s, "http://"+l.Addr().String(), dir, sz)
	if err != nil {
		return err
	}
	if err := json.NewEncoder(os.Stdout).Encode(st); err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, os.Stdin)
	return l.Close()
}

// prepare registers a Trusted Browser key at s (served at url), writes
// its private half into dir, and adds a package of one generated file per
// size, its ciphertext written under dir: the setup ours and floor read.
func prepare(s *sendsafelytest.Server, url, dir string, sizes []int64) (setup, error) {
	kp, err := sendsafely.GenerateKeyPair("bench@localhost")
	if err != nil {
		return setup{}, err
	}
	keyID, err := s.RegisterKey(kp.Public, "make bench")
	if err != nil {
		return setup{}, err
	}
	st := setup{URL: url, Host: benchHost, APIKey: s.APIKey(), APISecret: s.APISecret(),
		KeyID: keyID, PrivateKeyFile: filepath.Join(dir, "trusted-key.asc"), Email: benchEmail,
		DropzoneID: benchDropzone, ValidationKey: benchValidation}
	if err := os.WriteFile(st.PrivateKeyFile, []byte(kp.Private), 0o600); err != nil {
		return setup{}, err
	}
	for i, size := range sizes {
		f, err := addFile(s, fmt.Sprintf("00000000-0000-4000-8000-%012d", i+1), size, uint64(i+1), dir)
		if err != nil {
			return setup{}, err
		}
		st.Files = append(st.Files, f)
	}
	return st, nil
}

// addFile makes the package of upload id uploadID holding one generated
// file of size bytes, its parts encrypted into dir, finalized as the
// Dropzone's page finalizes it.
func addFile(s *sendsafelytest.Server, uploadID string, size int64, seed uint64, dir string) (setupFile, error) {
	p := s.CreatePackage(uploadID, benchEmail)
	name := fmt.Sprintf("scan-%d.bin", size)
	file, err := s.AddGeneratedFileOnDisk(p.ID, name, size, seed, dir)
	if err != nil {
		return setupFile{}, err
	}
	link, err := s.Finalize(p.ID)
	if err != nil {
		return setupFile{}, err
	}
	h := sha256.New()
	if _, err := io.Copy(h, sendsafelytest.GeneratedContent(size, seed)); err != nil {
		return setupFile{}, err
	}
	return setupFile{Size: size, UploadID: uploadID, PackageID: p.ID, PackageCode: p.Code, KeyCode: p.KeyCode,
		ServerSecret: p.ServerSecret, Parts: file.Parts, FileID: file.ID, Name: name, Link: link, Sha256: hex.EncodeToString(h.Sum(nil))}, nil
}

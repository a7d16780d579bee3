package seed

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"

	"github.com/innograph/innograph/internal/kg"
)

// Digest returns the digest recorded as source.digest for a document:
// "sha256:" and the hex SHA-256 of its text with white space collapsed
// (kg.CollapseSpace), the form quotes are checked against, so line endings
// and wrapping do not change it.
func Digest(text string) string {
	sum := sha256.Sum256([]byte(kg.CollapseSpace(text)))
	return "sha256:" + hex.EncodeToString(sum[:])
}

// validDigest reports whether s has the form Digest returns.
func validDigest(s string) bool {
	h, ok := strings.CutPrefix(s, "sha256:")
	if !ok || len(h) != 64 {
		return false
	}
	for _, c := range h {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// LoadDocs reads the source documents in dir into a map from file name to
// text with white space collapsed, ready for quote checks.
func LoadDocs(dir string) (map[string]string, error) {
	docs, err := ReadDocs(dir)
	if err != nil {
		return nil, err
	}
	for name, text := range docs {
		docs[name] = kg.CollapseSpace(text)
	}
	return docs, nil
}

// ReadDocs reads the source documents in dir into a map from file name to
// text as the files hold it, line breaks and all: what an analyst pasting
// the article would give (the ingestion evaluation analyses it).
func ReadDocs(dir string) (map[string]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	docs := map[string]string{}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		docs[e.Name()] = string(b)
	}
	return docs, nil
}

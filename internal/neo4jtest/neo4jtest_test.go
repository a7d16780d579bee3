package neo4jtest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/innograph/innograph/seed"
)

// Without the documents a check that needs them is skipped, naming
// SEED_DOCS, except under CI, where it fails; documents that are not the
// ones the seed's digests name are refused, naming the file.
func TestLoadDocs(t *testing.T) {
	files, err := seed.EmbeddedFiles()
	if err != nil {
		t.Fatal(err)
	}
	other := t.TempDir()
	g, err := seed.Parse(files, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range g.Sources {
		if err := os.WriteFile(filepath.Join(other, s.File), []byte("Another text altogether."), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	missing := filepath.Join(t.TempDir(), "nope")
	for _, tc := range []struct {
		name     string
		dir      string
		ci       bool
		skip     string // substring of the skip reason
		errWants []string
	}{
		{"missing, developer", missing, false, "SEED_DOCS: no source documents at " + missing, nil},
		{"missing, CI", missing, true, "", []string{"SEED_DOCS", "CI=true"}},
		{"other texts", other, false, "", []string{"does not match source.digest", g.Sources[0].File, "SEED_DOCS"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			docs, skip, err := loadDocs(tc.dir, tc.ci)
			if tc.errWants != nil {
				if err == nil {
					t.Fatalf("no error; skip %q, %d docs", skip, len(docs))
				}
				for _, w := range tc.errWants {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error %q does not say %q", err, w)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(skip, tc.skip) || docs != nil {
				t.Errorf("skip %q, %d docs; want a skip saying %q", skip, len(docs), tc.skip)
			}
		})
	}
}

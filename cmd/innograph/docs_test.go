package main

import (
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/innograph/innograph/internal/neo4jtest"
	"github.com/innograph/innograph/seed"
)

// The source documents are optional: without them nothing is checked and
// the server starts; a folder that holds other texts under the seed's file
// names, or lacks one, is refused with a message naming the file.
func TestSourceDocs(t *testing.T) {
	files, err := seed.EmbeddedFiles()
	if err != nil {
		t.Fatal(err)
	}
	g, err := seed.Parse(files, nil)
	if err != nil {
		t.Fatal(err)
	}
	other := t.TempDir()
	for _, s := range g.Sources {
		if err := os.WriteFile(filepath.Join(other, s.File), []byte("Not the article."), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	for _, tc := range []struct {
		name, dir string
		want      []string // substrings of the error; none: no documents, no error
	}{
		{"absent", filepath.Join(t.TempDir(), "absent"), nil},
		{"other texts", other, []string{"do not verify the built-in seed", g.Sources[0].File, "does not match source.digest"}},
		{"empty folder", t.TempDir(), []string{`source.file "` + g.Sources[0].File + `" is not among the source documents`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			docs, err := sourceDocs(config{SeedDocs: tc.dir}, log)
			if tc.want == nil {
				if err != nil || docs != nil {
					t.Fatalf("docs %v, err %v; want neither", docs, err)
				}
				return
			}
			if err == nil {
				t.Fatalf("no error, %d documents", len(docs))
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
		})
	}
}

// The articles themselves verify the seed (they need SEED_DOCS).
func TestSourceDocsArticles(t *testing.T) {
	want := neo4jtest.Docs(t)
	docs, err := sourceDocs(config{SeedDocs: neo4jtest.DocsDir()}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != len(want) || len(docs) < 5 {
		t.Fatalf("%d documents, want the %d in %s", len(docs), len(want), neo4jtest.DocsDir())
	}
}

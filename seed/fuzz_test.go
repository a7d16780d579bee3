package seed

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// FuzzParse feeds arbitrary bytes to the parser as a seed file, after a valid
// file it may refer to. The parser must never panic; it returns either a
// graph whose every value validates, or problems that each name the file and
// a line.
func FuzzParse(f *testing.F) {
	paths, _ := filepath.Glob(filepath.Join("testdata", "*", "*.yaml"))
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	embedded, err := EmbeddedFiles()
	if err != nil {
		f.Fatal(err)
	}
	for _, file := range embedded {
		f.Add(file.Data)
	}
	f.Add([]byte("source: &a {id: s, title: T}\nentities: [*a, *a]\n"))
	f.Add([]byte("- 1\n- 2\n"))
	f.Add([]byte("source:\n  id: s\n  title: T\nrelationships:\n  - [from, to]\nfundings: {a: b}\n"))
	base, err := os.ReadFile(filepath.Join("testdata", "happy", "a.yaml"))
	if err != nil {
		f.Fatal(err)
	}
	docs := fixtureDocs(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		p := NewParser()
		p.Docs = docs
		p.Known = func(id string) bool { return id == "known-elsewhere" }
		var g *Graph
		var err error
		done := make(chan struct{})
		go func() {
			defer close(done)
			p.Add(File{Name: "base.yaml", Data: base})
			p.Add(File{Name: "fuzz.yaml", Data: data})
			g, err = p.Finish()
		}()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Fatalf("parsing %d bytes takes over 5s", len(data))
		}
		if err != nil {
			if g != nil {
				t.Fatal("graph returned with problems")
			}
			var ps Problems
			if !errors.As(err, &ps) || len(ps) == 0 {
				t.Fatalf("error is not a non-empty Problems: %v", err)
			}
			for _, pr := range ps {
				if pr.File != "fuzz.yaml" && pr.File != "base.yaml" || pr.Line < 1 || pr.Msg == "" {
					t.Fatalf("problem without a place: %+v", pr)
				}
			}
			return
		}
		for i := range g.Entities {
			if err := g.Entities[i].Validate(); err != nil {
				t.Fatalf("accepted invalid entity %+v: %v", g.Entities[i], err)
			}
		}
		for i := range g.Relationships {
			if err := g.Relationships[i].Validate(); err != nil {
				t.Fatalf("accepted invalid relationship %+v: %v", g.Relationships[i], err)
			}
		}
		for i := range g.Fundings {
			if err := g.Fundings[i].Validate(); err != nil {
				t.Fatalf("accepted invalid funding %+v: %v", g.Fundings[i], err)
			}
		}
	})
}

package main

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/innograph/innograph/internal/neo4jtest"
	"github.com/innograph/innograph/internal/synth"
)

// TestCheckBulkDir checks that bulkload's reading of a generated graph,
// before anything is written, finds each kind of damage and says in which
// file and at which line.
func TestCheckBulkDir(t *testing.T) {
	ctx := context.Background()
	good := t.TempDir()
	man, err := synth.Write(synth.Config{Entities: 300, Seed: 3, RelsPerEntity: 2}, good, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := checkBulkDir(ctx, good, man); err != nil {
		t.Fatalf("a generated graph: %v", err)
	}
	// lines returns the lines of one of good's files.
	lines := func(file string) []string {
		b, err := os.ReadFile(filepath.Join(good, file))
		if err != nil {
			t.Fatal(err)
		}
		return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	}
	ents, rels := lines(synth.FileEntities), lines(synth.FileRelationships)
	for _, tc := range []struct {
		name string
		file string
		edit func(ls []string) []string // of file's lines
		man  func(m *synth.Manifest)
		want string
	}{
		{"a line cut short", synth.FileEntities, func(ls []string) []string { ls[4] = ls[4][:len(ls[4])/2]; return ls }, nil,
			"entities.ndjson line 5: "},
		{"a field of the wrong type", synth.FileEntities, func(ls []string) []string {
			ls[2] = strings.Replace(ls[2], `"aliases":[`, `"aliases":5,"x":[`, 1)
			return ls
		}, nil, "entities.ndjson line 3: json: cannot unmarshal number"},
		{"an id that is not a slug", synth.FileEntities, func(ls []string) []string {
			ls[0] = strings.Replace(ls[0], `"id":"person-0"`, `"id":"BAD ID!"`, 1)
			return ls
		}, nil, `entities.ndjson line 1: `},
		{"an entity twice", synth.FileEntities, func(ls []string) []string { ls[7] = ls[6]; return ls }, nil,
			"entities.ndjson line 8: duplicate entity id"},
		{"an unknown kind", synth.FileEntities, func(ls []string) []string {
			ls[1] = strings.Replace(ls[1], `"kind":"PERSON"`, `"kind":"SPACESHIP"`, 1)
			return ls
		}, nil, "entities.ndjson line 2: "},
		{"a relationship to no entity", synth.FileRelationships, func(ls []string) []string {
			ls[9] = strings.Replace(ls[9], `"to":"`, `"to":"nobody-`, 1)
			return ls
		}, nil, `relationships.ndjson line 10: to "nobody-`},
		{"a bad date", synth.FileRelationships, func(ls []string) []string {
			ls[0] = strings.TrimSuffix(ls[0], "}") + `,"until":"2019-13"}` // the last of a repeated key counts
			return ls
		}, nil, "relationships.ndjson line 1: "},
		{"fewer lines than the manifest says", synth.FileRelationships, func(ls []string) []string { return ls[:len(ls)-1] }, nil,
			"relationships.ndjson has"},
		{"a manifest that says more entities", "", nil, func(m *synth.Manifest) { m.Entities++ },
			"entities.ndjson has 300 records; the manifest says 301"},
		{"a missing file", synth.FileFundings, nil, nil, "fundings.ndjson"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for _, f := range []string{synth.FileManifest, synth.FileSources, synth.FileEntities, synth.FileFundings, synth.FileRelationships} {
				b, err := os.ReadFile(filepath.Join(good, f))
				if err != nil {
					t.Fatal(err)
				}
				if f == tc.file {
					if tc.edit == nil {
						continue // the file is missing
					}
					var ls []string
					switch f {
					case synth.FileEntities:
						ls = append([]string(nil), ents...)
					case synth.FileRelationships:
						ls = append([]string(nil), rels...)
					}
					b = []byte(strings.Join(tc.edit(ls), "\n") + "\n")
				}
				if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			m := man
			if tc.man != nil {
				tc.man(&m)
			}
			err := checkBulkDir(ctx, dir, m)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("checkBulkDir = %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

// TestBulkloadChecksBeforeWiping checks that bulkload --wipe reads the
// whole directory before deleting anything: a damaged one leaves the
// database as it was.
func TestBulkloadChecksBeforeWiping(t *testing.T) {
	ctx := context.Background()
	neo4jtest.Store(t) // up, migrated and seeded
	scfg, err := neo4jtest.Config(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("NEO4J_URI", scfg.URI)
	t.Setenv("NEO4J_USER", scfg.User)
	t.Setenv("NEO4J_PASSWORD", scfg.Password)
	cfg, err := loadConfig()
	if err != nil {
		t.Fatal(err)
	}
	st := neo4jtest.Store(t)
	before, err := st.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if _, err := synth.Write(synth.Config{Entities: 100, Seed: 5, RelsPerEntity: 2}, dir, nil); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(filepath.Join(dir, synth.FileRelationships), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(`{"id":"x","type":"FUNDS","from":"nobody","to":"nobody-else"` + "\n") // cut short
	f.Close()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	err = bulkloadCmd(ctx, cfg, log, []string{"--wipe", dir})
	if err == nil || !strings.Contains(err.Error(), "relationships.ndjson line") || !strings.Contains(err.Error(), "nothing was written") {
		t.Fatalf("bulkload --wipe of a damaged directory: %v", err)
	}
	after, err := st.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if after.String() != before.String() {
		t.Errorf("the database changed:\n%s\nwas\n%s", after, before)
	}
}

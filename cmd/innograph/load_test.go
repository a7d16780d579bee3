package main

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/innograph/innograph/internal/neo4jtest"
)

// TestLoadFiles checks `innograph load FILE` against a graph that already
// holds the seed: a file may add to the graph and refer to its entities,
// but not redefine an entity or a source, take a name an entity has, or use
// a merged-away id; a refused file writes nothing; a file with mistakes is
// reported before Neo4j is contacted.
func TestLoadFiles(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	cfg, err := neo4jtest.Config(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cypher := func(q string) []*neo4j.Record {
		t.Helper()
		return neo4jtest.Cypher(t, q, nil)
	}
	cleanup := func() {
		cypher(`MATCH (n) WHERE n.id STARTS WITH 'zz-test-load' DETACH DELETE n`)
		cypher(`MATCH ()-[r]->() WHERE r.id STARTS WITH 'zz-test-load' DELETE r`)
	}
	cleanup()
	t.Cleanup(cleanup)
	// An id merged into polyu, as mergeEntities leaves it.
	cypher(`CREATE (:Redirect {id: 'zz-test-load-gone', target: 'polyu'})`)
	t.Setenv("NEO4J_URI", cfg.URI)
	t.Setenv("NEO4J_USER", cfg.User)
	t.Setenv("NEO4J_PASSWORD", cfg.Password)
	// The files' quotes are checked against the documents when they are
	// there; the test is about the graph, so it runs without them too.
	if st, err := os.Stat(neo4jtest.DocsDir()); err == nil && st.IsDir() {
		t.Setenv("SEED_DOCS", neo4jtest.DocsDir())
	} else {
		t.Setenv("SEED_DOCS", "")
	}
	t.Setenv("LOG_LEVEL", "error")
	state := func() string {
		r := cypher(`MATCH (p:Entity {id: 'polyu'}) MATCH (s:Source {id: 's001-innovation-hub'})
OPTIONAL MATCH (z) WHERE z.id STARTS WITH 'zz-test-load' AND NOT z:Redirect
WITH p, s, count(z) AS n
RETURN p.kind + '|' + p.name + '|' + p.version + '|' + s.title + '|' + n AS state`)
		v, _ := r[0].Get("state")
		return v.(string)
	}
	before := state()

	for _, tc := range []struct{ file, want string }{
		{"redefine-entity.yaml", `entity "polyu" is already in the graph as UNIVERSITY "The Hong Kong Polytechnic University"`},
		{"redefine-source.yaml", `source "s001-innovation-hub" is already in the graph`},
		{"name-taken.yaml", `name or alias "The Hong Kong Polytechnic University" of "zz-test-load-poly" is already a name or alias of "polyu" in the graph`},
		{"merged-endpoint.yaml", `no entity with id "zz-test-load-gone" (it was merged into "polyu"; refer to that)`},
		{"merged-id.yaml", `entity id "zz-test-load-gone" was merged into "polyu" and cannot be defined again`},
	} {
		t.Run(tc.file, func(t *testing.T) {
			err := run(ctx, []string{"load", "testdata/load/" + tc.file})
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), tc.file+":") {
				t.Fatalf("load %s: %v; want an error at a line of the file saying %q", tc.file, err, tc.want)
			}
			if got := state(); got != before {
				t.Errorf("the graph changed: %s, was %s", got, before)
			}
		})
	}
	t.Run("good.yaml, twice", func(t *testing.T) {
		for i := range 2 {
			if err := run(ctx, []string{"load", "testdata/load/good.yaml"}); err != nil {
				t.Fatalf("load %d: %v", i+1, err)
			}
		}
		r := cypher(`MATCH (e:Entity {id: 'zz-test-load-robotics'})-[x:COLLABORATES_WITH]->(:Entity {id: 'polyu'})
RETURN e.version AS v, count(x) AS n`)
		if len(r) != 1 {
			t.Fatal("the entity or its relationship is missing")
		}
		v, _ := r[0].Get("v")
		n, _ := r[0].Get("n")
		if v != int64(1) || n != int64(1) {
			t.Errorf("after loading the same file twice: version %v, %v relationships; want 1 and 1", v, n)
		}
	})
	t.Run("mistakes are found before Neo4j is contacted", func(t *testing.T) {
		t.Setenv("NEO4J_URI", "bolt://127.0.0.1:1")
		start := time.Now()
		err := run(ctx, []string{"load", "testdata/load/broken.yaml"})
		if err == nil || !strings.Contains(err.Error(), "broken.yaml") || strings.Contains(err.Error(), "Neo4j") {
			t.Errorf("load broken.yaml with Neo4j unreachable: %v; want the file's mistake", err)
		}
		if took := time.Since(start); took > 10*time.Second {
			t.Errorf("took %v: it waited for Neo4j", took)
		}
	})
}

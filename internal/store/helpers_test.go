package store_test

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/innograph/innograph/internal/kg"
	"github.com/innograph/innograph/internal/neo4jtest"
)

// testPrefix starts the id of everything a test writes; cleanup deletes by it.
const testPrefix = "zz-test-"

// raw runs Cypher on the test database outside the Store, for setup,
// cleanup and independent checks of what the Store returns.
func raw(t testing.TB, cypher string, params map[string]any) []map[string]any {
	t.Helper()
	recs := neo4jtest.Cypher(t, cypher, params)
	out := make([]map[string]any, 0, len(recs))
	for _, r := range recs {
		out = append(out, r.AsMap())
	}
	return out
}

// cleanup removes every node whose id starts with prefix (and so their
// relationships), now and when the test ends.
func cleanup(t testing.TB, prefix string) {
	t.Helper()
	if !strings.HasPrefix(prefix, testPrefix) {
		t.Fatalf("cleanup prefix %q must start with %q", prefix, testPrefix)
	}
	del := func() {
		raw(t, "MATCH (n) WHERE n.id STARTS WITH $p DETACH DELETE n", map[string]any{"p": prefix})
	}
	del()
	t.Cleanup(del)
}

func ctxT(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// wantCode asserts err is a *kg.Error with code (and field, when not "").
func wantCode(t testing.TB, err error, code, field string) {
	t.Helper()
	var ke *kg.Error
	if !errors.As(err, &ke) {
		t.Fatalf("error = %v (%T), want *kg.Error %s", err, err, code)
	}
	if ke.Code != code || (field != "" && ke.Field != field) {
		t.Fatalf("error = code %s field %q (%v), want %s on %q", ke.Code, ke.Field, err, code, field)
	}
}

// testEntities returns n entities of kind ORGANIZATION with ids prefix-0… and
// names spread over the alphabet, so that they land on every page.
func testEntities(prefix string, n int) []kg.Entity {
	out := make([]kg.Entity, 0, n)
	for i := 0; i < n; i++ {
		letter := string(rune('A' + (i*7)%26))
		out = append(out, kg.Entity{ID: fmt.Sprintf("%s%d", prefix, i), Kind: kg.KindOrganization,
			Name: fmt.Sprintf("%s zz test entity %d", letter, i), Sources: []string{testSource().ID}})
	}
	return out
}

func testSource() kg.Source {
	return kg.Source{ID: "zz-test-conc-source", Title: "Test source", File: "none.txt"}
}

// allEntityIDs returns every entity id in the database, read independently of the Store.
func allEntityIDs(t testing.TB) map[string]bool {
	ids := map[string]bool{}
	for _, r := range raw(t, "MATCH (n:Entity) RETURN n.id AS id", nil) {
		ids[r["id"].(string)] = true
	}
	return ids
}

func relIDs(adj []kg.Adjacent) []string {
	out := make([]string, 0, len(adj))
	for _, a := range adj {
		out = append(out, a.Rel.ID)
	}
	sort.Strings(out)
	return out
}

func otherIDs(adj []kg.Adjacent) []string {
	out := make([]string, 0, len(adj))
	for _, a := range adj {
		out = append(out, a.Other.ID)
	}
	sort.Strings(out)
	return out
}

func entityIDs(es []kg.Entity) []string {
	out := make([]string, 0, len(es))
	for _, e := range es {
		out = append(out, e.ID)
	}
	return out
}

func dayp(y int, m time.Month, d int) *time.Time {
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return &t
}

var _ = kg.EncodeCursor

package store_test

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/innograph/innograph/internal/kg"
	"github.com/innograph/innograph/internal/neo4jtest"
)

// snapshot renders every curated node (entities, sources, fundings,
// redirects) and every relationship between entities with all properties as
// sorted lines, test data ("zz-" ids) excluded, for exact before/after comparisons.
func snapshot(t *testing.T) []string {
	t.Helper()
	var lines []string
	for _, r := range raw(t, `MATCH (n) WHERE (n:Entity OR n:Source OR n:Funding OR n:Redirect) AND NOT n.id STARTS WITH 'zz-'
RETURN labels(n) AS labels, properties(n) AS props`, nil) {
		labels := fmt.Sprint(r["labels"])
		lines = append(lines, "node "+labels+" "+render(r["props"]))
	}
	for _, r := range raw(t, `MATCH (a:Entity)-[r]->(b:Entity) WHERE NOT a.id STARTS WITH 'zz-' AND NOT b.id STARTS WITH 'zz-'
RETURN a.id AS a, type(r) AS type, b.id AS b, properties(r) AS props`, nil) {
		lines = append(lines, fmt.Sprintf("rel %v -%v-> %v %s", r["a"], r["type"], r["b"], render(r["props"])))
	}
	sort.Strings(lines)
	return lines
}

// render prints a property map with sorted keys and lists in stored order.
func render(v any) string {
	m, _ := v.(map[string]any)
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%s=%#v;", k, m[k])
	}
	return b.String()
}

func TestImportIsIdempotent(t *testing.T) {
	st := neo4jtest.Store(t)
	ctx := ctxT(t)
	before, err := st.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	snapBefore := snapshot(t)
	if len(snapBefore) < 300 {
		t.Fatalf("snapshot has only %d lines: is the seed loaded?", len(snapBefore))
	}

	g, err := neo4jtest.SeedGraph()
	if err != nil {
		t.Fatal(err)
	}
	nRels := len(g.Relationships)
	for i := 0; i < 2; i++ { // the same *Graph twice
		if err := st.Import(ctx, g); err != nil {
			t.Fatalf("import %d: %v", i+1, err)
		}
		if len(g.Relationships) != nRels {
			t.Fatalf("Import modified its argument: %d relationships before, %d after", nRels, len(g.Relationships))
		}
	}
	after, err := st.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(before, after) {
		t.Errorf("counts changed on re-import:\nbefore %v\nafter  %v", before, after)
	}
	snapAfter := snapshot(t)
	if !reflect.DeepEqual(snapBefore, snapAfter) {
		for i := 0; i < len(snapBefore) && i < len(snapAfter); i++ {
			if snapBefore[i] != snapAfter[i] {
				t.Fatalf("properties changed on re-import (%d vs %d lines); first difference:\nbefore %s\nafter  %s",
					len(snapBefore), len(snapAfter), snapBefore[i], snapAfter[i])
			}
		}
		t.Fatalf("snapshot changed on re-import: %d lines before, %d after", len(snapBefore), len(snapAfter))
	}

	// The database holds what the seed says.
	ents, rels := after.Total()
	var wantRels int64
	for _, r := range g.Relationships {
		_ = r
		wantRels++
	}
	for _, f := range g.Fundings {
		wantRels += int64(len(f.Recipients)) // each recipient gets a FUNDS edge
	}
	if ents < int64(len(g.Entities)) || rels < wantRels || after.Sources < int64(len(g.Sources)) || after.Fundings < int64(len(g.Fundings)) {
		t.Errorf("graph smaller than the seed: %d entities (seed %d), %d relationships (seed %d), %d sources, %d fundings",
			ents, len(g.Entities), rels, wantRels, after.Sources, after.Fundings)
	}
	if after.Entities[string(kg.KindLab)] < 4 || after.Relationships["DIRECTS"] < 4 {
		t.Errorf("counts by kind/type look wrong: %v", after)
	}
	if s := after.String(); !strings.Contains(s, "entity LAB") || !strings.Contains(s, "rel    DIRECTS") {
		t.Errorf("Counts.String() = %q", s)
	}
}

// Re-importing a fact from a new source adds evidence and aliases (set
// union) without duplicating what is there.
func TestImportAccumulatesEvidenceAndAliases(t *testing.T) {
	st := neo4jtest.Store(t)
	ctx := ctxT(t)
	cleanup(t, "zz-test-acc-")
	src1 := kg.Source{ID: "zz-test-acc-s1", Title: "One"}
	src2 := kg.Source{ID: "zz-test-acc-s2", Title: "Two"}
	a := kg.Entity{ID: "zz-test-acc-a", Kind: kg.KindLab, Name: "Zz Acc Lab", Aliases: []string{"ZAL"}, Sources: []string{src1.ID}}
	b := kg.Entity{ID: "zz-test-acc-b", Kind: kg.KindPerson, Name: "Zz Acc Person", Sources: []string{src1.ID}}
	rel := kg.Relationship{ID: kg.RelationshipID(b.ID, "DIRECTS", a.ID, ""), Type: "DIRECTS", From: b.ID, To: a.ID,
		Evidence: []kg.Evidence{{SourceID: src1.ID, Quote: "first quote"}}}
	if err := st.Import(ctx, &kg.Graph{Sources: []kg.Source{src1}, Entities: []kg.Entity{a, b}, Relationships: []kg.Relationship{rel}}); err != nil {
		t.Fatal(err)
	}
	a2 := a
	a2.Aliases = []string{"ZAL", "Zed Lab"}
	a2.Sources = []string{src2.ID}
	rel2 := rel
	rel2.Evidence = []kg.Evidence{{SourceID: src2.ID, Quote: "second quote"}, {SourceID: src1.ID, Quote: "first quote"}}
	g2 := &kg.Graph{Sources: []kg.Source{src2}, Entities: []kg.Entity{a2}, Relationships: []kg.Relationship{rel2},
		Mentions: []kg.Mention{{EntityID: b.ID, SourceID: src2.ID, Aliases: []string{"Dr Zz"}}}}
	for i := 0; i < 2; i++ {
		if err := st.Import(ctx, g2); err != nil {
			t.Fatal(err)
		}
	}
	got, err := st.EntitiesByIDs(ctx, []string{a.ID, b.ID})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got[a.ID].Aliases, []string{"ZAL", "Zed Lab"}) || !reflect.DeepEqual(got[a.ID].Sources, []string{src1.ID, src2.ID}) {
		t.Errorf("lab after two imports = %+v", got[a.ID])
	}
	if !reflect.DeepEqual(got[b.ID].Aliases, []string{"Dr Zz"}) || !reflect.DeepEqual(got[b.ID].Sources, []string{src1.ID, src2.ID}) {
		t.Errorf("mentioned person = %+v", got[b.ID])
	}
	adj, err := st.Adjacent(ctx, []string{a.ID}, kg.RelFilter{Direction: kg.Incoming}, kg.Page{First: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(adj[a.ID]) != 1 {
		t.Fatalf("adjacent = %+v", adj)
	}
	wantEv := []kg.Evidence{{SourceID: src1.ID, Quote: "first quote", Status: kg.StatusAsserted}, {SourceID: src2.ID, Quote: "second quote", Status: kg.StatusAsserted}}
	if ev := adj[a.ID][0].Rel.Evidence; !reflect.DeepEqual(ev, wantEv) {
		t.Errorf("evidence = %+v, want %+v", ev, wantEv)
	}
	// A mention's new alias adds its search words once, however often it is imported.
	rows := raw(t, "MATCH (n:Entity {id: $id}) RETURN n.searchNames AS s", map[string]any{"id": b.ID})
	if len(rows) != 1 || rows[0]["s"] != "zz acc person dr zz" {
		t.Errorf("searchNames of the mentioned person = %#v, want \"zz acc person dr zz\"", rows)
	}
	// The mention's alias is searchable by name key.
	n, err := st.CountEntities(ctx, kg.EntityFilter{NameContains: "dr zz"})
	if err != nil || n != 1 {
		t.Errorf("CountEntities(nameContains dr zz) = %d, %v; want 1", n, err)
	}
}

// An import that relates, funds or mentions an entity the graph does not
// have is refused whole: those statements match their endpoints, and a
// missing one would otherwise leave its row out in silence.
func TestImportRefusesMissingEndpoints(t *testing.T) {
	st := neo4jtest.Store(t)
	ctx := ctxT(t)
	cleanup(t, "zz-test-miss-")
	raw(t, "CREATE (:Redirect {id: 'zz-test-miss-gone', target: 'polyu'})", nil)
	src := kg.Source{ID: "zz-test-miss-s", Title: "Missing endpoints"}
	a := kg.Entity{ID: "zz-test-miss-a", Kind: kg.KindCompany, Name: "Zz Miss Company", Sources: []string{src.ID}}
	ev := []kg.Evidence{{SourceID: src.ID, Quote: "q"}}
	rel := func(to string) kg.Relationship {
		return kg.Relationship{ID: kg.RelationshipID(a.ID, "COLLABORATES_WITH", to, ""), Type: "COLLABORATES_WITH", From: a.ID, To: to, Evidence: ev}
	}
	for name, tc := range map[string]struct {
		g    kg.Graph
		want string
	}{
		"relationship to no entity":   {kg.Graph{Relationships: []kg.Relationship{rel("zz-test-miss-nobody")}}, `"zz-test-miss-nobody"`},
		"relationship to a merged id": {kg.Graph{Relationships: []kg.Relationship{rel("zz-test-miss-gone")}}, `"zz-test-miss-gone" (merged into "polyu")`},
		"mention of no entity":        {kg.Graph{Mentions: []kg.Mention{{EntityID: "zz-test-miss-nobody", SourceID: src.ID}}}, `"zz-test-miss-nobody"`},
		"funding of no entity": {kg.Graph{Fundings: []kg.Funding{{ID: "zz-test-miss-f", Funder: a.ID, Recipients: []string{"zz-test-miss-nobody"}, Evidence: ev}}},
			`"zz-test-miss-nobody"`},
	} {
		t.Run(name, func(t *testing.T) {
			g := tc.g
			g.Sources, g.Entities = []kg.Source{src}, []kg.Entity{a}
			err := st.Import(ctx, &g)
			if kg.ErrorCode(err) != kg.CodeInvalid || !strings.Contains(kg.ErrorMessage(err), tc.want) {
				t.Fatalf("Import = %v; want BAD_USER_INPUT naming %s", err, tc.want)
			}
			if rows := raw(t, "MATCH (n) WHERE n.id STARTS WITH 'zz-test-miss-' AND NOT n:Redirect RETURN count(n) AS n", nil); rows[0]["n"] != int64(0) {
				t.Errorf("a refused import wrote %v nodes", rows[0]["n"])
			}
		})
	}
}

// An import that changes an entity gives it a new version, as a mutation
// would, so that an update holding the old version gets CONFLICT; importing
// the same entity again leaves its version alone.
func TestImportVersions(t *testing.T) {
	st := neo4jtest.Store(t)
	ctx := ctxT(t)
	cleanup(t, "zz-test-ver-")
	src := kg.Source{ID: "zz-test-ver-s", Title: "Versions"}
	e := kg.Entity{ID: "zz-test-ver-a", Kind: kg.KindCompany, Name: "Zz Ver Company", Description: "one", Sources: []string{src.ID}}
	version := func() int64 {
		t.Helper()
		got, err := st.EntitiesByIDs(ctx, []string{e.ID})
		if err != nil {
			t.Fatal(err)
		}
		return got[e.ID].Version
	}
	steps := []struct {
		name string
		edit func(e *kg.Entity)
		want int64
	}{
		{"created", func(*kg.Entity) {}, 1},
		{"the same again", func(*kg.Entity) {}, 1},
		{"a new description", func(e *kg.Entity) { e.Description = "two" }, 2},
		{"a new alias", func(e *kg.Entity) { e.Aliases = []string{"ZVC"} }, 3},
		{"the same again", func(*kg.Entity) {}, 3},
		{"a new name", func(e *kg.Entity) { e.Name = "Zz Ver Company Renamed" }, 4},
	}
	for _, s := range steps {
		s.edit(&e)
		if err := st.Import(ctx, &kg.Graph{Sources: []kg.Source{src}, Entities: []kg.Entity{e}}); err != nil {
			t.Fatal(err)
		}
		if v := version(); v != s.want {
			t.Errorf("%s: version %d, want %d", s.name, v, s.want)
		}
	}
}

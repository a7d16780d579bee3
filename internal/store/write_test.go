package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/innograph/innograph/internal/kg"
	"github.com/innograph/innograph/internal/neo4jtest"
)

const wsrc = "s001-innovation-hub"

var (
	curator = kg.Actor{Name: "test-curator", Role: kg.RoleCurator}
	admin   = kg.Actor{Name: "test-admin", Role: kg.RoleAdmin}
)

func meta(a kg.Actor, key string) kg.ChangeMeta {
	return kg.ChangeMeta{Actor: a, IdempotencyKey: key, Reason: "test",
		Evidence: kg.Evidence{SourceID: wsrc, Quote: "Roborn, a robot company in Hong Kong"}}
}

// cypher runs a statement directly, for set-up checks and clean-up.
func cypher(t *testing.T, q string, params map[string]any) []*neo4j.Record {
	t.Helper()
	return neo4jtest.Cypher(t, q, params)
}

// cleanupPrefix removes everything a test created under prefix.
func cleanupPrefix(t *testing.T, prefix string) {
	t.Cleanup(func() {
		cypher(t, `MATCH (n) WHERE (n:Entity OR n:Redirect) AND n.id STARTS WITH $p DETACH DELETE n`, map[string]any{"p": prefix})
		cypher(t, `MATCH (c:Change) WHERE any(id IN c.entityIds WHERE id STARTS WITH $p) OR c.idempotencyKey STARTS WITH $p DELETE c`, map[string]any{"p": prefix})
		cypher(t, `MATCH (k:IdempotencyKey) WHERE k.key STARTS WITH $p DELETE k`, map[string]any{"p": prefix})
	})
}

func countChanges(t *testing.T, entity string) int64 {
	recs := cypher(t, "MATCH (c:Change) WHERE $id IN c.entityIds RETURN count(c) AS n", map[string]any{"id": entity})
	n, _ := recs[0].Get("n")
	return n.(int64)
}

func TestEntityLifecycle(t *testing.T) {
	st := neo4jtest.Store(t)
	ctx := context.Background()
	cleanupPrefix(t, "zz-w-life")
	e, err := st.CreateEntity(ctx, kg.Entity{ID: "zz-w-life", Kind: kg.KindCompany, Name: "ZZ Lifecycle Robotics", Aliases: []string{"ZZLR"}}, meta(curator, ""))
	if err != nil {
		t.Fatal(err)
	}
	if e.Version != 1 || e.Sources[0] != wsrc {
		t.Fatalf("created %+v", e)
	}
	if _, err := st.CreateEntity(ctx, kg.Entity{ID: "zz-w-life", Kind: kg.KindCompany, Name: "Other"}, meta(curator, "")); kg.ErrorCode(err) != kg.CodeConflict {
		t.Fatalf("duplicate id: %v", err)
	}
	desc := "A robotics company."
	e, err = st.UpdateEntity(ctx, "zz-w-life", kg.EntityPatch{Description: &desc}, 1, meta(curator, ""))
	if err != nil || e.Version != 2 || e.Description != desc {
		t.Fatalf("update: %+v %v", e, err)
	}
	if _, err := st.UpdateEntity(ctx, "zz-w-life", kg.EntityPatch{Description: &desc}, 1, meta(curator, "")); kg.ErrorCode(err) != kg.CodeConflict {
		t.Fatalf("stale version: %v", err)
	}
	if err := st.DeleteEntity(ctx, "zz-w-life", 2, meta(curator, "")); kg.ErrorCode(err) != kg.CodeForbidden {
		t.Fatalf("curator delete: %v", err)
	}
	if err := st.DeleteEntity(ctx, "zz-w-life", 2, meta(admin, "")); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Entity(ctx, "zz-w-life"); kg.ErrorCode(err) != kg.CodeNotFound {
		t.Fatalf("after delete: %v", err)
	}
	if n := countChanges(t, "zz-w-life"); n != 3 {
		t.Errorf("audit log has %d entries for the entity, want 3 (create, update, delete)", n)
	}
}

func TestFailedChangeLeavesNothing(t *testing.T) {
	st := neo4jtest.Store(t)
	ctx := context.Background()
	cleanupPrefix(t, "zz-w-fail")
	for name, tc := range map[string]struct {
		e    kg.Entity
		m    kg.ChangeMeta
		code string
	}{
		"alias collides with a seed entity": {kg.Entity{ID: "zz-w-fail-1", Kind: kg.KindUniversity, Name: "ZZ U", Aliases: []string{"PolyU"}}, meta(curator, ""), kg.CodeConflict},
		"unknown source":                    {kg.Entity{ID: "zz-w-fail-2", Kind: kg.KindCompany, Name: "ZZ C"}, kg.ChangeMeta{Actor: curator, Evidence: kg.Evidence{SourceID: "no-such-source", Quote: "q"}}, kg.CodeNotFound},
		"missing quote":                     {kg.Entity{ID: "zz-w-fail-3", Kind: kg.KindCompany, Name: "ZZ D"}, kg.ChangeMeta{Actor: curator, Evidence: kg.Evidence{SourceID: wsrc}}, kg.CodeInvalid},
		"unauthenticated":                   {kg.Entity{ID: "zz-w-fail-4", Kind: kg.KindCompany, Name: "ZZ E"}, kg.ChangeMeta{Evidence: kg.Evidence{SourceID: wsrc, Quote: "q"}}, kg.CodeForbidden},
		"bad kind":                          {kg.Entity{ID: "zz-w-fail-5", Kind: "ROBOT", Name: "ZZ F"}, meta(curator, ""), kg.CodeInvalid},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := st.CreateEntity(ctx, tc.e, tc.m)
			if kg.ErrorCode(err) != tc.code {
				t.Fatalf("err = %v (%s), want %s", err, kg.ErrorCode(err), tc.code)
			}
			recs := cypher(t, "MATCH (n:Entity {id: $id}) RETURN count(n) AS n", map[string]any{"id": tc.e.ID})
			if n, _ := recs[0].Get("n"); n.(int64) != 0 {
				t.Errorf("a failed change left entity %s behind", tc.e.ID)
			}
			if n := countChanges(t, tc.e.ID); n != 0 {
				t.Errorf("a failed change left %d audit entries", n)
			}
		})
	}
}

// TestIdempotencyKey: retries with the same key apply once, even concurrently.
func TestIdempotencyKey(t *testing.T) {
	st := neo4jtest.Store(t)
	ctx := context.Background()
	cleanupPrefix(t, "zz-w-idem")
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			_, errs[i] = st.CreateEntity(ctx, kg.Entity{ID: "zz-w-idem", Kind: kg.KindCompany, Name: "ZZ Idempotent"}, meta(curator, "zz-w-idem-key"))
		}(i)
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("attempt %d: %v", i, err)
		}
	}
	if n := countChanges(t, "zz-w-idem"); n != 1 {
		t.Errorf("%d audit entries, want exactly 1", n)
	}
	// The same key for another operation is refused.
	desc := "x"
	if _, err := st.UpdateEntity(ctx, "zz-w-idem", kg.EntityPatch{Description: &desc}, 1, meta(curator, "zz-w-idem-key")); kg.ErrorCode(err) != kg.CodeConflict {
		t.Errorf("key reuse for another change: %v", err)
	}
}

// TestConcurrentUpdates: of several updates from the same version, exactly one wins.
func TestConcurrentUpdates(t *testing.T) {
	st := neo4jtest.Store(t)
	ctx := context.Background()
	cleanupPrefix(t, "zz-w-conc")
	if _, err := st.CreateEntity(ctx, kg.Entity{ID: "zz-w-conc", Kind: kg.KindCompany, Name: "ZZ Concurrent"}, meta(curator, "")); err != nil {
		t.Fatal(err)
	}
	const n = 6
	var wg sync.WaitGroup
	codes := make([]string, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			d := fmt.Sprintf("writer %d", i)
			_, err := st.UpdateEntity(ctx, "zz-w-conc", kg.EntityPatch{Description: &d}, 1, meta(curator, ""))
			codes[i] = kg.ErrorCode(err)
		}(i)
	}
	wg.Wait()
	wins := 0
	for _, c := range codes {
		switch c {
		case "":
			wins++
		case kg.CodeConflict:
		default:
			t.Errorf("unexpected code %s", c)
		}
	}
	if wins != 1 {
		t.Errorf("%d updates won, want exactly 1 (codes %v)", wins, codes)
	}
	e, err := st.Entity(ctx, "zz-w-conc")
	if err != nil || e.Version != 2 {
		t.Errorf("version after the race = %d, %v; want 2", e.Version, err)
	}
}

func TestMergeEntities(t *testing.T) {
	st := neo4jtest.Store(t)
	ctx := context.Background()
	cleanupPrefix(t, "zz-w-merge")
	for _, e := range []kg.Entity{
		{ID: "zz-w-merge-keep", Kind: kg.KindCompany, Name: "ZZ Merge Keep"},
		{ID: "zz-w-merge-gone", Kind: kg.KindCompany, Name: "ZZ Merge Gone", Aliases: []string{"ZZMG"}},
		{ID: "zz-w-merge-other", Kind: kg.KindPerson, Name: "ZZ Merge Person"},
	} {
		if _, err := st.CreateEntity(ctx, e, meta(curator, "")); err != nil {
			t.Fatal(err)
		}
	}
	for _, r := range []kg.Relationship{
		{From: "zz-w-merge-other", Type: "WORKS_AT", To: "zz-w-merge-gone", Role: "Engineer"},
		{From: "zz-w-merge-gone", Type: "COLLABORATES_WITH", To: "zz-w-merge-other"},
		{From: "zz-w-merge-gone", Type: "PART_OF", To: "zz-w-merge-keep"},
	} {
		if _, err := st.CreateRelationship(ctx, r, "", meta(curator, "")); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := st.MergeEntities(ctx, "zz-w-merge-keep", "zz-w-merge-gone", meta(curator, "")); kg.ErrorCode(err) != kg.CodeForbidden {
		t.Fatalf("curator merge: %v", err)
	}
	kept, err := st.MergeEntities(ctx, "zz-w-merge-keep", "zz-w-merge-gone", meta(admin, ""))
	if err != nil {
		t.Fatal(err)
	}
	if !containsAll(kept.Aliases, "ZZ Merge Gone", "ZZMG") {
		t.Errorf("aliases after merge = %v", kept.Aliases)
	}
	adj, err := st.Adjacent(ctx, []string{"zz-w-merge-keep"}, kg.RelFilter{Direction: kg.Both}, kg.Page{First: 50})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, a := range adj["zz-w-merge-keep"] {
		got[a.Rel.ID] = a.Rel.Role
	}
	want := map[string]string{"zz-w-merge-other~works_at~zz-w-merge-keep": "Engineer", "zz-w-merge-keep~collaborates_with~zz-w-merge-other": ""}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("relationships after merge = %v, want %v", got, want)
	}
	// The old id redirects.
	m, err := st.EntitiesByIDs(ctx, []string{"zz-w-merge-gone"})
	if err != nil || m["zz-w-merge-gone"].ID != "zz-w-merge-keep" {
		t.Errorf("redirect: %v %v", m, err)
	}
	// So does an entity tree, and it follows from the survivor.
	partners := kg.RelFilter{Types: []kg.RelType{"COLLABORATES_WITH"}, Direction: kg.Both}
	e, found, err := st.EntityTree(ctx, "zz-w-merge-gone", []kg.Expand{{Filter: partners, First: 5}})
	if err != nil || e.ID != "zz-w-merge-keep" || len(found) != 1 || len(found[0]) != 1 || found[0][0].Other.ID != "zz-w-merge-other" {
		t.Errorf("entity tree of the old id = %s, %+v, %v", e.ID, found, err)
	}
	cs, _, _, err := st.Changes(ctx, kg.ChangeFilter{EntityID: "zz-w-merge-gone"}, kg.Page{First: 10})
	if err != nil || len(cs) == 0 || cs[0].Op != kg.OpMergeEntities || cs[0].Actor != admin.Name {
		t.Errorf("audit of the merge: %+v %v", cs, err)
	}
}

func containsAll(have []string, want ...string) bool {
	set := map[string]bool{}
	for _, h := range have {
		set[h] = true
	}
	for _, w := range want {
		if !set[w] {
			return false
		}
	}
	return true
}

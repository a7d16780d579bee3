package store_test

import (
	"reflect"
	"slices"
	"testing"

	"github.com/innograph/innograph/internal/kg"
	"github.com/innograph/innograph/internal/neo4jtest"
	"github.com/innograph/innograph/internal/store"
)

// EntityTree returns, at every level, exactly the page Adjacent returns for
// the same filter and page size.
func TestEntityTreeMatchesAdjacent(t *testing.T) {
	st := neo4jtest.Store(t)
	ctx := ctxT(t)
	labs := kg.RelFilter{Types: []kg.RelType{"HOSTS"}, Direction: kg.Outgoing, Kinds: []kg.Kind{kg.KindLab}}
	parts := kg.RelFilter{Types: []kg.RelType{"PART_OF"}, Direction: kg.Incoming, Kinds: []kg.Kind{kg.KindLab}}
	director := kg.RelFilter{Types: []kg.RelType{"DIRECTS"}, Direction: kg.Incoming, Kinds: []kg.Kind{kg.KindPerson}}
	anyRel := kg.RelFilter{Direction: kg.Both}
	tests := []struct {
		name string
		id   string
		plan []kg.Expand
	}{
		{"labs and their directors", "polyu", []kg.Expand{
			{Filter: labs, First: 10, Next: []kg.Expand{{Filter: director, First: 20}}},
			{Filter: parts, First: 10, Next: []kg.Expand{{Filter: director, First: 20}}},
		}},
		{"a page smaller than the neighbourhood, three levels", "hong-kong", []kg.Expand{
			{Filter: anyRel, First: 3, Next: []kg.Expand{{Filter: anyRel, First: 2, Next: []kg.Expand{{Filter: anyRel, First: 2}}}}},
		}},
		{"On skips entities of other kinds", "polyu", []kg.Expand{
			{Filter: anyRel, First: 50, Next: []kg.Expand{{Filter: director, First: 5, On: []kg.Kind{kg.KindLab}}}},
			{Filter: labs, First: 10, On: []kg.Kind{kg.KindPerson}},
		}},
		{"an unknown type matches nothing", "polyu", []kg.Expand{
			{Filter: kg.RelFilter{Types: []kg.RelType{"NO_SUCH"}, Direction: kg.Both}, First: 10},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e, found, err := st.EntityTree(ctx, tc.id, tc.plan)
			if err != nil {
				t.Fatal(err)
			}
			if e.ID != tc.id {
				t.Fatalf("entity %q, want %q", e.ID, tc.id)
			}
			compared := checkTree(t, st, e, tc.plan, found)
			if compared == 0 && tc.name != "an unknown type matches nothing" {
				t.Errorf("the tree found nothing: not a useful case")
			}
		})
	}
	if _, _, err := st.EntityTree(ctx, "no-such-entity", []kg.Expand{{Filter: labs, First: 1}}); kg.ErrorCode(err) != kg.CodeNotFound {
		t.Errorf("missing entity: %v, want NOT_FOUND", err)
	}
	var big []kg.Expand
	for range kg.MaxExpands + 1 {
		big = append(big, kg.Expand{Filter: labs, First: 1})
	}
	if _, _, err := st.EntityTree(ctx, "polyu", big); kg.ErrorCode(err) != kg.CodeInvalid {
		t.Errorf("%d patterns: %v, want INVALID", len(big), err)
	}
}

// checkTree compares what plan found from e with Adjacent, recursively, and
// returns how many relationships it compared.
func checkTree(t *testing.T, st *store.Store, e kg.Entity, plan []kg.Expand, found [][]kg.Expanded) int {
	t.Helper()
	if len(found) != len(plan) {
		t.Fatalf("%s: %d results for %d patterns", e.ID, len(found), len(plan))
	}
	n := 0
	for i, x := range plan {
		var want []kg.Adjacent
		if len(x.On) == 0 || slices.Contains(x.On, e.Kind) {
			m, err := st.Adjacent(ctxT(t), []string{e.ID}, x.Filter, kg.Page{First: x.First})
			if err != nil {
				t.Fatal(err)
			}
			want = m[e.ID]
		}
		var got []kg.Adjacent
		for _, f := range found[i] {
			got = append(got, f.Adjacent)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s, pattern %d: tree found\n%+v\nAdjacent returns\n%+v", e.ID, i, got, want)
		}
		for _, f := range found[i] {
			n += 1 + checkTree(t, st, f.Other, x.Next, f.Next)
		}
	}
	return n
}

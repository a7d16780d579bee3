package read

import (
	"context"
	"encoding/json"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/innograph/innograph/internal/kg"
)

// fakeStore is a small in-memory Store over testdata/graph.json. Methods it
// does not implement panic through the nil embedded interface.
type fakeStore struct {
	Store
	entities map[string]kg.Entity
	rels     []kg.Relationship

	mu       sync.Mutex
	adjacent int // Adjacent calls
}

func newFakeStore(t *testing.T) *fakeStore {
	t.Helper()
	raw, err := os.ReadFile("testdata/graph.json")
	if err != nil {
		t.Fatal(err)
	}
	var g struct {
		Entities      []kg.Entity
		Relationships []kg.Relationship
	}
	if err := json.Unmarshal(raw, &g); err != nil {
		t.Fatal(err)
	}
	f := &fakeStore{entities: map[string]kg.Entity{}, rels: g.Relationships}
	for _, e := range g.Entities {
		f.entities[e.ID] = e
	}
	return f
}

func (f *fakeStore) EntitiesByIDs(ctx context.Context, ids []string) (map[string]kg.Entity, error) {
	out := map[string]kg.Entity{}
	for _, id := range ids {
		if e, ok := f.entities[id]; ok {
			out[id] = e
		}
	}
	return out, nil
}

// EntityTrees follows plan with the pages Adjacent returns, as the store's
// one statement does (without counting Adjacent calls).
func (f *fakeStore) EntityTrees(ctx context.Context, ids []string, plan []kg.Expand) (map[string]kg.Tree, error) {
	out := map[string]kg.Tree{}
	for _, id := range ids {
		if e, ok := f.entities[id]; ok {
			found, err := f.expand(e, plan)
			if err != nil {
				return nil, err
			}
			out[id] = kg.Tree{Root: e, Found: found}
		}
	}
	return out, nil
}

func (f *fakeStore) expand(e kg.Entity, plan []kg.Expand) ([][]kg.Expanded, error) {
	found := make([][]kg.Expanded, len(plan))
	for i, x := range plan {
		found[i] = []kg.Expanded{}
		if len(x.On) > 0 && !slices.Contains(x.On, e.Kind) {
			continue
		}
		m, err := f.adjacentOf([]string{e.ID}, x.Filter, kg.Page{First: x.First})
		if err != nil {
			return nil, err
		}
		for _, a := range m[e.ID] {
			next, err := f.expand(a.Other, x.Next)
			if err != nil {
				return nil, err
			}
			found[i] = append(found[i], kg.Expanded{Adjacent: a, Next: next})
		}
	}
	return found, nil
}

// Adjacent pages each entity's matching relationships by relationship id.
func (f *fakeStore) Adjacent(ctx context.Context, ids []string, p kg.RelFilter, page kg.Page) (map[string][]kg.Adjacent, error) {
	f.mu.Lock()
	f.adjacent++
	f.mu.Unlock()
	return f.adjacentOf(ids, p, page)
}

func (f *fakeStore) adjacentOf(ids []string, p kg.RelFilter, page kg.Page) (map[string][]kg.Adjacent, error) {
	after := ""
	if page.After != "" {
		vals, err := kg.DecodeCursor(page.After, 1)
		if err != nil {
			return nil, err
		}
		after = vals[0]
	}
	out := map[string][]kg.Adjacent{}
	for _, id := range ids {
		var adj []kg.Adjacent
		for _, r := range f.rels {
			if r.ID <= after || len(p.Types) > 0 && !slices.Contains(p.Types, r.Type) {
				continue
			}
			for _, end := range []struct {
				self, other string
				outgoing    bool
			}{{r.From, r.To, true}, {r.To, r.From, false}} {
				if end.self != id || p.Direction == kg.Outgoing && !end.outgoing || p.Direction == kg.Incoming && end.outgoing {
					continue
				}
				o := f.entities[end.other]
				if len(p.Kinds) > 0 && !slices.Contains(p.Kinds, o.Kind) {
					continue
				}
				adj = append(adj, kg.Adjacent{Rel: r, Other: o, Outgoing: end.outgoing})
			}
		}
		if len(adj) > page.First {
			adj = adj[:page.First]
		}
		out[id] = adj
	}
	return out, nil
}

func ids(es []kg.Entity) []string {
	out := []string{}
	for _, e := range es {
		out = append(out, e.ID)
	}
	return out
}

// Related combines a field's patterns as Field says: every pattern's
// entities in pattern order, deduplicated, of kind Of, at most first; or,
// for a Fallback field, the first pattern's that finds any.
func TestRelated(t *testing.T) {
	for _, tc := range []struct {
		name  string
		id    string
		field *Field
		first int
		want  []string
		code  string
	}{
		{"both patterns, HOSTS first, deduplicated", "uni", &UniversityLabs, 20, []string{"lab-b", "lab-a", "lab-c"}, ""},
		{"cut to first after combining", "uni", &UniversityLabs, 1, []string{"lab-b"}, ""},
		{"kind kept (Of)", "uni", &UniversityPeople, 20, []string{"prof"}, ""},
		{"fallback: first pattern finds nothing, second does", "lab-c", &LabHost, 20, []string{"uni"}, ""},
		{"fallback: first pattern finds", "lab-b", &LabHost, 20, []string{"uni"}, ""},
		{"director", "lab-a", &LabDirector, 20, []string{"prof"}, ""},
		{"nothing related", "lab-b", &LabDirector, 20, []string{}, ""},
		{"page size out of range", "uni", &UniversityLabs, kg.MaxPageSize + 1, nil, kg.CodeInvalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := New(newFakeStore(t), Options{LoaderWait: time.Millisecond})
			ctx := r.Begin(context.Background())
			got, err := r.Related(ctx, tc.id, tc.field, tc.first)
			if tc.code != "" {
				if kg.ErrorCode(err) != tc.code {
					t.Fatalf("error %v, want code %s", err, tc.code)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(ids(got), tc.want) {
				t.Errorf("Related = %q, want %q", ids(got), tc.want)
			}
		})
	}
}

// Relationships pages by cursor: one more than asked tells whether more
// follow, and the next page starts after the last cursor.
func TestRelationshipsPaging(t *testing.T) {
	st := newFakeStore(t)
	r := New(st, Options{LoaderWait: time.Millisecond})
	var got []string
	after := ""
	for pages := 0; ; pages++ {
		if pages > 5 {
			t.Fatal("paging does not end")
		}
		p, err := r.Relationships(r.Begin(context.Background()), "uni", kg.RelFilter{Direction: kg.Both}, kg.Page{First: 2, After: after})
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Items) != len(p.Cursors) || len(p.Items) > 2 {
			t.Fatalf("page of %d items, %d cursors", len(p.Items), len(p.Cursors))
		}
		for _, rel := range p.Items {
			got = append(got, rel.ID)
		}
		if !p.More {
			break
		}
		after = p.Cursors[len(p.Cursors)-1]
	}
	if want := []string{"r1", "r2", "r3", "r5", "r6"}; !slices.Equal(got, want) {
		t.Errorf("pages gave %q, want %q", got, want)
	}
}

// Sibling calls within the loader's wait share one store call, and what an
// adjacency load reaches is primed for entity lookups.
func TestLoadersBatchAndPrime(t *testing.T) {
	st := newFakeStore(t)
	r := New(st, Options{LoaderWait: 20 * time.Millisecond})
	ctx := r.Begin(context.Background())
	var wg sync.WaitGroup
	for _, id := range []string{"uni", "lab-a", "lab-b", "prof", "lab-c"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := r.Adjacent(ctx, id, kg.RelFilter{Direction: kg.Both}, kg.Page{First: 10}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if st.adjacent != 1 {
		t.Errorf("%d Adjacent calls for 5 siblings, want 1", st.adjacent)
	}
	st.entities = nil // from here on, only primed entities can be found
	e, err := r.EntityByID(ctx, "lab-b")
	if err != nil || e == nil || e.Name != "Lab B" {
		t.Errorf("EntityByID(lab-b) = %v, %v; want the entity primed by the adjacency load", e, err)
	}
}

// A load waiting for its batch ends with the request: TIMEOUT, not a hang.
func TestLoaderHonoursContext(t *testing.T) {
	r := New(newFakeStore(t), Options{LoaderWait: time.Hour})
	ctx, cancel := context.WithTimeout(r.Begin(context.Background()), 20*time.Millisecond)
	defer cancel()
	_, err := r.EntityByID(ctx, "uni")
	if kg.ErrorCode(err) != kg.CodeTimeout {
		t.Errorf("EntityByID with an hour's wait = %v, want TIMEOUT when the context ends", err)
	}
}

// Every typed field names existing kinds and relationship types.
func TestFieldsCatalogue(t *testing.T) {
	for _, f := range Fields {
		if err := f.check(); err != nil {
			t.Error(err)
		}
		if got, ok := FieldOf(f.Kind, f.Name); !ok || got != f {
			t.Errorf("FieldOf(%s, %s) does not find it", f.Kind, f.Name)
		}
	}
	if _, ok := FieldOf(kg.KindLab, "nosuchfield"); ok {
		t.Error("FieldOf finds a field that does not exist")
	}
	bad := Field{Kind: kg.KindLab, Name: "x", Patterns: []kg.RelFilter{{Types: []kg.RelType{"NO_SUCH_TYPE"}}}}
	if bad.check() == nil {
		t.Error("a field with an unknown relationship type passes the check")
	}
}

// Entity reads a shape's typed fields ahead only once its tree is planned:
// the first request loads them level by level while the tree statement is
// planned in the background; the next answers Related from what the tree
// primed, with no adjacency load, and the same entities.
func TestEntityReadsPlannedTreesAhead(t *testing.T) {
	st := newFakeStore(t)
	r := New(st, Options{LoaderWait: time.Millisecond})
	var plan []kg.Expand
	for _, p := range UniversityLabs.Patterns {
		plan = append(plan, kg.Expand{Filter: p, First: 20, On: []kg.Kind{kg.KindUniversity}})
	}
	adjacent := func() int {
		st.mu.Lock()
		defer st.mu.Unlock()
		return st.adjacent
	}
	read := func() ([]string, int) {
		ctx := r.Begin(context.Background())
		e, err := r.Entity(ctx, "uni", plan)
		if err != nil || e.ID != "uni" {
			t.Fatalf("Entity(uni) = %v, %v", e, err)
		}
		before := adjacent()
		labs, err := r.Related(ctx, "uni", &UniversityLabs, 20)
		if err != nil {
			t.Fatal(err)
		}
		return ids(labs), adjacent() - before
	}
	first, loads := read()
	if loads == 0 {
		t.Errorf("first request of a shape: labs came without an adjacency load, but the tree was not planned yet")
	}
	for deadline := time.Now().Add(5 * time.Second); r.PlanningTrees() > 0; {
		if time.Now().After(deadline) {
			t.Fatal("the tree statement was never planned")
		}
		time.Sleep(time.Millisecond)
	}
	second, loads := read()
	if loads != 0 {
		t.Errorf("planned shape: %d adjacency loads for labs, want 0 (primed by the tree)", loads)
	}
	if !slices.Equal(first, second) || len(first) == 0 {
		t.Errorf("labs level by level %v, from the tree %v; want the same, non-empty", first, second)
	}
	if _, err := r.Entity(r.Begin(context.Background()), "nobody", plan); kg.ErrorCode(err) != kg.CodeNotFound {
		t.Errorf("Entity(nobody) = %v, want NOT_FOUND", err)
	}
}

// The reader refuses filters out of bounds before the store sees them (the
// fake has no ListEntities, Fundings or counts: reaching it would panic).
func TestReaderValidatesFilters(t *testing.T) {
	r := New(newFakeStore(t), Options{LoaderWait: time.Millisecond})
	ctx := r.Begin(context.Background())
	from, _ := time.Parse(time.DateOnly, "2021-01-01")
	to, _ := time.Parse(time.DateOnly, "2020-01-01")
	ff := kg.FundingFilter{From: &from, To: &to}
	ef := kg.EntityFilter{IDs: make([]string, kg.MaxFilterIDs+1)}
	for name, call := range map[string]func() error{
		"Entities":      func() error { _, err := r.Entities(ctx, ef, kg.Page{First: 1}); return err },
		"CountEntities": func() error { _, err := r.CountEntities(ctx, ef); return err },
		"Fundings":      func() error { _, err := r.Fundings(ctx, ff, kg.Page{First: 1}); return err },
		"CountFundings": func() error { _, err := r.CountFundings(ctx, ff); return err },
		"FundingTotals": func() error { _, err := r.FundingTotals(ctx, ff); return err },
	} {
		if err := call(); kg.ErrorCode(err) != kg.CodeInvalid {
			t.Errorf("%s with a filter out of bounds = %v, want BAD_USER_INPUT", name, err)
		}
	}
}

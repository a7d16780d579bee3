package graph_test

import (
	"context"
	"encoding/json"
	"os"
	"slices"
	"sync"
	"testing"

	"github.com/innograph/innograph/graph"
	"github.com/innograph/innograph/internal/kg"
	"github.com/innograph/innograph/internal/read"
)

// fakeReader is a small in-memory graph.Reader over testdata/fake_graph.json:
// the resolvers' logic (typed fields, paging, conversion, errors) runs
// without Neo4j. Methods it does not implement panic through the nil
// embedded interface, so a resolver that starts using one shows at once.
type fakeReader struct {
	graph.Reader
	entities map[string]kg.Entity
	rels     []kg.Relationship

	mu    sync.Mutex
	calls []string // the reads made, sorted by name at the end
}

func (f *fakeReader) called(name string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, name)
}

func loadFake(t *testing.T) *fakeReader {
	t.Helper()
	raw, err := os.ReadFile("testdata/fake_graph.json")
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
	f := &fakeReader{entities: map[string]kg.Entity{}, rels: g.Relationships}
	for _, e := range g.Entities {
		f.entities[e.ID] = e
	}
	return f
}

func (f *fakeReader) Begin(ctx context.Context) context.Context { return ctx }

func (f *fakeReader) Entity(ctx context.Context, id string, plan []kg.Expand) (kg.Entity, error) {
	f.called("Entity")
	if err := kg.CheckID("id", id); err != nil {
		return kg.Entity{}, err
	}
	e, ok := f.entities[id]
	if !ok {
		return kg.Entity{}, &kg.Error{Code: kg.CodeNotFound, Field: "id", Message: "no entity with id " + id}
	}
	return e, nil
}

func (f *fakeReader) EntityByID(ctx context.Context, id string) (*kg.Entity, error) {
	e, ok := f.entities[id]
	if !ok {
		return nil, nil
	}
	return &e, nil
}

// adjacent is every relationship of id matching p, ordered by id.
func (f *fakeReader) adjacent(id string, p kg.RelFilter) []kg.Adjacent {
	var out []kg.Adjacent
	for _, r := range f.rels {
		if len(p.Types) > 0 && !slices.Contains(p.Types, r.Type) {
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
			out = append(out, kg.Adjacent{Rel: r, Other: o, Outgoing: end.outgoing})
		}
	}
	return out
}

func (f *fakeReader) Related(ctx context.Context, id string, fld *read.Field, first int) ([]kg.Entity, error) {
	f.called("Related " + string(fld.Kind) + "." + fld.Name)
	var out []kg.Entity
	seen := map[string]bool{}
	for _, p := range fld.Patterns {
		for _, a := range f.adjacent(id, p) {
			if !seen[a.Other.ID] && (fld.Of == "" || a.Other.Kind == fld.Of) {
				seen[a.Other.ID] = true
				out = append(out, a.Other)
			}
		}
	}
	if len(out) > first {
		out = out[:first]
	}
	return out, nil
}

func (f *fakeReader) Relationships(ctx context.Context, id string, flt kg.RelFilter, page kg.Page) (read.Page[kg.Relationship], error) {
	f.called("Relationships")
	var p read.Page[kg.Relationship]
	for _, a := range f.adjacent(id, flt) {
		if len(p.Items) == page.First {
			p.More = true
			break
		}
		p.Items = append(p.Items, a.Rel)
		p.Cursors = append(p.Cursors, kg.EncodeCursor(a.Rel.ID))
	}
	return p, nil
}

// The resolvers over a fake Reader: the request a reviewer walks (README,
// "Walk one request"), typed fields, paging and argument errors, through
// the production handler, with no database.
func TestResolversOverFakeReader(t *testing.T) {
	for _, tc := range []struct {
		name, query string
		want        string   // the data, as JSON
		code        string   // the error code wanted, if any
		calls       []string // sorted
	}{
		{
			name:  "the walked request",
			query: `{ entity(id: "uni") { name ... on University { labs { name } } relationships(first: 2) { nodes { type to { name } } pageInfo { hasNextPage } } } }`,
			want:  `{"entity":{"name":"A University","labs":[{"name":"Lab B"},{"name":"Lab A"}],"relationships":{"nodes":[{"type":"PART_OF","to":{"name":"A University"}},{"type":"HOSTS","to":{"name":"Lab B"}}],"pageInfo":{"hasNextPage":true}}}}`,
			calls: []string{"Entity", "Related UNIVERSITY.labs", "Relationships"},
		},
		{
			name:  "a typed field of one entity: the lab's director",
			query: `{ entity(id: "lab-a") { ... on Lab { director { name } } } }`,
			want:  `{"entity":{"director":{"name":"A Professor"}}}`,
			calls: []string{"Entity", "Related LAB.director"},
		},
		{
			name:  "typed field page size",
			query: `{ entity(id: "uni") { ... on University { labs(first: 1) { id } } } }`,
			want:  `{"entity":{"labs":[{"id":"lab-b"}]}}`,
			calls: []string{"Entity", "Related UNIVERSITY.labs"},
		},
		{
			name:  "page size out of range is refused before reading",
			query: `{ entity(id: "uni") { ... on University { labs(first: 0) { id } } } }`,
			code:  "BAD_USER_INPUT",
			calls: []string{"Entity"},
		},
		{
			name:  "unknown entity",
			query: `{ entity(id: "nobody") { id } }`,
			code:  "NOT_FOUND",
			calls: []string{"Entity"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fake := loadFake(t)
			h := graph.NewHandler(graph.HandlerConfig{Reader: fake, AnonymousReads: true, ComplexityLimit: 50000, DepthLimit: 12})
			resp := post(t, h, tc.query, nil)
			if tc.code != "" {
				if len(resp.Errors) == 0 || resp.Errors[0].Extensions["code"] != tc.code {
					t.Fatalf("errors %+v, want code %s", resp.Errors, tc.code)
				}
			} else {
				if len(resp.Errors) > 0 {
					t.Fatalf("errors %+v", resp.Errors)
				}
				var got, want any
				_ = json.Unmarshal(resp.Data, &got)
				_ = json.Unmarshal([]byte(tc.want), &want)
				g, _ := json.Marshal(got)
				w, _ := json.Marshal(want)
				if string(g) != string(w) {
					t.Errorf("data\n got %s\nwant %s", g, w)
				}
			}
			slices.Sort(fake.calls)
			if !slices.Equal(fake.calls, tc.calls) {
				t.Errorf("reads %q, want %q", fake.calls, tc.calls)
			}
		})
	}
}

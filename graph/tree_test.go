package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/innograph/innograph/graph"
	"github.com/innograph/innograph/internal/kg"
	"github.com/innograph/innograph/internal/read"
)

// An entity lookup fetches its typed nested fields in its own statement
// (store.EntityTrees). The answers must be exactly those of the resolvers
// loading level by level, and the round trips fewer.
func TestEntityTreeAnswersAsLoaders(t *testing.T) {
	st, names := observedStore(t)
	res := read.New(read.Shared(st), read.Options{LoaderWait: 500 * time.Microsecond})
	tree := newHandlerWith(t, st, func(c *graph.HandlerConfig) { c.Reader = res })
	levels := newHandlerWith(t, st, func(c *graph.HandlerConfig) {
		c.Reader = read.New(read.Shared(levelByLevel{st}), read.Options{LoaderWait: 500 * time.Microsecond})
	})
	tests := []struct {
		name    string
		query   string
		vars    map[string]any
		queries int // round trips with trees; 0: do not check
	}{
		{"university, labs, directors (the bench's nested shape)", `query($id: ID!) { entity(id: $id) { id name ... on University { labs(first: 10) { id name director { id name } } } } }`,
			map[string]any{"id": "polyu"}, 1},
		{"labs with every typed field, three levels", `{ entity(id: "polyu") { id ... on University { labs { id name director { id name ... on Person { signed { id } events { id name } } } host { id kind } partOf { id } } people(first: 3) { id } agreements { id name } } } }`,
			nil, 1},
		{"aliases with different pages", `{ entity(id: "hksar-cas-mou") { ... on Agreement { a: parties(first: 1) { id } b: parties(first: 5) { id name } signatories { id name } } } }`,
			nil, 1},
		{"fragments for several types on an interface list", `{ entity(id: "hong-kong") { id } a: entity(id: "mainland-hk-it-forum-2018") { ... on Event { participants(first: 8) { id kind ... on Person { signed { id } } ... on GovernmentBody { heads { id } agreements { id } established { id } } ... on Institute { units { id } people { id } } } } } }`,
			nil, 0},
		{"government body and company", `{ g: entity(id: "hksar-government") { ... on GovernmentBody { heads(first: 2) { id } agreements { id ... on Agreement { parties { id } } } established(first: 4) { id } } } c: entity(id: "roborn") { ... on Company { partners { id name ... on Company { partners { id } } } } } }`,
			nil, 0},
		{"typed fields behind a named fragment", `query { entity(id: "polyu") { id ...U } } fragment U on University { labs(first: 9) { id name director { id name } } }`,
			nil, 1},
		{"a lookup selecting no typed field", `{ entity(id: "polyu") { id name kind aliases description } }`, nil, 0},
		{"a redirected or unknown id", `{ entity(id: "no-such-entity") { id ... on University { labs { id } } } }`, nil, 0},
		{"an invalid page is the resolver's error", `{ entity(id: "polyu") { id ... on University { labs(first: 0) { id } people(first: 2) { id } } } }`, nil, 0},
		{"typed fields mixed with connections", `{ entity(id: "cas") { id ... on Institute { units { id relationships(first: 2) { nodes { id type } } } people { id sources { id } } } } }`, nil, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			want := post(t, levels, tc.query, tc.vars)
			// The first request of a shape is answered level by level
			// while the tree statement is planned in the background.
			names.reset()
			first := post(t, tree, tc.query, tc.vars)
			if tc.queries > 0 && !slices.Contains(names.list(), "adjacent") {
				t.Errorf("first request of a shape: %v, want level-by-level loads", names.list())
			}
			deadline := time.Now().Add(20 * time.Second)
			for res.PlanningTrees() > 0 && time.Now().Before(deadline) {
				time.Sleep(10 * time.Millisecond)
			}
			names.reset()
			got := post(t, tree, tc.query, tc.vars)
			used := names.list()
			f, _ := json.Marshal(first)
			g, _ := json.Marshal(got)
			w, _ := json.Marshal(want)
			if !bytes.Equal(g, w) || !bytes.Equal(f, w) {
				t.Errorf("with the tree:\n%s\nfirst time:\n%s\nlevel by level:\n%s", g, f, w)
			}
			if len(want.Data) < 20 && len(want.Errors) == 0 {
				t.Errorf("little data (%s): not a useful case", want.Data)
			}
			if tc.queries > 0 && len(used) != tc.queries {
				t.Errorf("%d round trips %v, want %d", len(used), used, tc.queries)
			}
			t.Logf("%d round trips: %v", len(used), used)
		})
	}
}

// levelByLevel is a store that reads no typed fields ahead: its entity
// trees hold the entities alone, so a Reader over it loads typed fields
// level by level.
type levelByLevel struct{ read.Store }

// EntityTrees returns the entities without following plan.
func (s levelByLevel) EntityTrees(ctx context.Context, ids []string, _ []kg.Expand) (map[string]kg.Tree, error) {
	return s.Store.EntityTrees(ctx, ids, nil)
}

package store_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/innograph/innograph/internal/kg"
	"github.com/innograph/innograph/internal/neo4jtest"
	"github.com/innograph/innograph/internal/store"
)

func TestAdjacent(t *testing.T) {
	st := neo4jtest.Store(t)
	ctx := ctxT(t)
	polyuLabs := []string{"cnerc-rail-hk", "cnerc-steel-hk", "pskl-chirosciences", "pskl-ultra-precision-machining"}
	tests := []struct {
		name      string
		id        string
		filter    kg.RelFilter
		wantOther []string // sorted ids at the other end; nil to skip
		wantOut   *bool
		minCount  int
	}{
		{"PolyU hosts its labs", "polyu", kg.RelFilter{Types: []kg.RelType{"HOSTS"}, Direction: kg.Outgoing}, polyuLabs, ptr(true), 4},
		{"no incoming HOSTS into PolyU", "polyu", kg.RelFilter{Types: []kg.RelType{"HOSTS"}, Direction: kg.Incoming}, []string{}, nil, 0},
		{"units part of PolyU", "polyu", kg.RelFilter{Types: []kg.RelType{"PART_OF"}, Direction: kg.Incoming},
			[]string{"polyu-cee", "polyu-change4-camera-mount-team", "polyu-lsgi"}, ptr(false), 3},
		{"kind filter at the other end", "polyu", kg.RelFilter{Direction: kg.Both, Kinds: []kg.Kind{kg.KindLab}}, polyuLabs, nil, 4},
		{"lab director", "cnerc-steel-hk", kg.RelFilter{Types: []kg.RelType{"DIRECTS"}, Direction: kg.Incoming}, []string{"kwok-fai-chung"}, ptr(false), 1},
		{"signatories of the CAS MoU", "hksar-cas-mou", kg.RelFilter{Types: []kg.RelType{"SIGNED"}, Direction: kg.Incoming},
			[]string{"carrie-lam", "chunli-bai"}, nil, 2},
		{"several types", "hksar-cas-mou", kg.RelFilter{Types: []kg.RelType{"SIGNED", "PARTY_TO"}, Direction: kg.Incoming},
			[]string{"carrie-lam", "cas", "chunli-bai", "hksar-government"}, nil, 4},
		{"both directions", "polyu", kg.RelFilter{Direction: kg.Both}, nil, nil, 9},
		// Dated relationships: Roborn's partnerships hold since 2018.
		{"asOf before since", "roborn", kg.RelFilter{Types: []kg.RelType{"COLLABORATES_WITH"}, Direction: kg.Outgoing, AsOf: dayp(2017, 12, 31)}, []string{}, nil, 0},
		{"asOf on a year since's first day", "roborn", kg.RelFilter{Types: []kg.RelType{"COLLABORATES_WITH"}, Direction: kg.Outgoing, AsOf: dayp(2018, 1, 1)},
			[]string{"china-mobile", "zte"}, nil, 2},
		{"asOf leaves undated relationships", "roborn", kg.RelFilter{Direction: kg.Outgoing, AsOf: dayp(2000, 1, 1)}, []string{"hong-kong"}, nil, 1},
		// FUNDS edges carry their funding's period: the 440M RMB one 2020-2021; the
		// 2018 first batch is a point in time, kept only on the days of 2018; the
		// plans' funding is undated, so it always holds.
		{"funding in its period", "central-government", kg.RelFilter{Types: []kg.RelType{"FUNDS"}, Direction: kg.Outgoing, AsOf: dayp(2021, 12, 31)},
			[]string{"central-funded-st-plans", "hk-research-institutes", "hk-universities"}, nil, 3},
		{"funding before its period", "central-government", kg.RelFilter{Types: []kg.RelType{"FUNDS"}, Direction: kg.Outgoing, AsOf: dayp(2019, 12, 31)},
			[]string{"central-funded-st-plans"}, nil, 1},
		{"funding after its period", "central-government", kg.RelFilter{Types: []kg.RelType{"FUNDS"}, Direction: kg.Outgoing, AsOf: dayp(2022, 1, 1)},
			[]string{"central-funded-st-plans"}, nil, 1},
		{"a point in time holds within its precision", "central-government", kg.RelFilter{Types: []kg.RelType{"FUNDS"}, Direction: kg.Outgoing, AsOf: dayp(2018, 12, 31)},
			[]string{"central-funded-st-plans", "hk-research-institutes"}, nil, 2},
		{"a point in time does not hold after it", "central-government", kg.RelFilter{Types: []kg.RelType{"FUNDS"}, Direction: kg.Outgoing, AsOf: dayp(2019, 1, 1)},
			[]string{"central-funded-st-plans"}, nil, 1},
		{"unknown entity", "no-such-id", kg.RelFilter{Direction: kg.Both}, []string{}, nil, 0},
		{"unknown type matches nothing", "polyu", kg.RelFilter{Types: []kg.RelType{"NOT_A_TYPE"}, Direction: kg.Both}, []string{}, nil, 0},
		{"unknown type beside a known one", "polyu", kg.RelFilter{Types: []kg.RelType{"NOT_A_TYPE", "HOSTS"}, Direction: kg.Outgoing}, polyuLabs, ptr(true), 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := st.Adjacent(ctx, []string{tt.id}, tt.filter, kg.Page{First: 100})
			if err != nil {
				t.Fatal(err)
			}
			adj := m[tt.id]
			if tt.wantOther != nil && !reflect.DeepEqual(otherIDs(adj), tt.wantOther) {
				t.Errorf("others = %v, want %v", otherIDs(adj), tt.wantOther)
			}
			if len(adj) < tt.minCount {
				t.Errorf("%d relationships, want at least %d", len(adj), tt.minCount)
			}
			for _, a := range adj {
				if tt.wantOut != nil && a.Outgoing != *tt.wantOut {
					t.Errorf("%s: Outgoing = %v", a.Rel.ID, a.Outgoing)
				}
				if a.Outgoing && (a.Rel.From != tt.id || a.Rel.To != a.Other.ID) || !a.Outgoing && (a.Rel.To != tt.id || a.Rel.From != a.Other.ID) {
					t.Errorf("%s: ends do not match direction (out %v, other %s)", a.Rel.ID, a.Outgoing, a.Other.ID)
				}
				if len(tt.filter.Types) > 0 && !containsType(tt.filter.Types, a.Rel.Type) {
					t.Errorf("%s has type %s outside the filter", a.Rel.ID, a.Rel.Type)
				}
				if len(a.Rel.Evidence) == 0 || a.Rel.Evidence[0].Quote == "" || a.Rel.Evidence[0].SourceID == "" {
					t.Errorf("%s has no evidence", a.Rel.ID)
				}
				if tt.filter.AsOf != nil && !kg.ValidOn(a.Rel.Since, a.Rel.Until, *tt.filter.AsOf) {
					t.Errorf("%s (since %v until %v) is not valid on %s", a.Rel.ID, a.Rel.Since, a.Rel.Until, tt.filter.AsOf.Format(time.DateOnly))
				}
			}
			n, err := st.CountAdjacent(ctx, tt.id, tt.filter)
			if err != nil || n != len(adj) {
				t.Errorf("CountAdjacent = %d, %v; Adjacent returned %d", n, err, len(adj))
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

func containsType(ts []kg.RelType, x kg.RelType) bool {
	for _, t := range ts {
		if t == x {
			return true
		}
	}
	return false
}

// One call serves many ids, each limited to page.First, and keyset pages by
// relationship id cover every relationship exactly once.
func TestAdjacentBatchAndPaging(t *testing.T) {
	st := neo4jtest.Store(t)
	ctx := ctxT(t)
	ids := []string{"polyu", "carrie-lam", "cas", "hksar-government"}
	full, err := st.Adjacent(ctx, ids, kg.RelFilter{Direction: kg.Both}, kg.Page{First: 100})
	if err != nil {
		t.Fatal(err)
	}
	limited, err := st.Adjacent(ctx, ids, kg.RelFilter{Direction: kg.Both}, kg.Page{First: 3})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		if len(full[id]) <= 3 {
			t.Fatalf("%s has only %d relationships: not a useful test", id, len(full[id]))
		}
		if len(limited[id]) != 3 {
			t.Errorf("%s: %d relationships with first 3", id, len(limited[id]))
		}
		// Walk pages of 3.
		var walked []string
		after := ""
		for {
			m, err := st.Adjacent(ctx, []string{id}, kg.RelFilter{Direction: kg.Both}, kg.Page{First: 3, After: after})
			if err != nil {
				t.Fatal(err)
			}
			page := m[id]
			for _, a := range page {
				walked = append(walked, a.Rel.ID)
			}
			if len(page) < 3 {
				break
			}
			after = kg.EncodeCursor(page[len(page)-1].Rel.ID)
		}
		if fmt.Sprint(walked) != fmt.Sprint(relIDs(full[id])) {
			t.Errorf("%s: paged walk %v\nfull %v", id, walked, relIDs(full[id]))
		}
	}
	_, err = st.Adjacent(ctx, ids, kg.RelFilter{Direction: kg.Both}, kg.Page{First: 3, After: "garbage!"})
	wantCode(t, err, kg.CodeInvalid, "after")
}

func TestPaths(t *testing.T) {
	st := neo4jtest.Store(t)
	ctx := ctxT(t)
	tests := []struct {
		name      string
		q         kg.PathQuery
		wantN     int // exact number of paths, -1 for at least one
		wantFirst int // length of the shortest path; 0 to skip
		wantNodes []string
	}{
		{"signatories of the MoU", kg.PathQuery{From: "carrie-lam", To: "chunli-bai", MaxHops: 4, K: 1}, 1, 2,
			[]string{"carrie-lam", "hksar-cas-mou", "chunli-bai"}},
		{"k shortest, shortest first", kg.PathQuery{From: "carrie-lam", To: "chunli-bai", MaxHops: 4, K: 10}, 10, 2, nil},
		{"two lab directors via PolyU", kg.PathQuery{From: "wong-kwok-yin", To: "kwok-fai-chung", MaxHops: 4, K: 5}, -1, 4, nil},
		{"maxHops too small", kg.PathQuery{From: "wong-kwok-yin", To: "kwok-fai-chung", MaxHops: 3, K: 5}, 0, 0, nil},
		{"directed along the edges", kg.PathQuery{From: "kwok-fai-chung", To: "polyu", MaxHops: 4, K: 3, Directed: true}, 1, 2,
			[]string{"kwok-fai-chung", "polyu-cee", "polyu"}},
		{"directed against the edges", kg.PathQuery{From: "polyu", To: "kwok-fai-chung", MaxHops: 6, K: 3, Directed: true}, 0, 0, nil},
		// Carrie Lam's title is observed three times (2018-05-15, 2018-11, former
		// by 2022-07-07): three HEADS relationships, so three paths.
		{"types restrict the hops", kg.PathQuery{From: "carrie-lam", To: "chunli-bai", MaxHops: 4, K: 10, Types: []kg.RelType{"HEADS", "PARTY_TO"}}, 3, 4,
			[]string{"carrie-lam", "hksar-government", "hksar-cas-mou", "cas", "chunli-bai"}},
		// Roborn and ZTE are linked only by relationships that hold since 2018.
		{"asOf before the partnership", kg.PathQuery{From: "roborn", To: "zte", MaxHops: 4, K: 3, AsOf: dayp(2017, 6, 1)}, 0, 0, nil},
		{"asOf during the partnership", kg.PathQuery{From: "roborn", To: "zte", MaxHops: 4, K: 3, AsOf: dayp(2019, 6, 1)}, -1, 1, nil},
		{"redirect ids resolve", kg.PathQuery{From: "carrie-lam", To: "zz-test-paths-bai", MaxHops: 2, K: 1}, 1, 2, nil},
	}
	cleanup(t, "zz-test-paths-")
	raw(t, "CREATE (:Redirect {id: 'zz-test-paths-bai', target: 'chunli-bai'})", nil)
	{
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				ps, err := st.Paths(ctx, tt.q)
				if err != nil {
					t.Fatal(err)
				}
				if tt.wantN >= 0 && len(ps) != tt.wantN || tt.wantN < 0 && len(ps) == 0 {
					t.Fatalf("%d paths, want %d", len(ps), tt.wantN)
				}
				if len(ps) > tt.q.K {
					t.Errorf("%d paths, more than k=%d", len(ps), tt.q.K)
				}
				if tt.wantFirst > 0 && len(ps[0].Rels) != tt.wantFirst {
					t.Errorf("shortest path has %d hops, want %d", len(ps[0].Rels), tt.wantFirst)
				}
				if tt.wantNodes != nil && fmt.Sprint(entityIDs(ps[0].Nodes)) != fmt.Sprint(tt.wantNodes) {
					t.Errorf("path nodes = %v, want %v", entityIDs(ps[0].Nodes), tt.wantNodes)
				}
				from, to := tt.q.From, tt.q.To
				if to == "zz-test-paths-bai" {
					to = "chunli-bai"
				}
				seenPaths := map[string]bool{}
				for i, p := range ps {
					key := fmt.Sprint(relIDsOf(p.Rels))
					if seenPaths[key] {
						t.Errorf("path %d repeats an earlier one: %s", i, key)
					}
					seenPaths[key] = true
					if i > 0 && len(p.Rels) < len(ps[i-1].Rels) {
						t.Errorf("path %d (%d hops) after a longer one (%d)", i, len(p.Rels), len(ps[i-1].Rels))
					}
					checkPath(t, p, from, to, tt.q)
				}
				// Neo4j's own SHORTEST k finds paths of the same lengths.
				ref := tt.q
				ref.To = to
				want, err := st.PathsBySHORTEST(ctx, ref)
				if err != nil {
					t.Fatal(err)
				}
				if fmt.Sprint(pathLengths(want)) != fmt.Sprint(pathLengths(ps)) {
					t.Errorf("path lengths %v, SHORTEST %d gives %v", pathLengths(ps), tt.q.K, pathLengths(want))
				}
				// The statement meets in the middle, with the odd hop on the end
				// that reaches less of the graph; asking the other way round
				// must give paths of the same lengths, each running from the
				// new from.
				if !tt.q.Directed {
					back := tt.q
					back.From, back.To = tt.q.To, tt.q.From
					bs, err := st.Paths(ctx, back)
					if err != nil {
						t.Fatal(err)
					}
					if fmt.Sprint(pathLengths(bs)) != fmt.Sprint(pathLengths(ps)) {
						t.Errorf("reverse query: path lengths %v, want %v", pathLengths(bs), pathLengths(ps))
					}
					for _, p := range bs {
						checkPath(t, p, to, from, back)
					}
				}
			})
		}
	}
}

// TestPathsMatchSHORTEST checks Paths against Neo4j's own SHORTEST k search
// on every ordered pair of a sample of the seed graph's entities, hubs
// included, for each kind of query: the lengths of the k shortest paths are
// fixed by the graph, whichever paths of a tied length come back.
func TestPathsMatchSHORTEST(t *testing.T) {
	st := neo4jtest.Store(t)
	ctx := ctxT(t)
	// The busiest entities, and a spread of the rest.
	var ids []string
	for _, r := range raw(t, `MATCH (n:Entity) WITH n ORDER BY COUNT { (n)--() } DESC, n.id
WITH collect(n.id) AS ns
RETURN ns[..4] + [i IN range(4, size(ns) - 1, size(ns) / 8) | ns[i]] AS ids`, nil) {
		for _, id := range r["ids"].([]any) {
			ids = append(ids, id.(string))
		}
	}
	if len(ids) < 10 {
		t.Fatalf("sample of %d entities, want at least 10", len(ids))
	}
	queries := []struct {
		name string
		q    kg.PathQuery
	}{
		{"undirected", kg.PathQuery{MaxHops: 4, K: 3}},
		{"directed", kg.PathQuery{MaxHops: 4, K: 2, Directed: true}},
		{"some types", kg.PathQuery{MaxHops: 3, K: 5, Types: []kg.RelType{"PART_OF", "HOSTS", "WORKS_AT", "DIRECTS", "PARTY_TO"}}},
		{"asOf", kg.PathQuery{MaxHops: 3, K: 4, AsOf: dayp(2019, 6, 1)}},
		{"one hop", kg.PathQuery{MaxHops: 1, K: 2}},
	}
	found := 0
	for _, qq := range queries {
		t.Run(qq.name, func(t *testing.T) {
			for _, a := range ids {
				for _, b := range ids {
					if a == b {
						continue
					}
					q := qq.q
					q.From, q.To = a, b
					got, err := st.Paths(ctx, q)
					if err != nil {
						t.Fatalf("%s → %s: %v", a, b, err)
					}
					want, err := st.PathsBySHORTEST(ctx, q)
					if err != nil {
						t.Fatalf("%s → %s by SHORTEST: %v", a, b, err)
					}
					if fmt.Sprint(pathLengths(got)) != fmt.Sprint(pathLengths(want)) {
						t.Errorf("%s → %s: path lengths %v, SHORTEST %d gives %v", a, b, pathLengths(got), q.K, pathLengths(want))
					}
					for _, p := range got {
						checkPath(t, p, a, b, q)
					}
					found += len(got)
				}
			}
		})
	}
	if found == 0 {
		t.Error("no pair of the sample is connected: the comparison proves nothing")
	}
}

func pathLengths(ps []kg.Path) []int {
	out := make([]int, 0, len(ps))
	for _, p := range ps {
		out = append(out, len(p.Rels))
	}
	return out
}

func relIDsOf(rs []kg.Relationship) []string {
	out := make([]string, 0, len(rs))
	for _, r := range rs {
		out = append(out, r.ID)
	}
	return out
}

// checkPath asserts that p is a simple path from from to to within q's limits.
func checkPath(t *testing.T, p kg.Path, from, to string, q kg.PathQuery) {
	t.Helper()
	if len(p.Nodes) != len(p.Rels)+1 || len(p.Rels) == 0 || len(p.Rels) > q.MaxHops {
		t.Fatalf("path with %d nodes and %d relationships (maxHops %d)", len(p.Nodes), len(p.Rels), q.MaxHops)
	}
	if p.Nodes[0].ID != from || p.Nodes[len(p.Nodes)-1].ID != to {
		t.Errorf("path runs %s..%s, want %s..%s", p.Nodes[0].ID, p.Nodes[len(p.Nodes)-1].ID, from, to)
	}
	seen := map[string]bool{}
	for _, n := range p.Nodes {
		if seen[n.ID] {
			t.Errorf("path visits %s twice: %v", n.ID, entityIDs(p.Nodes))
		}
		seen[n.ID] = true
		if n.Name == "" || n.Kind == "" {
			t.Errorf("path node %s lacks name or kind", n.ID)
		}
	}
	for i, r := range p.Rels {
		a, b := p.Nodes[i].ID, p.Nodes[i+1].ID
		forward := r.From == a && r.To == b
		if !forward && !(r.From == b && r.To == a) {
			t.Errorf("relationship %s does not join %s and %s", r.ID, a, b)
		}
		if q.Directed && !forward {
			t.Errorf("directed path walks %s backwards", r.ID)
		}
		if len(q.Types) > 0 && !containsType(q.Types, r.Type) {
			t.Errorf("relationship %s has type %s outside the filter", r.ID, r.Type)
		}
		if q.AsOf != nil && !kg.ValidOn(r.Since, r.Until, *q.AsOf) {
			t.Errorf("relationship %s is not valid on %s", r.ID, q.AsOf.Format(time.DateOnly))
		}
		if len(r.Evidence) == 0 {
			t.Errorf("relationship %s has no evidence", r.ID)
		}
	}
}

func TestPathsErrors(t *testing.T) {
	st := neo4jtest.Store(t)
	ctx := ctxT(t)
	tests := []struct {
		name        string
		q           kg.PathQuery
		code, field string
	}{
		{"unknown from", kg.PathQuery{From: "no-such-id", To: "polyu", MaxHops: 4, K: 3}, kg.CodeNotFound, "from"},
		{"unknown to", kg.PathQuery{From: "polyu", To: "no-such-id", MaxHops: 4, K: 3}, kg.CodeNotFound, "to"},
		{"same entity", kg.PathQuery{From: "polyu", To: "polyu", MaxHops: 4, K: 3}, kg.CodeInvalid, "to"},
		{"maxHops 0", kg.PathQuery{From: "polyu", To: "hkust", MaxHops: 0, K: 3}, kg.CodeInvalid, "maxHops"},
		{"maxHops too big", kg.PathQuery{From: "polyu", To: "hkust", MaxHops: kg.MaxPathHops + 1, K: 3}, kg.CodeInvalid, "maxHops"},
		{"k 0", kg.PathQuery{From: "polyu", To: "hkust", MaxHops: 4, K: 0}, kg.CodeInvalid, "first"},
		{"k too big", kg.PathQuery{From: "polyu", To: "hkust", MaxHops: 4, K: kg.MaxPaths + 1}, kg.CodeInvalid, "first"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := st.Paths(ctx, tt.q)
			wantCode(t, err, tt.code, tt.field)
		})
	}
	// The largest allowed query still answers.
	ps, err := st.Paths(ctx, kg.PathQuery{From: "polyu", To: "hkust", MaxHops: kg.MaxPathHops, K: kg.MaxPaths})
	if err != nil || len(ps) == 0 {
		t.Errorf("maximal path query = %d paths, %v", len(ps), err)
	}
	for _, p := range ps {
		checkPath(t, p, "polyu", "hkust", kg.PathQuery{MaxHops: kg.MaxPathHops})
	}
}

func TestSubgraph(t *testing.T) {
	st := neo4jtest.Store(t)
	ctx := ctxT(t)
	adj, err := st.Adjacent(ctx, []string{"polyu"}, kg.RelFilter{Direction: kg.Both}, kg.Page{First: 100})
	if err != nil {
		t.Fatal(err)
	}
	neighbours := map[string]bool{"polyu": true}
	for _, a := range adj["polyu"] {
		neighbours[a.Other.ID] = true
	}

	sg0, err := st.Subgraph(ctx, kg.SubgraphQuery{IDs: []string{"polyu"}, Depth: 0, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(sg0.Nodes) != 1 || sg0.Nodes[0].ID != "polyu" || len(sg0.Rels) != 0 || sg0.Truncated {
		t.Errorf("depth 0 = %v nodes, %d rels, truncated %v", entityIDs(sg0.Nodes), len(sg0.Rels), sg0.Truncated)
	}

	sg1, err := st.Subgraph(ctx, kg.SubgraphQuery{IDs: []string{"polyu"}, Depth: 1, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	got1 := idSet(sg1.Nodes)
	if !reflect.DeepEqual(got1, neighbours) || sg1.Truncated {
		t.Errorf("depth 1 nodes = %v (truncated %v), want PolyU and its neighbours %v", keysOf(got1), sg1.Truncated, keysOf(neighbours))
	}
	checkSubgraphRels(t, sg1)
	for _, a := range adj["polyu"] {
		if !containsRel(sg1.Rels, a.Rel.ID) {
			t.Errorf("depth 1 lacks PolyU's relationship %s", a.Rel.ID)
		}
	}

	sg2, err := st.Subgraph(ctx, kg.SubgraphQuery{IDs: []string{"polyu"}, Depth: 2, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	got2 := idSet(sg2.Nodes)
	for id := range got1 {
		if !got2[id] {
			t.Errorf("depth 2 lacks depth-1 node %s", id)
		}
	}
	if len(got2) <= len(got1) || sg2.Truncated || !got2["kwok-fai-chung"] || !got2["wong-kwok-yin"] {
		t.Errorf("depth 2 = %d nodes (depth 1: %d), truncated %v; want lab directors included", len(got2), len(got1), sg2.Truncated)
	}
	checkSubgraphRels(t, sg2)
	checkSubgraphComplete(t, st, sg2, kg.RelFilter{})
	if sg2.Nodes[0].ID != "polyu" {
		t.Errorf("the centre comes first, got %s", sg2.Nodes[0].ID)
	}

	// A small limit cuts the neighbourhood and says so.
	small, err := st.Subgraph(ctx, kg.SubgraphQuery{IDs: []string{"polyu"}, Depth: 2, Limit: 3})
	if err != nil {
		t.Fatal(err)
	}
	if len(small.Nodes) != 3 || !small.Truncated || small.Nodes[0].ID != "polyu" {
		t.Errorf("limit 3 = %v, truncated %v", entityIDs(small.Nodes), small.Truncated)
	}
	checkSubgraphRels(t, small)
	checkSubgraphComplete(t, st, small, kg.RelFilter{})
	// A limit exactly the size of the neighbourhood is not a cut.
	exact, err := st.Subgraph(ctx, kg.SubgraphQuery{IDs: []string{"polyu"}, Depth: 1, Limit: len(neighbours)})
	if err != nil || len(exact.Nodes) != len(neighbours) || exact.Truncated {
		t.Errorf("limit = neighbourhood size: %d nodes, truncated %v, %v", len(exact.Nodes), exact.Truncated, err)
	}

	// Kinds restrict the entities reached; the centre is always kept.
	labs, err := st.Subgraph(ctx, kg.SubgraphQuery{IDs: []string{"polyu"}, Depth: 1, Kinds: []kg.Kind{kg.KindLab}, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(keysOf(idSet(labs.Nodes))); got != "[cnerc-rail-hk cnerc-steel-hk polyu pskl-chirosciences pskl-ultra-precision-machining]" {
		t.Errorf("kinds LAB = %s", got)
	}
	// Types restrict the relationships followed and returned.
	signed, err := st.Subgraph(ctx, kg.SubgraphQuery{IDs: []string{"hksar-cas-mou"}, Depth: 1, Types: []kg.RelType{"SIGNED"}, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(keysOf(idSet(signed.Nodes))); got != "[carrie-lam chunli-bai hksar-cas-mou]" || len(signed.Rels) != 2 {
		t.Errorf("types SIGNED = %s with %d rels", got, len(signed.Rels))
	}
	checkSubgraphComplete(t, st, signed, kg.RelFilter{Types: []kg.RelType{"SIGNED"}})
	// asOf drops relationships not valid that day (Roborn's 2018 partnerships).
	old, err := st.Subgraph(ctx, kg.SubgraphQuery{IDs: []string{"roborn"}, Depth: 1, AsOf: dayp(2017, 1, 1), Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(keysOf(idSet(old.Nodes))); got != "[hong-kong roborn]" {
		t.Errorf("asOf 2017 around roborn = %s", got)
	}
	// Several centres; duplicates collapse.
	multi, err := st.Subgraph(ctx, kg.SubgraphQuery{IDs: []string{"carrie-lam", "chunli-bai", "carrie-lam"}, Depth: 0, Limit: 10})
	if err != nil || fmt.Sprint(entityIDs(multi.Nodes)) != "[carrie-lam chunli-bai]" {
		t.Errorf("two centres at depth 0 = %v, %v", entityIDs(multi.Nodes), err)
	}
	if err == nil && len(multi.Rels) != 0 {
		t.Errorf("depth 0 returned %d relationships between the centres; want those among them only", len(multi.Rels))
	}
	_, err = st.Subgraph(ctx, kg.SubgraphQuery{IDs: []string{"polyu", "no-such-id"}, Depth: 1, Limit: 10})
	wantCode(t, err, kg.CodeNotFound, "ids")
}

func idSet(es []kg.Entity) map[string]bool {
	m := map[string]bool{}
	for _, e := range es {
		m[e.ID] = true
	}
	return m
}

func containsRel(rs []kg.Relationship, id string) bool {
	for _, r := range rs {
		if r.ID == id {
			return true
		}
	}
	return false
}

// checkSubgraphRels asserts every relationship joins two returned nodes, once.
// checkSubgraphComplete checks that sg holds every relationship matching f
// between two of its nodes, asking Adjacent for each node's relationships.
func checkSubgraphComplete(t *testing.T, st *store.Store, sg kg.Subgraph, f kg.RelFilter) {
	t.Helper()
	nodes := idSet(sg.Nodes)
	f.Direction = kg.Both
	adj, err := st.Adjacent(ctxT(t), entityIDs(sg.Nodes), f, kg.Page{First: 1000})
	if err != nil {
		t.Fatal(err)
	}
	want := 0
	for id, as := range adj {
		for _, a := range as {
			if !nodes[a.Other.ID] || id > a.Other.ID {
				continue // outside, or counted from the other end
			}
			want++
			if !containsRel(sg.Rels, a.Rel.ID) {
				t.Errorf("relationship %s (%s–%s) joins two nodes of the subgraph but is missing", a.Rel.ID, id, a.Other.ID)
			}
		}
	}
	if want == 0 && len(sg.Nodes) > 1 {
		t.Errorf("no relationships among %d nodes: not a useful check", len(sg.Nodes))
	}
}

func checkSubgraphRels(t *testing.T, sg kg.Subgraph) {
	t.Helper()
	nodes := idSet(sg.Nodes)
	if len(nodes) != len(sg.Nodes) {
		t.Errorf("duplicate nodes: %v", entityIDs(sg.Nodes))
	}
	seen := map[string]bool{}
	for _, r := range sg.Rels {
		if !nodes[r.From] || !nodes[r.To] {
			t.Errorf("relationship %s leaves the subgraph", r.ID)
		}
		if seen[r.ID] {
			t.Errorf("relationship %s twice", r.ID)
		}
		seen[r.ID] = true
	}
}

func TestFundings(t *testing.T) {
	st := neo4jtest.Store(t)
	ctx := ctxT(t)
	tests := []struct {
		name   string
		filter kg.FundingFilter
		want   []string // ids, newest first
		totals []kg.Money
	}{
		// The HKD 130 billion invested "so far" (January 2022) sorts by its end.
		{"all", kg.FundingFilter{}, []string{"hksar-gov-it-investment-current-term", "central-gov-hk-rd-2020-2021", "hksar-gov-cas-joint-labs-2018-19",
			"central-gov-hk-first-batch-2018", "mof-cas-core-funding"},
			[]kg.Money{{Value: "440000000", Currency: "CNY"}, {Value: "130030000000", Currency: "HKD"}}},
		{"by funder", kg.FundingFilter{Funder: "central-government"}, []string{"central-gov-hk-rd-2020-2021", "central-gov-hk-first-batch-2018"},
			[]kg.Money{{Value: "440000000", Currency: "CNY"}}},
		{"by funder, HKD summed", kg.FundingFilter{Funder: "hksar-government"}, []string{"hksar-gov-it-investment-current-term", "hksar-gov-cas-joint-labs-2018-19"},
			[]kg.Money{{Value: "130030000000", Currency: "HKD"}}},
		{"by recipient", kg.FundingFilter{Recipient: "hk-research-institutes"}, []string{"central-gov-hk-rd-2020-2021", "central-gov-hk-first-batch-2018"}, nil},
		{"by recipient, no amount", kg.FundingFilter{Recipient: "cas"}, []string{"mof-cas-core-funding"}, nil},
		{"by source", kg.FundingFilter{SourceID: "s004-hk-cas-mou"}, []string{"hksar-gov-cas-joint-labs-2018-19", "mof-cas-core-funding"},
			[]kg.Money{{Value: "30000000", Currency: "HKD"}}},
		{"ending on or after mid 2021", kg.FundingFilter{From: dayp(2021, 6, 1)}, []string{"hksar-gov-it-investment-current-term", "central-gov-hk-rd-2020-2021"}, nil},
		{"starting on or before 2018", kg.FundingFilter{To: dayp(2018, 12, 31)}, []string{"hksar-gov-it-investment-current-term", "hksar-gov-cas-joint-labs-2018-19", "central-gov-hk-first-batch-2018"}, nil},
		{"overlapping 2019", kg.FundingFilter{From: dayp(2019, 1, 1), To: dayp(2019, 12, 31)}, []string{"hksar-gov-it-investment-current-term", "hksar-gov-cas-joint-labs-2018-19"}, nil},
		{"nothing", kg.FundingFilter{Funder: "polyu"}, []string{}, nil},
		{"by programme", kg.FundingFilter{Programme: "innohk"}, []string{}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs, cursors, more, err := st.Fundings(ctx, tt.filter, kg.Page{First: 100})
			if err != nil {
				t.Fatal(err)
			}
			got := make([]string, 0, len(fs))
			for _, f := range fs {
				got = append(got, f.ID)
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) || more || len(cursors) != len(fs) {
				t.Errorf("fundings = %v (more %v), want %v", got, more, tt.want)
			}
			n, err := st.CountFundings(ctx, tt.filter)
			if err != nil || n != len(tt.want) {
				t.Errorf("CountFundings = %d, %v; want %d", n, err, len(tt.want))
			}
			totals, err := st.FundingTotals(ctx, tt.filter)
			if err != nil {
				t.Fatal(err)
			}
			if tt.totals != nil && !reflect.DeepEqual(totals, tt.totals) {
				t.Errorf("totals = %+v, want %+v", totals, tt.totals)
			}
		})
	}
	// The 440 million RMB record, field by field.
	m, err := st.FundingsByIDs(ctx, []string{"central-gov-hk-rd-2020-2021", "no-such-funding"})
	if err != nil || len(m) != 1 {
		t.Fatalf("FundingsByIDs = %v, %v", m, err)
	}
	f := m["central-gov-hk-rd-2020-2021"]
	if f.Funder != "central-government" || fmt.Sprint(f.Recipients) != "[hk-universities hk-research-institutes]" ||
		f.Amount == nil || *f.Amount != (kg.Money{Value: "440000000", Currency: "CNY", Note: "more than"}) ||
		f.Since.String() != "2020" || f.Until.String() != "2021" || f.On != nil ||
		len(f.Evidence) != 1 || f.Evidence[0].SourceID != "s001-innovation-hub" || !strings.Contains(f.Evidence[0].Quote, "more than 440 million RMB") {
		t.Errorf("440M funding = %+v (amount %+v)", f, f.Amount)
	}
	// Roles: the funder, the recipients and (none) programmes.
	of, err := st.FundingsOf(ctx, []string{"central-government", "hksar-government"}, "funder", 1)
	if err != nil || len(of["central-government"]) != 1 || of["central-government"][0].ID != "central-gov-hk-rd-2020-2021" || len(of["hksar-government"]) != 1 {
		t.Errorf("FundingsOf funder first 1 = %+v, %v", of, err)
	}
	of, err = st.FundingsOf(ctx, []string{"cas-hk-joint-labs"}, "recipient", 10)
	if err != nil || len(of["cas-hk-joint-labs"]) != 1 || of["cas-hk-joint-labs"][0].AdministeredBy != "ugc" {
		t.Errorf("FundingsOf recipient = %+v, %v", of, err)
	}
	if _, err := st.FundingsOf(ctx, []string{"x"}, "donor", 10); err == nil {
		t.Error("FundingsOf with an unknown role did not fail")
	}
}

// Totals are exact decimal sums, not floating point.
func TestFundingTotalsExact(t *testing.T) {
	st := neo4jtest.Store(t)
	ctx := ctxT(t)
	cleanup(t, "zz-test-fund-")
	src := kg.Source{ID: "zz-test-fund-src", Title: "Test"}
	ev := []kg.Evidence{{SourceID: src.ID, Quote: "test"}}
	funder := kg.Entity{ID: "zz-test-fund-funder", Kind: kg.KindGovernmentBody, Name: "Zz Funder", Sources: []string{src.ID}}
	rcpt := kg.Entity{ID: "zz-test-fund-rcpt", Kind: kg.KindLab, Name: "Zz Recipient", Sources: []string{src.ID}}
	amounts := []kg.Money{{Value: "0.1", Currency: "HKD"}, {Value: "0.2", Currency: "HKD"}, {Value: "99999999999999999999", Currency: "USD"},
		{Value: "1", Currency: "USD"}, {Value: "12.345", Currency: "CNY"}, {Value: "0.655", Currency: "CNY"}}
	var fs []kg.Funding
	for i, a := range amounts {
		a := a
		fs = append(fs, kg.Funding{ID: fmt.Sprintf("zz-test-fund-%d", i), Funder: funder.ID, Recipients: []string{rcpt.ID}, Amount: &a,
			On: &kg.Date{Year: 2000 + i, Precision: kg.PrecisionYear}, Evidence: ev})
	}
	if err := st.Import(ctx, &kg.Graph{Sources: []kg.Source{src}, Entities: []kg.Entity{funder, rcpt}, Fundings: fs}); err != nil {
		t.Fatal(err)
	}
	totals, err := st.FundingTotals(ctx, kg.FundingFilter{Funder: funder.ID})
	if err != nil {
		t.Fatal(err)
	}
	want := []kg.Money{{Value: "13", Currency: "CNY"}, {Value: "0.3", Currency: "HKD"}, {Value: "100000000000000000000", Currency: "USD"}}
	if !reflect.DeepEqual(totals, want) {
		t.Errorf("totals = %+v, want %+v", totals, want)
	}
	// Keyset pages of 2 walk all six records newest first, no repeats.
	var walked []string
	after := ""
	for {
		page, cursors, more, err := st.Fundings(ctx, kg.FundingFilter{Funder: funder.ID}, kg.Page{First: 2, After: after})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range page {
			walked = append(walked, f.ID)
		}
		if !more {
			break
		}
		after = cursors[len(cursors)-1]
	}
	if fmt.Sprint(walked) != "[zz-test-fund-5 zz-test-fund-4 zz-test-fund-3 zz-test-fund-2 zz-test-fund-1 zz-test-fund-0]" {
		t.Errorf("paged fundings = %v", walked)
	}
	// Each recipient gets a FUNDS edge that points back at its record.
	adj, err := st.Adjacent(ctx, []string{rcpt.ID}, kg.RelFilter{Types: []kg.RelType{"FUNDS"}, Direction: kg.Incoming}, kg.Page{First: 10})
	if err != nil || len(adj[rcpt.ID]) != 6 || adj[rcpt.ID][0].Rel.FundingID == "" {
		t.Errorf("FUNDS edges = %+v, %v", adj[rcpt.ID], err)
	}
	_, _, _, err = st.Fundings(ctx, kg.FundingFilter{}, kg.Page{First: 2, After: "%%%"})
	wantCode(t, err, kg.CodeInvalid, "after")
}

func TestSourcesAndFacts(t *testing.T) {
	st := neo4jtest.Store(t)
	ctx := ctxT(t)
	wantSources := []string{"s000-hk-china-hi-tech-drive", "s001-innovation-hub", "s002-mainland-hk-it-forum-2018", "s003-digital-economy-blueprint", "s004-hk-cas-mou"}
	var walked []string
	after := ""
	for {
		srcs, cursors, more, err := st.Sources(ctx, kg.Page{First: 2, After: after})
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range srcs {
			walked = append(walked, s.ID)
		}
		if !more {
			break
		}
		after = cursors[len(cursors)-1]
	}
	if fmt.Sprint(walked) != fmt.Sprint(wantSources) {
		t.Errorf("sources = %v, want %v", walked, wantSources)
	}
	n, err := st.CountSources(ctx)
	if err != nil || n != len(wantSources) {
		t.Errorf("CountSources = %d, %v", n, err)
	}
	byID, err := st.SourcesByIDs(ctx, []string{"s001-innovation-hub", "no-such-source"})
	if err != nil || len(byID) != 1 {
		t.Fatalf("SourcesByIDs = %v, %v", byID, err)
	}
	s1 := byID["s001-innovation-hub"]
	if s1.Title != "Hong Kong: Innovation Hub in the Making" || s1.Author != "LU Zijian" || s1.Publisher != "Science and Technology Daily" ||
		s1.File != "001_50912e7d140a21e9.txt" || s1.Published == nil || s1.Published.String() != "2022-07-07" {
		t.Errorf("source s001 = %+v", s1)
	}

	// Representative facts from each of the five documents.
	facts := []struct {
		source, rel, role, quote string
	}{
		{"s000-hk-china-hi-tech-drive", "polyu~contributed_to~change-4-mission", "Multi-disciplinary support (camera mount, landing-site selection)", "historic landing on the far side of the Moon"},
		{"s000-hk-china-hi-tech-drive", "polyu-change4-camera-mount-team~contributed_to~change-4-camera-mount", "Helped design and make the mount", "robotic mount for the mission-critical camera"},
		{"s001-innovation-hub", "kwok-fai-chung~directs~cnerc-steel-hk", "Director", "K. F. Chung, director of the Chinese National Engineering Research Centre for Steel Construction"},
		{"s001-innovation-hub", "central-government~funds~hk-universities~central-gov-hk-rd-2020-2021", "", "more than 440 million RMB was authorized"},
		{"s002-mainland-hk-it-forum-2018", "wong-kwok-yin~directs~pskl-chirosciences", "Director", "Partner State Key Laboratory of Chirosciences (Director: Professor Wong Kwok Yin)"},
		{"s002-mainland-hk-it-forum-2018", "polyu~hosts~cnerc-steel-hk", "", "two Hong Kong Partner State Key Laboratories"},
		{"s002-mainland-hk-it-forum-2018", "kwok-fai-chung~directs~cnerc-steel-hk", "Director", "Director of the CNERC for Steel Construction (Hong Kong Branch)"},
		{"s003-digital-economy-blueprint", "alfred-sit~heads~innovation-and-technology-bureau", "Secretary for Innovation and Technology", "Alfred Sit, Secretary for Innovation and Technology"},
		{"s004-hk-cas-mou", "carrie-lam~signed~hksar-cas-mou", "Chief Executive", "Chief Executive Carrie Lam signed a Memorandum of Understanding"},
		{"s004-hk-cas-mou", "chunli-bai~signed~hksar-cas-mou", "President of CAS", "Professor Chunli Bai, president of the Chinese Academy of Sciences"},
		{"s004-hk-cas-mou", "cas~party_to~hksar-cas-mou", "", "HKSAR Government and Chinese Academy of Sciences sign MoU"},
		{"s004-hk-cas-mou", "hksar-government~party_to~hksar-cas-mou", "", "HKSAR Government and Chinese Academy of Sciences sign MoU"},
	}
	factsBySource := map[string]map[string]kg.Relationship{}
	for _, src := range wantSources {
		all := map[string]kg.Relationship{}
		var order []string
		after := ""
		for {
			rels, cursors, more, err := st.SourceFacts(ctx, src, kg.Page{First: 7, After: after})
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range rels {
				if _, dup := all[r.ID]; dup {
					t.Errorf("%s: fact %s twice", src, r.ID)
				}
				all[r.ID] = r
				order = append(order, r.ID)
				if !hasEvidenceFrom(r, src) {
					t.Errorf("%s: fact %s has no evidence from the source", src, r.ID)
				}
			}
			if !more {
				break
			}
			after = cursors[len(cursors)-1]
		}
		for i := 1; i < len(order); i++ {
			if order[i-1] >= order[i] {
				t.Errorf("%s: facts not ordered by id: %s before %s", src, order[i-1], order[i])
			}
		}
		n, err := st.CountSourceFacts(ctx, src)
		if err != nil || n != len(all) || n < 10 {
			t.Errorf("%s: CountSourceFacts = %d, %v; walked %d", src, n, err, len(all))
		}
		factsBySource[src] = all
	}
	for _, f := range facts {
		r, ok := factsBySource[f.source][f.rel]
		if !ok {
			t.Errorf("%s does not support %s", f.source, f.rel)
			continue
		}
		if r.Role != f.role {
			t.Errorf("%s: role %q, want %q", f.rel, r.Role, f.role)
		}
		found := false
		for _, ev := range r.Evidence {
			found = found || ev.SourceID == f.source && strings.Contains(ev.Quote, f.quote)
		}
		if !found {
			t.Errorf("%s: no evidence from %s quoting %q: %+v", f.rel, f.source, f.quote, r.Evidence)
		}
	}
	if d := factsBySource["s001-innovation-hub"]["kwok-fai-chung~directs~cnerc-steel-hk"]; len(d.Evidence) != 2 {
		t.Errorf("the directorship stated in two documents has %d evidence items, want 2", len(d.Evidence))
	}
	if r := factsBySource["s004-hk-cas-mou"]["carrie-lam~signed~hksar-cas-mou"]; r.Type != "SIGNED" || r.From != "carrie-lam" || r.To != "hksar-cas-mou" {
		t.Errorf("MoU signature = %+v", r)
	}
	if rels, _, _, err := st.SourceFacts(ctx, "no-such-source", kg.Page{First: 5}); err != nil || len(rels) != 0 {
		t.Errorf("facts of an unknown source = %v, %v", rels, err)
	}
	_, _, _, err = st.Sources(ctx, kg.Page{First: 2, After: "bad cursor"})
	wantCode(t, err, kg.CodeInvalid, "after")
}

func hasEvidenceFrom(r kg.Relationship, src string) bool {
	for _, ev := range r.Evidence {
		if ev.SourceID == src {
			return true
		}
	}
	return false
}

func TestKindCounts(t *testing.T) {
	st := neo4jtest.Store(t)
	ctx := ctxT(t)
	ents, rels, err := st.KindCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var sum int64
	for k, n := range ents {
		if !kg.Kind(k).Valid() {
			t.Errorf("count for unknown kind %q", k)
		}
		sum += n
	}
	total, err := st.CountEntities(ctx, kg.EntityFilter{})
	if err != nil || int64(total) != sum {
		t.Errorf("kind counts sum to %d, CountEntities = %d (%v)", sum, total, err)
	}
	for typ := range rels {
		if !kg.RelType(typ).Valid() {
			t.Errorf("count for unknown relationship type %q", typ)
		}
	}
	if rels["SIGNED"] < 6 || ents["UNIVERSITY"] < 3 {
		t.Errorf("counts = %v / %v", ents, rels)
	}
}

package main

import (
	"context"
	"encoding/json"

	"github.com/innograph/innograph/internal/kg"
)

// shape is one query of the mix, expressed for each system. The cypher form
// makes the same store calls (the same Cypher, the same round trips) that
// innograph's resolvers make for the GraphQL form.
type shape struct {
	name      string
	innograph func(b *bench, w *worker) (string, map[string]any)
	ngql      func(b *bench, w *worker) (string, map[string]any)
	cypher    func(ctx context.Context, b *bench, w *worker) error
	// after reads a GraphQL response (the paginated walk keeps its cursor).
	after func(w *worker, data json.RawMessage, sys string)
}

// Hubs: the top ranks of universities and government bodies carry thousands of edges.
const hubRanks = 5

var shapes = []*shape{
	{
		name: "lookup",
		innograph: func(b *bench, w *worker) (string, map[string]any) {
			return `query($id: ID!) { entity(id: $id) { id name kind aliases description } }`,
				map[string]any{"id": b.plan.ID(b.anyEntity(w))}
		},
		ngql: func(b *bench, w *worker) (string, map[string]any) {
			return `query($id: ID!) { entities(where: {id: {eq: $id}}) { id name kind aliases description } }`,
				map[string]any{"id": b.plan.ID(b.anyEntity(w))}
		},
		cypher: func(ctx context.Context, b *bench, w *worker) error {
			_, err := b.st.Entity(ctx, b.plan.ID(b.anyEntity(w)))
			return err
		},
	},
	{
		// Three levels of typed nesting: University -> labs -> director.
		name: "nested",
		innograph: func(b *bench, w *worker) (string, map[string]any) {
			return `query($id: ID!) { entity(id: $id) { id name ... on University { labs(first: 10) { id name director { id name } } } } }`,
				map[string]any{"id": b.ofKind(w, kg.KindUniversity, 0)}
		},
		ngql: func(b *bench, w *worker) (string, map[string]any) {
			return `query($id: ID!) { universities(where: {id: {eq: $id}}) { id name labs(limit: 10) { id name director(limit: 1) { id name } } } }`,
				map[string]any{"id": b.ofKind(w, kg.KindUniversity, 0)}
		},
		cypher: func(ctx context.Context, b *bench, w *worker) error {
			// innograph fetches an entity with its typed nested fields in
			// one statement; this is the plan it makes for the query above.
			id := b.ofKind(w, kg.KindUniversity, 0)
			lab := []kg.Kind{kg.KindLab}
			director := []kg.Expand{{Filter: kg.RelFilter{Types: []kg.RelType{kg.RelDirects}, Direction: kg.Incoming, Kinds: []kg.Kind{kg.KindPerson}}, First: 20, On: lab}}
			on := []kg.Kind{kg.KindUniversity}
			_, _, err := b.st.EntityTree(ctx, id, []kg.Expand{
				{Filter: kg.RelFilter{Types: []kg.RelType{kg.RelHosts}, Direction: kg.Outgoing, Kinds: lab}, First: 10, On: on, Next: director},
				{Filter: kg.RelFilter{Types: []kg.RelType{kg.RelPartOf}, Direction: kg.Incoming, Kinds: lab}, First: 10, On: on, Next: director},
			})
			return err
		},
	},
	{
		name: "search",
		innograph: func(b *bench, w *worker) (string, map[string]any) {
			return `query($q: String!) { search(query: $q, first: 10) { score matchedName entity { id name kind } } }`,
				map[string]any{"q": b.plan.SearchTerm(b.anyEntity(w), w.r.Uint64())}
		},
		ngql: func(b *bench, w *worker) (string, map[string]any) {
			return `query($q: String!) { entitySearch(phrase: $q, first: 10) { edges { score node { id name kind } } } }`,
				map[string]any{"q": luceneQuery(b.plan.SearchTerm(b.anyEntity(w), w.r.Uint64()))}
		},
		cypher: func(ctx context.Context, b *bench, w *worker) error {
			_, err := b.st.Search(ctx, b.plan.SearchTerm(b.anyEntity(w), w.r.Uint64()), nil, 10)
			return err
		},
	},
	{
		// Depth 2 around a hub, capped at 100 nodes.
		name: "subgraph",
		innograph: func(b *bench, w *worker) (string, map[string]any) {
			return `query($id: ID!) { subgraph(ids: [$id], depth: 2, limit: 100) { truncated nodes { id name kind } relationships { id type from { id } to { id } } } }`,
				map[string]any{"id": hub(b, w)}
		},
		ngql: func(b *bench, w *worker) (string, map[string]any) {
			return `query($id: ID!) { subgraph(id: $id, limit: 100) { truncated nodes { id name kind } relationships { id type from to } } }`,
				map[string]any{"id": hub(b, w)}
		},
		cypher: func(ctx context.Context, b *bench, w *worker) error {
			_, err := b.st.Subgraph(ctx, kg.SubgraphQuery{IDs: []string{hub(b, w)}, Depth: 2, Limit: 100})
			return err
		},
	},
	{
		// The 3 shortest paths of at most 4 hops between random entities.
		name: "paths",
		innograph: func(b *bench, w *worker) (string, map[string]any) {
			f, t := pair(b, w)
			return `query($a: ID!, $b: ID!) { paths(from: $a, to: $b, maxHops: 4, first: 3) { length nodes { id name kind } relationships { id type from { id } to { id } } } }`,
				map[string]any{"a": f, "b": t}
		},
		ngql: func(b *bench, w *worker) (string, map[string]any) {
			f, t := pair(b, w)
			return `query($a: ID!, $b: ID!) { paths(from: $a, to: $b, maxHops: 4, first: 3) { length nodes { id name kind } relationships { id type from to } } }`,
				map[string]any{"a": f, "b": t}
		},
		cypher: func(ctx context.Context, b *bench, w *worker) error {
			f, t := pair(b, w)
			_, err := b.st.Paths(ctx, kg.PathQuery{From: f, To: t, MaxHops: 4, K: 3})
			return err
		},
	},
	{
		// Who funds what: a funder's records newest first, with totals per currency.
		name: "fundings",
		innograph: func(b *bench, w *worker) (string, map[string]any) {
			return `query($f: ID!) { fundings(funder: $f, first: 20) { totalCount totals { value currency } nodes { id amount { value currency } purpose recipients { id name } } } }`,
				map[string]any{"f": b.ofKind(w, kg.KindGovernmentBody, 50)}
		},
		ngql: func(b *bench, w *worker) (string, map[string]any) {
			return `query($f: String!) { fundingsConnection(where: {funder: {eq: $f}}, sort: [{sortKey: DESC}], first: 20) { totalCount edges { node { id amountValue currency purpose recipientEntities { id name } } } } fundingTotals(funder: $f) { value currency } }`,
				map[string]any{"f": b.ofKind(w, kg.KindGovernmentBody, 50)}
		},
		cypher: func(ctx context.Context, b *bench, w *worker) error {
			f := kg.FundingFilter{Funder: b.ofKind(w, kg.KindGovernmentBody, 50)}
			fs, _, _, err := b.st.Fundings(ctx, f, kg.Page{First: 20})
			if err != nil {
				return err
			}
			if _, err := b.st.CountFundings(ctx, f); err != nil {
				return err
			}
			if _, err := b.st.FundingTotals(ctx, f); err != nil {
				return err
			}
			var ids []string
			for _, x := range fs {
				ids = append(ids, x.Recipients...)
			}
			_, err = b.st.EntitiesByIDs(ctx, ids)
			return err
		},
	},
	{
		// A paginated list walked by cursor: companies by name, 20 a page, 10 pages then restart.
		name: "list",
		innograph: func(b *bench, w *worker) (string, map[string]any) {
			return `query($after: String) { entities(kinds: [COMPANY], first: 20, after: $after) { pageInfo { endCursor hasNextPage } nodes { id name kind } } }`,
				map[string]any{"after": cursorVar(w)}
		},
		ngql: func(b *bench, w *worker) (string, map[string]any) {
			return `query($after: String) { entitiesConnection(where: {kind: {eq: "COMPANY"}}, sort: [{name: ASC}, {id: ASC}], first: 20, after: $after) { pageInfo { endCursor hasNextPage } edges { node { id name kind } } } }`,
				map[string]any{"after": cursorVar(w)}
		},
		cypher: func(ctx context.Context, b *bench, w *worker) error {
			_, cs, more, err := b.st.ListEntities(ctx, kg.EntityFilter{Kinds: []kg.Kind{kg.KindCompany}}, kg.Page{First: 20, After: w.cursor})
			if err != nil {
				return err
			}
			next := ""
			if len(cs) > 0 {
				next = cs[len(cs)-1]
			}
			advance(w, next, more)
			return nil
		},
		after: func(w *worker, data json.RawMessage, sys string) {
			var out map[string]struct {
				PageInfo struct {
					EndCursor   *string `json:"endCursor"`
					HasNextPage bool    `json:"hasNextPage"`
				} `json:"pageInfo"`
			}
			if json.Unmarshal(data, &out) != nil {
				advance(w, "", false)
				return
			}
			for _, v := range out {
				c := ""
				if v.PageInfo.EndCursor != nil {
					c = *v.PageInfo.EndCursor
				}
				advance(w, c, v.PageInfo.HasNextPage)
			}
		},
	},
}

func cursorVar(w *worker) any {
	if w.cursor == "" {
		return nil
	}
	return w.cursor
}

const walkPages = 10

func advance(w *worker, next string, more bool) {
	w.pages++
	if !more || next == "" || w.pages >= walkPages {
		w.cursor, w.pages = "", 0
		return
	}
	w.cursor = next
}

func hub(b *bench, w *worker) string {
	if w.r.IntN(2) == 0 {
		return b.ofKind(w, kg.KindUniversity, hubRanks)
	}
	return b.ofKind(w, kg.KindGovernmentBody, hubRanks)
}

func pair(b *bench, w *worker) (string, string) {
	for {
		a, c := b.anyEntity(w), b.anyEntity(w)
		if a != c {
			return b.plan.ID(a), b.plan.ID(c)
		}
	}
}

var shapeByName = func() map[string]*shape {
	m := map[string]*shape{}
	for _, s := range shapes {
		m[s.name] = s
	}
	return m
}()

func shapeNames() []string {
	var out []string
	for _, s := range shapes {
		out = append(out, s.name)
	}
	return out
}

func shapeIndex(name string) int {
	for i, s := range shapes {
		if s.name == name {
			return i
		}
	}
	return len(shapes)
}

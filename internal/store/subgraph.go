package store

import (
	"context"
	"fmt"

	"github.com/innograph/innograph/internal/kg"
)

// Subgraph expands breadth-first from q.IDs, one query per hop, then fetches
// the relationships among the nodes kept. At most q.Limit nodes are returned;
// Truncated tells whether the neighbourhood was cut.
func (s *Store) Subgraph(ctx context.Context, q kg.SubgraphQuery) (kg.Subgraph, error) {
	var sg kg.Subgraph
	if err := q.Validate(); err != nil {
		return sg, err
	}
	seeds, err := s.EntitiesByIDs(ctx, q.IDs)
	if err != nil {
		return sg, err
	}
	nodes := map[string]kg.Entity{}
	var order []string
	var frontier []string
	for _, id := range q.IDs {
		e, ok := seeds[id]
		if !ok {
			return sg, &kg.Error{Code: kg.CodeNotFound, Field: "ids", Message: fmt.Sprintf("no entity with id %q", id)}
		}
		if _, dup := nodes[e.ID]; dup {
			continue
		}
		nodes[e.ID] = e
		order = append(order, e.ID)
		frontier = append(frontier, e.ID)
	}
	if len(order) > q.Limit {
		order = order[:q.Limit]
		sg.Truncated = true
	}
	types, none := relTypes(q.Types)
	if none {
		frontier = nil // no relationship can match: the seeds alone
	}
	for depth := 1; depth <= q.Depth && len(frontier) > 0 && !sg.Truncated; depth++ {
		remaining := q.Limit - len(order)
		// One row more than fits tells whether the neighbourhood was cut.
		rowCap := remaining + 1
		// Each frontier node contributes at most $cap neighbours, taken in
		// Neo4j's storage order, so that a hop's cost is bounded by the cap
		// and not by a hub's degree (sorting all 69k neighbours of the
		// biggest 1M hub to keep the first few hundred took 150–300 ms).
		// The rows kept are then sorted by id, and only they are projected.
		recs, err := s.read(ctx, "subgraphHop", `
UNWIND $frontier AS id
MATCH (n:Entity {id: id})
CALL (n) {
  MATCH (n)-[r`+types+`]-(m:Entity)
  WHERE NOT m.id IN $seen`+relFilter(q.AsOf, q.Statuses)+kindFilter(q.Kinds)+`
  RETURN DISTINCT m LIMIT $cap
}
WITH DISTINCT m ORDER BY m.id LIMIT $cap
RETURN `+entityProjectionOf("m")+` AS m`, map[string]any{
			"frontier": frontier, "kinds": kindStrings(q.Kinds),
			"seen": order, "asOf": asOfParam(q.AsOf), "statuses": statusesParam(q.Statuses), "cap": rowCap,
		})
		if err != nil {
			return sg, err
		}
		frontier = frontier[:0]
		for _, r := range recs {
			e := entityFromMap(recMap(r, "m"))
			if _, ok := nodes[e.ID]; ok {
				continue
			}
			if len(order) >= q.Limit {
				sg.Truncated = true
				break
			}
			nodes[e.ID] = e
			order = append(order, e.ID)
			frontier = append(frontier, e.ID)
		}
		if len(recs) >= rowCap {
			sg.Truncated = true
		}
	}
	for _, id := range order {
		sg.Nodes = append(sg.Nodes, nodes[id])
	}
	if len(order) < 2 || none {
		return sg, nil
	}
	// The relationships among the nodes kept: each is found from its end
	// with fewer relationships (ties broken by id), so a hub's own
	// relationships are never read; before, expanding the biggest 1M hub
	// cost 114k db hits and 110 ms for a 100-node subgraph, now 4.6k and
	// 23 ms. Entities never relate to themselves (kg.Relationship.Validate).
	recs, err := s.read(ctx, "subgraphRels", `
UNWIND $ids AS id
MATCH (a:Entity {id: id})
WITH a, COUNT { (a)-[`+types+`]-() } AS deg
WITH collect({n: a, deg: deg}) AS ns
UNWIND ns AS x
WITH x.n AS a, [y IN ns WHERE y.deg > x.deg OR (y.deg = x.deg AND y.n.id > x.n.id) | y.n] AS bigger
WHERE size(bigger) > 0
MATCH (a)-[r`+types+`]-(b)
WHERE b IN bigger`+relFilter(q.AsOf, q.Statuses)+`
WITH r ORDER BY r.id LIMIT $cap
RETURN r `+relProjection+` AS r`, map[string]any{
		"ids": order, "asOf": asOfParam(q.AsOf), "statuses": statusesParam(q.Statuses), "cap": q.Limit * 20,
	})
	if err != nil {
		return sg, err
	}
	for _, r := range recs {
		sg.Rels = append(sg.Rels, relFromMap(recMap(r, "r")))
	}
	if len(recs) >= q.Limit*20 {
		sg.Truncated = true
	}
	return sg, nil
}

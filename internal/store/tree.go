package store

import (
	"context"
	"fmt"
	"maps"
	"strings"

	"github.com/innograph/innograph/internal/kg"
)

// EntityTree returns the entity with id (following a redirect, as
// EntitiesByIDs) and, in one statement, what each of plan's Expands finds
// from it and, recursively, from the entities reached: for every Expand the
// same page that Adjacent returns for its filter and page size. A lookup with
// typed nested fields is thus one round trip instead of one per level.
//
// Concurrent calls with the same plan share statements (see coalescer)
// unless Config.NoCoalescing is set.
func (s *Store) EntityTree(ctx context.Context, id string, plan []kg.Expand) (kg.Entity, [][]kg.Expanded, error) {
	if n := kg.CountExpands(plan); n > kg.MaxExpands {
		return kg.Entity{}, nil, kg.InvalidArg("plan", "at most %d relationship patterns in one entity tree, got %d", kg.MaxExpands, n)
	}
	var m map[string]entityTree
	var err error
	if c := s.treeCoalescer(plan); c != nil {
		m, err = c.get(ctx, []string{id})
	} else {
		m, err = s.entityTrees(ctx, []string{id}, plan, newTreeStatement(plan))
	}
	if err != nil {
		return kg.Entity{}, nil, err
	}
	t, ok := m[id]
	if !ok {
		return kg.Entity{}, nil, &kg.Error{Code: kg.CodeNotFound, Field: "id", Message: fmt.Sprintf("no entity with id %q", id)}
	}
	return t.root, t.found, nil
}

// entityTree is what EntityTree returns for one id.
type entityTree struct {
	root  kg.Entity
	found [][]kg.Expanded
}

// treeCoalescer returns the coalescer shared by entity trees of plan, or nil
// with Config.NoCoalescing.
func (s *Store) treeCoalescer(plan []kg.Expand) *coalescer[entityTree] {
	if s.cfg.NoCoalescing {
		return nil
	}
	key := kg.PlanKey(plan)
	s.treesMu.Lock()
	defer s.treesMu.Unlock()
	c, ok := s.trees[key]
	if !ok {
		if s.trees == nil || len(s.trees) >= maxTreeCoalescers {
			// Calls holding a dropped coalescer finish with it.
			s.trees = map[string]*coalescer[entityTree]{}
		}
		st := newTreeStatement(plan) // built once per plan, not per call
		c = newCoalescer(coalesceRunning, coalesceKeys/10, func(ctx context.Context, ids []string) (map[string]entityTree, error) {
			return s.entityTrees(ctx, ids, plan, st)
		})
		s.trees[key] = c
	}
	return c
}

// maxTreeCoalescers bounds the plans whose coalescers are kept.
const maxTreeCoalescers = 1000

// treeStatement is the Cypher of an entity tree for a plan, with its
// parameters but the ids.
type treeStatement struct {
	cypher string
	params map[string]any // read-only: shared by concurrent calls
	names  []string       // the columns of the plan's Expands, in order
}

func newTreeStatement(plan []kg.Expand) treeStatement {
	t := treeQuery{params: map[string]any{}}
	calls, names := t.expands("n0", plan)
	return treeStatement{cypher: `
UNWIND $ids AS id
OPTIONAL MATCH (rd:Redirect {id: id})
WITH id, coalesce(rd.target, id) AS tid
MATCH (n0:Entity {id: tid})` + calls + `
RETURN id, ` + entityProjectionOf("n0") + ` AS n0` + returnList(names), params: t.params, names: names}
}

// entityTrees answers EntityTree for several ids in one statement st (plan's),
// keyed by the id asked for; missing ids are absent.
func (s *Store) entityTrees(ctx context.Context, ids []string, plan []kg.Expand, st treeStatement) (map[string]entityTree, error) {
	params := maps.Clone(st.params)
	params["ids"] = ids
	recs, err := s.read(ctx, "entityTree", st.cypher, params)
	if err != nil {
		return nil, err
	}
	out := make(map[string]entityTree, len(recs))
	for _, r := range recs {
		found := make([][]kg.Expanded, len(plan))
		for i, name := range st.names {
			v, _ := r.Get(name)
			found[i] = expandedFrom(v, plan[i])
		}
		out[recStr(r, "id")] = entityTree{root: entityFromMap(recMap(r, "n0")), found: found}
	}
	return out, nil
}

// treeQuery builds the Cypher of an entity tree: variables and parameters
// are numbered as they are made; relationship types come from the kg
// allow-list (relTypes), kinds and page sizes are parameters.
type treeQuery struct {
	n      int
	params map[string]any
}

// expands returns the CALL subqueries following es from the node in
// variable from, and the names of the lists they return, in order.
func (t *treeQuery) expands(from string, es []kg.Expand) (string, []string) {
	var b strings.Builder
	names := make([]string, len(es))
	for i, e := range es {
		t.n++
		k := t.n
		r, m, name := fmt.Sprintf("r%d", k), fmt.Sprintf("n%d", k), fmt.Sprintf("x%d", k)
		names[i] = name
		types, none := relTypes(e.Filter.Types)
		fmt.Fprintf(&b, "\nCALL (%s) {", from)
		if none {
			// No relationship can match: an empty page, as Adjacent.
			fmt.Fprintf(&b, "\n  RETURN [] AS %s\n}", name)
			continue
		}
		if len(e.On) > 0 {
			fmt.Fprintf(&b, "\n  WITH %s WHERE %s.kind IN $on%d", from, from, k)
			t.params[fmt.Sprintf("on%d", k)] = kindStrings(e.On)
		}
		fmt.Fprintf(&b, "\n  MATCH %s", adjacentPattern(from, r, m, e.Filter.Direction, types))
		if len(e.Filter.Kinds) > 0 {
			fmt.Fprintf(&b, "\n  WHERE %s.kind IN $kinds%d", m, k)
			t.params[fmt.Sprintf("kinds%d", k)] = kindStrings(e.Filter.Kinds)
		}
		fmt.Fprintf(&b, "\n  WITH %s, %s, %s ORDER BY %s.id LIMIT $first%d", from, r, m, r, k)
		t.params[fmt.Sprintf("first%d", k)] = e.First
		calls, next := t.expands(m, e.Next)
		b.WriteString(strings.ReplaceAll(calls, "\n", "\n  "))
		fmt.Fprintf(&b, "\n  RETURN collect({rel: %s %s, other: %s, out: startNode(%s) = %s, next: [%s]}) AS %s\n}",
			r, relProjectionOf(r), entityProjectionOf(m), r, from, strings.Join(next, ", "), name)
	}
	return b.String(), names
}

func returnList(names []string) string {
	if len(names) == 0 {
		return ""
	}
	return ", " + strings.Join(names, ", ")
}

// expandedFrom decodes the list a subquery of e returned.
func expandedFrom(v any, e kg.Expand) []kg.Expanded {
	rows, _ := v.([]any)
	out := make([]kg.Expanded, 0, len(rows))
	for _, row := range rows {
		m, _ := row.(map[string]any)
		rel, _ := m["rel"].(map[string]any)
		other, _ := m["other"].(map[string]any)
		isOut, _ := m["out"].(bool)
		x := kg.Expanded{Adjacent: kg.Adjacent{Rel: relFromMap(rel), Other: entityFromMap(other), Outgoing: isOut}}
		next, _ := m["next"].([]any)
		for i, sub := range e.Next {
			var nv any
			if i < len(next) {
				nv = next[i]
			}
			x.Next = append(x.Next, expandedFrom(nv, sub))
		}
		out = append(out, x)
	}
	return out
}

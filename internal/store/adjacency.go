package store

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/innograph/innograph/internal/kg"
)

// relProjection returns relationship r as a map with its type and endpoint ids.
var relProjection = relProjectionOf("r")

// relProjectionOf is relProjection for the relationship in variable r.
func relProjectionOf(r string) string {
	return "{.*, type: type(" + r + "), from: startNode(" + r + ").id, to: endNode(" + r + ").id}"
}

// validOn is the Cypher predicate keeping relationship r when $asOf is null
// or r holds on that day: $asOf falls in [since, until] (an open end is
// unbounded); for a relationship known only by its date on, that date at its
// precision contains $asOf; an undated relationship holds on any day.
var validOn = validOnOf("r")

// validOnOf is validOn for the relationship in variable r.
func validOnOf(r string) string {
	return "($asOf IS NULL OR ((" + r + ".sinceStart IS NULL OR " + r + ".sinceStart <= $asOf) AND (" + r + ".untilEnd IS NULL OR " + r + ".untilEnd >= $asOf)" +
		" AND (" + r + ".onStart IS NULL OR " + r + ".sinceStart IS NOT NULL OR " + r + ".untilEnd IS NOT NULL OR (" + r + ".onStart <= $asOf AND " + r + ".onEnd >= $asOf))))"
}

// statusIn is the Cypher predicate keeping relationship r when its claim
// status is one of $statuses; one stored before statuses existed is ASSERTED.
func statusIn(r string) string {
	return "coalesce(" + r + ".status, 'ASSERTED') IN $statuses"
}

// statusesParam is the $statuses parameter: nil when ss keeps every status,
// and the condition is then left out of the Cypher.
func statusesParam(ss []kg.ClaimStatus) any {
	if kg.AllStatuses(ss) {
		return nil
	}
	out := make([]string, 0, len(ss))
	for _, s := range ss {
		out = append(out, string(s))
	}
	return out
}

func asOfParam(t *time.Time) any {
	if t == nil {
		return nil
	}
	return neoDate(*t)
}

// adjacentPattern is the pattern from node n over relationship r of types
// in direction d to entity m, in variables n, r and m.
func adjacentPattern(n, r, m string, d kg.Direction, types string) string {
	switch d {
	case kg.Outgoing:
		return "(" + n + ")-[" + r + types + "]->(" + m + ":Entity)"
	case kg.Incoming:
		return "(" + n + ")<-[" + r + types + "]-(" + m + ":Entity)"
	default:
		return "(" + n + ")-[" + r + types + "]-(" + m + ":Entity)"
	}
}

// relTypes returns the relationship-type part of a pattern (":HOSTS|PART_OF")
// for a type filter: Neo4j then follows only those types instead of reading
// every relationship of a hub and filtering. Only types of the kg allow-list
// are spelled into the Cypher; unknown ones match nothing, and none is true
// when the filter names no known type at all (so nothing can match).
func relTypes(types []kg.RelType) (pattern string, none bool) {
	if len(types) == 0 {
		return "", false
	}
	var valid []string
	for _, t := range types {
		if t.Valid() && !slices.Contains(valid, string(t)) {
			valid = append(valid, string(t))
		}
	}
	if len(valid) == 0 {
		return "", true
	}
	return ":" + strings.Join(valid, "|"), false
}

// Adjacent returns, for each entity id, its relationships matching f with the
// entity at the other end: a keyset page ordered by relationship id, at most
// page.First per entity. One query serves any number of ids.
func (s *Store) Adjacent(ctx context.Context, ids []string, f kg.RelFilter, page kg.Page) (map[string][]kg.Adjacent, error) {
	out := make(map[string][]kg.Adjacent, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var after any
	if page.After != "" {
		vals, err := kg.DecodeCursor(page.After, 1)
		if err != nil {
			return nil, err
		}
		after = vals[0]
	}
	types, none := relTypes(f.Types)
	if none {
		return out, nil
	}
	recs, err := s.read(ctx, "adjacent", `
UNWIND $ids AS id
MATCH (n:Entity {id: id})
CALL {
  WITH n
  MATCH `+adjacentPattern("n", "r", "m", f.Direction, types)+`
  WHERE ($after IS NULL OR r.id > $after)`+relFilter(f.AsOf, f.Statuses)+kindFilter(f.Kinds)+`
  RETURN r, m ORDER BY r.id LIMIT $limit
}
RETURN id, r `+relProjection+` AS rel, `+entityProjectionOf("m")+` AS other, startNode(r) = n AS out`, map[string]any{
		"ids": ids, "kinds": kindStrings(f.Kinds), "after": after,
		"asOf": asOfParam(f.AsOf), "statuses": statusesParam(f.Statuses), "limit": page.First,
	})
	if err != nil {
		return nil, err
	}
	for _, r := range recs {
		id := recStr(r, "id")
		o, _ := r.Get("out")
		isOut, _ := o.(bool)
		out[id] = append(out[id], kg.Adjacent{Rel: relFromMap(recMap(r, "rel")), Other: entityFromMap(recMap(r, "other")), Outgoing: isOut})
	}
	return out, nil
}

// CountAdjacent counts the relationships of entity id matching f.
func (s *Store) CountAdjacent(ctx context.Context, id string, f kg.RelFilter) (int, error) {
	types, none := relTypes(f.Types)
	if none {
		return 0, nil
	}
	recs, err := s.read(ctx, "countAdjacent", `
MATCH (n:Entity {id: $id})
MATCH `+adjacentPattern("n", "r", "m", f.Direction, types)+`
WHERE true`+relFilter(f.AsOf, f.Statuses)+kindFilter(f.Kinds)+`
RETURN count(r) AS c`, map[string]any{
		"id": id, "kinds": kindStrings(f.Kinds), "asOf": asOfParam(f.AsOf), "statuses": statusesParam(f.Statuses),
	})
	if err != nil {
		return 0, err
	}
	c, _ := recs[0].Get("c")
	n, _ := c.(int64)
	return int(n), nil
}

// relFilter returns the date condition on relationship r as " AND …", or ""
// without a date: every condition costs time on each relationship a query
// expands. The value travels as $asOf.
func relFilter(asOf *time.Time, statuses []kg.ClaimStatus) string {
	var out string
	if asOf != nil {
		out += " AND " + validOn
	}
	if !kg.AllStatuses(statuses) {
		out += " AND " + statusIn("r")
	}
	return out
}

// kindFilter returns the condition on node m for a kind filter, or "".
func kindFilter(kinds []kg.Kind) string {
	if len(kinds) == 0 {
		return ""
	}
	return " AND m.kind IN $kinds"
}

// EntityTree returns the entity with id (following a redirect, as
// EntitiesByIDs) and, in one statement, what each of plan's Expands finds
// from it and, recursively, from the entities reached: for every Expand the
// same page that Adjacent returns for its filter and page size. A lookup with
// typed nested fields is thus one round trip instead of one per level.
func (s *Store) EntityTree(ctx context.Context, id string, plan []kg.Expand) (kg.Entity, [][]kg.Expanded, error) {
	m, err := s.EntityTrees(ctx, []string{id}, plan)
	if err != nil {
		return kg.Entity{}, nil, err
	}
	t, ok := m[id]
	if !ok {
		return kg.Entity{}, nil, &kg.Error{Code: kg.CodeNotFound, Field: "id", Message: fmt.Sprintf("no entity with id %q", id)}
	}
	return t.Root, t.Found, nil
}

// EntityTrees answers EntityTree for several ids with one plan in one
// statement, keyed by the id asked for; missing ids are absent.
func (s *Store) EntityTrees(ctx context.Context, ids []string, plan []kg.Expand) (map[string]kg.Tree, error) {
	if n := kg.CountExpands(plan); n > kg.MaxExpands {
		return nil, kg.InvalidArg("plan", "at most %d relationship patterns in one entity tree, got %d", kg.MaxExpands, n)
	}
	st := s.treeStatements.statement(plan)
	params := maps.Clone(st.params)
	params["ids"] = ids
	recs, err := s.read(ctx, "entityTree", st.cypher, params)
	if err != nil {
		return nil, err
	}
	out := make(map[string]kg.Tree, len(recs))
	for _, r := range recs {
		found := make([][]kg.Expanded, len(plan))
		for i, name := range st.names {
			v, _ := r.Get(name)
			found[i] = expandedFrom(v, plan[i])
		}
		out[recStr(r, "id")] = kg.Tree{Root: entityFromMap(recMap(r, "n0")), Found: found}
	}
	return out, nil
}

// treeStatements keeps the entity-tree statements built so far, by plan: a
// dashboard repeats the same few shapes, and a statement is built once.
type treeStatements struct {
	mu sync.RWMutex
	m  map[string]treeStatement
}

// maxTreeStatements bounds the statements kept, as Neo4j's plan cache (1,000
// statements by default) bounds the plans it keeps.
const maxTreeStatements = 1000

func (c *treeStatements) statement(plan []kg.Expand) treeStatement {
	key := kg.PlanKey(plan)
	c.mu.RLock()
	st, ok := c.m[key]
	c.mu.RUnlock()
	if ok {
		return st
	}
	st = newTreeStatement(plan)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= maxTreeStatements {
		c.m = map[string]treeStatement{}
	}
	c.m[key] = st
	return st
}

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

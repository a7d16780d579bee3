package store

import (
	"context"
	"slices"
	"strings"
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

package store

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"unicode"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"golang.org/x/text/unicode/norm"

	"github.com/innograph/innograph/internal/kg"
)

func kindStrings(ks []kg.Kind) []string {
	out := make([]string, 0, len(ks))
	for _, k := range ks {
		out = append(out, string(k))
	}
	return out
}

func recMap(r *neo4j.Record, key string) map[string]any {
	v, _ := r.Get(key)
	m, _ := v.(map[string]any)
	return m
}

func recStr(r *neo4j.Record, key string) string {
	v, _ := r.Get(key)
	s, _ := v.(string)
	return s
}

// EntitiesByIDs returns the entities with the given ids, keyed by the id
// asked for. An id of an entity merged into another resolves to the survivor.
// Missing ids are absent from the map.
func (s *Store) EntitiesByIDs(ctx context.Context, ids []string) (map[string]kg.Entity, error) {
	out := make(map[string]kg.Entity, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	recs, err := s.read(ctx, "entitiesByIds", `
UNWIND $ids AS id
OPTIONAL MATCH (rd:Redirect {id: id})
WITH id, coalesce(rd.target, id) AS tid
MATCH (n:Entity {id: tid})
RETURN id, `+entityProjectionOf("n")+` AS n`, map[string]any{"ids": ids})
	if err != nil {
		return nil, err
	}
	for _, r := range recs {
		out[recStr(r, "id")] = entityFromMap(recMap(r, "n"))
	}
	return out, nil
}

// Entity returns one entity or a NOT_FOUND error: an entity tree with no
// plan (EntityTree), the statement the API's entity lookups send.
func (s *Store) Entity(ctx context.Context, id string) (kg.Entity, error) {
	e, _, err := s.EntityTree(ctx, id, nil)
	return e, err
}

func entityFilterParams(f kg.EntityFilter) (string, map[string]any) {
	// Predicates are added only when used, so the planner can use the
	// name/id indexes for the common unfiltered, ordered walk.
	where := []string{"n.id IS NOT NULL"}
	p := map[string]any{}
	switch len(f.Kinds) {
	case 0:
	case 1:
		// Equality lets the (kind, name) index seek and deliver name order.
		where = append(where, "n.kind = $kind")
		p["kind"] = string(f.Kinds[0])
	default:
		where = append(where, "n.kind IN $kinds")
		p["kinds"] = kindStrings(f.Kinds)
	}
	if f.NameContains != "" {
		where = append(where, "any(k IN n.nameKeys WHERE k CONTAINS $nameKey)")
		p["nameKey"] = kg.NameKey(f.NameContains)
	}
	if f.SourceID != "" {
		where = append(where, "$source IN n.sources")
		p["source"] = f.SourceID
	}
	if f.IDs != nil {
		where = append(where, "n.id IN $ids")
		p["ids"] = f.IDs
	}
	return strings.Join(where, " AND "), p
}

// ListEntities returns a keyset page of entities matching f, and whether more follow.
// Each entity comes with its cursor.
func (s *Store) ListEntities(ctx context.Context, f kg.EntityFilter, page kg.Page) ([]kg.Entity, []string, bool, error) {
	where, p := entityFilterParams(f)
	byName := f.Order == "" || f.Order == kg.OrderNameAsc || f.Order == kg.OrderNameDesc
	desc := f.Order == kg.OrderNameDesc || f.Order == kg.OrderIDDesc
	cmp, dir := ">", "ASC"
	if desc {
		cmp, dir = "<", "DESC"
	}
	order := "n.id " + dir
	if byName {
		order = "n.name " + dir + ", n.id " + dir
		where += " AND n.name IS NOT NULL"
		if len(f.Kinds) == 1 {
			// The kind is fixed: ordering by it first changes nothing but
			// matches the (kind, name) index, so Neo4j reads the page in
			// index order instead of sorting every entity of the kind
			// (220 ms → 4 ms for a page of 100k companies).
			order = "n.kind " + dir + ", " + order
		}
	}
	if page.After != "" {
		if byName {
			vals, err := kg.DecodeCursor(page.After, 2)
			if err != nil {
				return nil, nil, false, err
			}
			// Equivalent to (name, id) > (afterName, afterId), written so an index can seek on name.
			where += fmt.Sprintf(" AND n.name %s= $afterName AND (n.name %s $afterName OR n.id %s $afterId)", cmp, cmp, cmp)
			p["afterName"], p["afterId"] = vals[0], vals[1]
		} else {
			vals, err := kg.DecodeCursor(page.After, 1)
			if err != nil {
				return nil, nil, false, err
			}
			where += fmt.Sprintf(" AND n.id %s $afterId", cmp)
			p["afterId"] = vals[0]
		}
	}
	p["limit"] = page.First + 1
	// Order and limit before projecting: only the page's nodes are read whole.
	recs, err := s.read(ctx, "listEntities", "MATCH (n:Entity) WHERE "+where+" WITH n ORDER BY "+order+" LIMIT $limit RETURN "+entityProjectionOf("n")+" AS n", p)
	if err != nil {
		return nil, nil, false, err
	}
	more := len(recs) > page.First
	if more {
		recs = recs[:page.First]
	}
	ents := make([]kg.Entity, 0, len(recs))
	cursors := make([]string, 0, len(recs))
	for _, r := range recs {
		e := entityFromMap(recMap(r, "n"))
		ents = append(ents, e)
		if byName {
			cursors = append(cursors, kg.EncodeCursor(e.Name, e.ID))
		} else {
			cursors = append(cursors, kg.EncodeCursor(e.ID))
		}
	}
	return ents, cursors, more, nil
}

// CountEntities counts the entities matching f.
func (s *Store) CountEntities(ctx context.Context, f kg.EntityFilter) (int, error) {
	where, p := entityFilterParams(f)
	recs, err := s.read(ctx, "countEntities", "MATCH (n:Entity) WHERE "+where+" RETURN count(n) AS c", p)
	if err != nil {
		return 0, err
	}
	c, _ := recs[0].Get("c")
	n, _ := c.(int64)
	return int(n), nil
}

// foldText lower-cases s and strips accents: "Zürich" -> "zurich".
func foldText(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// searchTokens splits user text into plain word tokens. Every character that
// is not a letter or digit separates tokens, so Lucene syntax typed by a user
// is treated as text and can never be a syntax error.
func searchTokens(text string) []string {
	text = apostrophes.Replace(text)
	return strings.FieldsFunc(foldText(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// apostrophes are dropped so that "Chang’e" and "Chang'e" read as "change".
var apostrophes = strings.NewReplacer("'", "", "’", "", "‘", "", "ʼ", "", "`", "")

// The full-text index holds name, aliasText, searchNames and description.
// searchNames carries the name and every alias in the very form searchTokens
// gives user text (folded, apostrophes dropped), so names are matched there
// alone; name and aliasText stay indexed for Cypher users and
// @neo4j/graphql's @fulltext declaration.

// strictQuery is the Lucene query for entities matching every token: each
// token exactly or as a prefix, in a name or alias or in the description.
// Tokens in optional need not match. It has no fuzzy terms, whose automata
// are what make a query expensive.
func strictQuery(tokens []string, optional map[string]bool) string {
	var b strings.Builder
	for i, t := range tokens {
		if i > 0 {
			b.WriteByte(' ')
		}
		if !optional[t] {
			b.WriteByte('+')
		}
		if len([]rune(t)) >= 2 {
			fmt.Fprintf(&b, "(searchNames:(%s^4 OR %s*^2)^3 OR description:(%s OR %s*))", t, t, t, t)
		} else {
			fmt.Fprintf(&b, "(searchNames:(%s^4)^3 OR description:(%s))", t, t)
		}
	}
	return b.String()
}

// optionalWords returns those of tokens (text's) that the strict phase does
// not require: English stop words, which the index's analyzer leaves out,
// and words typed as Lucene field names ("name" in "name:polyu").
func optionalWords(text string, tokens []string) map[string]bool {
	opt := map[string]bool{}
	for _, t := range tokens {
		if stopWords[t] {
			opt[t] = true
		}
	}
	if strings.IndexByte(text, ':') >= 0 {
		for _, m := range fieldPrefix.FindAllStringSubmatch(text, -1) {
			for _, t := range searchTokens(m[1]) {
				opt[t] = true
			}
		}
	}
	return opt
}

// fieldPrefix matches a word typed as a Lucene field name.
var fieldPrefix = regexp.MustCompile(`([\p{L}\p{N}]+):`)

// stopWords are the English stop words of Lucene's standard analyzer.
var stopWords = map[string]bool{
	"a": true, "an": true, "and": true, "are": true, "as": true, "at": true, "be": true, "but": true,
	"by": true, "for": true, "if": true, "in": true, "into": true, "is": true, "it": true, "no": true,
	"not": true, "of": true, "on": true, "or": true, "such": true, "that": true, "the": true,
	"their": true, "then": true, "there": true, "these": true, "they": true, "this": true, "to": true,
	"was": true, "will": true, "with": true,
}

// looseQuery is the forgiving Lucene query for entities matching any token:
// in names and aliases exactly, as a prefix or, when the token is long
// enough, within one or two edits; in descriptions exactly or as a prefix.
func looseQuery(tokens []string) string {
	names := make([]string, 0, len(tokens))
	desc := make([]string, 0, len(tokens))
	for _, t := range tokens {
		n := len([]rune(t))
		alts := []string{t + "^4"}
		d := t
		if n >= 2 {
			alts = append(alts, t+"*^2")
			d += " OR " + t + "*"
		}
		switch {
		case n >= 8:
			alts = append(alts, t+"~2")
		case n >= 4:
			alts = append(alts, t+"~1")
		}
		names = append(names, "("+strings.Join(alts, " OR ")+")")
		desc = append(desc, "("+d+")")
	}
	return "searchNames:(" + strings.Join(names, " ") + ")^3 OR description:(" + strings.Join(desc, " ") + ")"
}

// maxSearchTokens bounds the words of a search that reach Lucene.
const maxSearchTokens = 16

// searchWords returns the tokens of text that reach Lucene.
func searchWords(text string) []string {
	tokens := searchTokens(text)
	return tokens[:min(len(tokens), maxSearchTokens)]
}

// luceneQueries returns the strict and loose queries for text, whose tokens
// (searchWords) are given.
func luceneQueries(text string, tokens []string) (strict, loose string) {
	return strictQuery(tokens, optionalWords(text, tokens)), looseQuery(tokens)
}

// LuceneQueries returns the Lucene queries of Search's strict and loose
// phases for text, for clients of the same full-text index (the benchmark
// gives them to @neo4j/graphql). Both are "" when text has no words.
func LuceneQueries(text string) (strict, loose string) {
	tokens := searchWords(text)
	if len(tokens) == 0 {
		return "", ""
	}
	return luceneQueries(text, tokens)
}

// Search runs a full-text search in one statement of up to two phases.
// The strict phase finds entities matching every word (exactly or as a
// prefix); only when it finds none does the loose phase run, which also
// accepts entities matching some of the words, or names within an edit or
// two. So "Alfred Sit" finds Alfred Sit alone, not every Alfred, while
// "Alfred Sitt" finds him among others. A hit's score is its tier plus its
// Lucene relevance relative to the phase's best hit, scaled below 1: an
// entity matching every word is in tier 1, the others in tier 0, and an
// exact name or alias adds 1, so exact matches score from 2, other entities
// matching every word from 1.
// Equal scores (prefix matches score alike) put the shortest name first, of
// which the words typed are the larger part.
//
// Most searches name what they look for, so the strict phase answers them
// alone. Measured over 300 benchmark search terms, one at a time: the strict
// query took 1.5 ms at 10k entities and 2.4 ms at 1M, the loose one 2.8 and
// 4.9 ms, and the single forgiving query this replaced (every name field
// and the description, fuzzy terms in each) 6.7 and 9.8 ms.
func (s *Store) Search(ctx context.Context, text string, kinds []kg.Kind, first int) ([]kg.SearchHit, error) {
	if len(text) > kg.MaxSearchText {
		return nil, kg.InvalidArg("query", "search text is %d bytes; at most %d allowed", len(text), kg.MaxSearchText)
	}
	tokens := searchWords(text)
	if len(tokens) == 0 {
		return nil, kg.InvalidArg("query", "search text needs at least one letter or digit")
	}
	strict, loose := luceneQueries(text, tokens)
	release, err := s.searchSlot(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	recs, err := s.read(ctx, "search", searchStatement, map[string]any{
		"index": SearchIndex, "strict": strict, "loose": loose,
		"fetch": first*4 + 50, "kinds": kindStrings(kinds), "key": kg.NameKey(text), "first": first,
	})
	if err != nil {
		return nil, err
	}
	hits := make([]kg.SearchHit, 0, len(recs))
	for _, r := range recs {
		e := entityFromMap(recMap(r, "n"))
		sc, _ := r.Get("score")
		f, _ := sc.(float64)
		hits = append(hits, kg.SearchHit{Entity: e, Score: f, MatchedName: matchedName(e, tokens)})
	}
	return hits, nil
}

// searchSlot waits for a turn to run a search in Neo4j, with
// Config.SearchConcurrency, and returns the function that gives it back.
// Waiters are served in order (a channel's blocked senders queue first in,
// first out). A full-text query is CPU work in Neo4j: 32 of them at once on
// a small server share its cores, and the unlucky ones wait behind every
// other, so the tail grows long. Taking turns keeps the throughput and
// evens the waits: with every search a miss, at c=32 on 2 cores, 8 at once
// cut the p99 by a third (65–69 → 43–46 ms) for 2 % of the throughput.
func (s *Store) searchSlot(ctx context.Context) (func(), error) {
	if s.searchSlots == nil {
		return func() {}, nil
	}
	select {
	case s.searchSlots <- struct{}{}:
		return func() { <-s.searchSlots }, nil
	case <-ctx.Done():
		return nil, s.translate(ctx, "search", ctx.Err())
	}
}

// searchStatement is Search's Cypher. The loose phase's subquery ends in an
// aggregation, so it yields one row (an empty list) when its guard fails.
// Lucene yields hits best first, so a phase's first hit has its top score.
var searchStatement = `
CALL db.index.fulltext.queryNodes($index, $strict, {limit: $fetch}) YIELD node, score
WHERE $kinds = [] OR node.kind IN $kinds
WITH collect({node: node, score: score}) AS strict
CALL (strict) {
  WITH strict WHERE size(strict) = 0
  CALL db.index.fulltext.queryNodes($index, $loose, {limit: $fetch}) YIELD node, score
  WHERE $kinds = [] OR node.kind IN $kinds
  RETURN collect({node: node, score: score}) AS loose
}
WITH strict, loose,
     CASE WHEN size(strict) > 0 AND strict[0].score > 0 THEN strict[0].score ELSE 1.0 END AS smax,
     CASE WHEN size(loose) > 0 AND loose[0].score > 0 THEN loose[0].score ELSE 1.0 END AS lmax
UNWIND [h IN strict | {node: h.node, score: 1.0 + 0.99 * h.score / smax}] +
       [h IN loose | {node: h.node, score: 0.99 * h.score / lmax}] AS h
WITH h.node AS node, h.score + CASE WHEN $key IN h.node.nameKeys THEN 1.0 ELSE 0.0 END AS score
RETURN ` + entityProjectionOf("node") + ` AS n, score
ORDER BY score DESC, size(node.name) ASC, node.name ASC, node.id ASC
LIMIT $first`

// matchedName picks the name or alias sharing the most tokens with the query.
func matchedName(e kg.Entity, tokens []string) string {
	best, bestN := "", 0
	for _, n := range append([]string{e.Name}, e.Aliases...) {
		words := searchTokens(n)
		c := 0
		for _, t := range tokens {
			for _, w := range words {
				if strings.HasPrefix(w, t) {
					c++
					break
				}
			}
		}
		if c > bestN {
			best, bestN = n, c
		}
	}
	return best
}

// EntityIDs returns the set of every entity id (and redirect id) in the graph.
func (s *Store) EntityIDs(ctx context.Context) (map[string]bool, error) {
	recs, err := s.read(ctx, "entityIds", "MATCH (n) WHERE n:Entity OR n:Redirect RETURN n.id AS id", nil)
	if err != nil {
		return nil, err
	}
	out := make(map[string]bool, len(recs))
	for _, r := range recs {
		out[recStr(r, "id")] = true
	}
	return out, nil
}

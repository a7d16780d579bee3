package store

import (
	"context"

	"github.com/innograph/innograph/internal/kg"
)

// Sources returns a keyset page of source documents ordered by id.
func (s *Store) Sources(ctx context.Context, page kg.Page) ([]kg.Source, []string, bool, error) {
	p := map[string]any{"limit": page.First + 1, "after": nil}
	if page.After != "" {
		vals, err := kg.DecodeCursor(page.After, 1)
		if err != nil {
			return nil, nil, false, err
		}
		p["after"] = vals[0]
	}
	recs, err := s.read(ctx, "sources", "MATCH (s:Source) WHERE $after IS NULL OR s.id > $after RETURN "+sourceProjection+" AS s ORDER BY s.id LIMIT $limit", p)
	if err != nil {
		return nil, nil, false, err
	}
	more := len(recs) > page.First
	if more {
		recs = recs[:page.First]
	}
	var out []kg.Source
	var cursors []string
	for _, r := range recs {
		src := sourceFromMap(recMap(r, "s"))
		out = append(out, src)
		cursors = append(cursors, kg.EncodeCursor(src.ID))
	}
	return out, cursors, more, nil
}

// CountSources counts source documents.
func (s *Store) CountSources(ctx context.Context) (int, error) {
	recs, err := s.read(ctx, "countSources", "MATCH (s:Source) RETURN count(s) AS c", nil)
	if err != nil {
		return 0, err
	}
	c, _ := recs[0].Get("c")
	n, _ := c.(int64)
	return int(n), nil
}

// SourcesByIDs returns sources keyed by id.
func (s *Store) SourcesByIDs(ctx context.Context, ids []string) (map[string]kg.Source, error) {
	out := map[string]kg.Source{}
	if len(ids) == 0 {
		return out, nil
	}
	recs, err := s.read(ctx, "sourcesByIds", "UNWIND $ids AS id MATCH (s:Source {id: id}) RETURN "+sourceProjection+" AS s", map[string]any{"ids": ids})
	if err != nil {
		return nil, err
	}
	for _, r := range recs {
		src := sourceFromMap(recMap(r, "s"))
		out[src.ID] = src
	}
	return out, nil
}

// SourceFacts returns a keyset page of the relationships a source supports.
func (s *Store) SourceFacts(ctx context.Context, sourceID string, page kg.Page) ([]kg.Relationship, []string, bool, error) {
	p := map[string]any{"source": sourceID, "limit": page.First + 1, "after": nil}
	if page.After != "" {
		vals, err := kg.DecodeCursor(page.After, 1)
		if err != nil {
			return nil, nil, false, err
		}
		p["after"] = vals[0]
	}
	recs, err := s.read(ctx, "sourceFacts", `
MATCH (:Entity)-[r]->(:Entity) WHERE $source IN r.sourceIds AND ($after IS NULL OR r.id > $after)
RETURN r `+relProjection+` AS r ORDER BY r.id LIMIT $limit`, p)
	if err != nil {
		return nil, nil, false, err
	}
	more := len(recs) > page.First
	if more {
		recs = recs[:page.First]
	}
	var out []kg.Relationship
	var cursors []string
	for _, r := range recs {
		rel := relFromMap(recMap(r, "r"))
		out = append(out, rel)
		cursors = append(cursors, kg.EncodeCursor(rel.ID))
	}
	return out, cursors, more, nil
}

// CountSourceFacts counts the relationships a source supports.
func (s *Store) CountSourceFacts(ctx context.Context, sourceID string) (int, error) {
	recs, err := s.read(ctx, "countSourceFacts", "MATCH (:Entity)-[r]->(:Entity) WHERE $source IN r.sourceIds RETURN count(r) AS c", map[string]any{"source": sourceID})
	if err != nil {
		return 0, err
	}
	c, _ := recs[0].Get("c")
	n, _ := c.(int64)
	return int(n), nil
}

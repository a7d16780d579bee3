package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/innograph/innograph/internal/kg"
)

// SearchIndex is the name of the full-text index over entity names, aliases
// and descriptions.
const SearchIndex = "entity_search"

// migrations are idempotent schema statements applied in order.
func migrations() []struct{ name, cypher string } {
	m := []struct{ name, cypher string }{
		{"entity_id_unique", "CREATE CONSTRAINT entity_id_unique IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE"},
		{"source_id_unique", "CREATE CONSTRAINT source_id_unique IF NOT EXISTS FOR (n:Source) REQUIRE n.id IS UNIQUE"},
		{"funding_id_unique", "CREATE CONSTRAINT funding_id_unique IF NOT EXISTS FOR (n:Funding) REQUIRE n.id IS UNIQUE"},
		{"redirect_id_unique", "CREATE CONSTRAINT redirect_id_unique IF NOT EXISTS FOR (n:Redirect) REQUIRE n.id IS UNIQUE"},
		{"change_id_unique", "CREATE CONSTRAINT change_id_unique IF NOT EXISTS FOR (n:Change) REQUIRE n.id IS UNIQUE"},
		{"change_idempotency_unique", "CREATE CONSTRAINT change_idempotency_unique IF NOT EXISTS FOR (n:Change) REQUIRE n.idempotencyKey IS UNIQUE"},
		{"idempotency_key_unique", "CREATE CONSTRAINT idempotency_key_unique IF NOT EXISTS FOR (n:IdempotencyKey) REQUIRE n.key IS UNIQUE"},
		{"graph_version_unique", "CREATE CONSTRAINT graph_version_unique IF NOT EXISTS FOR (n:GraphVersion) REQUIRE n.id IS UNIQUE"},
		// The ingestion workbench (ingest.go).
		{"suggestion_id_unique", "CREATE CONSTRAINT suggestion_id_unique IF NOT EXISTS FOR (n:Suggestion) REQUIRE n.id IS UNIQUE"},
		{"ingest_key_unique", "CREATE CONSTRAINT ingest_key_unique IF NOT EXISTS FOR (n:IngestKey) REQUIRE n.key IS UNIQUE"},
		{"source_digest", "CREATE INDEX source_digest IF NOT EXISTS FOR (n:Source) ON (n.digest)"},
		// Merges re-point and deletes remove the redirects to an entity.
		{"redirect_target", "CREATE INDEX redirect_target IF NOT EXISTS FOR (n:Redirect) ON (n.target)"},
		{"change_sortkey", "CREATE INDEX change_sortkey IF NOT EXISTS FOR (n:Change) ON (n.sortKey)"},
		{"change_entityids", "CREATE INDEX change_entityids IF NOT EXISTS FOR (n:Change) ON (n.entityIds)"},
		{"entity_name", "CREATE INDEX entity_name IF NOT EXISTS FOR (n:Entity) ON (n.name)"},
		{"entity_kind", "CREATE INDEX entity_kind IF NOT EXISTS FOR (n:Entity) ON (n.kind)"},
		{"entity_kind_name", "CREATE INDEX entity_kind_name IF NOT EXISTS FOR (n:Entity) ON (n.kind, n.name)"},
		{"entity_namekeys", "CREATE INDEX entity_namekeys IF NOT EXISTS FOR (n:Entity) ON (n.nameKeys)"},
		{"funding_funder", "CREATE INDEX funding_funder IF NOT EXISTS FOR (n:Funding) ON (n.funder)"},
		{"funding_programme", "CREATE INDEX funding_programme IF NOT EXISTS FOR (n:Funding) ON (n.programme)"},
		{"funding_recipients", "CREATE INDEX funding_recipients IF NOT EXISTS FOR (n:Funding) ON (n.recipients)"},
		{SearchIndex, "CREATE FULLTEXT INDEX " + SearchIndex + " IF NOT EXISTS FOR (n:Entity) ON EACH [" + searchIndexProps + "] " +
			"OPTIONS {indexConfig: {`fulltext.analyzer`: 'standard-folding', `fulltext.eventually_consistent`: false}}"},
	}
	for _, t := range kg.RelTypes {
		name := "rel_" + strings.ToLower(string(t.Type)) + "_id"
		m = append(m, struct{ name, cypher string }{name,
			fmt.Sprintf("CREATE INDEX %s IF NOT EXISTS FOR ()-[r:%s]-() ON (r.id)", name, t.Type)})
	}
	return m
}

// searchIndexProps are the properties the full-text index covers.
const searchIndexProps = "n.name, n.aliasText, n.searchNames, n.description"

// Migrate applies the schema: uniqueness constraints, range indexes and the
// full-text index, then waits for the indexes to come online. A full-text
// index whose properties differ from the current definition is rebuilt.
func (s *Store) Migrate(ctx context.Context) error {
	recs, err := s.read(ctx, "migrate:inspect", "SHOW FULLTEXT INDEXES YIELD name, properties WHERE name = $name RETURN properties", map[string]any{"name": SearchIndex})
	if err != nil {
		return fmt.Errorf("inspecting indexes: %w", err)
	}
	if len(recs) == 1 {
		props, _ := recs[0].Get("properties")
		want := strings.ReplaceAll(strings.ReplaceAll(searchIndexProps, "n.", ""), " ", "")
		if strings.Join(toStrings(props), ",") != want {
			if _, err := s.write(ctx, "migrate:drop-search", "DROP INDEX "+SearchIndex, nil); err != nil {
				return err
			}
		}
	}
	for _, m := range migrations() {
		if _, err := s.write(ctx, "migrate:"+m.name, m.cypher, nil); err != nil {
			return fmt.Errorf("migration %s: %w", m.name, err)
		}
	}
	_, err = s.write(ctx, "migrate:await", "CALL db.awaitIndexes(120)", nil)
	return err
}

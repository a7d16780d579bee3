package store

import (
	"context"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// ReadRaw runs any read query, for tests that need a slow one.
func (s *Store) ReadRaw(ctx context.Context, cypher string) ([]*neo4j.Record, error) {
	return s.read(ctx, "test", cypher, nil)
}

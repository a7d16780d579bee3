package store

import (
	"context"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/innograph/innograph/internal/kg"
)

// ReadRaw runs any read query, for tests that need a slow one.
func (s *Store) ReadRaw(ctx context.Context, cypher string) ([]*neo4j.Record, error) {
	return s.read(ctx, "test", cypher, nil)
}

// PathsFrom runs the path search of q from one end: from q.To and reversed
// back when fromTo is false, for tests that need both directions answered.
func (s *Store) PathsFrom(ctx context.Context, q kg.PathQuery, fromTo bool) ([]kg.Path, error) {
	ends, err := s.pathEnds(ctx, q.From, q.To)
	if err != nil {
		return nil, err
	}
	types, _ := relTypes(q.Types)
	return s.shortestPaths(ctx, q, ends[q.From].ID, ends[q.To].ID, types, !fromTo)
}

package store

import (
	"context"
	"fmt"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/innograph/innograph/internal/kg"
)

// ReadRaw runs any read query, for tests that need a slow one.
func (s *Store) ReadRaw(ctx context.Context, cypher string) ([]*neo4j.Record, error) {
	return s.read(ctx, "test", cypher, nil)
}

// PathsBySHORTEST answers q with Neo4j's own SHORTEST k search from the
// from end (what Paths ran before it met in the middle), as the reference
// that Paths' answers are checked against.
func (s *Store) PathsBySHORTEST(ctx context.Context, q kg.PathQuery) ([]kg.Path, error) {
	types, _ := relTypes(q.Types)
	arrow := "-"
	if q.Directed {
		arrow = "->"
	}
	where := ""
	if q.AsOf != nil {
		where = " WHERE " + validOn
	}
	cypher := fmt.Sprintf(`
MATCH (a:Entity {id: $from}), (b:Entity {id: $to})
MATCH p = SHORTEST %d ((a)((x:Entity)-[r%s]%s(y:Entity)%s){1,%d}(b)
  WHERE all(i IN range(0, size(x) - 1) WHERE NOT x[i] IN x[i+1..]) AND NOT b IN x)
RETURN [n IN nodes(p) | n {.*}] AS nodes, [r IN relationships(p) | r %s] AS rels`,
		q.K, types, arrow, where, q.MaxHops, relProjection)
	recs, err := s.read(ctx, "pathsReference", cypher, map[string]any{"from": q.From, "to": q.To, "asOf": asOfParam(q.AsOf)})
	if err != nil {
		return nil, err
	}
	var ps []kg.Path
	for _, r := range recs {
		ps = append(ps, pathFromMap(r.AsMap()))
	}
	return ps, nil
}

// SearchTokens exposes searchTokens: tests check hits against the words
// searched for as Search sees them.
var SearchTokens = searchTokens

// OptionalWords exposes optionalWords: the words a hit matching every word
// may lack.
func OptionalWords(text string) map[string]bool { return optionalWords(text, searchTokens(text)) }

// ReadParams runs any read query with parameters.
func (s *Store) ReadParams(ctx context.Context, cypher string, params map[string]any) ([]*neo4j.Record, error) {
	return s.read(ctx, "test", cypher, params)
}

// WriteTxRaw runs cypher in a write transaction, without bumping the graph
// version.
func (s *Store) WriteTxRaw(ctx context.Context, cypher string) error {
	_, err := s.writeTxBump(ctx, "test", s.cfg.TxTimeout, false, func(tx neo4j.ManagedTransaction) (any, error) {
		return nil, txRun(ctx, tx, cypher, nil)
	})
	return err
}

// WriteRaw runs cypher as write does (a managed transaction, as for schema
// statements).
func (s *Store) WriteRaw(ctx context.Context, cypher string) error {
	_, err := s.write(ctx, "test", cypher, nil)
	return err
}

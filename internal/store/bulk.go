package store

import (
	"context"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/innograph/innograph/internal/kg"
)

// The bulk loader writes large synthetic graphs (benchmarks) into an empty
// database: one transaction per batch, UNWIND $rows, CREATE instead of MERGE.
// It produces exactly the property layout of Import (entityProps, relProps,
// fundingProps, the aliasText and version Import sets), so every read query
// works on bulk-loaded data.

// BulkEmpty reports whether the database holds no entities, sources or fundings.
func (s *Store) BulkEmpty(ctx context.Context) (bool, error) {
	recs, err := s.read(ctx, "bulkEmpty", "OPTIONAL MATCH (n) WHERE n:Entity OR n:Source OR n:Funding RETURN count(n) > 0 AS any LIMIT 1", nil)
	if err != nil {
		return false, err
	}
	v, _ := recs[0].Get("any")
	b, _ := v.(bool)
	return !b, nil
}

// BulkWipe deletes every node and relationship, in batches.
func (s *Store) BulkWipe(ctx context.Context) error {
	sess := s.driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: s.cfg.Database, AccessMode: neo4j.AccessModeWrite})
	defer sess.Close(ctx)
	// CALL … IN TRANSACTIONS needs an implicit (auto-commit) transaction.
	res, err := sess.Run(ctx, "MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS", nil, neo4j.WithTxTimeout(time.Hour))
	if err != nil {
		return s.translate(ctx, "bulkWipe", err)
	}
	if _, err := res.Consume(ctx); err != nil {
		return s.translate(ctx, "bulkWipe", err)
	}
	s.localVersion.Add(1)
	return nil
}

// WarmPageCache reads every node's and relationship's properties and the
// main indexes once, so that Neo4j's page cache holds them before a
// benchmark measures (a query that meets a cold page waits on the disk, and
// whichever system is measured first would pay for all). It first waits for
// index population after a load to finish. It runs in one read session with
// an hour's transaction timeout and returns how many properties it read; on
// the 1M-entity graph it takes 10–35 s.
func (s *Store) WarmPageCache(ctx context.Context) (int64, error) {
	sess := s.driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: s.cfg.Database, AccessMode: neo4j.AccessModeRead})
	defer sess.Close(ctx)
	var total int64
	for _, q := range []string{
		"CALL db.awaitIndexes(3600) RETURN 0 AS c",
		"MATCH (n) RETURN sum(size(keys(properties(n)))) AS c",
		"MATCH ()-[r]->() RETURN sum(size(keys(properties(r)))) AS c",
		// Index scans read every leaf page of the indexes that lookups,
		// lists and fundings seek.
		"MATCH (n:Entity) WHERE n.id IS NOT NULL RETURN count(n.id) AS c",
		"MATCH (n:Entity) WHERE n.kind IS NOT NULL AND n.name IS NOT NULL RETURN count(n.name) AS c",
		"MATCH (n:Entity) WHERE n.name IS NOT NULL RETURN count(n.name) AS c",
		"MATCH (f:Funding) WHERE f.funder IS NOT NULL RETURN count(f.funder) AS c",
		"MATCH (f:Funding) WHERE f.id IS NOT NULL RETURN count(f.id) AS c",
	} {
		res, err := sess.Run(ctx, q, nil, neo4j.WithTxTimeout(time.Hour))
		if err != nil {
			return total, s.translate(ctx, "warmPageCache", err)
		}
		rec, err := res.Single(ctx)
		if err != nil {
			return total, s.translate(ctx, "warmPageCache", err)
		}
		n, _ := rec.Get("c")
		c, _ := n.(int64)
		total += c
	}
	return total, nil
}

// BulkSources creates source nodes.
func (s *Store) BulkSources(ctx context.Context, srcs []kg.Source) error {
	rows := make([]map[string]any, 0, len(srcs))
	for _, src := range srcs {
		p := map[string]any{"id": src.ID, "file": src.File, "title": src.Title, "publisher": nilIfEmpty(src.Publisher),
			"author": nilIfEmpty(src.Author), "url": nilIfEmpty(src.URL), "published": nil}
		if src.Published != nil {
			p["published"] = src.Published.String()
		}
		rows = append(rows, p)
	}
	_, err := s.writeTxBump(ctx, "bulkSources", 10*time.Minute, false, func(tx neo4j.ManagedTransaction) (any, error) {
		return nil, txRun(ctx, tx, `UNWIND $rows AS r CREATE (s:Source) SET s = r`, map[string]any{"rows": rows})
	})
	return err
}

// BulkEntities creates entities, one statement per kind in one transaction.
func (s *Store) BulkEntities(ctx context.Context, es []kg.Entity) error {
	byKind := map[kg.Kind][]map[string]any{}
	for i := range es {
		e := &es[i]
		if !e.Kind.Valid() {
			return kg.Errorf(kg.CodeInvalid, "entity %q: unknown kind %q", e.ID, e.Kind)
		}
		p := entityProps(e)
		// Import recomputes aliasText with a trailing separator; match it exactly.
		var at strings.Builder
		for _, a := range p["aliases"].([]string) {
			at.WriteString(a + " ; ")
		}
		p["aliasText"] = at.String()
		p["sources"] = orEmpty(e.Sources)
		p["version"] = int64(1)
		byKind[e.Kind] = append(byKind[e.Kind], p)
	}
	_, err := s.writeTxBump(ctx, "bulkEntities", 10*time.Minute, false, func(tx neo4j.ManagedTransaction) (any, error) {
		for _, ki := range kg.Kinds {
			rows := byKind[ki.Kind]
			if len(rows) == 0 {
				continue
			}
			if err := txRun(ctx, tx, `UNWIND $rows AS r CREATE (n:Entity:`+ki.Label+`) SET n = r, n.createdAt = datetime()`,
				map[string]any{"rows": rows}); err != nil {
				return nil, err
			}
		}
		return nil, nil
	})
	return err
}

// BulkFundings creates funding records (not their FUNDS edges: those come as
// relationships with a FundingID, as Import derives them).
func (s *Store) BulkFundings(ctx context.Context, fs []kg.Funding) error {
	rows := make([]map[string]any, 0, len(fs))
	for i := range fs {
		rows = append(rows, fundingProps(&fs[i]))
	}
	_, err := s.writeTxBump(ctx, "bulkFundings", 10*time.Minute, false, func(tx neo4j.ManagedTransaction) (any, error) {
		return nil, txRun(ctx, tx, `UNWIND $rows AS r CREATE (f:Funding) SET f = r`, map[string]any{"rows": rows})
	})
	return err
}

// BulkRelationships creates relationships between existing entities, one
// statement per type in one transaction. A relationship whose endpoint is
// missing is an error.
func (s *Store) BulkRelationships(ctx context.Context, rs []kg.Relationship) error {
	byType := map[kg.RelType][]map[string]any{}
	for i := range rs {
		r := &rs[i]
		if !r.Type.Valid() {
			return kg.Errorf(kg.CodeInvalid, "relationship %q: unknown type %q", r.ID, r.Type)
		}
		byType[r.Type] = append(byType[r.Type], map[string]any{"from": r.From, "to": r.To, "props": relProps(r)})
	}
	_, err := s.writeTxBump(ctx, "bulkRelationships", 10*time.Minute, false, func(tx neo4j.ManagedTransaction) (any, error) {
		for _, ti := range kg.RelTypes {
			rows := byType[ti.Type]
			if len(rows) == 0 {
				continue
			}
			res, err := tx.Run(ctx, `UNWIND $rows AS r
MATCH (a:Entity {id: r.from})
MATCH (b:Entity {id: r.to})
CREATE (a)-[x:`+string(ti.Type)+`]->(b) SET x = r.props
RETURN count(x) AS n`, map[string]any{"rows": rows})
			if err != nil {
				return nil, err
			}
			rec, err := res.Single(ctx)
			if err != nil {
				return nil, err
			}
			n, _ := rec.Get("n")
			if c, _ := n.(int64); int(c) != len(rows) {
				return nil, kg.InvalidArg("relationships", "%d of %d %s relationships in a batch have an endpoint the graph does not have; the batch was not written",
					len(rows)-int(c), len(rows), ti.Type)
			}
		}
		return nil, nil
	})
	return err
}

// ServerVersion returns the Neo4j version and edition, for benchmark reports.
func (s *Store) ServerVersion(ctx context.Context) (string, error) {
	recs, err := s.read(ctx, "serverVersion", "CALL dbms.components() YIELD versions, edition RETURN versions[0] + ' ' + edition AS v", nil)
	if err != nil || len(recs) == 0 {
		return "", err
	}
	return recStr(recs[0], "v"), nil
}

// BulkMarker returns the marker a finished bulk load leaves (the generated
// graph's fingerprint), or "" when there is none.
func (s *Store) BulkMarker(ctx context.Context) (string, error) {
	recs, err := s.read(ctx, "bulkMarker", "OPTIONAL MATCH (m:BenchGraph) RETURN m.fingerprint AS f LIMIT 1", nil)
	if err != nil || len(recs) == 0 {
		return "", err
	}
	return recStr(recs[0], "f"), nil
}

// SetBulkMarker records that the graph with this fingerprint is fully
// loaded; its transaction bumps the graph version once for the whole load.
func (s *Store) SetBulkMarker(ctx context.Context, fingerprint string) error {
	_, err := s.writeTx(ctx, "setBulkMarker", s.cfg.TxTimeout, func(tx neo4j.ManagedTransaction) (any, error) {
		return nil, txRun(ctx, tx, "MERGE (m:BenchGraph) SET m.fingerprint = $f, m.loadedAt = datetime()", map[string]any{"f": fingerprint})
	})
	return err
}

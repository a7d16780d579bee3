package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/innograph/innograph/internal/neo4jtest"
	"github.com/innograph/innograph/internal/store"
)

// TestFailedConnectionIsNotPassedOn checks that a statement Neo4j rejects
// as an invalid request does not fail the next statement, whichever kind it
// is. The driver returns such a connection to the pool unreset, and the
// next statement given it failed with "invalid state 4"; with one
// connection in the pool, the next statement always gets it.
func TestFailedConnectionIsNotPassedOn(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	neo4jtest.Store(t) // up, migrated and seeded
	cfg, err := neo4jtest.Config(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cfg.MaxPoolSize = 1
	st, err := store.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close(ctx)
	// A datetime with an offset other than UTC: Neo4j 5.26 refuses it as
	// Neo.ClientError.Request.Invalid.
	bad := map[string]any{"t": time.Date(2026, 1, 31, 12, 0, 0, 0, time.FixedZone("HKT", 8*3600))}
	for _, next := range []struct {
		name string
		run  func() error
	}{
		{"auto-commit read", func() error { _, err := st.Entity(ctx, "polyu"); return err }},
		{"write transaction", func() error { return st.WriteTxRaw(ctx, "RETURN 1") }},
		{"managed write", func() error { return st.WriteRaw(ctx, "RETURN 1") }},
	} {
		t.Run(next.name, func(t *testing.T) {
			if _, err := st.ReadParams(ctx, "RETURN $t AS t", bad); err == nil {
				t.Fatal("Neo4j accepted the parameter this test relies on it refusing; find another")
			}
			if err := next.run(); err != nil {
				t.Errorf("the statement after a refused one: %v", err)
			}
		})
	}
}

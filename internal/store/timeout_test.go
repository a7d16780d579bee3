package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/innograph/innograph/internal/kg"
	"github.com/innograph/innograph/internal/neo4jtest"
	"github.com/innograph/innograph/internal/store"
)

// The Neo4j transaction timeout stops a query on the server: the caller gets
// TIMEOUT soon after the bound, and the transaction is gone from Neo4j.
func TestTxTimeoutStopsTheQueryOnTheServer(t *testing.T) {
	ctx := context.Background()
	cfg, err := neo4jtest.Config(ctx)
	if err != nil {
		t.Fatalf("FATAL: %v", err)
	}
	cfg.TxTimeout = 500 * time.Millisecond
	s, err := store.Open(ctx, cfg)
	if err != nil {
		t.Fatalf("FATAL: integration tests need a real Neo4j: %v", err)
	}
	defer s.Close(ctx)
	start := time.Now()
	// Counting to ten billion takes minutes.
	_, err = s.ReadRaw(ctx, "UNWIND range(1, 10000000000) AS x WITH x WHERE x % 7 = 0 RETURN count(x)")
	took := time.Since(start)
	var ke *kg.Error
	if !errors.As(err, &ke) || ke.Code != kg.CodeTimeout {
		t.Fatalf("err = %v, want TIMEOUT", err)
	}
	if took > 10*time.Second {
		t.Errorf("the timeout of 500ms took %v to act", took)
	}
	// The pattern is split so that this query does not match itself.
	var n int64 = -1
	for i := 0; i < 20 && n != 0; i++ {
		recs, err := s.ReadRaw(ctx, "SHOW TRANSACTIONS YIELD currentQuery WHERE currentQuery CONTAINS 'x % ' + '7 = 0' RETURN count(*) AS n")
		if err != nil {
			t.Fatal(err)
		}
		v, _ := recs[0].Get("n")
		if n = v.(int64); n != 0 {
			time.Sleep(100 * time.Millisecond)
		}
	}
	if n != 0 {
		t.Errorf("%d transactions still run the query 2s after its timeout", n)
	}
	t.Logf("a 500ms transaction timeout answered TIMEOUT after %v", took.Round(time.Millisecond))
}

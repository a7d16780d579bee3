package store_test

import (
	"testing"

	"github.com/innograph/innograph/internal/neo4jtest"
)

// WarmPageCache reads every property of every node and relationship once
// (and scans the main indexes), so the count it returns is at least the
// number of node and relationship properties in the database.
func TestWarmPageCache(t *testing.T) {
	st := neo4jtest.Store(t)
	ctx := ctxT(t)
	n, err := st.WarmPageCache(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rows := raw(t, `CALL () { MATCH (n) RETURN sum(size(keys(n))) AS c UNION ALL MATCH ()-[r]->() RETURN sum(size(keys(r))) AS c }
RETURN sum(c) AS props`, nil)
	props, _ := rows[0]["props"].(int64)
	if props == 0 || n < props {
		t.Errorf("WarmPageCache read %d properties; the database holds %d", n, props)
	}
}

package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/innograph/innograph/internal/kg"
	"github.com/innograph/innograph/internal/neo4jtest"
)

// sortKeyLayout is the time part of an audit entry's sortKey.
const sortKeyLayout = "2006-01-02T15:04:05.000000000Z"

// dbNow reads the database's clock.
func dbNow(t *testing.T) time.Time {
	t.Helper()
	v, _ := cypher(t, "RETURN datetime() AS now", nil)[0].Get("now")
	return v.(time.Time)
}

// auditOf returns the audit entries about entity, newest first, as stored.
func auditOf(t *testing.T, entity string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, r := range cypher(t, `MATCH (c:Change) WHERE $id IN c.entityIds
RETURN c.id AS id, c.at AS at, c.sortKey AS sortKey, c.op AS op ORDER BY c.sortKey DESC`, map[string]any{"id": entity}) {
		out = append(out, r.AsMap())
	}
	return out
}

// TestAuditEntriesCarryDatabaseTime shows that audit entries are stamped by
// the database inside the change's transaction, and that the log's order is
// the commit order even when the newest entry carries a later time than the
// database's clock: an entry a server with a clock a minute ahead wrote
// (as releases that stamped entries with the server's clock did), or one
// from before the database's clock stepped back. Stamped with the server's
// clock, the later changes would sort below that entry, and a reader of
// changes(since:) that had seen it would miss them.
func TestAuditEntriesCarryDatabaseTime(t *testing.T) {
	st := neo4jtest.Store(t)
	ctx := context.Background()
	cleanupPrefix(t, "zz-w-clock")
	const id = "zz-w-clock-a"

	before := dbNow(t)
	if _, err := st.CreateEntity(ctx, kg.Entity{ID: id, Kind: kg.KindCompany, Name: "ZZ Clock Robotics"}, meta(curator, "")); err != nil {
		t.Fatal(err)
	}
	after := dbNow(t)
	log := auditOf(t, id)
	if len(log) != 1 {
		t.Fatalf("audit entries after create: %v", log)
	}
	// Neo4j's clock counts milliseconds; a change committed within the
	// millisecond of the one before it is stamped nanoseconds after it.
	created := log[0]["at"].(time.Time)
	if created.Before(before) || created.Truncate(time.Millisecond).After(after) {
		t.Errorf("created at %s, not within the database's time around the change [%s, %s]", created, before, after)
	}
	if want := created.UTC().Format(sortKeyLayout) + "|" + log[0]["id"].(string); log[0]["sortKey"] != want {
		t.Errorf("sortKey %q, want %q", log[0]["sortKey"], want)
	}

	// An entry stamped a minute ahead of the database's clock.
	ahead := dbNow(t).Add(time.Minute).UTC()
	cypher(t, `CREATE (c:Change {id: 'zz-w-clock-ahead', at: $at, sortKey: $sortKey, actor: 'test', role: 'curator',
  op: 'UPDATE_ENTITY', entityId: $id, entityIds: [$id], sourceId: $src, quote: 'q', requestHash: ''})`,
		map[string]any{"at": ahead, "sortKey": ahead.Format(sortKeyLayout) + "|zz-w-clock-ahead", "id": id, "src": wsrc})

	desc := "After the entry from the future."
	if _, err := st.UpdateEntity(ctx, id, kg.EntityPatch{Description: &desc}, 1, meta(curator, "")); err != nil {
		t.Fatal(err)
	}
	if _, err := st.UpdateEntity(ctx, id, kg.EntityPatch{Description: &desc}, 2, meta(curator, "")); err != nil {
		t.Fatal(err)
	}
	log = auditOf(t, id)
	if len(log) != 4 || log[2]["id"] != "zz-w-clock-ahead" {
		t.Fatalf("the log, newest first, should end with the entry from the future and the create: %v", log)
	}
	for i, e := range log[:2] {
		at := e["at"].(time.Time)
		if !at.After(ahead) {
			t.Errorf("change %d committed after the entry at %s, stamped %s: not after it", i, ahead, at)
		}
		if want := at.UTC().Format(sortKeyLayout) + "|" + e["id"].(string); e["sortKey"] != want {
			t.Errorf("sortKey %q, want %q", e["sortKey"], want)
		}
	}
	if !log[0]["at"].(time.Time).After(log[1]["at"].(time.Time)) {
		t.Errorf("the second update is not stamped after the first: %v", log)
	}

	// A reader that saw the entry from the future finds both updates.
	cs, _, _, err := st.Changes(ctx, kg.ChangeFilter{EntityID: id, Since: &ahead}, kg.Page{First: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 3 || cs[0].ID != log[0]["id"] || cs[1].ID != log[1]["id"] || cs[2].ID != "zz-w-clock-ahead" {
		t.Errorf("changes(since: %s) = %+v, want the two updates and the entry itself, newest first", ahead, cs)
	}
}

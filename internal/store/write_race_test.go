package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/innograph/innograph/internal/kg"
	"github.com/innograph/innograph/internal/neo4jtest"
	"github.com/innograph/innograph/internal/store"
)

// Races between changes. Each test runs its race for several rounds (the
// losing interleavings are timing-dependent) and then checks what the
// database holds directly in Cypher, not through the Store.

func count(t *testing.T, q string, params map[string]any) int64 {
	t.Helper()
	recs := cypher(t, q, params)
	n, _ := recs[0].Get("n")
	return n.(int64)
}

func createEntities(t *testing.T, st *store.Store, ids ...string) {
	t.Helper()
	for _, id := range ids {
		if _, err := st.CreateEntity(context.Background(), kg.Entity{ID: id, Kind: kg.KindCompany, Name: "ZZ race " + id}, meta(curator, "")); err != nil {
			t.Fatal(err)
		}
	}
}

// TestCreateRelationshipRacingEndpointRemoval: a relationship created while
// its target is deleted or merged away is either created (and then goes
// with the target, or moves to the survivor) or refused with NOT_FOUND on
// "to"; a refused one leaves no audit entry.
func TestCreateRelationshipRacingEndpointRemoval(t *testing.T) {
	st := neo4jtest.Store(t)
	ctx := context.Background()
	for _, tc := range []struct {
		name   string
		remove func(target, keep string) error
		// survivor is where a created relationship must end up ("" when it
		// goes with its target).
		survivor func(keep string) string
	}{
		{"delete the target", func(target, _ string) error { return st.DeleteEntity(ctx, target, 1, meta(admin, "")) },
			func(string) string { return "" }},
		{"merge the target away", func(target, keep string) error {
			_, err := st.MergeEntities(ctx, keep, target, meta(admin, ""))
			return err
		}, func(keep string) string { return keep }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			prefix := fmt.Sprintf("zz-w-rr-%d", len(tc.name))
			cleanupPrefix(t, prefix)
			for i := 0; i < 20; i++ {
				from, to, keep := fmt.Sprintf("%s-%d-from", prefix, i), fmt.Sprintf("%s-%d-to", prefix, i), fmt.Sprintf("%s-%d-keep", prefix, i)
				createEntities(t, st, from, to, keep)
				var wg sync.WaitGroup
				var errRemove, errRel error
				wg.Add(2)
				go func() { defer wg.Done(); errRemove = tc.remove(to, keep) }()
				go func() {
					defer wg.Done()
					_, errRel = st.CreateRelationship(ctx, kg.Relationship{From: from, Type: "COLLABORATES_WITH", To: to}, "", meta(curator, ""))
				}()
				wg.Wait()
				if errRemove != nil {
					t.Fatalf("round %d: removing the target: %v", i, errRemove)
				}
				changes := count(t, "MATCH (c:Change {op: 'CREATE_RELATIONSHIP'}) WHERE $id IN c.entityIds RETURN count(c) AS n", map[string]any{"id": from})
				rels := count(t, "MATCH (:Entity {id: $id})-[r]-() RETURN count(r) AS n", map[string]any{"id": from})
				if errRel != nil {
					wantCode(t, errRel, kg.CodeNotFound, "to")
					if changes != 0 || rels != 0 {
						t.Fatalf("round %d: refused (%v), yet %d audit entries and %d relationships", i, errRel, changes, rels)
					}
					continue
				}
				if changes != 1 {
					t.Fatalf("round %d: created, with %d audit entries", i, changes)
				}
				if s := tc.survivor(keep); s != "" {
					if n := count(t, "MATCH (:Entity {id: $from})-[r:COLLABORATES_WITH]->(:Entity {id: $to}) RETURN count(r) AS n", map[string]any{"from": from, "to": s}); n != 1 {
						t.Fatalf("round %d: created, but %d relationships to the survivor", i, n)
					}
				}
			}
		})
	}
}

// TestConcurrentNameClaims: of several changes that claim the same name at
// once, at most one wins; the others fail with CONFLICT.
func TestConcurrentNameClaims(t *testing.T) {
	st := neo4jtest.Store(t)
	ctx := context.Background()
	const n = 4
	for _, tc := range []struct {
		name  string
		setup func(prefix string, round int)
		claim func(prefix string, round, i int, name string) error
	}{
		{"creates with one name", func(string, int) {}, func(prefix string, round, i int, name string) error {
			_, err := st.CreateEntity(ctx, kg.Entity{ID: fmt.Sprintf("%s-%d-%d", prefix, round, i), Kind: kg.KindCompany, Name: name}, meta(curator, ""))
			return err
		}},
		{"updates adding one alias", func(prefix string, round int) {
			for i := 0; i < n; i++ {
				createEntities(t, st, fmt.Sprintf("%s-%d-%d", prefix, round, i))
			}
		}, func(prefix string, round, i int, name string) error {
			aliases := []string{name}
			_, err := st.UpdateEntity(ctx, fmt.Sprintf("%s-%d-%d", prefix, round, i), kg.EntityPatch{Aliases: &aliases}, 1, meta(curator, ""))
			return err
		}},
		{"a create and an update", func(prefix string, round int) {
			createEntities(t, st, fmt.Sprintf("%s-%d-0", prefix, round))
		}, func(prefix string, round, i int, name string) error {
			if i == 0 {
				aliases := []string{name}
				_, err := st.UpdateEntity(ctx, fmt.Sprintf("%s-%d-0", prefix, round), kg.EntityPatch{Aliases: &aliases}, 1, meta(curator, ""))
				return err
			}
			_, err := st.CreateEntity(ctx, kg.Entity{ID: fmt.Sprintf("%s-%d-%d", prefix, round, i), Kind: kg.KindCompany, Name: name}, meta(curator, ""))
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			prefix := fmt.Sprintf("zz-w-nc-%d", len(tc.name))
			cleanupPrefix(t, prefix)
			for round := 0; round < 10; round++ {
				tc.setup(prefix, round)
				name := fmt.Sprintf("ZZ Contested Name %d %d", len(tc.name), round)
				var wg sync.WaitGroup
				errs := make([]error, n)
				for i := range errs {
					wg.Add(1)
					go func(i int) {
						defer wg.Done()
						errs[i] = tc.claim(prefix, round, i, name)
					}(i)
				}
				wg.Wait()
				wins := 0
				for _, err := range errs {
					if err == nil {
						wins++
					} else {
						wantCode(t, err, kg.CodeConflict, "")
					}
				}
				holders := count(t, "MATCH (e:Entity) WHERE $key IN e.nameKeys RETURN count(e) AS n", map[string]any{"key": kg.NameKey(name)})
				if wins > 1 || holders > 1 {
					t.Fatalf("round %d: %d claims of %q won, %d entities hold it (errors %v)", round, wins, name, holders, errs)
				}
			}
		})
	}
}

// TestChangeHistoryInCommitOrder: the audit log only grows at its newest
// end. A reader that has seen a change never later finds one that sorts
// before it, so `changes(since:)` from the last time seen misses nothing.
func TestChangeHistoryInCommitOrder(t *testing.T) {
	st := neo4jtest.Store(t)
	ctx := context.Background()
	cleanupPrefix(t, "zz-w-ho")
	const writers, updates = 4, 30
	for w := 0; w < writers; w++ {
		createEntities(t, st, fmt.Sprintf("zz-w-ho-%d", w))
	}
	stop := make(chan struct{})
	var polls [][]string
	var pollers sync.WaitGroup
	pollers.Add(1)
	poll := func() {
		var keys []string
		for _, r := range raw(t, "MATCH (c:Change {op: 'UPDATE_ENTITY'}) WHERE c.entityId STARTS WITH 'zz-w-ho-' RETURN c.sortKey AS k", nil) {
			keys = append(keys, r["k"].(string))
		}
		polls = append(polls, keys)
	}
	go func() {
		defer pollers.Done()
		for {
			select {
			case <-stop:
				// A poll running when the last write committed may have
				// missed it: read once more, after every write.
				poll()
				return
			default:
			}
			poll()
		}
	}()
	var wg sync.WaitGroup
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func(id string) {
			defer wg.Done()
			for v := int64(1); v <= updates; v++ {
				d := fmt.Sprintf("version %d", v+1)
				if _, err := st.UpdateEntity(ctx, id, kg.EntityPatch{Description: &d}, v, meta(curator, "")); err != nil {
					t.Error(err)
					return
				}
			}
		}(fmt.Sprintf("zz-w-ho-%d", w))
	}
	wg.Wait()
	close(stop)
	pollers.Wait()
	seen, newest, late := map[string]bool{}, "", 0
	for _, keys := range polls {
		next := newest
		for _, k := range keys {
			if !seen[k] {
				seen[k] = true
				if k < newest {
					late++
				}
			}
			next = max(next, k)
		}
		newest = next
	}
	if len(seen) != writers*updates {
		t.Fatalf("%d changes recorded, want %d", len(seen), writers*updates)
	}
	if late > 0 {
		t.Errorf("%d of %d changes appeared after a newer one had been read (%d reads)", late, len(seen), len(polls))
	}
}

// TestIdempotencyKeyOtherRequest: a key already used for one request is
// refused for a different request of the same operation, sequentially or
// concurrently; it never answers with the other request's result.
func TestIdempotencyKeyOtherRequest(t *testing.T) {
	st := neo4jtest.Store(t)
	ctx := context.Background()
	cleanupPrefix(t, "zz-w-ik")
	createEntities(t, st, "zz-w-ik-u")
	create := func(id string) func(kg.ChangeMeta) (string, error) {
		return func(m kg.ChangeMeta) (string, error) {
			e, err := st.CreateEntity(ctx, kg.Entity{ID: id, Kind: kg.KindCompany, Name: "ZZ key " + id}, m)
			return e.ID, err
		}
	}
	update := func(desc string) func(kg.ChangeMeta) (string, error) {
		return func(m kg.ChangeMeta) (string, error) {
			e, err := st.UpdateEntity(ctx, "zz-w-ik-u", kg.EntityPatch{Description: &desc}, 1, m)
			return e.Description, err
		}
	}
	for _, tc := range []struct {
		name        string
		a, b        func(kg.ChangeMeta) (string, error)
		wantA, want string
		concurrent  bool
	}{
		{"create, then create of another id", create("zz-w-ik-1"), create("zz-w-ik-2"), "zz-w-ik-1", "zz-w-ik-2", false},
		{"creates of two ids at once", create("zz-w-ik-3"), create("zz-w-ik-4"), "zz-w-ik-3", "zz-w-ik-4", true},
		{"update, then another update", update("first"), update("second"), "first", "second", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			key := "zz-w-ik-key-" + fmt.Sprint(len(tc.name))
			var wg sync.WaitGroup
			got := make([]string, 2)
			errs := make([]error, 2)
			for i, f := range []func(kg.ChangeMeta) (string, error){tc.a, tc.b} {
				wg.Add(1)
				run := func() {
					defer wg.Done()
					got[i], errs[i] = f(meta(curator, key))
				}
				if tc.concurrent {
					go run()
				} else {
					run()
				}
			}
			wg.Wait()
			wins := 0
			for i, want := range []string{tc.wantA, tc.want} {
				if errs[i] == nil {
					wins++
					if got[i] != want {
						t.Errorf("request %d succeeded with %q, the other request's result; want %q", i, got[i], want)
					}
					continue
				}
				wantCode(t, errs[i], kg.CodeConflict, "idempotencyKey")
			}
			if wins != 1 {
				t.Errorf("%d requests succeeded, want 1 (%v)", wins, errs)
			}
			// The same request again still replays.
			if !tc.concurrent {
				if r, err := tc.a(meta(curator, key)); err != nil || r != tc.wantA {
					t.Errorf("replay of the first request: %q, %v", r, err)
				}
			}
		})
	}
}

// TestDeleteMergeSurvivor: ids merged into an entity (directly or through a
// chain of merges) go with it when it is deleted: they resolve to nothing,
// no redirect is left pointing at a missing entity, an unrelated entity
// created later under the survivor's id does not inherit them, and the
// deletion appears in their history.
func TestDeleteMergeSurvivor(t *testing.T) {
	st := neo4jtest.Store(t)
	ctx := context.Background()
	cleanupPrefix(t, "zz-w-ds")
	createEntities(t, st, "zz-w-ds-a", "zz-w-ds-b", "zz-w-ds-c")
	if _, err := st.MergeEntities(ctx, "zz-w-ds-b", "zz-w-ds-a", meta(admin, "")); err != nil {
		t.Fatal(err)
	}
	c, err := st.MergeEntities(ctx, "zz-w-ds-c", "zz-w-ds-b", meta(admin, ""))
	if err != nil {
		t.Fatal(err)
	}
	m, err := st.EntitiesByIDs(ctx, []string{"zz-w-ds-a", "zz-w-ds-b"})
	if err != nil || m["zz-w-ds-a"].ID != "zz-w-ds-c" || m["zz-w-ds-b"].ID != "zz-w-ds-c" {
		t.Fatalf("after a chain of merges: %v, %v", m, err)
	}
	if err := st.DeleteEntity(ctx, "zz-w-ds-c", c.Version, meta(admin, "")); err != nil {
		t.Fatal(err)
	}
	if n := count(t, "MATCH (d:Redirect) WHERE NOT EXISTS { MATCH (:Entity {id: d.target}) } RETURN count(d) AS n", nil); n != 0 {
		t.Errorf("%d redirects point at missing entities", n)
	}
	for _, id := range []string{"zz-w-ds-a", "zz-w-ds-b"} {
		cs, _, _, err := st.Changes(ctx, kg.ChangeFilter{EntityID: id}, kg.Page{First: 1})
		if err != nil || len(cs) != 1 || cs[0].Op != kg.OpDeleteEntity {
			t.Errorf("latest change of %s: %+v, %v; want the deletion", id, cs, err)
		}
	}
	createEntities(t, st, "zz-w-ds-c")
	m, err = st.EntitiesByIDs(ctx, []string{"zz-w-ds-a", "zz-w-ds-b"})
	if err != nil || len(m) != 0 {
		t.Errorf("old ids resolve to %v, %v; want nothing", m, err)
	}
	createEntities(t, st, "zz-w-ds-a")
}

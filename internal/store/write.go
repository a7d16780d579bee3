package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/innograph/innograph/internal/kg"
)

// changeRec is what an operation reports for the audit log.
type changeRec struct {
	entityID, relID string
	entityIDs       []string
	before, after   any
	// entity and rel are the entity or relationship changed, as the
	// change's transaction left them (nil for a replay).
	entity *kg.Entity
	rel    *kg.Relationship
}

// entityOf is the entity a change returns: as its transaction left it, so
// that a change committed just before a concurrent one removed the entity
// still answers with what it did; a replay answers with the entity as it is.
func (s *Store) entityOf(ctx context.Context, rec changeRec) (kg.Entity, error) {
	if rec.entity != nil {
		return *rec.entity, nil
	}
	return s.Entity(ctx, rec.entityID)
}

func newID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func snapshot(v any) any {
	if v == nil {
		return nil
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// requestHash fingerprints a change request: the operation, its arguments
// (req) and its provenance. A retry sends the same request and so has the
// same hash.
func requestHash(op kg.Op, req any, meta kg.ChangeMeta) string {
	b, _ := json.Marshal(struct {
		Op       kg.Op
		Req      any
		Evidence kg.Evidence
		Reason   string
	}{op, req, meta.Evidence, meta.Reason})
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// change runs op in one write transaction together with its audit log entry.
// A repeated idempotency key replays: the operation is not applied again and
// the ids recorded the first time are returned. The key must come with the
// same request (req, the operation's arguments, and the same provenance):
// reused for another request it is refused with CONFLICT rather than
// answered with the first request's result.
//
// Changes run one at a time: the transaction first bumps the graph version
// (writeTx), which takes that node's lock until it commits. Every other lock
// a change takes it takes while holding that one, so changes cannot
// deadlock one another; a check (a name, an end of a relationship) sees
// every change committed before it and none can slip in after it; and audit
// entries, stamped under the lock, commit in the order of their timestamps,
// so a reader of the log never finds an entry older than one it has seen.
func (s *Store) change(ctx context.Context, op kg.Op, req any, meta kg.ChangeMeta, fn func(tx neo4j.ManagedTransaction) (changeRec, error)) (changeRec, error) {
	if !meta.Actor.Can(op) {
		return changeRec{}, &kg.Error{Code: kg.CodeForbidden, Message: fmt.Sprintf("role %q may not %s", meta.Actor.Role, strings.ToLower(strings.ReplaceAll(string(op), "_", " ")))}
	}
	if err := meta.Validate(); err != nil {
		return changeRec{}, err
	}
	hash := requestHash(op, req, meta)
	attempt := func() (changeRec, error) {
		res, err := s.writeTx(ctx, "change:"+string(op), s.cfg.TxTimeout, func(tx neo4j.ManagedTransaction) (any, error) {
			if meta.IdempotencyKey != "" {
				// A request with the same key that came first has committed
				// by now: it held the graph version's lock.
				if err := txRun(ctx, tx, "MERGE (k:IdempotencyKey {key: $key}) ON CREATE SET k.at = datetime() SET k.lock = true REMOVE k.lock", map[string]any{"key": meta.IdempotencyKey}); err != nil {
					return nil, err
				}
				prev, err := txOne(ctx, tx, "MATCH (c:Change {idempotencyKey: $key}) RETURN c {.*} AS c", map[string]any{"key": meta.IdempotencyKey})
				if err != nil {
					return nil, err
				}
				if prev != nil {
					c := prev["c"].(map[string]any)
					// Entries written before requests were hashed have none.
					if str(c, "actor") != meta.Actor.Name || str(c, "op") != string(op) || str(c, "requestHash") != "" && str(c, "requestHash") != hash {
						return nil, &kg.Error{Code: kg.CodeConflict, Field: "idempotencyKey", Message: "this idempotency key was used for a different change"}
					}
					return changeRec{entityID: str(c, "entityId"), relID: str(c, "relationshipId")}, nil
				}
			}
			if err := requireSource(ctx, tx, meta.Evidence.SourceID); err != nil {
				return nil, err
			}
			rec, err := fn(tx)
			if err != nil {
				return nil, err
			}
			switch op {
			case kg.OpCreateEntity, kg.OpUpdateEntity, kg.OpMergeEntities:
				if rec.entity, err = txEntity(ctx, tx, rec.entityID); err != nil {
					return nil, err
				}
			}
			id := newID()
			ids := rec.entityIDs
			if rec.entityID != "" {
				ids = append([]string{rec.entityID}, ids...)
			}
			err = txRun(ctx, tx, auditCypher, map[string]any{
				"id": id, "actor": meta.Actor.Name, "role": string(meta.Actor.Role), "op": string(op),
				"entityId": nilIfEmpty(rec.entityID), "entityIds": orEmpty(ids), "relId": nilIfEmpty(rec.relID),
				"before": snapshot(rec.before), "after": snapshot(rec.after), "reason": nilIfEmpty(meta.Reason),
				"sourceId": meta.Evidence.SourceID, "quote": meta.Evidence.Quote, "key": nilIfEmpty(meta.IdempotencyKey),
				"status": nilIfEmpty(string(meta.Evidence.Status)), "attributedTo": nilIfEmpty(meta.Evidence.AttributedTo),
				"hash": hash,
			})
			return rec, err
		})
		if err != nil {
			return changeRec{}, err
		}
		return res.(changeRec), nil
	}
	rec, err := attempt()
	if err != nil && meta.IdempotencyKey != "" && kg.ErrorCode(err) == kg.CodeConflict && isConstraintErr(err) {
		// A concurrent request with the same key won the race: replay it.
		return attempt()
	}
	return rec, err
}

// auditCypher writes a change's audit entry, stamped with the database's
// clock, never the writing server's: at is the transaction's time, or one
// nanosecond after the newest entry when that is later (a database clock
// stepped back, a new leader whose clock runs behind, entries an older
// release stamped with a server clock that ran ahead). Changes commit one
// at a time (see change), so the log's order by sortKey, at's UTC time to
// the nanosecond and then the id, is the commit order whatever the servers'
// clocks say, and a reader of changes(since:) misses nothing.
const auditCypher = `OPTIONAL MATCH (last:Change) WHERE last.sortKey IS NOT NULL
WITH last ORDER BY last.sortKey DESC LIMIT 1
WITH last.at AS newest, datetime.transaction('UTC') AS now
WITH CASE WHEN newest >= now THEN newest + duration({nanoseconds: 1}) ELSE now END AS t
WITH datetime({datetime: t, timezone: 'UTC'}) AS at
CREATE (c:Change {id: $id, at: at, actor: $actor, role: $role, op: $op,
  entityId: $entityId, entityIds: $entityIds, relationshipId: $relId, before: $before, after: $after,
  reason: $reason, sourceId: $sourceId, quote: $quote, status: $status, attributedTo: $attributedTo,
  idempotencyKey: $key, requestHash: $hash})
SET c.sortKey = toString(date(at)) + 'T' + right('0' + toString(at.hour), 2) + ':' + right('0' + toString(at.minute), 2) +
  ':' + right('0' + toString(at.second), 2) + '.' + right('00000000' + toString(at.nanosecond), 9) + 'Z|' + $id`

func isConstraintErr(err error) bool {
	var ne *neo4j.Neo4jError
	return errors.As(err, &ne) && strings.Contains(ne.Code, "ConstraintValidationFailed")
}

func txOne(ctx context.Context, tx neo4j.ManagedTransaction, cypher string, params map[string]any) (map[string]any, error) {
	res, err := tx.Run(ctx, cypher, params)
	if err != nil {
		return nil, err
	}
	recs, err := collect(ctx, res)
	if err != nil || len(recs) == 0 {
		return nil, err
	}
	return recs[0].AsMap(), nil
}

func requireSource(ctx context.Context, tx neo4j.ManagedTransaction, id string) error {
	r, err := txOne(ctx, tx, "MATCH (s:Source {id: $id}) RETURN s.id AS id", map[string]any{"id": id})
	if err != nil {
		return err
	}
	if r == nil {
		return &kg.Error{Code: kg.CodeNotFound, Field: "evidence.source", Message: fmt.Sprintf("no source with id %q; load the document's seed file first", id)}
	}
	return nil
}

// lockEntity takes the entity's write lock, so that what the transaction reads
// next is the latest committed state and no concurrent change can slip in
// between the version check and the write.
func lockEntity(ctx context.Context, tx neo4j.ManagedTransaction, id string) error {
	return txRun(ctx, tx, "MATCH (n:Entity {id: $id}) SET n.lock = true REMOVE n.lock", map[string]any{"id": id})
}

func txEntity(ctx context.Context, tx neo4j.ManagedTransaction, id string) (*kg.Entity, error) {
	r, err := txOne(ctx, tx, "MATCH (n:Entity {id: $id}) RETURN "+entityProjectionOf("n")+" AS n", map[string]any{"id": id})
	if err != nil || r == nil {
		return nil, err
	}
	e := entityFromMap(r["n"].(map[string]any))
	return &e, nil
}

// checkNames fails when a name or alias of e belongs to another entity. The
// caller holds the graph version's lock (change takes it first), so that of two
// changes giving the same name to different entities at once, the second
// sees the first's: no index can make a name unique across the name and
// alias lists.
func checkNames(ctx context.Context, tx neo4j.ManagedTransaction, e *kg.Entity, ignore ...string) error {
	r, err := txOne(ctx, tx, `MATCH (n:Entity) WHERE any(k IN n.nameKeys WHERE k IN $keys) AND NOT n.id IN $ignore
RETURN n.id AS id, n.name AS name LIMIT 1`, map[string]any{"keys": nameKeys(e.Name, e.Aliases), "ignore": append(ignore, e.ID)})
	if err != nil {
		return err
	}
	if r != nil {
		return &kg.Error{Code: kg.CodeConflict, Field: "aliases", Message: fmt.Sprintf("a name or alias collides with entity %q (%s); merge the two instead", r["id"], r["name"])}
	}
	return nil
}

func setEntityCypher(k kg.Kind) string {
	return `MATCH (n:Entity {id: $id})
SET n += $props, n.version = n.version + 1, n.updatedAt = datetime(),
    n.sources = CASE WHEN $source IN n.sources THEN n.sources ELSE n.sources + $source END,
    n.aliasText = reduce(t = '', a IN $props.aliases | t + a + ' ; '), n:` + k.Label() + `
REMOVE ` + otherLabels(k)
}

// CreateEntity adds a new entity, audited with meta.
func (s *Store) CreateEntity(ctx context.Context, e kg.Entity, meta kg.ChangeMeta) (kg.Entity, error) {
	if err := e.Validate(); err != nil {
		return kg.Entity{}, err
	}
	rec, err := s.change(ctx, kg.OpCreateEntity, e, meta, func(tx neo4j.ManagedTransaction) (changeRec, error) {
		return createEntityTx(ctx, tx, e, meta)
	})
	if err != nil {
		return kg.Entity{}, err
	}
	return s.entityOf(ctx, rec)
}

// createEntityTx writes a new, validated entity in a change's transaction;
// CreateEntity and accepting an entity suggestion share it.
func createEntityTx(ctx context.Context, tx neo4j.ManagedTransaction, e kg.Entity, meta kg.ChangeMeta) (changeRec, error) {
	r, err := txOne(ctx, tx, "OPTIONAL MATCH (n:Entity {id: $id}) OPTIONAL MATCH (d:Redirect {id: $id}) RETURN n IS NOT NULL OR d IS NOT NULL AS taken", map[string]any{"id": e.ID})
	if err != nil {
		return changeRec{}, err
	}
	if r["taken"] == true {
		return changeRec{}, &kg.Error{Code: kg.CodeConflict, Field: "id", Message: fmt.Sprintf("id %q is already taken", e.ID)}
	}
	if err := checkNames(ctx, tx, &e); err != nil {
		return changeRec{}, err
	}
	props := entityProps(&e)
	props["aliasText"] = strings.Join(e.Aliases, " ; ")
	err = txRun(ctx, tx, "CREATE (n:Entity:"+e.Kind.Label()+") SET n = $props, n.version = 1, n.createdAt = datetime(), n.updatedAt = datetime(), n.sources = [$source]",
		map[string]any{"props": props, "source": meta.Evidence.SourceID})
	return changeRec{entityID: e.ID, after: entitySnap(e)}, err
}

type snap struct {
	Kind        kg.Kind  `json:"kind"`
	Name        string   `json:"name"`
	Aliases     []string `json:"aliases"`
	Description string   `json:"description,omitempty"`
	Version     int64    `json:"version,omitempty"`
}

func entitySnap(e kg.Entity) snap {
	return snap{Kind: e.Kind, Name: e.Name, Aliases: orEmpty(e.Aliases), Description: e.Description, Version: e.Version}
}

// lockedAt locks entity id and returns it if it is still at version want:
// NOT_FOUND when it is gone, CONFLICT when someone changed it meanwhile.
func lockedAt(ctx context.Context, tx neo4j.ManagedTransaction, id string, want int64) (*kg.Entity, error) {
	if err := lockEntity(ctx, tx, id); err != nil {
		return nil, err
	}
	cur, err := txEntity(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if cur == nil {
		return nil, &kg.Error{Code: kg.CodeNotFound, Field: "id", Message: fmt.Sprintf("no entity with id %q", id)}
	}
	if cur.Version != want {
		return nil, &kg.Error{Code: kg.CodeConflict, Field: "expectedVersion", Message: fmt.Sprintf("entity %q is at version %d, not %d: someone changed it meanwhile; reload it and apply your change again", id, cur.Version, want)}
	}
	return cur, nil
}

// UpdateEntity applies patch when the entity is still at expectedVersion
// (optimistic concurrency); otherwise it fails with CONFLICT.
func (s *Store) UpdateEntity(ctx context.Context, id string, patch kg.EntityPatch, expectedVersion int64, meta kg.ChangeMeta) (kg.Entity, error) {
	rec, err := s.change(ctx, kg.OpUpdateEntity, []any{id, patch, expectedVersion}, meta, func(tx neo4j.ManagedTransaction) (changeRec, error) {
		return updateEntityTx(ctx, tx, id, patch, expectedVersion, meta)
	})
	if err != nil {
		return kg.Entity{}, err
	}
	return s.entityOf(ctx, rec)
}

// updateEntityTx applies patch in a change's transaction; UpdateEntity and
// accepting an alias suggestion share it.
func updateEntityTx(ctx context.Context, tx neo4j.ManagedTransaction, id string, patch kg.EntityPatch, expectedVersion int64, meta kg.ChangeMeta) (changeRec, error) {
	cur, err := lockedAt(ctx, tx, id, expectedVersion)
	if err != nil {
		return changeRec{}, err
	}
	next := *cur
	if patch.Kind != nil {
		next.Kind = *patch.Kind
	}
	if patch.Name != nil {
		next.Name = strings.TrimSpace(*patch.Name)
	}
	if patch.Aliases != nil {
		next.Aliases = *patch.Aliases
	}
	if patch.Description != nil {
		next.Description = strings.TrimSpace(*patch.Description)
	}
	if err := next.Validate(); err != nil {
		return changeRec{}, err
	}
	if err := checkNames(ctx, tx, &next); err != nil {
		return changeRec{}, err
	}
	props := entityProps(&next)
	delete(props, "id")
	err = txRun(ctx, tx, setEntityCypher(next.Kind), map[string]any{"id": id, "props": props, "source": meta.Evidence.SourceID})
	next.Version = cur.Version + 1
	return changeRec{entityID: id, before: entitySnap(*cur), after: entitySnap(next)}, err
}

// DeleteEntity removes an entity and its relationships when it is still at
// expectedVersion. Entities named by a funding record cannot be deleted.
func (s *Store) DeleteEntity(ctx context.Context, id string, expectedVersion int64, meta kg.ChangeMeta) error {
	_, err := s.change(ctx, kg.OpDeleteEntity, []any{id, expectedVersion}, meta, func(tx neo4j.ManagedTransaction) (changeRec, error) {
		cur, err := lockedAt(ctx, tx, id, expectedVersion)
		if err != nil {
			return changeRec{}, err
		}
		r, err := txOne(ctx, tx, "MATCH (f:Funding) WHERE f.funder = $id OR $id IN f.recipients OR f.programme = $id OR f.administeredBy = $id RETURN f.id AS f LIMIT 1", map[string]any{"id": id})
		if err != nil {
			return changeRec{}, err
		}
		if r != nil {
			return changeRec{}, &kg.Error{Code: kg.CodeConflict, Field: "id", Message: fmt.Sprintf("entity %q is named by funding %q; merge it into another entity instead", id, r["f"])}
		}
		// Ids merged into the entity go with it: left behind, their redirects
		// would point at nothing, and at whatever is created under id next.
		gone, err := txOne(ctx, tx, `OPTIONAL MATCH (d:Redirect {target: $id})
WITH collect(d) AS ds, collect(d.id) AS ids
FOREACH (d IN ds | DELETE d)
WITH ids
MATCH (n:Entity {id: $id}) DETACH DELETE n
RETURN ids`, map[string]any{"id": id})
		var merged []string
		if gone != nil {
			merged = toStrings(gone["ids"])
		}
		return changeRec{entityID: id, entityIDs: merged, before: entitySnap(*cur)}, err
	})
	return err
}

// MergeEntities folds remove into keep: every relationship, alias, source and
// funding reference moves to keep, and remove's id redirects to keep.
func (s *Store) MergeEntities(ctx context.Context, keep, remove string, meta kg.ChangeMeta) (kg.Entity, error) {
	if keep == remove {
		return kg.Entity{}, kg.InvalidArg("remove", "cannot merge an entity into itself")
	}
	rec, err := s.change(ctx, kg.OpMergeEntities, []string{keep, remove}, meta, func(tx neo4j.ManagedTransaction) (changeRec, error) {
		// Lock in id order so that two merges of the same pair cannot deadlock.
		first, second := keep, remove
		if second < first {
			first, second = second, first
		}
		for _, id := range []string{first, second} {
			if err := lockEntity(ctx, tx, id); err != nil {
				return changeRec{}, err
			}
		}
		k, err := txEntity(ctx, tx, keep)
		if err != nil {
			return changeRec{}, err
		}
		r, err := txEntity(ctx, tx, remove)
		if err != nil {
			return changeRec{}, err
		}
		if k == nil {
			return changeRec{}, &kg.Error{Code: kg.CodeNotFound, Field: "keep", Message: fmt.Sprintf("no entity with id %q", keep)}
		}
		if r == nil {
			return changeRec{}, &kg.Error{Code: kg.CodeNotFound, Field: "remove", Message: fmt.Sprintf("no entity with id %q", remove)}
		}
		// Relationships move one statement per allow-listed type and direction;
		// ids are rebuilt as from~type~to[~key] with keep in place of remove.
		// Relationships between keep and remove vanish with remove.
		for _, t := range kg.RelTypes {
			for _, out := range []bool{true, false} {
				pattern := "(r)-[x:" + string(t.Type) + "]->(m:Entity)"
				idExpr := "$keep + '~' + toLower(type(x)) + '~' + m.id"
				merge := "MERGE (k)-[y:" + string(t.Type) + " {id: newId}]->(m)"
				if !out {
					pattern = "(m:Entity)-[x:" + string(t.Type) + "]->(r)"
					idExpr = "m.id + '~' + toLower(type(x)) + '~' + $keep"
					merge = "MERGE (m)-[y:" + string(t.Type) + " {id: newId}]->(k)"
				}
				cypher := `MATCH (r:Entity {id: $remove}) MATCH (k:Entity {id: $keep})
MATCH ` + pattern + ` WHERE m.id <> $keep
WITH k, m, x, properties(x) AS props,
     ` + idExpr + ` + CASE WHEN size(split(x.id, '~')) > 3 THEN '~' + split(x.id, '~')[3] ELSE '' END AS newId
` + merge + `
WITH x, y, props, newId, coalesce(y.evidence, []) AS oldEv, coalesce(y.sourceIds, []) AS oldSrc
SET y += props, y.id = newId,
    y.evidence = ` + mergedEvidence("oldEv", "props.evidence") + `,
    y.sourceIds = oldSrc + [s IN props.sourceIds WHERE NOT s IN oldSrc]
SET y.status = ` + statusOf("y.evidence") + `
DELETE x`
				if err := txRun(ctx, tx, cypher, map[string]any{"keep": keep, "remove": remove}); err != nil {
					return changeRec{}, err
				}
			}
		}
		merged := *k
		for _, a := range append([]string{r.Name}, r.Aliases...) {
			if !containsFold(append([]string{merged.Name}, merged.Aliases...), a) {
				merged.Aliases = append(merged.Aliases, a)
			}
		}
		props := entityProps(&merged)
		delete(props, "id")
		err = txRun(ctx, tx, `MATCH (k:Entity {id: $keep}) MATCH (r:Entity {id: $remove})
SET k += $props, k.version = k.version + 1, k.updatedAt = datetime(),
    k.aliasText = reduce(t = '', a IN $props.aliases | t + a + ' ; '),
    k.sources = k.sources + [x IN r.sources WHERE NOT x IN k.sources]
WITH k, r
OPTIONAL MATCH (f:Funding) WHERE f.funder = $remove OR $remove IN f.recipients OR f.programme = $remove OR f.administeredBy = $remove
SET f.funder = CASE f.funder WHEN $remove THEN $keep ELSE f.funder END,
    f.recipients = [x IN f.recipients | CASE x WHEN $remove THEN $keep ELSE x END],
    f.programme = CASE f.programme WHEN $remove THEN $keep ELSE f.programme END,
    f.administeredBy = CASE f.administeredBy WHEN $remove THEN $keep ELSE f.administeredBy END
WITH DISTINCT k, r
OPTIONAL MATCH (old:Redirect {target: $remove}) SET old.target = $keep
WITH DISTINCT r
DETACH DELETE r
MERGE (d:Redirect {id: $remove}) SET d.target = $keep, d.at = datetime()`, map[string]any{"keep": keep, "remove": remove, "props": props})
		merged.Version = k.Version + 1
		return changeRec{entityID: keep, entityIDs: []string{remove}, before: map[string]any{"keep": entitySnap(*k), "remove": entitySnap(*r)}, after: entitySnap(merged)}, err
	})
	if err != nil {
		return kg.Entity{}, err
	}
	return s.entityOf(ctx, rec)
}

func containsFold(ss []string, s string) bool {
	k := kg.NameKey(s)
	for _, x := range ss {
		if kg.NameKey(x) == k {
			return true
		}
	}
	return false
}

// CreateRelationship adds a relationship with meta's evidence, or adds that
// evidence to the existing relationship with the same id.
func (s *Store) CreateRelationship(ctx context.Context, r kg.Relationship, key string, meta kg.ChangeMeta) (kg.Relationship, error) {
	r.Evidence = []kg.Evidence{meta.Evidence}
	if err := r.Validate(); err != nil {
		return kg.Relationship{}, err
	}
	if key != "" && !kg.ValidID(key) {
		return kg.Relationship{}, kg.InvalidArg("key", "malformed key %q: a lowercase slug", key)
	}
	r.ID = kg.RelationshipID(r.From, r.Type, r.To, key)
	rec, err := s.change(ctx, kg.OpCreateRelationship, r, meta, func(tx neo4j.ManagedTransaction) (changeRec, error) {
		return createRelationshipTx(ctx, tx, r, meta)
	})
	if err != nil {
		return kg.Relationship{}, err
	}
	if rec.rel != nil {
		return *rec.rel, nil
	}
	return s.Relationship(ctx, rec.relID) // a replay
}

// createRelationshipTx writes r (validated, its id set) with meta's
// evidence in a change's transaction; CreateRelationship and accepting a
// relationship suggestion share it.
func createRelationshipTx(ctx context.Context, tx neo4j.ManagedTransaction, r kg.Relationship, meta kg.ChangeMeta) (changeRec, error) {
	// No change can delete or merge away an end between this check and
	// the MERGE: change holds the graph version's lock.
	ends := []struct{ arg, id string }{{"from", r.From}, {"to", r.To}}
	if a := meta.Evidence.AttributedTo; a != "" {
		ends = append(ends, struct{ arg, id string }{"change.attributedTo", a})
	}
	for _, end := range ends {
		e, err := txEntity(ctx, tx, end.id)
		if err != nil {
			return changeRec{}, err
		}
		if e == nil {
			return changeRec{}, &kg.Error{Code: kg.CodeNotFound, Field: end.arg, Message: fmt.Sprintf("no entity with id %q", end.id)}
		}
	}
	props := relProps(&r)
	got, err := txOne(ctx, tx, `MATCH (a:Entity {id: $from}) MATCH (b:Entity {id: $to})
MERGE (a)-[x:`+string(r.Type)+` {id: $props.id}]->(b)
WITH x, coalesce(x.evidence, []) AS oldEv, coalesce(x.sourceIds, []) AS oldSrc
SET x += $props,
    x.evidence = `+mergedEvidence("oldEv", "$props.evidence")+`,
    x.sourceIds = oldSrc + [s IN $props.sourceIds WHERE NOT s IN oldSrc]
SET x.status = `+statusOf("x.evidence")+`
RETURN x `+relProjectionOf("x")+` AS r`,
		map[string]any{"from": r.From, "to": r.To, "props": props})
	rec := changeRec{relID: r.ID, entityIDs: []string{r.From, r.To}, after: relJSONSnap(r)}
	switch {
	case err != nil:
	case got == nil:
		// Both ends were found under the lock: this cannot happen, but a
		// change that wrote nothing must not be logged as done.
		err = fmt.Errorf("relationship %s was not written", r.ID)
	default:
		written := relFromMap(got["r"].(map[string]any))
		rec.rel = &written
	}
	return rec, err
}

func relJSONSnap(r kg.Relationship) map[string]any {
	m := map[string]any{"type": r.Type, "from": r.From, "to": r.To}
	if len(r.Evidence) > 0 {
		m["status"] = kg.StrongestStatus(r.Evidence)
	}
	if len(r.Evidence) == 1 && r.Evidence[0].AttributedTo != "" {
		m["attributedTo"] = r.Evidence[0].AttributedTo
	}
	if r.Role != "" {
		m["role"] = r.Role
	}
	for k, d := range map[string]*kg.Date{"since": r.Since, "until": r.Until, "on": r.On} {
		if d != nil {
			m[k] = d.String()
		}
	}
	return m
}

// relTypeOfID recovers the allow-listed type from a relationship id, so the
// lookup can use the type's index.
func relTypeOfID(id string) (kg.RelType, error) {
	parts := strings.Split(id, "~")
	if len(parts) < 3 || len(parts) > 4 {
		return "", kg.InvalidArg("id", "malformed relationship id %q: want from~type~to", id)
	}
	t, err := kg.ParseRelType(parts[1])
	if err != nil {
		return "", kg.InvalidArg("id", "malformed relationship id %q: unknown type", id)
	}
	return t, nil
}

// Relationship returns one relationship by id or NOT_FOUND.
func (s *Store) Relationship(ctx context.Context, id string) (kg.Relationship, error) {
	t, err := relTypeOfID(id)
	if err != nil {
		return kg.Relationship{}, err
	}
	recs, err := s.read(ctx, "relationship", "MATCH (:Entity)-[r:"+string(t)+" {id: $id}]->(:Entity) RETURN r "+relProjection+" AS r", map[string]any{"id": id})
	if err != nil {
		return kg.Relationship{}, err
	}
	if len(recs) == 0 {
		return kg.Relationship{}, &kg.Error{Code: kg.CodeNotFound, Field: "id", Message: fmt.Sprintf("no relationship with id %q", id)}
	}
	return relFromMap(recMap(recs[0], "r")), nil
}

// DeleteRelationship removes a relationship. Relationships derived from a
// funding record go with the record, not one by one.
func (s *Store) DeleteRelationship(ctx context.Context, id string, meta kg.ChangeMeta) error {
	t, err := relTypeOfID(id)
	if err != nil {
		return err
	}
	_, err = s.change(ctx, kg.OpDeleteRelationship, id, meta, func(tx neo4j.ManagedTransaction) (changeRec, error) {
		r, err := txOne(ctx, tx, "MATCH (:Entity)-[r:"+string(t)+" {id: $id}]->(:Entity) RETURN r "+relProjection+" AS r", map[string]any{"id": id})
		if err != nil {
			return changeRec{}, err
		}
		if r == nil {
			return changeRec{}, &kg.Error{Code: kg.CodeNotFound, Field: "id", Message: fmt.Sprintf("no relationship with id %q", id)}
		}
		rel := relFromMap(r["r"].(map[string]any))
		if rel.FundingID != "" {
			return changeRec{}, &kg.Error{Code: kg.CodeConflict, Field: "id", Message: fmt.Sprintf("relationship %q comes from funding record %q", id, rel.FundingID)}
		}
		err = txRun(ctx, tx, "MATCH (:Entity)-[r:"+string(t)+" {id: $id}]->(:Entity) DELETE r", map[string]any{"id": id})
		return changeRec{relID: id, entityIDs: []string{rel.From, rel.To}, before: relJSONSnap(rel)}, err
	})
	return err
}

// Changes returns a keyset page of the audit log, newest first.
func (s *Store) Changes(ctx context.Context, f kg.ChangeFilter, page kg.Page) ([]kg.Change, []string, bool, error) {
	p := map[string]any{"entity": nilIfEmpty(f.EntityID), "since": nil, "after": nil, "limit": page.First + 1}
	if f.Since != nil {
		// In UTC: Neo4j 5.26 refuses a datetime parameter with any other
		// offset, or with Go's "Local" zone, as an invalid request.
		p["since"] = f.Since.UTC()
	}
	if page.After != "" {
		vals, err := kg.DecodeCursor(page.After, 1)
		if err != nil {
			return nil, nil, false, err
		}
		p["after"] = vals[0]
	}
	recs, err := s.read(ctx, "changes", `MATCH (c:Change)
WHERE ($entity IS NULL OR $entity IN c.entityIds) AND ($since IS NULL OR c.at >= $since) AND ($after IS NULL OR c.sortKey < $after)
RETURN c {.*} AS c ORDER BY c.sortKey DESC LIMIT $limit`, p)
	if err != nil {
		return nil, nil, false, err
	}
	more := len(recs) > page.First
	if more {
		recs = recs[:page.First]
	}
	var out []kg.Change
	var cursors []string
	for _, r := range recs {
		m := recMap(r, "c")
		at, _ := m["at"].(time.Time)
		out = append(out, kg.Change{
			ID: str(m, "id"), At: at, Actor: str(m, "actor"), Role: kg.Role(str(m, "role")), Op: kg.Op(str(m, "op")),
			EntityID: str(m, "entityId"), RelationshipID: str(m, "relationshipId"), Before: str(m, "before"), After: str(m, "after"),
			Reason: str(m, "reason"), Evidence: kg.Evidence{SourceID: str(m, "sourceId"), Quote: str(m, "quote"),
				Status: kg.ClaimStatus(str(m, "status")), AttributedTo: str(m, "attributedTo")},
			IdempotencyKey: str(m, "idempotencyKey"),
		})
		cursors = append(cursors, kg.EncodeCursor(str(m, "sortKey")))
	}
	return out, cursors, more, nil
}

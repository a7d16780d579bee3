package store

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/innograph/innograph/internal/kg"
)

// Counts are the numbers of nodes and relationships in the graph.
type Counts struct {
	// Entities by kind, Relationships by type.
	Entities      map[string]int64
	Relationships map[string]int64
	Sources       int64
	Fundings      int64
}

// Total returns the total number of entities and relationships.
func (c Counts) Total() (entities, rels int64) {
	for _, n := range c.Entities {
		entities += n
	}
	for _, n := range c.Relationships {
		rels += n
	}
	return
}

// String renders the counts as sorted lines.
func (c Counts) String() string {
	var b strings.Builder
	e, r := c.Total()
	fmt.Fprintf(&b, "sources: %d  fundings: %d  entities: %d  relationships: %d\n", c.Sources, c.Fundings, e, r)
	for _, kv := range sortedCounts(c.Entities) {
		fmt.Fprintf(&b, "  entity %-16s %d\n", kv.k, kv.n)
	}
	for _, kv := range sortedCounts(c.Relationships) {
		fmt.Fprintf(&b, "  rel    %-18s %d\n", kv.k, kv.n)
	}
	return b.String()
}

type kn struct {
	k string
	n int64
}

func sortedCounts(m map[string]int64) []kn {
	out := make([]kn, 0, len(m))
	for k, n := range m {
		out = append(out, kn{k, n})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].k < out[j].k })
	return out
}

// writeTx runs fn in one managed write transaction: all or nothing.
func (s *Store) writeTx(ctx context.Context, name string, timeout time.Duration, fn func(tx neo4j.ManagedTransaction) (any, error)) (any, error) {
	return s.writeTxBump(ctx, name, timeout, true, fn)
}

// bumpCypher increases the persisted graph version and returns it; see
// GraphVersion.
const bumpCypher = "MERGE (m:GraphVersion {id: 1}) SET m.version = coalesce(m.version, 0) + 1 RETURN m.version AS v"

// writeTxBump runs fn in a managed write transaction. With bump, the same
// transaction first increases the persisted graph version, so that other
// servers see the change and its version together; that takes the version
// node's lock before fn takes any other, so such writes run one at a time
// and cannot deadlock one another. Bulk loads bump once at the end
// instead of serializing every batch on the version node.
//
// The transaction waits for the bookmarks of the request in ctx (see
// WithCausal) and the process's own, and a bumping one records its
// Bookmark there: the graph version it committed and the driver's
// bookmarks, which also go to the driver's bookmark manager that every
// read of this Store waits for.
func (s *Store) writeTxBump(ctx context.Context, name string, timeout time.Duration, bump bool, fn func(tx neo4j.ManagedTransaction) (any, error)) (any, error) {
	if err := s.failFast(ctx, name); err != nil {
		return nil, err
	}
	ctx, unwatch := s.watch(ctx)
	defer unwatch()
	s.queries.Add(1)
	start := time.Now()
	var version int64 // the graph version the last attempt bumped to
	work := func(tx neo4j.ManagedTransaction) (any, error) {
		if bump {
			r, err := txOne(ctx, tx, bumpCypher, nil)
			if err != nil {
				return nil, err
			}
			version, _ = r["v"].(int64)
		}
		return fn(tx)
	}
	execute := func() (any, error) {
		sess := s.driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: s.cfg.Database, AccessMode: neo4j.AccessModeWrite,
			BookmarkManager: s.driver.ExecuteQueryBookmarkManager(), Bookmarks: bookmarksOf(ctx)})
		defer sess.Close(ctx)
		res, err := sess.ExecuteWrite(ctx, work, neo4j.WithTxTimeout(timeout), txMeta(name))
		if c := kg.CausalFrom(ctx); err == nil && bump && c != nil {
			c.Wrote(kg.Bookmark{Version: version, Raw: sess.LastBookmarks()})
		}
		return res, err
	}
	res, err := execute()
	if isFailedConnection(err) && ctx.Err() == nil {
		// Refused before BEGIN was sent (see isFailedConnection): nothing ran.
		res, err = execute()
	}
	if s.cfg.Observe != nil {
		s.cfg.Observe(name, time.Since(start), err)
	}
	if err != nil {
		return nil, s.translate(ctx, name, err)
	}
	s.localVersion.Add(1)
	return res, nil
}

func txRun(ctx context.Context, tx neo4j.ManagedTransaction, cypher string, params map[string]any) error {
	res, err := tx.Run(ctx, cypher, params)
	if err != nil {
		return err
	}
	_, err = res.Consume(ctx)
	return err
}

// otherLabels returns the REMOVE clause that strips every kind label but k's.
func otherLabels(k kg.Kind) string {
	var ls []string
	for _, ki := range kg.Kinds {
		if ki.Kind != k {
			ls = append(ls, ki.Label)
		}
	}
	return "n:" + strings.Join(ls, ":")
}

// Import merges a batch of curated facts into the graph in one transaction.
// It is idempotent: importing the same batch twice changes nothing. Aliases,
// sources and evidence accumulate (set union) across imports.
func (s *Store) Import(ctx context.Context, g *kg.Graph) error {
	_, err := s.writeTx(ctx, "import", 5*time.Minute, func(tx neo4j.ManagedTransaction) (any, error) {
		return nil, importTx(ctx, tx, g)
	})
	return err
}

func importTx(ctx context.Context, tx neo4j.ManagedTransaction, g *kg.Graph) error {
	// Sources.
	var srcRows []map[string]any
	for _, src := range g.Sources {
		p := map[string]any{"id": src.ID, "file": src.File, "title": src.Title, "publisher": nilIfEmpty(src.Publisher),
			"author": nilIfEmpty(src.Author), "url": nilIfEmpty(src.URL), "published": nil, "digest": nilIfEmpty(src.Digest)}
		if src.Published != nil {
			p["published"] = src.Published.String()
		}
		srcRows = append(srcRows, p)
	}
	if err := txRun(ctx, tx, `UNWIND $rows AS r MERGE (s:Source {id: r.id}) SET s += r`, map[string]any{"rows": srcRows}); err != nil {
		return err
	}
	// Entities, one statement per kind: the label comes from the kg enum.
	byKind := map[kg.Kind][]map[string]any{}
	for i := range g.Entities {
		e := &g.Entities[i]
		byKind[e.Kind] = append(byKind[e.Kind], map[string]any{"props": entityProps(e), "sources": e.Sources})
	}
	for _, ki := range kg.Kinds {
		rows := byKind[ki.Kind]
		if len(rows) == 0 {
			continue
		}
		// An entity the import changes gets a new version, as a mutation's
		// change would, so that a client holding the old one gets CONFLICT
		// instead of overwriting the change; a new entity starts at 1.
		cypher := `UNWIND $rows AS r
MERGE (n:Entity {id: r.props.id})
ON CREATE SET n.version = 0, n.createdAt = datetime()
WITH n, r, coalesce(n.aliases, []) AS oldAliases, coalesce(n.sources, []) AS oldSources, coalesce(n.nameKeys, []) AS oldKeys
WITH n, r, oldAliases, oldSources, oldKeys,
     n.kind IS NULL OR n.kind <> r.props.kind OR n.name <> r.props.name OR
     coalesce(n.description, '') <> coalesce(r.props.description, '') OR
     any(a IN r.props.aliases WHERE NOT a IN oldAliases) OR any(x IN r.sources WHERE NOT x IN oldSources) AS changed
SET n.version = coalesce(n.version, 0) + CASE WHEN changed THEN 1 ELSE 0 END
SET n += r.props,
    n.aliases = oldAliases + [a IN r.props.aliases WHERE NOT a IN oldAliases],
    n.nameKeys = oldKeys + [k IN r.props.nameKeys WHERE NOT k IN oldKeys],
    n.sources = oldSources + [x IN r.sources WHERE NOT x IN oldSources],
    n:` + ki.Label + `
REMOVE ` + otherLabels(ki.Kind) + `
WITH n
SET n.aliasText = reduce(t = '', a IN n.aliases | t + a + ' ; ')`
		if err := txRun(ctx, tx, cypher, map[string]any{"rows": rows}); err != nil {
			return err
		}
	}
	if err := requireEntities(ctx, tx, g); err != nil {
		return err
	}
	// Mentions of entities defined elsewhere.
	if len(g.Mentions) > 0 {
		var rows []map[string]any
		for _, m := range g.Mentions {
			// Search words per alias, so that only aliases new to the entity add words (idempotent).
			words := map[string]any{}
			for _, a := range m.Aliases {
				words[a] = searchNames("", []string{a})
			}
			rows = append(rows, map[string]any{"id": m.EntityID, "source": m.SourceID, "aliases": orEmpty(m.Aliases),
				"words": words})
		}
		err := txRun(ctx, tx, `UNWIND $rows AS r
MATCH (n:Entity {id: r.id})
WITH n, r, coalesce(n.aliases, []) AS oldAliases, coalesce(n.sources, []) AS oldSources
WITH n, r, oldAliases, oldSources, [a IN r.aliases WHERE NOT a IN oldAliases] AS newAliases
SET n.aliases = oldAliases + newAliases,
    n.sources = CASE WHEN r.source IN oldSources THEN oldSources ELSE oldSources + r.source END,
    n.searchNames = reduce(t = coalesce(n.searchNames, ''), a IN newAliases | t + ' ' + r.words[a])
WITH n
SET n.aliasText = reduce(t = '', a IN n.aliases | t + a + ' ; ')`, map[string]any{"rows": rows})
		if err != nil {
			return err
		}
		// Keep nameKeys in step with aliases.
		if err := txRun(ctx, tx, `UNWIND $ids AS id MATCH (n:Entity {id: id}) SET n.nameKeys = coalesce(n.nameKeys, []) + [k IN $keys[id] WHERE NOT k IN coalesce(n.nameKeys, [])]`,
			mentionKeys(g.Mentions)); err != nil {
			return err
		}
	}
	// Fundings and their FUNDS edges (added to a copy: g is the caller's).
	allRels := append([]kg.Relationship(nil), g.Relationships...)
	var fundRows []map[string]any
	for i := range g.Fundings {
		f := &g.Fundings[i]
		fundRows = append(fundRows, fundingProps(f))
		for _, r := range f.Recipients {
			allRels = append(allRels, kg.Relationship{
				ID: kg.RelationshipID(f.Funder, "FUNDS", r, f.ID), Type: "FUNDS", From: f.Funder, To: r,
				Since: f.Since, Until: f.Until, On: f.On, Evidence: f.Evidence, FundingID: f.ID,
			})
		}
	}
	if len(fundRows) > 0 {
		err := txRun(ctx, tx, `UNWIND $rows AS r
MERGE (f:Funding {id: r.id})
WITH f, r, coalesce(f.evidence, []) AS oldEv, coalesce(f.sourceIds, []) AS oldSrc
SET f += r, f.evidence = `+mergedEvidence("oldEv", "r.evidence")+`,
    f.sourceIds = oldSrc + [x IN r.sourceIds WHERE NOT x IN oldSrc]
SET f.status = `+statusOf("f.evidence"), map[string]any{"rows": fundRows})
		if err != nil {
			return err
		}
	}
	// Relationships, one statement per type: the type comes from the kg enum.
	byType := map[kg.RelType][]map[string]any{}
	for i := range allRels {
		r := &allRels[i]
		byType[r.Type] = append(byType[r.Type], map[string]any{"from": r.From, "to": r.To, "props": relProps(r)})
	}
	for _, ti := range kg.RelTypes {
		rows := byType[ti.Type]
		if len(rows) == 0 {
			continue
		}
		cypher := `UNWIND $rows AS r
MATCH (a:Entity {id: r.from})
MATCH (b:Entity {id: r.to})
MERGE (a)-[x:` + string(ti.Type) + ` {id: r.props.id}]->(b)
WITH x, r, coalesce(x.evidence, []) AS oldEv, coalesce(x.sourceIds, []) AS oldSrc
SET x += r.props,
    x.evidence = ` + mergedEvidence("oldEv", "r.props.evidence") + `,
    x.sourceIds = oldSrc + [s IN r.props.sourceIds WHERE NOT s IN oldSrc]
SET x.status = ` + statusOf("x.evidence")
		if err := txRun(ctx, tx, cypher, map[string]any{"rows": rows}); err != nil {
			return err
		}
	}
	return nil
}

// requireEntities refuses an import that mentions, relates or funds an
// entity the graph does not have (once g's own entities are written), so
// that nothing is dropped in silence: the statements below MATCH their
// endpoints, and a missing one would leave its row out.
func requireEntities(ctx context.Context, tx neo4j.ManagedTransaction, g *kg.Graph) error {
	seen := map[string]bool{}
	var ids []string
	use := func(id string) {
		if id != "" && !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	for _, m := range g.Mentions {
		use(m.EntityID)
	}
	for _, r := range g.Relationships {
		use(r.From)
		use(r.To)
	}
	for _, f := range g.Fundings {
		use(f.Funder)
		use(f.AdministeredBy)
		use(f.Programme)
		for _, r := range f.Recipients {
			use(r)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	res, err := tx.Run(ctx, `UNWIND $ids AS id
OPTIONAL MATCH (n:Entity {id: id})
WITH id WHERE n IS NULL
OPTIONAL MATCH (r:Redirect {id: id})
RETURN id, r.target AS into ORDER BY id LIMIT 20`, map[string]any{"ids": ids})
	if err != nil {
		return err
	}
	recs, err := collect(ctx, res)
	if err != nil || len(recs) == 0 {
		return err
	}
	var missing []string
	for _, r := range recs {
		m := fmt.Sprintf("%q", recStr(r, "id"))
		if into := recStr(r, "into"); into != "" {
			m += fmt.Sprintf(" (merged into %q)", into)
		}
		missing = append(missing, m)
	}
	return kg.InvalidArg("entities", "the import refers to entities the graph does not have: %s; nothing was written", strings.Join(missing, ", "))
}

func mentionKeys(ms []kg.Mention) map[string]any {
	// The new aliases' keys, appended to the stored ones by the caller's Cypher.
	keys := map[string]any{}
	var ids []string
	for _, m := range ms {
		var ks []string
		for _, a := range m.Aliases {
			ks = append(ks, kg.NameKey(a))
		}
		keys[m.EntityID] = ks
		ids = append(ids, m.EntityID)
	}
	return map[string]any{"ids": ids, "keys": keys}
}

func orEmpty(ss []string) []string {
	if ss == nil {
		return []string{}
	}
	return ss
}

// Counts returns the numbers of entities by kind and relationships by type.
func (s *Store) Counts(ctx context.Context) (Counts, error) {
	c := Counts{Entities: map[string]int64{}, Relationships: map[string]int64{}}
	recs, err := s.read(ctx, "counts", `
CALL { MATCH (n:Entity) RETURN 'entity' AS what, n.kind AS key, count(*) AS n
  UNION ALL MATCH (:Entity)-[r]->(:Entity) RETURN 'rel' AS what, type(r) AS key, count(*) AS n
  UNION ALL MATCH (s:Source) RETURN 'source' AS what, '' AS key, count(*) AS n
  UNION ALL MATCH (f:Funding) RETURN 'funding' AS what, '' AS key, count(*) AS n }
RETURN what, key, n`, nil)
	if err != nil {
		return c, err
	}
	for _, r := range recs {
		what, _ := r.Get("what")
		key, _ := r.Get("key")
		n, _ := r.Get("n")
		k, _ := key.(string)
		v, _ := n.(int64)
		switch what {
		case "entity":
			c.Entities[k] = v
		case "rel":
			c.Relationships[k] = v
		case "source":
			c.Sources = v
		case "funding":
			c.Fundings = v
		}
	}
	return c, nil
}

// KindCounts returns the number of entities per kind and relationships per type.
func (s *Store) KindCounts(ctx context.Context) (map[string]int64, map[string]int64, error) {
	c, err := s.Counts(ctx)
	if err != nil {
		return nil, nil, err
	}
	return c.Entities, c.Relationships, nil
}

// LoadFacts is what the graph holds of the ids, name keys and sources that
// files about to be loaded use (see LoadFacts).
type LoadFacts struct {
	// Entities are the entities with the ids asked for, by id.
	Entities map[string]kg.Entity
	// MergedInto maps each id asked for that was merged away to its survivor.
	MergedInto map[string]string
	// NameOwners maps each name key asked for to the entity that has it.
	NameOwners map[string]string
	// Sources are the sources with the ids asked for, by id.
	Sources map[string]kg.Source
}

// LoadFacts looks up what loading files that define or mention the entities
// ids, claim the name keys keys and define the sources sourceIDs must be
// checked against. Finding the name keys reads every entity's keys once
// (a list property has no index): about a second at a million entities.
func (s *Store) LoadFacts(ctx context.Context, ids, keys, sourceIDs []string) (LoadFacts, error) {
	f := LoadFacts{Entities: map[string]kg.Entity{}, MergedInto: map[string]string{}, NameOwners: map[string]string{}}
	recs, err := s.read(ctx, "loadFactsIds", `
UNWIND $ids AS id
OPTIONAL MATCH (n:Entity {id: id})
OPTIONAL MATCH (r:Redirect {id: id})
RETURN id, n.kind AS kind, n.name AS name, r.target AS into`, map[string]any{"ids": orEmpty(ids)})
	if err != nil {
		return f, err
	}
	for _, r := range recs {
		id := recStr(r, "id")
		if k := recStr(r, "kind"); k != "" {
			f.Entities[id] = kg.Entity{ID: id, Kind: kg.Kind(k), Name: recStr(r, "name")}
		}
		if into := recStr(r, "into"); into != "" {
			f.MergedInto[id] = into
		}
	}
	if len(keys) > 0 {
		recs, err = s.read(ctx, "loadFactsNames", `
MATCH (n:Entity) WHERE any(k IN n.nameKeys WHERE k IN $keys)
RETURN n.id AS id, [k IN n.nameKeys WHERE k IN $keys] AS keys`, map[string]any{"keys": keys})
		if err != nil {
			return f, err
		}
		for _, r := range recs {
			v, _ := r.Get("keys")
			for _, k := range toStrings(v) {
				f.NameOwners[k] = recStr(r, "id")
			}
		}
	}
	f.Sources, err = s.SourcesByIDs(ctx, sourceIDs)
	return f, err
}

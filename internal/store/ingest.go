package store

// The ingestion workbench's storage (issue 22): documents stored with their
// text and digest on the Source node, the analyser's mentions and
// suggestions as nodes linked to it, and the curator's decisions on the
// suggestions.
//
//	(:Source {text, digest})-[:HAS_MENTION]->(:Mention)
//	(:Source)-[:HAS_SUGGESTION]->(:Suggestion)
//
// A suggestion's id is derived from its source and fingerprint, so that
// analysing the same document again (or with a later dictionary) finds the
// suggestion it made before, with the decision taken on it.

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/innograph/innograph/internal/kg"
)

// Suggestion kinds and statuses (kg's).
const (
	SuggestionEntity       = kg.SuggestionEntity
	SuggestionAlias        = kg.SuggestionAlias
	SuggestionRelationship = kg.SuggestionRelationship
	SuggestionFunding      = kg.SuggestionFunding
	SuggestionOpen         = kg.SuggestionOpen
	SuggestionAccepted     = kg.SuggestionAccepted
	SuggestionRejected     = kg.SuggestionRejected
)

// OpAcceptSuggestion is the audit log's operation for an accepted
// suggestion (one entry for everything the acceptance writes).
const OpAcceptSuggestion kg.Op = "ACCEPT_SUGGESTION"

// The workbench's records are kg's domain types.
type (
	// MentionRec is kg.MentionRecord.
	MentionRec = kg.MentionRecord
	// ProposalEnd is kg.ProposalEnd.
	ProposalEnd = kg.ProposalEnd
	// Proposal is kg.Proposal.
	Proposal = kg.Proposal
	// SuggestionRec is kg.SuggestionRecord.
	SuggestionRec = kg.SuggestionRecord
	// IngestResult is kg.IngestResult.
	IngestResult = kg.IngestResult
	// SuggestionEdit is kg.SuggestionEdit.
	SuggestionEdit = kg.SuggestionEdit
)

// SuggestionID is the stable id of a source's suggestion with fingerprint fp.
func SuggestionID(sourceID, fp string) string {
	h := sha256.Sum256([]byte(sourceID + "\x00" + fp))
	return "sg-" + hex.EncodeToString(h[:10])
}

// IngestedSourceID is the id a document with digest gets when it is
// ingested as a new source: "doc-" and the first 16 hex digits of the digest.
func IngestedSourceID(digest string) string {
	h := digest
	if len(h) > 7 && h[:7] == "sha256:" {
		h = h[7:]
	}
	if len(h) > 16 {
		h = h[:16]
	}
	return "doc-" + h
}

// SourceByDigest returns the source whose document has digest, nil when none.
func (s *Store) SourceByDigest(ctx context.Context, digest string) (*kg.Source, error) {
	recs, err := s.read(ctx, "sourceByDigest", "MATCH (s:Source {digest: $digest}) RETURN "+sourceProjection+" AS s ORDER BY s.id LIMIT 1", map[string]any{"digest": digest})
	if err != nil || len(recs) == 0 {
		return nil, err
	}
	src := sourceFromMap(recMap(recs[0], "s"))
	return &src, nil
}

// SourceText returns the text stored with a source ("" when it has none).
func (s *Store) SourceText(ctx context.Context, id string) (string, error) {
	recs, err := s.read(ctx, "sourceText", "MATCH (s:Source {id: $id}) RETURN s.text AS text", map[string]any{"id": id})
	if err != nil || len(recs) == 0 {
		return "", err
	}
	return recStr(recs[0], "text"), nil
}

// AllEntities returns every entity (the analyser's dictionary is built from
// them).
func (s *Store) AllEntities(ctx context.Context) ([]kg.Entity, error) {
	recs, err := s.read(ctx, "allEntities", "MATCH (n:Entity) RETURN "+entityProjectionOf("n")+" AS n", nil)
	if err != nil {
		return nil, err
	}
	out := make([]kg.Entity, 0, len(recs))
	for _, r := range recs {
		out = append(out, entityFromMap(recMap(r, "n")))
	}
	return out, nil
}

// SaveIngest stores a document and its analysis in one transaction. A
// source that already has src.Digest is kept as it is (its description is
// not overwritten; its text is set if it had none) and gets the analysis;
// otherwise src is created with text. Mentions replace the source's
// mentions; suggestions are merged by id: one already there keeps its
// status and decision, and an open one takes the new proposal, so that a
// rejected suggestion never comes back. The caller analysed the document
// for the source id SaveIngest ends up using: it passes the id of the
// existing source when there is one (SourceByDigest).
func (s *Store) SaveIngest(ctx context.Context, src kg.Source, text string, mentions []MentionRec, suggestions []SuggestionRec) (IngestResult, error) {
	if src.Digest == "" || text == "" {
		return IngestResult{}, kg.InvalidArg("text", "a document needs its text and digest")
	}
	if err := kg.CheckID("source", src.ID); err != nil {
		return IngestResult{}, err
	}
	srcProps := map[string]any{"id": src.ID, "title": src.Title, "publisher": nilIfEmpty(src.Publisher),
		"author": nilIfEmpty(src.Author), "url": nilIfEmpty(src.URL), "published": nil, "digest": src.Digest}
	if src.Published != nil {
		srcProps["published"] = src.Published.String()
	}
	mrows := make([]map[string]any, 0, len(mentions))
	for _, m := range mentions {
		mrows = append(mrows, map[string]any{"id": fmt.Sprintf("%s:m%d", src.ID, m.Start), "start": m.Start, "end": m.End,
			"text": m.Text, "entityIds": orEmpty(m.EntityIDs)})
	}
	srows := make([]map[string]any, 0, len(suggestions))
	for _, sg := range suggestions {
		if sg.SourceID != src.ID {
			return IngestResult{}, fmt.Errorf("suggestion %s is for source %s, not %s", sg.ID, sg.SourceID, src.ID)
		}
		prop, err := json.Marshal(sg.Proposal)
		if err != nil {
			return IngestResult{}, err
		}
		srows = append(srows, map[string]any{"id": sg.ID, "props": map[string]any{
			"sourceId": src.ID, "fingerprint": sg.Fingerprint, "kind": sg.Kind, "confidence": sg.Confidence,
			"quote": sg.Quote, "text": sg.Text, "start": sg.Start, "end": sg.End, "claim": string(sg.Claim.Or(kg.StatusAsserted)), "proposal": string(prop)}})
	}
	res, err := s.writeTx(ctx, "ingest", max(s.cfg.IngestTxTimeout, s.cfg.TxTimeout), func(tx neo4j.ManagedTransaction) (any, error) {
		var out IngestResult
		r, err := txOne(ctx, tx, "MATCH (s:Source {digest: $digest}) RETURN "+sourceProjection+" AS s ORDER BY s.id LIMIT 1", map[string]any{"digest": src.Digest})
		if err != nil {
			return nil, err
		}
		if r != nil {
			out.Source = sourceFromMap(r["s"].(map[string]any))
			if out.Source.ID != src.ID {
				// Another source took the digest between the caller's
				// lookup and this transaction: the caller analyses again.
				return nil, &kg.Error{Code: kg.CodeConflict, Field: "text", Message: fmt.Sprintf("the document is source %s now; try again", out.Source.ID)}
			}
			if err := txRun(ctx, tx, "MATCH (s:Source {id: $id}) SET s.text = coalesce(s.text, $text)", map[string]any{"id": src.ID, "text": text}); err != nil {
				return nil, err
			}
		} else {
			taken, err := txOne(ctx, tx, "MATCH (s:Source {id: $id}) RETURN s.id AS id", map[string]any{"id": src.ID})
			if err != nil {
				return nil, err
			}
			if taken != nil {
				return nil, &kg.Error{Code: kg.CodeConflict, Field: "text", Message: fmt.Sprintf("source id %s is taken by another document", src.ID)}
			}
			if err := txRun(ctx, tx, "CREATE (s:Source) SET s = $props, s.text = $text, s.ingestedAt = datetime()", map[string]any{"props": srcProps, "text": text}); err != nil {
				return nil, err
			}
			out.Source, out.Created = src, true
		}
		if err := txRun(ctx, tx, `MATCH (:Source {id: $id})-[:HAS_MENTION]->(m:Mention) DETACH DELETE m`, map[string]any{"id": src.ID}); err != nil {
			return nil, err
		}
		if err := txRun(ctx, tx, `MATCH (s:Source {id: $id}) UNWIND $rows AS r
CREATE (s)-[:HAS_MENTION]->(m:Mention) SET m = r, m.sourceId = $id`, map[string]any{"id": src.ID, "rows": mrows}); err != nil {
			return nil, err
		}
		nr, err := txOne(ctx, tx, `MATCH (s:Source {id: $id}) UNWIND $rows AS r
OPTIONAL MATCH (old:Suggestion {id: r.id})
WITH s, r, old IS NULL AS isNew
MERGE (g:Suggestion {id: r.id})
ON CREATE SET g += r.props, g.status = 'OPEN', g.createdAt = datetime()
ON MATCH SET g += CASE WHEN g.status = 'OPEN' THEN r.props ELSE {} END
MERGE (s)-[:HAS_SUGGESTION]->(g)
RETURN count(CASE WHEN isNew THEN 1 END) AS n`, map[string]any{"id": src.ID, "rows": srows})
		if err != nil {
			return nil, err
		}
		if nr != nil {
			out.NewSuggestions = int(i64(nr, "n"))
		}
		c, err := txOne(ctx, tx, `MATCH (s:Source {id: $id})
RETURN COUNT { (s)-[:HAS_MENTION]->(:Mention) } AS m, COUNT { (s)-[:HAS_SUGGESTION]->(:Suggestion) } AS g`, map[string]any{"id": src.ID})
		if err != nil {
			return nil, err
		}
		out.Mentions, out.Suggestions = int(i64(c, "m")), int(i64(c, "g"))
		return out, nil
	})
	if err != nil {
		return IngestResult{}, err
	}
	return res.(IngestResult), nil
}

// Mentions returns a keyset page of a source's mentions in text order.
func (s *Store) Mentions(ctx context.Context, sourceID string, page kg.Page) ([]MentionRec, []string, bool, error) {
	p := map[string]any{"id": sourceID, "limit": page.First + 1, "after": nil}
	if page.After != "" {
		vals, err := kg.DecodeCursor(page.After, 1)
		if err != nil {
			return nil, nil, false, err
		}
		n, err := strconv.ParseInt(vals[0], 10, 64)
		if err != nil {
			return nil, nil, false, kg.InvalidArg("after", "malformed cursor: pass a pageInfo.endCursor or edges.cursor value unchanged")
		}
		p["after"] = n
	}
	recs, err := s.read(ctx, "mentions", `MATCH (:Source {id: $id})-[:HAS_MENTION]->(m:Mention)
WHERE $after IS NULL OR m.start > $after
RETURN m {.*} AS m ORDER BY m.start LIMIT $limit`, p)
	if err != nil {
		return nil, nil, false, err
	}
	more := len(recs) > page.First
	if more {
		recs = recs[:page.First]
	}
	out := make([]MentionRec, 0, len(recs))
	var cursors []string
	for _, r := range recs {
		m := recMap(r, "m")
		out = append(out, MentionRec{Start: int(i64(m, "start")), End: int(i64(m, "end")), Text: str(m, "text"), EntityIDs: toStrings(m["entityIds"])})
		cursors = append(cursors, kg.EncodeCursor(strconv.FormatInt(i64(m, "start"), 10)))
	}
	return out, cursors, more, nil
}

// CountMentions counts a source's mentions.
func (s *Store) CountMentions(ctx context.Context, sourceID string) (int, error) {
	recs, err := s.read(ctx, "countMentions", "MATCH (:Source {id: $id})-[:HAS_MENTION]->(m:Mention) RETURN count(m) AS c", map[string]any{"id": sourceID})
	if err != nil || len(recs) == 0 {
		return 0, err
	}
	return int(i64(recs[0].AsMap(), "c")), nil
}

// Suggestions returns a keyset page of a source's suggestions, in text
// order, of the given statuses (all when none).
func (s *Store) Suggestions(ctx context.Context, sourceID string, statuses []string, page kg.Page) ([]SuggestionRec, []string, bool, error) {
	p := map[string]any{"id": sourceID, "limit": page.First + 1, "afterStart": nil, "afterID": "", "statuses": nil}
	if len(statuses) > 0 {
		p["statuses"] = statuses
	}
	if page.After != "" {
		vals, err := kg.DecodeCursor(page.After, 2)
		if err != nil {
			return nil, nil, false, err
		}
		n, err := strconv.ParseInt(vals[0], 10, 64)
		if err != nil {
			return nil, nil, false, kg.InvalidArg("after", "malformed cursor: pass a pageInfo.endCursor or edges.cursor value unchanged")
		}
		p["afterStart"], p["afterID"] = n, vals[1]
	}
	recs, err := s.read(ctx, "suggestions", `MATCH (:Source {id: $id})-[:HAS_SUGGESTION]->(g:Suggestion)
WHERE ($statuses IS NULL OR g.status IN $statuses)
  AND ($afterStart IS NULL OR g.start > $afterStart OR g.start = $afterStart AND g.id > $afterID)
RETURN g {.*} AS g ORDER BY g.start, g.id LIMIT $limit`, p)
	if err != nil {
		return nil, nil, false, err
	}
	more := len(recs) > page.First
	if more {
		recs = recs[:page.First]
	}
	out := make([]SuggestionRec, 0, len(recs))
	var cursors []string
	for _, r := range recs {
		sg := suggestionFromMap(recMap(r, "g"))
		out = append(out, sg)
		cursors = append(cursors, kg.EncodeCursor(strconv.Itoa(sg.Start), sg.ID))
	}
	return out, cursors, more, nil
}

// CountSuggestions counts a source's suggestions of the given statuses.
func (s *Store) CountSuggestions(ctx context.Context, sourceID string, statuses []string) (int, error) {
	p := map[string]any{"id": sourceID, "statuses": nil}
	if len(statuses) > 0 {
		p["statuses"] = statuses
	}
	recs, err := s.read(ctx, "countSuggestions", `MATCH (:Source {id: $id})-[:HAS_SUGGESTION]->(g:Suggestion)
WHERE $statuses IS NULL OR g.status IN $statuses RETURN count(g) AS c`, p)
	if err != nil || len(recs) == 0 {
		return 0, err
	}
	return int(i64(recs[0].AsMap(), "c")), nil
}

// SuggestionsByIDs returns suggestions keyed by id.
func (s *Store) SuggestionsByIDs(ctx context.Context, ids []string) (map[string]SuggestionRec, error) {
	out := map[string]SuggestionRec{}
	if len(ids) == 0 {
		return out, nil
	}
	recs, err := s.read(ctx, "suggestionsByIds", "UNWIND $ids AS id MATCH (g:Suggestion {id: id}) RETURN g {.*} AS g", map[string]any{"ids": ids})
	if err != nil {
		return nil, err
	}
	for _, r := range recs {
		sg := suggestionFromMap(recMap(r, "g"))
		out[sg.ID] = sg
	}
	return out, nil
}

// Suggestion returns one suggestion or NOT_FOUND.
func (s *Store) Suggestion(ctx context.Context, id string) (SuggestionRec, error) {
	m, err := s.SuggestionsByIDs(ctx, []string{id})
	if err != nil {
		return SuggestionRec{}, err
	}
	sg, ok := m[id]
	if !ok {
		return SuggestionRec{}, &kg.Error{Code: kg.CodeNotFound, Field: "id", Message: fmt.Sprintf("no suggestion with id %q", id)}
	}
	return sg, nil
}

func suggestionFromMap(m map[string]any) SuggestionRec {
	sg := SuggestionRec{
		ID: str(m, "id"), SourceID: str(m, "sourceId"), Fingerprint: str(m, "fingerprint"), Kind: str(m, "kind"),
		Status: str(m, "status"), Quote: str(m, "quote"), Text: str(m, "text"), Start: int(i64(m, "start")), End: int(i64(m, "end")),
		Claim: kg.ClaimStatus(str(m, "claim")), DecidedBy: str(m, "decidedBy"), Reason: str(m, "reason"),
		EntityID: str(m, "entityId"), RelationshipID: str(m, "relationshipId"), FundingID: str(m, "fundingId"),
	}
	if c, ok := m["confidence"].(float64); ok {
		sg.Confidence = c
	}
	if t, ok := m["decidedAt"].(time.Time); ok {
		sg.DecidedAt = &t
	}
	_ = json.Unmarshal([]byte(str(m, "proposal")), &sg.Proposal)
	return sg
}

// IngestKey records that idempotency key key ingests the document with
// digest: a retry with the key and the same text passes, the key reused for
// another text is refused with CONFLICT.
func (s *Store) IngestKey(ctx context.Context, key, digest string) error {
	if key == "" || len(key) > 200 || kg.CollapseSpace(key) != key {
		return kg.InvalidArg("idempotencyKey", "at most 200 characters without spaces")
	}
	recs, err := s.write(ctx, "ingestKey", "MERGE (k:IngestKey {key: $key}) ON CREATE SET k.digest = $digest, k.at = datetime() RETURN k.digest AS digest",
		map[string]any{"key": key, "digest": digest})
	if err != nil {
		return err
	}
	if len(recs) > 0 && recStr(recs[0], "digest") != digest {
		return &kg.Error{Code: kg.CodeConflict, Field: "idempotencyKey", Message: "this idempotency key was used to ingest another text"}
	}
	return nil
}

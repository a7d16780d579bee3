package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/innograph/innograph/internal/kg"
)

// AcceptSuggestion writes what an open suggestion proposes, edited by edit,
// through the curation code path: one change (validated, audited under
// OpAcceptSuggestion with meta's provenance, idempotent by
// meta.IdempotencyKey, bumping the graph version) that also marks the
// suggestion ACCEPTED. A relationship or funding whose end is an open entity
// suggestion accepts that suggestion too, in the same transaction. It
// returns the suggestion as it now is.
func (s *Store) AcceptSuggestion(ctx context.Context, id string, edit SuggestionEdit, meta kg.ChangeMeta) (SuggestionRec, error) {
	if err := checkSuggestionID("id", id); err != nil {
		return SuggestionRec{}, err
	}
	_, err := s.change(ctx, OpAcceptSuggestion, []any{id, edit}, meta, func(tx neo4j.ManagedTransaction) (changeRec, error) {
		sg, err := lockSuggestion(ctx, tx, id)
		if err != nil {
			return changeRec{}, err
		}
		a := &accepter{ctx: ctx, tx: tx, meta: meta}
		if err := a.accept(sg, edit); err != nil {
			return changeRec{}, err
		}
		return a.rec, nil
	})
	if err != nil {
		return SuggestionRec{}, err
	}
	return s.Suggestion(ctx, id)
}

// RejectSuggestion marks an open suggestion REJECTED, remembering who, when
// and why; analysing the document again never reopens it.
func (s *Store) RejectSuggestion(ctx context.Context, id, reason string, actor kg.Actor) (SuggestionRec, error) {
	if err := checkSuggestionID("id", id); err != nil {
		return SuggestionRec{}, err
	}
	if actor.Name == "" {
		return SuggestionRec{}, &kg.Error{Code: kg.CodeUnauthenticated, Message: "rejecting a suggestion needs an authenticated curator or admin"}
	}
	if !actor.Can(OpAcceptSuggestion) {
		return SuggestionRec{}, &kg.Error{Code: kg.CodeForbidden, Message: fmt.Sprintf("role %q may not reject suggestions", actor.Role)}
	}
	if len(reason) > kg.MaxReasonLen {
		return SuggestionRec{}, kg.InvalidArg("reason", "at most %d bytes", kg.MaxReasonLen)
	}
	_, err := s.writeTx(ctx, "rejectSuggestion", s.cfg.TxTimeout, func(tx neo4j.ManagedTransaction) (any, error) {
		sg, err := lockSuggestion(ctx, tx, id)
		if err != nil {
			return nil, err
		}
		if sg.ID == "" {
			return nil, fmt.Errorf("suggestion %s read back empty", id)
		}
		return nil, txRun(ctx, tx, `MATCH (g:Suggestion {id: $id})
SET g.status = 'REJECTED', g.decidedBy = $actor, g.decidedAt = datetime(), g.reason = $reason`,
			map[string]any{"id": id, "actor": actor.Name, "reason": nilIfEmpty(reason)})
	})
	if err != nil {
		return SuggestionRec{}, err
	}
	return s.Suggestion(ctx, id)
}

func checkSuggestionID(field, id string) error {
	if !strings.HasPrefix(id, "sg-") || !kg.ValidID(id) {
		return kg.InvalidArg(field, "malformed suggestion id %q: want sg- and hex digits", id)
	}
	return nil
}

// lockSuggestion takes the suggestion's write lock and returns it when it is
// open: NOT_FOUND when there is none, CONFLICT when it was decided.
func lockSuggestion(ctx context.Context, tx neo4j.ManagedTransaction, id string) (SuggestionRec, error) {
	sg, err := lockAnySuggestion(ctx, tx, "id", id)
	if err != nil {
		return SuggestionRec{}, err
	}
	if sg.Status != SuggestionOpen {
		return SuggestionRec{}, &kg.Error{Code: kg.CodeConflict, Field: "id", Message: fmt.Sprintf("suggestion %s was %s already", id, strings.ToLower(sg.Status))}
	}
	return sg, nil
}

// lockAnySuggestion takes the suggestion's write lock and returns it,
// whatever its status: NOT_FOUND, naming field, when there is none.
func lockAnySuggestion(ctx context.Context, tx neo4j.ManagedTransaction, field, id string) (SuggestionRec, error) {
	r, err := txOne(ctx, tx, "MATCH (g:Suggestion {id: $id}) SET g.lock = true REMOVE g.lock RETURN g {.*} AS g", map[string]any{"id": id})
	if err != nil {
		return SuggestionRec{}, err
	}
	if r == nil {
		return SuggestionRec{}, &kg.Error{Code: kg.CodeNotFound, Field: field, Message: fmt.Sprintf("no suggestion with id %q", id)}
	}
	return suggestionFromMap(r["g"].(map[string]any)), nil
}

// accepter accepts suggestions in one change's transaction, collecting the
// audit record.
type accepter struct {
	ctx  context.Context
	tx   neo4j.ManagedTransaction
	meta kg.ChangeMeta
	rec  changeRec
	// entities are the entities written, for the audit snapshot.
	after []any
}

func (a *accepter) touched(id string) {
	for _, x := range a.rec.entityIDs {
		if x == id {
			return
		}
	}
	a.rec.entityIDs = append(a.rec.entityIDs, id)
}

func (a *accepter) accept(sg SuggestionRec, edit SuggestionEdit) error {
	var res struct{ entity, rel, funding string }
	switch sg.Kind {
	case SuggestionEntity:
		id, err := a.acceptEntity(sg, edit)
		if err != nil {
			return err
		}
		res.entity = id
		a.rec.entityID = id
	case SuggestionAlias:
		p := sg.Proposal
		alias := p.Alias
		if edit.Alias != "" {
			alias = edit.Alias
		}
		cur, err := txEntity(a.ctx, a.tx, p.EntityID)
		if err != nil {
			return err
		}
		if cur == nil {
			return &kg.Error{Code: kg.CodeNotFound, Field: "id", Message: fmt.Sprintf("the suggestion names entity %q, which is gone", p.EntityID)}
		}
		aliases := append(append([]string{}, cur.Aliases...), alias)
		rec, err := updateEntityTx(a.ctx, a.tx, cur.ID, kg.EntityPatch{Aliases: &aliases}, cur.Version, a.meta)
		if err != nil {
			return err
		}
		a.rec.entityID, a.rec.before = cur.ID, rec.before
		a.after = append(a.after, rec.after)
		res.entity = cur.ID
	case SuggestionRelationship:
		p := sg.Proposal
		rel := kg.Relationship{Type: p.RelType, Role: p.Role, Evidence: []kg.Evidence{a.meta.Evidence}}
		if edit.RelType != "" {
			rel.Type = edit.RelType
		}
		if edit.Role != nil {
			rel.Role = strings.TrimSpace(*edit.Role)
		}
		if p.On != "" {
			if d, err := kg.ParseDate(p.On); err == nil {
				rel.On = &d
			}
		}
		if edit.On != nil {
			rel.On = edit.On
		}
		rel.Since, rel.Until = edit.Since, edit.Until
		var err error
		if rel.From, err = a.end("edit.from", edit.From, p.From); err != nil {
			return err
		}
		if rel.To, err = a.end("edit.to", edit.To, p.To); err != nil {
			return err
		}
		if err := rel.Validate(); err != nil {
			return err
		}
		rel.ID = kg.RelationshipID(rel.From, rel.Type, rel.To, "")
		rec, err := createRelationshipTx(a.ctx, a.tx, rel, a.meta)
		if err != nil {
			return err
		}
		a.rec.relID = rel.ID
		a.touched(rel.From)
		a.touched(rel.To)
		a.after = append(a.after, rec.after)
		res.rel = rel.ID
	case SuggestionFunding:
		p := sg.Proposal
		f := kg.Funding{Amount: p.Amount, Evidence: []kg.Evidence{a.meta.Evidence}}
		if p.On != "" {
			if d, err := kg.ParseDate(p.On); err == nil {
				f.On = &d
			}
		}
		if edit.On != nil {
			f.On = edit.On
		}
		var err error
		if f.Funder, err = a.end("edit.funder", edit.Funder, p.Funder); err != nil {
			return err
		}
		if edit.Recipients != nil {
			for _, r := range *edit.Recipients {
				id, err := a.end("edit.recipients", r, nil)
				if err != nil {
					return err
				}
				f.Recipients = append(f.Recipients, id)
			}
		} else {
			for i := range p.Recipients {
				id, err := a.end("edit.recipients", "", &p.Recipients[i])
				if err != nil {
					return err
				}
				f.Recipients = append(f.Recipients, id)
			}
		}
		h := sha256.Sum256([]byte(sg.ID))
		f.ID = "funding-" + hex.EncodeToString(h[:6])
		if err := f.Validate(); err != nil {
			return err
		}
		if err := importTx(a.ctx, a.tx, &kg.Graph{Fundings: []kg.Funding{f}}); err != nil {
			return err
		}
		a.touched(f.Funder)
		for _, r := range f.Recipients {
			a.touched(r)
		}
		a.after = append(a.after, map[string]any{"funding": f.ID, "funder": f.Funder, "recipients": orEmpty(f.Recipients), "amount": f.Amount})
		res.funding = f.ID
	default:
		return fmt.Errorf("suggestion %s has unknown kind %q", sg.ID, sg.Kind)
	}
	a.rec.after = map[string]any{"suggestion": sg.ID, "kind": sg.Kind, "wrote": a.after}
	return markAccepted(a.ctx, a.tx, sg.ID, a.meta.Actor.Name, res.entity, res.rel, res.funding)
}

func markAccepted(ctx context.Context, tx neo4j.ManagedTransaction, id, actor, entity, rel, funding string) error {
	return txRun(ctx, tx, `MATCH (g:Suggestion {id: $id})
SET g.status = 'ACCEPTED', g.decidedBy = $actor, g.decidedAt = datetime(),
    g.entityId = $entity, g.relationshipId = $rel, g.fundingId = $funding`,
		map[string]any{"id": id, "actor": actor, "entity": nilIfEmpty(entity), "rel": nilIfEmpty(rel), "funding": nilIfEmpty(funding)})
}

// acceptEntity creates the entity an ENTITY suggestion proposes and returns
// its id.
func (a *accepter) acceptEntity(sg SuggestionRec, edit SuggestionEdit) (string, error) {
	p := sg.Proposal
	e := kg.Entity{Kind: p.EntityKind, Name: p.Name, Aliases: p.Aliases, Description: strings.TrimSpace(edit.Description)}
	if edit.Name != "" {
		e.Name = strings.TrimSpace(edit.Name)
	}
	if edit.Kind != "" {
		e.Kind = edit.Kind
	}
	if edit.Aliases != nil {
		e.Aliases = *edit.Aliases
	}
	e.ID = edit.EntityID
	if e.ID == "" {
		// A slug of the name; the next free one when another entity has it.
		base := Slug(e.Name)
		if base == "" {
			return "", kg.InvalidArg("edit.entityId", "the name %q makes no id; give edit.entityId", e.Name)
		}
		ids := []string{base}
		for n := 2; n <= 20; n++ {
			ids = append(ids, fmt.Sprintf("%s-%d", base, n))
		}
		// The first of them that no entity or redirect has, in one query.
		r, err := txOne(a.ctx, a.tx, `UNWIND range(0, size($ids) - 1) AS i
WITH i, $ids[i] AS id
WHERE NOT EXISTS { MATCH (:Entity {id: id}) } AND NOT EXISTS { MATCH (:Redirect {id: id}) }
RETURN id ORDER BY i LIMIT 1`, map[string]any{"ids": ids})
		if err != nil {
			return "", err
		}
		if r == nil {
			return "", &kg.Error{Code: kg.CodeConflict, Field: "edit.entityId", Message: fmt.Sprintf("ids %s to %s are taken; give edit.entityId", base, ids[len(ids)-1])}
		}
		e.ID, _ = r["id"].(string)
	}
	if err := e.Validate(); err != nil {
		return "", err
	}
	rec, err := createEntityTx(a.ctx, a.tx, e, a.meta)
	if err != nil {
		return "", err
	}
	a.touched(e.ID)
	a.after = append(a.after, rec.after)
	return e.ID, nil
}

// end resolves one end of a relationship or funding to an entity id: the
// edit's value when given (an entity id, or the id of an entity suggestion),
// else the proposal's (its one candidate, or its entity suggestion). An open
// entity suggestion is accepted on the way.
func (a *accepter) end(field, edited string, p *ProposalEnd) (string, error) {
	ref := edited
	if ref == "" {
		switch {
		case p == nil:
			return "", kg.InvalidArg(field, "the suggestion names no %s; give one", strings.TrimPrefix(field, "edit."))
		case p.Suggestion != "":
			ref = p.Suggestion
		case len(p.Candidates) == 1:
			ref = p.Candidates[0]
		case len(p.Candidates) > 1:
			return "", kg.InvalidArg(field, "%q may name %s; give the one meant as %s", p.Text, strings.Join(p.Candidates, ", "), field)
		default:
			return "", kg.InvalidArg(field, "%q names no known entity; give one as %s", p.Text, field)
		}
	}
	if !strings.HasPrefix(ref, "sg-") {
		if err := kg.CheckID(field, ref); err != nil {
			return "", err
		}
		e, err := txEntity(a.ctx, a.tx, ref)
		if err != nil {
			return "", err
		}
		if e == nil {
			return "", &kg.Error{Code: kg.CodeNotFound, Field: field, Message: fmt.Sprintf("no entity with id %q", ref)}
		}
		return ref, nil
	}
	sg, err := lockAnySuggestion(a.ctx, a.tx, field, ref)
	if err != nil {
		return "", err
	}
	switch {
	case sg.Kind != SuggestionEntity:
		return "", kg.InvalidArg(field, "suggestion %s proposes a %s, not an entity", ref, strings.ToLower(sg.Kind))
	case sg.Status == SuggestionAccepted:
		return sg.EntityID, nil
	case sg.Status == SuggestionRejected:
		return "", &kg.Error{Code: kg.CodeConflict, Field: field, Message: fmt.Sprintf("%q is entity suggestion %s, which was rejected; give an entity id as %s", sg.Proposal.Name, ref, field)}
	}
	id, err := a.acceptEntity(sg, SuggestionEdit{})
	if err != nil {
		return "", err
	}
	return id, markAccepted(a.ctx, a.tx, sg.ID, a.meta.Actor.Name, id, "", "")
}

// Slug makes an id from a name: lower-case letters and digits, words joined
// by single hyphens, at most kg.MaxIDLen characters ("" when the name has no
// letters or digits of the Latin alphabet).
func Slug(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(foldText(name)) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		case r == '\'' || r == '’':
		default:
			dash = true
		}
	}
	s := b.String()
	if len(s) > kg.MaxIDLen {
		s = strings.TrimRight(s[:kg.MaxIDLen], "-")
	}
	return s
}

package graph

import (
	"context"
	"strings"
	"time"

	"github.com/innograph/innograph/graph/model"
	"github.com/innograph/innograph/internal/kg"
)

// Writer is what the mutation resolvers need from the database layer.
type Writer interface {
	CreateEntity(ctx context.Context, e kg.Entity, meta kg.ChangeMeta) (kg.Entity, error)
	UpdateEntity(ctx context.Context, id string, patch kg.EntityPatch, expectedVersion int64, meta kg.ChangeMeta) (kg.Entity, error)
	DeleteEntity(ctx context.Context, id string, expectedVersion int64, meta kg.ChangeMeta) error
	MergeEntities(ctx context.Context, keep, remove string, meta kg.ChangeMeta) (kg.Entity, error)
	CreateRelationship(ctx context.Context, r kg.Relationship, key string, meta kg.ChangeMeta) (kg.Relationship, error)
	DeleteRelationship(ctx context.Context, id string, meta kg.ChangeMeta) error
	Changes(ctx context.Context, f kg.ChangeFilter, page kg.Page) ([]kg.Change, []string, bool, error)
}

// changeMeta reads a change's provenance; claim says whether the change
// states a claim (createRelationship), the only kind that takes a status and
// an attribution.
func (r *Resolver) changeMeta(ctx context.Context, c model.ChangeInput, claim bool) (kg.ChangeMeta, error) {
	actor, ok := ActorFrom(ctx)
	if !ok {
		return kg.ChangeMeta{}, &kg.Error{Code: kg.CodeUnauthenticated, Message: "mutations need Authorization: Bearer <token> of a curator or admin"}
	}
	if err := kg.CheckID("change.source", c.Source); err != nil {
		return kg.ChangeMeta{}, err
	}
	ev := kg.Evidence{SourceID: c.Source, Quote: kg.CollapseSpace(c.Quote)}
	if !claim && (c.Status != nil || c.AttributedTo != nil) {
		return kg.ChangeMeta{}, kg.InvalidArg("change.status", "status and attributedTo describe the claim of a new relationship; only createRelationship takes them")
	}
	if c.Status != nil {
		ev.Status = kg.ClaimStatus(*c.Status)
	}
	if c.AttributedTo != nil {
		if err := kg.CheckID("change.attributedTo", *c.AttributedTo); err != nil {
			return kg.ChangeMeta{}, err
		}
		ev.AttributedTo = *c.AttributedTo
	}
	if err := r.checkQuote(ctx, ev); err != nil {
		return kg.ChangeMeta{}, err
	}
	return kg.ChangeMeta{Actor: actor, Reason: optString(c.Reason), IdempotencyKey: optString(c.IdempotencyKey),
		Evidence: ev}, nil
}

// checkQuote refuses a quote that does not occur verbatim in its source's
// document: the text stored with the source (ingestDocument) or, for a
// source without one, the document in Docs. An empty quote and an unknown
// source are left to the store, which refuses both.
func (r *Resolver) checkQuote(ctx context.Context, ev kg.Evidence) error {
	if ev.Quote == "" {
		return nil
	}
	if r.Workbench != nil {
		// A source ingested with its text (ingestDocument) proves its quotes.
		text, err := r.Workbench.SourceText(ctx, ev.SourceID)
		if err != nil {
			return err
		}
		if text != "" {
			if strings.Contains(kg.CollapseSpace(text), ev.Quote) {
				return nil
			}
			return kg.InvalidArg("change.quote", "the quote does not occur verbatim in the text of source %s; copy it exactly from the document, whitespace aside", ev.SourceID)
		}
	}
	if r.Docs == nil {
		return nil
	}
	src, err := r.Read.SourceByID(ctx, ev.SourceID)
	if err != nil || src == nil {
		return err
	}
	doc, ok := r.Docs[src.File]
	if !ok || strings.Contains(doc, ev.Quote) {
		return nil
	}
	return kg.InvalidArg("change.quote", "the quote does not occur verbatim in source %s (%s); copy it exactly from the document, whitespace aside", src.ID, src.File)
}

func (r *Resolver) afterWrite(ctx context.Context, e kg.Entity) model.Entity {
	r.Read.Forget(ctx, e.ID)
	return toEntity(e)
}

func (r *Resolver) createEntity(ctx context.Context, in model.CreateEntityInput, c model.ChangeInput) (model.Entity, error) {
	meta, err := r.changeMeta(ctx, c, false)
	if err != nil {
		return nil, err
	}
	e, err := r.Writer.CreateEntity(ctx, kg.Entity{ID: in.ID, Kind: kg.Kind(in.Kind), Name: in.Name, Aliases: in.Aliases, Description: optString(in.Description)}, meta)
	if err != nil {
		return nil, err
	}
	return r.afterWrite(ctx, e), nil
}

func (r *Resolver) updateEntity(ctx context.Context, in model.UpdateEntityInput, c model.ChangeInput) (model.Entity, error) {
	meta, err := r.changeMeta(ctx, c, false)
	if err != nil {
		return nil, err
	}
	if err := kg.CheckID("input.id", in.ID); err != nil {
		return nil, err
	}
	p := kg.EntityPatch{Name: in.Name, Description: in.Description}
	if in.Kind != nil {
		k := kg.Kind(*in.Kind)
		p.Kind = &k
	}
	if in.Aliases != nil {
		p.Aliases = &in.Aliases
	}
	e, err := r.Writer.UpdateEntity(ctx, in.ID, p, int64(in.ExpectedVersion), meta)
	if err != nil {
		return nil, err
	}
	return r.afterWrite(ctx, e), nil
}

func (r *Resolver) deleteEntity(ctx context.Context, id string, version int, c model.ChangeInput) (string, error) {
	meta, err := r.changeMeta(ctx, c, false)
	if err != nil {
		return "", err
	}
	if err := kg.CheckID("id", id); err != nil {
		return "", err
	}
	if err := r.Writer.DeleteEntity(ctx, id, int64(version), meta); err != nil {
		return "", err
	}
	r.Read.Forget(ctx, id)
	return id, nil
}

func (r *Resolver) mergeEntities(ctx context.Context, keep, remove string, c model.ChangeInput) (model.Entity, error) {
	meta, err := r.changeMeta(ctx, c, false)
	if err != nil {
		return nil, err
	}
	if err := kg.CheckID("keep", keep); err != nil {
		return nil, err
	}
	if err := kg.CheckID("remove", remove); err != nil {
		return nil, err
	}
	e, err := r.Writer.MergeEntities(ctx, keep, remove, meta)
	if err != nil {
		return nil, err
	}
	r.Read.Forget(ctx, remove)
	return r.afterWrite(ctx, e), nil
}

func (r *Resolver) createRelationship(ctx context.Context, in model.CreateRelationshipInput, c model.ChangeInput) (*model.Relationship, error) {
	meta, err := r.changeMeta(ctx, c, true)
	if err != nil {
		return nil, err
	}
	rel := kg.Relationship{From: in.From, To: in.To, Type: kg.RelType(in.Type), Role: optString(in.Role)}
	if in.Since != nil {
		rel.Since = &in.Since.Date
	}
	if in.Until != nil {
		rel.Until = &in.Until.Date
	}
	if in.On != nil {
		rel.On = &in.On.Date
	}
	out, err := r.Writer.CreateRelationship(ctx, rel, optString(in.Key), meta)
	if err != nil {
		return nil, err
	}
	return toRel(out), nil
}

func (r *Resolver) deleteRelationship(ctx context.Context, id string, c model.ChangeInput) (string, error) {
	meta, err := r.changeMeta(ctx, c, false)
	if err != nil {
		return "", err
	}
	if err := r.Writer.DeleteRelationship(ctx, id, meta); err != nil {
		return "", err
	}
	return id, nil
}

func (r *Resolver) changes(ctx context.Context, entity, since *string, first *int, after *string) (*model.ChangeConnection, error) {
	n, err := kg.PageSize(first, 20, kg.MaxPageSize)
	if err != nil {
		return nil, err
	}
	f := kg.ChangeFilter{EntityID: optString(entity)}
	if f.EntityID != "" {
		if err := kg.CheckID("entity", f.EntityID); err != nil {
			return nil, err
		}
	}
	if since != nil {
		t, err := time.Parse(time.RFC3339, *since)
		if err != nil {
			return nil, kg.InvalidArg("since", "want an RFC 3339 time such as 2026-01-31T12:00:00Z")
		}
		f.Since = &t
	}
	cs, cursors, more, err := r.Writer.Changes(ctx, f, kg.Page{First: n, After: optString(after)})
	if err != nil {
		return nil, err
	}
	conn := &model.ChangeConnection{Nodes: []*model.Change{}, PageInfo: pageInfo(cursors, more, after != nil)}
	for _, c := range cs {
		conn.Nodes = append(conn.Nodes, &model.Change{
			ID: c.ID, At: c.At.Format(time.RFC3339Nano), Actor: c.Actor, Role: string(c.Role), Operation: string(c.Op),
			EntityID: optStr(c.EntityID), RelationshipID: optStr(c.RelationshipID), Before: optStr(c.Before), After: optStr(c.After),
			Reason: optStr(c.Reason), Evidence: toEvidence([]kg.Evidence{c.Evidence})[0],
		})
	}
	return conn, nil
}

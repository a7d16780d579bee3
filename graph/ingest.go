package graph

// Resolvers of the ingestion workbench (issue 22): ingestDocument, the
// review fields of Source, and acceptSuggestion / rejectSuggestion.

import (
	"context"
	"time"

	"github.com/innograph/innograph/graph/model"
	"github.com/innograph/innograph/internal/kg"
)

// Workbench is what the workbench resolvers need from the database layer
// and the analyser.
type Workbench interface {
	// Ingest checks and ingests a document; a non-empty key makes it
	// idempotent (the same key for another text is a CONFLICT).
	Ingest(ctx context.Context, d kg.IngestDocument, key string) (kg.IngestResult, error)
	SourceText(ctx context.Context, id string) (string, error)
	Mentions(ctx context.Context, sourceID string, page kg.Page) ([]kg.MentionRecord, []string, bool, error)
	CountMentions(ctx context.Context, sourceID string) (int, error)
	Suggestions(ctx context.Context, sourceID string, statuses []string, page kg.Page) ([]kg.SuggestionRecord, []string, bool, error)
	CountSuggestions(ctx context.Context, sourceID string, statuses []string) (int, error)
	SuggestionsByIDs(ctx context.Context, ids []string) (map[string]kg.SuggestionRecord, error)
	AcceptSuggestion(ctx context.Context, id string, edit kg.SuggestionEdit, meta kg.ChangeMeta) (kg.SuggestionRecord, error)
	RejectSuggestion(ctx context.Context, id, reason string, actor kg.Actor) (kg.SuggestionRecord, error)
	Relationship(ctx context.Context, id string) (kg.Relationship, error)
}

func (r *Resolver) workbench() (Workbench, error) {
	if r.Workbench == nil {
		return nil, &kg.Error{Code: kg.CodeUnavailable, Message: "the ingestion workbench is not enabled on this server"}
	}
	return r.Workbench, nil
}

func (r *Resolver) ingestDocument(ctx context.Context, in model.IngestDocumentInput, key *string) (*model.Source, error) {
	actor, ok := ActorFrom(ctx)
	if !ok {
		return nil, &kg.Error{Code: kg.CodeUnauthenticated, Message: "ingesting needs Authorization: Bearer <token> of a curator or admin"}
	}
	if !actor.Can(kg.OpCreateEntity) {
		return nil, &kg.Error{Code: kg.CodeForbidden, Message: "only curators and admins ingest documents"}
	}
	w, err := r.workbench()
	if err != nil {
		return nil, err
	}
	d := kg.IngestDocument{Title: in.Title, Publisher: optString(in.Publisher), Author: optString(in.Author), URL: optString(in.URL), Text: in.Text}
	if in.Published != nil {
		d.Published = &in.Published.Date
	}
	res, err := w.Ingest(ctx, d, optString(key))
	if err != nil {
		return nil, err
	}
	r.Read.Forget(ctx, res.Source.ID)
	return toSource(res.Source), nil
}

func (r *Resolver) sourceText(ctx context.Context, id string) (*string, error) {
	w, err := r.workbench()
	if err != nil {
		return nil, nil
	}
	t, err := w.SourceText(ctx, id)
	if err != nil || t == "" {
		return nil, err
	}
	return &t, nil
}

func (r *Resolver) sourceDigest(ctx context.Context, id string) (*string, error) {
	s, err := r.Read.SourceByID(ctx, id)
	if err != nil || s == nil || s.Digest == "" {
		return nil, err
	}
	return &s.Digest, nil
}

func (r *Resolver) sourceMentions(ctx context.Context, id string, first *int, after *string) (*model.MentionConnection, error) {
	n, err := kg.PageSize(first, 50, kg.MaxPageSize)
	if err != nil {
		return nil, err
	}
	w, err := r.workbench()
	if err != nil {
		return nil, err
	}
	ms, cursors, more, err := w.Mentions(ctx, id, kg.Page{First: n, After: optString(after)})
	if err != nil {
		return nil, err
	}
	conn := &model.MentionConnection{Edges: []*model.MentionEdge{}, Nodes: []*model.Mention{}, PageInfo: pageInfo(cursors, more, after != nil),
		Count: func() (int, error) { return w.CountMentions(ctx, id) }}
	for i, m := range ms {
		node := &model.Mention{Start: m.Start, End: m.End, Text: m.Text, EntityIDs: m.EntityIDs}
		conn.Nodes = append(conn.Nodes, node)
		conn.Edges = append(conn.Edges, &model.MentionEdge{Cursor: cursors[i], Node: node})
	}
	return conn, nil
}

func (r *Resolver) sourceSuggestions(ctx context.Context, id string, status []model.SuggestionStatus, first *int, after *string) (*model.SuggestionConnection, error) {
	n, err := kg.PageSize(first, 50, kg.MaxPageSize)
	if err != nil {
		return nil, err
	}
	w, err := r.workbench()
	if err != nil {
		return nil, err
	}
	var ss []string
	for _, s := range status {
		ss = append(ss, string(s))
	}
	recs, cursors, more, err := w.Suggestions(ctx, id, ss, kg.Page{First: n, After: optString(after)})
	if err != nil {
		return nil, err
	}
	conn := &model.SuggestionConnection{Edges: []*model.SuggestionEdge{}, Nodes: []*model.Suggestion{}, PageInfo: pageInfo(cursors, more, after != nil),
		Count: func() (int, error) { return w.CountSuggestions(ctx, id, ss) }}
	for i, sg := range recs {
		node := toSuggestion(sg)
		conn.Nodes = append(conn.Nodes, node)
		conn.Edges = append(conn.Edges, &model.SuggestionEdge{Cursor: cursors[i], Node: node})
	}
	return conn, nil
}

func (r *Resolver) suggestion(ctx context.Context, id string) (*model.Suggestion, error) {
	w, err := r.workbench()
	if err != nil {
		return nil, err
	}
	if len(id) > kg.MaxIDLen {
		return nil, kg.InvalidArg("id", "malformed suggestion id")
	}
	m, err := w.SuggestionsByIDs(ctx, []string{id})
	if err != nil {
		return nil, err
	}
	sg, ok := m[id]
	if !ok {
		return nil, nil
	}
	return toSuggestion(sg), nil
}

func (r *Resolver) acceptSuggestion(ctx context.Context, id string, edit *model.SuggestionEdit, change *model.ChangeInput) (*model.Suggestion, error) {
	if _, ok := ActorFrom(ctx); !ok {
		return nil, &kg.Error{Code: kg.CodeUnauthenticated, Message: "accepting needs Authorization: Bearer <token> of a curator or admin"}
	}
	w, err := r.workbench()
	if err != nil {
		return nil, err
	}
	cur, err := r.suggestion(ctx, id)
	if err != nil {
		return nil, err
	}
	if cur == nil {
		return nil, &kg.Error{Code: kg.CodeNotFound, Field: "id", Message: "no suggestion with id " + id}
	}
	// The evidence: the suggestion's own sentence unless change gives another.
	c := model.ChangeInput{Source: cur.SourceID, Quote: cur.Quote}
	if change != nil {
		c = *change
	}
	claim := cur.ClaimStatus
	if c.Status == nil {
		c.Status = &claim
	}
	meta, err := r.changeMeta(ctx, c, true)
	if err != nil {
		return nil, err
	}
	sg, err := w.AcceptSuggestion(ctx, id, storeEdit(edit), meta)
	if err != nil {
		return nil, err
	}
	for _, e := range []string{sg.EntityID, sg.Proposal.EntityID} {
		if e != "" {
			r.Read.Forget(ctx, e)
		}
	}
	return toSuggestion(sg), nil
}

func (r *Resolver) rejectSuggestion(ctx context.Context, id string, reason *string) (*model.Suggestion, error) {
	actor, ok := ActorFrom(ctx)
	if !ok {
		return nil, &kg.Error{Code: kg.CodeUnauthenticated, Message: "rejecting needs Authorization: Bearer <token> of a curator or admin"}
	}
	w, err := r.workbench()
	if err != nil {
		return nil, err
	}
	sg, err := w.RejectSuggestion(ctx, id, optString(reason), actor)
	if err != nil {
		return nil, err
	}
	return toSuggestion(sg), nil
}

func storeEdit(e *model.SuggestionEdit) kg.SuggestionEdit {
	var out kg.SuggestionEdit
	if e == nil {
		return out
	}
	out.EntityID, out.Name, out.Description, out.Alias = optString(e.EntityID), optString(e.Name), optString(e.Description), optString(e.Alias)
	if e.Kind != nil {
		out.Kind = kg.Kind(*e.Kind)
	}
	if e.Aliases != nil {
		a := e.Aliases
		out.Aliases = &a
	}
	if e.Type != nil {
		out.RelType = kg.RelType(*e.Type)
	}
	out.From, out.To, out.Role, out.Funder = optString(e.From), optString(e.To), e.Role, optString(e.Funder)
	for dst, src := range map[**kg.Date]*model.Date{&out.Since: e.Since, &out.Until: e.Until, &out.On: e.On} {
		if src != nil {
			d := src.Date
			*dst = &d
		}
	}
	if e.Recipients != nil {
		rs := e.Recipients
		out.Recipients = &rs
	}
	return out
}

func toSuggestion(sg kg.SuggestionRecord) *model.Suggestion {
	m := &model.Suggestion{
		ID: sg.ID, Kind: model.SuggestionKind(sg.Kind), Status: model.SuggestionStatus(sg.Status), Confidence: sg.Confidence,
		Quote: sg.Quote, Start: sg.Start, End: sg.End, Text: sg.Text, ClaimStatus: model.ClaimStatus(sg.Claim.Or(kg.StatusAsserted)),
		DecidedBy: optStr(sg.DecidedBy), Reason: optStr(sg.Reason), SourceID: sg.SourceID,
		AcceptedEntityID: sg.EntityID, AcceptedRelationshipID: sg.RelationshipID, AcceptedFundingID: sg.FundingID,
	}
	if sg.DecidedAt != nil {
		t := sg.DecidedAt.UTC().Format(time.RFC3339)
		m.DecidedAt = &t
	}
	p := sg.Proposal
	date := func(s string) *model.Date {
		d, err := kg.ParseDate(s)
		if s == "" || err != nil {
			return nil
		}
		return &model.Date{Date: d}
	}
	switch sg.Kind {
	case kg.SuggestionEntity:
		m.Entity = &model.ProposedEntity{Name: p.Name, Kind: model.EntityKind(p.EntityKind), Aliases: orNone(p.Aliases)}
	case kg.SuggestionAlias:
		m.Alias = &model.ProposedAlias{Alias: p.Alias, EntityID: p.EntityID}
	case kg.SuggestionRelationship:
		m.Relationship = &model.ProposedRelationship{Type: model.RelationshipType(p.RelType), From: toEnd(p.From), To: toEnd(p.To), Role: optStr(p.Role), On: date(p.On)}
	case kg.SuggestionFunding:
		f := &model.ProposedFunding{Funder: toEnd(p.Funder), Recipients: []*model.SuggestionEnd{}, On: date(p.On)}
		if p.Amount != nil {
			f.Amount = toMoney(*p.Amount)
		}
		for i := range p.Recipients {
			f.Recipients = append(f.Recipients, toEnd(&p.Recipients[i]))
		}
		m.Funding = f
	}
	return m
}

func toEnd(e *kg.ProposalEnd) *model.SuggestionEnd {
	if e == nil {
		return nil
	}
	return &model.SuggestionEnd{Text: e.Text, Start: e.Start, End: e.End, CandidateIDs: e.Candidates, SuggestionID: e.Suggestion}
}

func orNone(ss []string) []string {
	if ss == nil {
		return []string{}
	}
	return ss
}

func (r *Resolver) suggestionRef(ctx context.Context, id string) (*model.Suggestion, error) {
	if id == "" {
		return nil, nil
	}
	return r.suggestion(ctx, id)
}

func (r *Resolver) acceptedRelationship(ctx context.Context, id string) (*model.Relationship, error) {
	if id == "" {
		return nil, nil
	}
	w, err := r.workbench()
	if err != nil {
		return nil, err
	}
	rel, err := w.Relationship(ctx, id)
	if kg.ErrorCode(err) == kg.CodeNotFound {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return toRel(rel), nil
}

func (r *Resolver) acceptedFunding(ctx context.Context, id string) (*model.Funding, error) {
	if id == "" {
		return nil, nil
	}
	f, err := r.Read.FundingByID(ctx, id)
	if err != nil || f == nil {
		return nil, err
	}
	return toFunding(*f), nil
}

func (r *Resolver) loadSource(ctx context.Context, id string) (*model.Source, error) {
	s, err := r.Read.SourceByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if s == nil {
		return &model.Source{ID: id, Title: id}, nil
	}
	return toSource(*s), nil
}

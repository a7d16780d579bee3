package graph

import (
	"github.com/innograph/innograph/graph/model"
	"github.com/innograph/innograph/internal/kg"
)

func optStr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func toEvidence(evs []kg.Evidence) []*model.Evidence {
	out := make([]*model.Evidence, 0, len(evs))
	for _, ev := range evs {
		out = append(out, &model.Evidence{Quote: ev.Quote, SourceID: ev.SourceID,
			Status: model.ClaimStatus(ev.Status.Or(kg.StatusAsserted)), AttributedToID: ev.AttributedTo})
	}
	return out
}

func toRel(r kg.Relationship) *model.Relationship {
	return &model.Relationship{
		ID: r.ID, Type: model.RelationshipType(r.Type), FromID: r.From, ToID: r.To, Role: optStr(r.Role),
		Since: model.DateOf(r.Since), Until: model.DateOf(r.Until), On: model.DateOf(r.On),
		Evidence: toEvidence(r.Evidence), Status: claimStatus(r.Status, r.Evidence), FundingID: r.FundingID,
	}
}

func toMoney(m kg.Money) *model.Money {
	return &model.Money{Value: m.Value, Currency: m.Currency, Note: optStr(m.Note)}
}

func toFunding(f kg.Funding) *model.Funding {
	out := &model.Funding{
		ID: f.ID, FunderID: f.Funder, RecipientIDs: f.Recipients, AdministeredBy: f.AdministeredBy,
		ProgrammeID: f.Programme, Purpose: optStr(f.Purpose), Evidence: toEvidence(f.Evidence),
		Status: claimStatus(f.Status, f.Evidence),
	}
	if f.Amount != nil {
		out.Amount = toMoney(*f.Amount)
	}
	if f.Since != nil || f.Until != nil || f.On != nil {
		out.Period = &model.Period{Since: model.DateOf(f.Since), Until: model.DateOf(f.Until), On: model.DateOf(f.On)}
	}
	return out
}

func toSource(s kg.Source) *model.Source {
	return &model.Source{
		ID: s.ID, Title: s.Title, Publisher: optStr(s.Publisher), Author: optStr(s.Author),
		Published: model.DateOf(s.Published), URL: optStr(s.URL), File: optStr(s.File),
	}
}

func pageInfo(cursors []string, more, hasPrev bool) *model.PageInfo {
	pi := &model.PageInfo{HasNextPage: more, HasPreviousPage: hasPrev}
	if len(cursors) > 0 {
		pi.StartCursor = &cursors[0]
		pi.EndCursor = &cursors[len(cursors)-1]
	}
	return pi
}

func kindsOf(ks []model.EntityKind) []kg.Kind {
	out := make([]kg.Kind, 0, len(ks))
	for _, k := range ks {
		out = append(out, kg.Kind(k))
	}
	return out
}

func typesOf(ts []model.RelationshipType) []kg.RelType {
	out := make([]kg.RelType, 0, len(ts))
	for _, t := range ts {
		out = append(out, kg.RelType(t))
	}
	return out
}

// claimStatus is a record's status: the one stored, or else the strongest of
// its evidence.
func claimStatus(s kg.ClaimStatus, evs []kg.Evidence) model.ClaimStatus {
	return model.ClaimStatus(kg.StatusOf(s, evs))
}

func statusesOf(ss []model.ClaimStatus) []kg.ClaimStatus {
	out := make([]kg.ClaimStatus, 0, len(ss))
	for _, s := range ss {
		out = append(out, kg.ClaimStatus(s))
	}
	return out
}

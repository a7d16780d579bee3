package store

import (
	"context"
	"fmt"
	"math/big"
	"strings"

	"github.com/innograph/innograph/internal/kg"
)

func fundingWhere(f kg.FundingFilter) (string, map[string]any) {
	where := []string{"true"}
	p := map[string]any{}
	if f.Funder != "" {
		where = append(where, "f.funder = $funder")
		p["funder"] = f.Funder
	}
	if f.Recipient != "" {
		where = append(where, "$recipient IN f.recipients")
		p["recipient"] = f.Recipient
	}
	if f.Programme != "" {
		where = append(where, "f.programme = $programme")
		p["programme"] = f.Programme
	}
	if f.SourceID != "" {
		where = append(where, "$source IN f.sourceIds")
		p["source"] = f.SourceID
	}
	if ss := statusesParam(f.Statuses); ss != nil {
		where = append(where, "coalesce(f.status, 'ASSERTED') IN $statuses")
		p["statuses"] = ss
	}
	if f.From != nil {
		// The record's period must end on or after From (open-ended periods qualify).
		where = append(where, "coalesce(f.onStart, f.sinceStart, f.untilEnd) IS NOT NULL AND coalesce(f.untilEnd, f.onEnd, CASE WHEN f.sinceStart IS NOT NULL THEN date('9999-12-31') END) >= $from")
		p["from"] = neoDate(*f.From)
	}
	if f.To != nil {
		where = append(where, "coalesce(f.onStart, f.sinceStart, f.untilEnd) IS NOT NULL AND coalesce(f.onStart, f.sinceStart, date('0001-01-01')) <= $to")
		p["to"] = neoDate(*f.To)
	}
	return strings.Join(where, " AND "), p
}

// Fundings returns a keyset page of funding records, newest first.
func (s *Store) Fundings(ctx context.Context, f kg.FundingFilter, page kg.Page) ([]kg.Funding, []string, bool, error) {
	where, p := fundingWhere(f)
	if page.After != "" {
		vals, err := kg.DecodeCursor(page.After, 1)
		if err != nil {
			return nil, nil, false, err
		}
		where += " AND f.sortKey < $after"
		p["after"] = vals[0]
	}
	p["limit"] = page.First + 1
	recs, err := s.read(ctx, "fundings", "MATCH (f:Funding) WHERE "+where+" WITH f ORDER BY f.sortKey DESC LIMIT $limit RETURN f {.*} AS f", p)
	if err != nil {
		return nil, nil, false, err
	}
	more := len(recs) > page.First
	if more {
		recs = recs[:page.First]
	}
	var out []kg.Funding
	var cursors []string
	for _, r := range recs {
		m := recMap(r, "f")
		out = append(out, fundingFromMap(m))
		cursors = append(cursors, kg.EncodeCursor(str(m, "sortKey")))
	}
	return out, cursors, more, nil
}

// CountFundings counts the funding records matching f.
func (s *Store) CountFundings(ctx context.Context, f kg.FundingFilter) (int, error) {
	where, p := fundingWhere(f)
	recs, err := s.read(ctx, "countFundings", "MATCH (f:Funding) WHERE "+where+" RETURN count(f) AS c", p)
	if err != nil {
		return 0, err
	}
	c, _ := recs[0].Get("c")
	n, _ := c.(int64)
	return int(n), nil
}

// FundingTotals sums stated amounts per currency over every record matching
// f, exactly (decimal arithmetic, not floating point).
func (s *Store) FundingTotals(ctx context.Context, f kg.FundingFilter) ([]kg.Money, error) {
	where, p := fundingWhere(f)
	recs, err := s.read(ctx, "fundingTotals", "MATCH (f:Funding) WHERE "+where+" AND f.amountValue IS NOT NULL RETURN f.currency AS c, collect(f.amountValue) AS vs ORDER BY c", p)
	if err != nil {
		return nil, err
	}
	var out []kg.Money
	for _, r := range recs {
		sum := new(big.Rat)
		vs, _ := r.Get("vs")
		for _, v := range toStrings(vs) {
			x, ok := new(big.Rat).SetString(v)
			if ok {
				sum.Add(sum, x)
			}
		}
		out = append(out, kg.Money{Value: ratString(sum), Currency: recStr(r, "c")})
	}
	return out, nil
}

func ratString(r *big.Rat) string {
	if r.IsInt() {
		return r.Num().String()
	}
	s := r.FloatString(6)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// FundingsByIDs returns funding records keyed by id.
func (s *Store) FundingsByIDs(ctx context.Context, ids []string) (map[string]kg.Funding, error) {
	out := map[string]kg.Funding{}
	if len(ids) == 0 {
		return out, nil
	}
	recs, err := s.read(ctx, "fundingsByIds", "UNWIND $ids AS id MATCH (f:Funding {id: id}) RETURN f {.*} AS f", map[string]any{"ids": ids})
	if err != nil {
		return nil, err
	}
	for _, r := range recs {
		f := fundingFromMap(recMap(r, "f"))
		out[f.ID] = f
	}
	return out, nil
}

// FundingsOf returns, for each entity id, the funding records in which it
// plays role: "funder", "recipient" or "programme"; newest first, at most
// first per entity.
func (s *Store) FundingsOf(ctx context.Context, ids []string, role string, first int) (map[string][]kg.Funding, error) {
	var match string
	switch role {
	case "funder":
		match = "MATCH (f:Funding) WHERE f.funder = id"
	case "recipient":
		match = "MATCH (f:Funding) WHERE id IN f.recipients"
	case "programme":
		match = "MATCH (f:Funding) WHERE f.programme = id"
	default:
		return nil, fmt.Errorf("store: unknown funding role %q", role)
	}
	recs, err := s.read(ctx, "fundingsOf:"+role, `
UNWIND $ids AS id
CALL { WITH id `+match+` RETURN f ORDER BY f.sortKey DESC LIMIT $first }
RETURN id, f {.*} AS f`, map[string]any{"ids": ids, "first": first})
	if err != nil {
		return nil, err
	}
	out := map[string][]kg.Funding{}
	for _, r := range recs {
		id := recStr(r, "id")
		out[id] = append(out[id], fundingFromMap(recMap(r, "f")))
	}
	return out, nil
}

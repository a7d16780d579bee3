package store

import (
	"sort"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"github.com/innograph/innograph/internal/kg"
)

// evidenceSep separates the fields of a stored evidence string: source id,
// quote, claim status and the id of the entity the claim is attributed to
// ("" when the source itself speaks). A string of the first two fields alone
// is an ASSERTED claim of the source.
const evidenceSep = "\u001f"

func encodeEvidence(evs []kg.Evidence) (enc, sources []string) {
	seen := map[string]bool{}
	for _, ev := range evs {
		enc = append(enc, ev.SourceID+evidenceSep+ev.Quote+evidenceSep+string(ev.Status.Or(kg.StatusAsserted))+evidenceSep+ev.AttributedTo)
		if !seen[ev.SourceID] {
			seen[ev.SourceID] = true
			sources = append(sources, ev.SourceID)
		}
	}
	return enc, sources
}

func decodeEvidence(v any) []kg.Evidence {
	var out []kg.Evidence
	for _, s := range toStrings(v) {
		parts := strings.SplitN(s, evidenceSep, 4)
		ev := kg.Evidence{SourceID: parts[0], Status: kg.StatusAsserted}
		if len(parts) > 1 {
			ev.Quote = parts[1]
		}
		if len(parts) > 2 && kg.ClaimStatus(parts[2]).Valid() {
			ev.Status = kg.ClaimStatus(parts[2])
		}
		if len(parts) > 3 {
			ev.AttributedTo = parts[3]
		}
		out = append(out, ev)
	}
	return out
}

func toStrings(v any) []string {
	switch x := v.(type) {
	case []any:
		out := make([]string, 0, len(x))
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	case []string:
		return x
	}
	return nil
}

func str(m map[string]any, k string) string {
	s, _ := m[k].(string)
	return s
}

func i64(m map[string]any, k string) int64 {
	n, _ := m[k].(int64)
	return n
}

func dateProp(m map[string]any, k string) *kg.Date {
	s := str(m, k)
	if s == "" {
		return nil
	}
	d, err := kg.ParseDate(s)
	if err != nil {
		return nil
	}
	return &d
}

func neoDate(t time.Time) dbtype.Date { return neo4j.DateOf(t) }

// dateParams stores a date as its text (with precision) and as the Neo4j
// date its period starts or ends on, for range filters.
func dateParams(props map[string]any, name string, d *kg.Date) {
	if d == nil {
		props[name] = nil
		props[name+"Start"] = nil
		props[name+"End"] = nil
		return
	}
	props[name] = d.String()
	props[name+"Start"] = neoDate(d.Start())
	props[name+"End"] = neoDate(d.End())
}

func nameKeys(name string, aliases []string) []string {
	keys := []string{kg.NameKey(name)}
	for _, a := range aliases {
		keys = append(keys, kg.NameKey(a))
	}
	sort.Strings(keys)
	return keys
}

func entityProps(e *kg.Entity) map[string]any {
	aliases := e.Aliases
	if aliases == nil {
		aliases = []string{}
	}
	return map[string]any{
		"id":          e.ID,
		"kind":        string(e.Kind),
		"name":        e.Name,
		"aliases":     aliases,
		"aliasText":   strings.Join(aliases, " ; "),
		"description": e.Description,
		"nameKeys":    nameKeys(e.Name, aliases),
		"searchNames": searchNames(e.Name, aliases),
	}
}

// searchNames is the full-text field that makes "Chang’e", "Chang'e" and
// "Change" one word: names and aliases with apostrophes removed and accents folded.
func searchNames(name string, aliases []string) string {
	return strings.Join(searchTokens(name+" ; "+strings.Join(aliases, " ; ")), " ")
}

// entityProjectionOf is the Cypher map projection of the entity in variable
// n with just the properties entityFromMap reads; the search helpers
// (nameKeys, searchNames, aliasText) and bookkeeping stay in Neo4j.
func entityProjectionOf(n string) string {
	return n + " {.id, .kind, .name, .aliases, .description, .sources, .version}"
}

func entityFromMap(m map[string]any) kg.Entity {
	return kg.Entity{
		ID:          str(m, "id"),
		Kind:        kg.Kind(str(m, "kind")),
		Name:        str(m, "name"),
		Aliases:     toStrings(m["aliases"]),
		Description: str(m, "description"),
		Sources:     toStrings(m["sources"]),
		Version:     i64(m, "version"),
	}
}

func relProps(r *kg.Relationship) map[string]any {
	ev, srcs := encodeEvidence(r.Evidence)
	p := map[string]any{
		"id":        r.ID,
		"role":      nilIfEmpty(r.Role),
		"evidence":  ev,
		"status":    string(kg.StrongestStatus(r.Evidence)),
		"sourceIds": srcs,
		"fundingId": nilIfEmpty(r.FundingID),
	}
	dateParams(p, "since", r.Since)
	dateParams(p, "until", r.Until)
	dateParams(p, "on", r.On)
	return p
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func relFromMap(m map[string]any) kg.Relationship {
	return kg.Relationship{
		ID:        str(m, "id"),
		Type:      kg.RelType(str(m, "type")),
		From:      str(m, "from"),
		To:        str(m, "to"),
		Role:      str(m, "role"),
		Since:     dateProp(m, "since"),
		Until:     dateProp(m, "until"),
		On:        dateProp(m, "on"),
		Evidence:  decodeEvidence(m["evidence"]),
		Status:    statusProp(m),
		FundingID: str(m, "fundingId"),
	}
}

// statusProp reads a stored claim status; one stored before statuses
// existed is ASSERTED.
func statusProp(m map[string]any) kg.ClaimStatus {
	if s := kg.ClaimStatus(str(m, "status")); s.Valid() {
		return s
	}
	return kg.StatusAsserted
}

// mergedEvidence is the Cypher expression of the evidence list old with the
// list added merged in: a piece of added evidence with the source and quote
// of an old one replaces it in place (its status or attribution may differ),
// and the rest is appended.
func mergedEvidence(old, added string) string {
	return "[o IN " + old + " | coalesce(head([n IN " + added + " WHERE " + evidenceKey("n") + " = " + evidenceKey("o") + "]), o)] + " +
		"[n IN " + added + " WHERE NOT " + evidenceKey("n") + " IN [o IN " + old + " | " + evidenceKey("o") + "]]"
}

// evidenceKey is the Cypher expression of the source and quote of the
// stored evidence string in variable e.
func evidenceKey(e string) string {
	return "split(" + e + ", '\u001f')[0] + '\u001f' + split(" + e + ", '\u001f')[1]"
}

// statusOf is the Cypher expression of the strongest claim status among the
// stored evidence strings of list ev (kg.StrongestStatus).
func statusOf(ev string) string {
	var b strings.Builder
	b.WriteString("CASE")
	for _, s := range kg.ClaimStatuses[:len(kg.ClaimStatuses)-1] {
		b.WriteString(" WHEN any(e IN " + ev + " WHERE coalesce(split(e, '\u001f')[2], 'ASSERTED') = '" + string(s) + "') THEN '" + string(s) + "'")
	}
	b.WriteString(" WHEN size(" + ev + ") > 0 THEN '" + string(kg.StatusOpinion) + "' END")
	return b.String()
}

func fundingProps(f *kg.Funding) map[string]any {
	ev, srcs := encodeEvidence(f.Evidence)
	p := map[string]any{
		"id":             f.ID,
		"funder":         f.Funder,
		"recipients":     f.Recipients,
		"administeredBy": nilIfEmpty(f.AdministeredBy),
		"programme":      nilIfEmpty(f.Programme),
		"purpose":        nilIfEmpty(f.Purpose),
		"evidence":       ev,
		"status":         string(kg.StrongestStatus(f.Evidence)),
		"sourceIds":      srcs,
		"amountValue":    nil,
		"currency":       nil,
		"amountNote":     nil,
	}
	if f.Amount != nil {
		p["amountValue"] = f.Amount.Value
		p["currency"] = f.Amount.Currency
		p["amountNote"] = nilIfEmpty(f.Amount.Note)
	}
	dateParams(p, "since", f.Since)
	dateParams(p, "until", f.Until)
	dateParams(p, "on", f.On)
	// sortKey orders records newest first, then by id; it is the keyset cursor.
	when := "0000"
	for _, d := range []*kg.Date{f.On, f.Since, f.Until} {
		if d != nil {
			when = d.Start().Format("2006-01-02")
			break
		}
	}
	p["sortKey"] = when + "|" + f.ID
	return p
}

func fundingFromMap(m map[string]any) kg.Funding {
	f := kg.Funding{
		ID:             str(m, "id"),
		Funder:         str(m, "funder"),
		Recipients:     toStrings(m["recipients"]),
		AdministeredBy: str(m, "administeredBy"),
		Programme:      str(m, "programme"),
		Purpose:        str(m, "purpose"),
		Since:          dateProp(m, "since"),
		Until:          dateProp(m, "until"),
		On:             dateProp(m, "on"),
		Evidence:       decodeEvidence(m["evidence"]),
		Status:         statusProp(m),
	}
	if v := str(m, "amountValue"); v != "" {
		f.Amount = &kg.Money{Value: v, Currency: str(m, "currency"), Note: str(m, "amountNote")}
	}
	return f
}

// sourceProjection is the Cypher map projection of source node s that
// sourceFromMap reads: every property but the document's text (up to a
// megabyte, read only by SourceText).
const sourceProjection = "s {.id, .file, .title, .publisher, .author, .url, .published, .digest}"

func sourceFromMap(m map[string]any) kg.Source {
	return kg.Source{
		ID: str(m, "id"), File: str(m, "file"), Title: str(m, "title"), Publisher: str(m, "publisher"),
		Author: str(m, "author"), URL: str(m, "url"), Published: dateProp(m, "published"), Digest: str(m, "digest"),
	}
}

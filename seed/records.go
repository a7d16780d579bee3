package seed

import (
	"net/url"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/innograph/innograph/internal/kg"
)

func (p *Parser) addSource(at place, r rawSource) (string, bool) {
	if r.ID == "" {
		p.errf(at, "source.id is required")
		return "", false
	}
	if !kg.ValidID(r.ID) {
		p.errf(at, "source.id %q is not a lowercase slug", r.ID)
		return "", false
	}
	if prev, dup := p.srcPlace[r.ID]; dup {
		p.errf(at, "duplicate source id %q (first defined at %s:%d)", r.ID, prev.file, prev.line)
		return "", false
	}
	if r.Title == "" {
		p.errf(at, "source.title is required")
	}
	if r.URL != "" && !webAddress(r.URL) {
		p.errf(at, "source.url %q is not a web address: want an absolute http:// or https:// URL (pages link to it)", r.URL)
	}
	s := &kg.Source{ID: r.ID, File: r.File, Title: r.Title, Publisher: r.Publisher, Author: r.Author, URL: r.URL, Digest: r.Digest}
	if r.Published != "" {
		d, err := kg.ParseDate(r.Published)
		if err != nil {
			p.kgErr(at, "source.published", err)
		} else {
			s.Published = &d
		}
	}
	if p.Existing != nil {
		if old, ok := p.Existing.Source(r.ID); ok && !sameSource(old, *s) {
			p.errf(at, "source %q is already in the graph, titled %q; a file cannot redefine it: keep its fields as they are, or give this source another id",
				r.ID, old.Title)
		}
	}
	if r.Digest != "" && !validDigest(r.Digest) {
		p.errf(at, "source.digest %q is not a digest: want sha256: and 64 lowercase hex digits (innograph digest FILE prints it)", r.Digest)
	}
	if p.Docs != nil {
		if r.File == "" {
			p.errf(at, "source.file is required: the document the quotes come from")
		} else if text, ok := p.Docs[r.File]; !ok {
			p.errf(at, "source.file %q is not among the source documents", r.File)
		} else if got := Digest(text); r.Digest != "" && validDigest(r.Digest) && got != r.Digest {
			p.errf(at, "source document %s does not match source.digest: the file is %s, the seed expects %s; it is another text or another version of it, so no quote is checked against it (point SEED_DOCS at the folder of the original documents)",
				r.File, got, r.Digest)
		}
	}
	p.sources[r.ID] = s
	p.srcPlace[r.ID] = at
	return r.ID, true
}

// webAddress reports whether s is an absolute http or https URL with a host.
func webAddress(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && !strings.ContainsAny(s, " \t\r\n")
}

// sameSource reports whether two sources have the same fields.
func sameSource(a, b kg.Source) bool {
	return a.ID == b.ID && a.File == b.File && a.Title == b.Title && a.Publisher == b.Publisher &&
		a.Author == b.Author && a.URL == b.URL && dateText(a.Published) == dateText(b.Published)
}

func dateText(d *kg.Date) string {
	if d == nil {
		return ""
	}
	return d.String()
}

func (p *Parser) claimName(name, id string, at place) {
	k := kg.NameKey(name)
	if k == "" {
		return
	}
	if p.Existing != nil {
		if owner := p.Existing.NameOwner(k); owner != "" && owner != id {
			p.errf(at, "name or alias %q of %q is already a name or alias of %q in the graph", name, id, owner)
			return
		}
	}
	if other, ok := p.names[k]; ok && other != id {
		prev := p.namePlace[k]
		p.errf(at, "name or alias %q of %q collides with a name or alias of %q (%s:%d)", name, id, other, prev.file, prev.line)
		return
	}
	p.names[k] = id
	p.namePlace[k] = at
}

func (p *Parser) addEntity(file string, n *yaml.Node, src string) {
	at := place{file, n.Line}
	p.checkKeys(file, n, "entity", "id", "ref", "kind", "name", "aliases", "description")
	var r rawEntity
	if err := n.Decode(&r); err != nil {
		p.errf(at, "entity: %s", strings.TrimPrefix(err.Error(), "yaml: "))
		return
	}
	switch {
	case r.Ref != "" && r.ID != "":
		p.errf(at, "an entity entry has either id (a definition) or ref (a reference), not both")
		return
	case r.Ref != "":
		if r.Kind != "" || r.Name != "" || r.Description != "" {
			p.errf(at, "reference %q may only add aliases; kind, name and description belong to the definition", r.Ref)
		}
		for _, a := range r.Aliases {
			if err := kg.CheckText("aliases", a); err != nil {
				p.kgErr(at, "reference "+r.Ref, err)
			}
		}
		p.refs = append(p.refs, refUse{id: r.Ref, source: src, aliases: r.Aliases, at: at})
		return
	case r.ID == "":
		p.errf(at, "entity entry needs id (definition) or ref (reference to an entity defined elsewhere)")
		return
	}
	if prev, dup := p.entPlace[r.ID]; dup {
		p.errf(at, "duplicate entity id %q (first defined at %s:%d); use ref: %s to mention it again", r.ID, prev.file, prev.line, r.ID)
		return
	}
	kind, err := kg.ParseKind(r.Kind)
	if err != nil {
		p.kgErr(at, "kind", err)
		return
	}
	e := &kg.Entity{ID: r.ID, Kind: kind, Name: strings.TrimSpace(r.Name), Aliases: trimAll(r.Aliases),
		Description: strings.TrimSpace(r.Description), Sources: []string{src}}
	if err := e.Validate(); err != nil {
		p.kgErr(at, "entity "+r.ID, err)
		return
	}
	if p.Existing != nil {
		if into := p.Existing.MergedInto(r.ID); into != "" {
			p.errf(at, "entity id %q was merged into %q and cannot be defined again; use ref: %s", r.ID, into, into)
			return
		}
		if kind, name, ok := p.Existing.Entity(r.ID); ok && (kind != e.Kind || name != e.Name) {
			p.errf(at, "entity %q is already in the graph as %s %q; a file cannot redefine it: change it with the updateEntity mutation (which keeps the audit log), or choose another id",
				r.ID, kind, name)
			return
		}
	}
	p.entities[r.ID] = e
	p.entPlace[r.ID] = at
	p.entOrder = append(p.entOrder, r.ID)
	p.claimName(e.Name, e.ID, at)
	for _, a := range e.Aliases {
		p.claimName(a, e.ID, at)
	}
}

func trimAll(ss []string) []string {
	out := make([]string, 0, len(ss))
	for _, s := range ss {
		out = append(out, strings.TrimSpace(s))
	}
	return out
}

func (p *Parser) parseDate(at place, field, s string) *kg.Date {
	if s == "" {
		return nil
	}
	d, err := kg.ParseDate(s)
	if err != nil {
		p.kgErr(at, field, err)
		return nil
	}
	return &d
}

func (p *Parser) checkQuote(at place, src, quote string) {
	if strings.TrimSpace(quote) == "" {
		p.errf(at, "missing provenance: quote is required")
		return
	}
	if p.Docs == nil {
		return
	}
	s := p.sources[src]
	doc, ok := p.Docs[s.File]
	if !ok {
		return // reported on the source
	}
	if !strings.Contains(doc, kg.CollapseSpace(quote)) {
		p.errf(at, "quote does not occur verbatim in %s: %q", s.File, truncate(quote, 100))
	}
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

func (p *Parser) addRel(file string, n *yaml.Node, src string) {
	at := place{file, n.Line}
	p.checkKeys(file, n, "relationship", "from", "type", "to", "role", "since", "until", "on", "key", "quote",
		"status", "attributedTo")
	var r rawRel
	if err := n.Decode(&r); err != nil {
		p.errf(at, "relationship: %s", strings.TrimPrefix(err.Error(), "yaml: "))
		return
	}
	t, err := kg.ParseRelType(r.Type)
	if err != nil {
		p.kgErr(at, "type", err)
		return
	}
	rel := &kg.Relationship{Type: t, From: r.From, To: r.To, Role: strings.TrimSpace(r.Role),
		Since: p.parseDate(at, "since", r.Since), Until: p.parseDate(at, "until", r.Until), On: p.parseDate(at, "on", r.On),
		Evidence: []kg.Evidence{p.evidence(at, src, r.Quote, r.Status, r.AttributedTo)}}
	p.checkQuote(at, src, r.Quote)
	if r.Quote == "" || rel.Evidence[0].Status == "" {
		return
	}
	if err := rel.Validate(); err != nil {
		p.kgErr(at, "relationship", err)
		return
	}
	rel.ID = kg.RelationshipID(r.From, t, r.To, r.Key)
	p.endpoints = append(p.endpoints, endpointUse{r.From, "from", at}, endpointUse{r.To, "to", at})
	if a := rel.Evidence[0].AttributedTo; a != "" {
		p.endpoints = append(p.endpoints, endpointUse{a, "attributedTo", at})
	}
	if prev, ok := p.rels[rel.ID]; ok {
		p.mergeRel(at, prev, rel)
		return
	}
	p.rels[rel.ID] = rel
	p.relPlace[rel.ID] = at
	p.relOrder = append(p.relOrder, rel.ID)
}

func (p *Parser) mergeRel(at place, prev, rel *kg.Relationship) {
	first := p.relPlace[prev.ID]
	conflict := func(field, a, b string) {
		p.errf(at, "relationship %s restates %s as %q but %s:%d says %q; use key: to make them two relationships",
			prev.ID, field, b, first.file, first.line, a)
	}
	if rel.Role != "" {
		if prev.Role == "" {
			prev.Role = rel.Role
		} else if !strings.EqualFold(prev.Role, rel.Role) {
			conflict("role", prev.Role, rel.Role)
		}
	}
	for _, pair := range []struct {
		name string
		a    **kg.Date
		b    *kg.Date
	}{{"since", &prev.Since, rel.Since}, {"until", &prev.Until, rel.Until}, {"on", &prev.On, rel.On}} {
		if pair.b == nil {
			continue
		}
		if *pair.a == nil {
			*pair.a = pair.b
		} else if **pair.a != *pair.b {
			conflict(pair.name, (*pair.a).String(), pair.b.String())
		}
	}
	for _, ev := range prev.Evidence {
		if ev.SourceID == rel.Evidence[0].SourceID && ev.Quote == rel.Evidence[0].Quote {
			p.errf(at, "relationship %s repeats the same quote (first at %s:%d)", prev.ID, first.file, first.line)
			return
		}
	}
	prev.Evidence = append(prev.Evidence, rel.Evidence...)
}

func (p *Parser) addFunding(file string, n *yaml.Node, src string) {
	at := place{file, n.Line}
	p.checkKeys(file, n, "funding", "id", "funder", "recipients", "administeredBy", "programme", "amount", "currency",
		"amountNote", "since", "until", "on", "purpose", "quote", "status", "attributedTo")
	var r rawFunding
	if err := n.Decode(&r); err != nil {
		p.errf(at, "funding: %s", strings.TrimPrefix(err.Error(), "yaml: "))
		return
	}
	f := &kg.Funding{ID: r.ID, Funder: r.Funder, Recipients: r.Recipients, AdministeredBy: r.AdministeredBy,
		Programme: r.Programme, Purpose: strings.TrimSpace(r.Purpose),
		Since: p.parseDate(at, "since", r.Since), Until: p.parseDate(at, "until", r.Until), On: p.parseDate(at, "on", r.On),
		Evidence: []kg.Evidence{p.evidence(at, src, r.Quote, r.Status, r.AttributedTo)}}
	if r.Amount != "" || r.Currency != "" {
		m, err := kg.ParseMoney(r.Amount, r.Currency)
		if err != nil {
			p.kgErr(at, "amount", err)
			return
		}
		m.Note = strings.TrimSpace(r.AmountNote)
		f.Amount = &m
	}
	p.checkQuote(at, src, r.Quote)
	if r.Quote == "" || f.Evidence[0].Status == "" {
		return
	}
	if err := f.Validate(); err != nil {
		p.kgErr(at, "funding "+r.ID, err)
		return
	}
	if prev, dup := p.fundPlace[f.ID]; dup {
		p.errf(at, "duplicate funding id %q (first defined at %s:%d)", f.ID, prev.file, prev.line)
		return
	}
	p.fundings[f.ID] = f
	p.fundPlace[f.ID] = at
	p.fundOrder = append(p.fundOrder, f.ID)
	p.endpoints = append(p.endpoints, endpointUse{f.Funder, "funder", at})
	for _, r := range f.Recipients {
		p.endpoints = append(p.endpoints, endpointUse{r, "recipients", at})
	}
	if f.AdministeredBy != "" {
		p.endpoints = append(p.endpoints, endpointUse{f.AdministeredBy, "administeredBy", at})
	}
	if f.Programme != "" {
		p.endpoints = append(p.endpoints, endpointUse{f.Programme, "programme", at})
	}
	if a := f.Evidence[0].AttributedTo; a != "" {
		p.endpoints = append(p.endpoints, endpointUse{a, "attributedTo", at})
	}
}

// evidence is the evidence of a relationship or funding at: the quote with
// its claim status (ASSERTED when the file gives none) and attribution. A bad
// status is reported and leaves the status empty, so the caller drops the
// record.
func (p *Parser) evidence(at place, src, quote, status, attributedTo string) kg.Evidence {
	ev := kg.Evidence{SourceID: src, Quote: kg.CollapseSpace(quote), Status: kg.StatusAsserted,
		AttributedTo: strings.TrimSpace(attributedTo)}
	if strings.TrimSpace(status) != "" {
		st, err := kg.ParseClaimStatus(status)
		if err != nil {
			p.kgErr(at, "status", err)
			ev.Status = ""
			return ev
		}
		ev.Status = st
	}
	return ev
}

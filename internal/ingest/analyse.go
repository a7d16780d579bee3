package ingest

import (
	"context"
	"regexp"
	"strings"

	"github.com/innograph/innograph/internal/kg"
)

// MaxText is the largest document Analyse accepts, in bytes.
const MaxText = 1 << 20

// Analyse segments doc into sentences, finds the mentions of known entities
// and proposes new entities, aliases, relationships and funding records.
// It is deterministic: the same dictionary and document give the same result.
func (d *Dictionary) Analyse(ctx context.Context, doc Document) (*Analysis, error) {
	if len(doc.Text) > MaxText {
		return nil, kg.Errorf(kg.CodeLimit, "document is %d bytes; at most %d are analysed", len(doc.Text), MaxText)
	}
	text := doc.Text
	a := &Analysis{Sentences: Sentences(text)}
	if len(a.Sentences) == 0 {
		return a, nil
	}
	ms, err := d.Mentions(ctx, text, a.Sentences)
	if err != nil {
		return nil, err
	}
	a.Mentions = ms
	quote := func(i int) string { return a.Sentences[i].Text(text) }

	// New entities: acronym definitions first (name and alias together),
	// then capitalised runs and titled names not already known.
	covered := func(sp Span) bool {
		for _, m := range ms {
			if m.Span.Start <= sp.Start && sp.End <= m.Span.End {
				return true
			}
		}
		return false
	}
	var news []candidate
	byName := map[string]int{}
	addNew := func(c candidate) {
		// a name wrapped across lines is proposed on one
		c.name = kg.CollapseSpace(c.name)
		for i, al := range c.aliases {
			c.aliases[i] = kg.CollapseSpace(al)
		}
		f := Fold(c.name)
		if i, ok := byName[f]; ok {
			news[i].aliases = appendNew(news[i].aliases, c.aliases...)
			if c.conf > news[i].conf {
				// a later, surer reading of the kind ("Harry Shum, the
				// Academy's Chairman" after a headline naming him)
				news[i].kind, news[i].conf = c.kind, c.conf
			}
			return
		}
		byName[f] = len(news)
		news = append(news, c)
	}
	aliased := map[string]bool{}
	type acronymOf struct {
		acr   string
		from  int
		known []Candidate
	}
	var definedFor []acronymOf // acronyms the text defines for known entities
	for _, def := range Definitions(text) {
		long := strings.TrimPrefix(strings.TrimPrefix(def.Long, "The "), "the ")
		if known := d.Lookup(long); known != nil {
			if len(known) == 1 && !containsID(d.Lookup(def.Acronym), known[0].EntityID) {
				definedFor = append(definedFor, acronymOf{def.Acronym, def.AcronymSpan.Start, known})
				a.Suggestions = append(a.Suggestions, Suggestion{
					Type: SuggestAlias, Span: def.AcronymSpan, Sentence: sentenceOf(a.Sentences, def.AcronymSpan.Start),
					Confidence: 0.9, Status: kg.StatusAsserted,
					Alias: &AliasSuggestion{EntityID: known[0].EntityID, Alias: def.Acronym},
				})
			}
			continue
		}
		if known := d.Lookup(def.Acronym); known != nil {
			// The acronym names a known entity: the long form is its alias.
			if len(known) == 1 {
				aliased[Fold(long)] = true
				a.Suggestions = append(a.Suggestions, Suggestion{
					Type: SuggestAlias, Span: def.LongSpan, Sentence: sentenceOf(a.Sentences, def.LongSpan.Start),
					Confidence: 0.7, Status: kg.StatusAsserted,
					Alias: &AliasSuggestion{EntityID: known[0].EntityID, Alias: long},
				})
			}
			continue
		}
		k, conf := ProposeKind(long)
		addNew(candidate{span: def.LongSpan, name: long, kind: k, conf: min(1, conf+0.1), aliases: []string{def.Acronym}})
	}
	// "Hong Kong and Guangdong authorities": places that modify
	// "authorities" name their governments, not the places.
	var authorities []candidate
	ms, authorities = d.placeAuthorities(text, ms)
	for _, c := range authorities {
		addNew(c)
	}
	var inside []Span // new names that start with a known one ("Guangzhou Institutes of Biomedicine")
	type unit struct {
		name string
		body End
	}
	var units []unit // new bodies named after the known body they belong to
	for _, sent := range a.Sentences {
		for _, c := range capitalisedRuns(text, sent, ms) {
			if covered(c.span) || aliased[Fold(c.name)] || d.Lookup(c.name) != nil {
				continue
			}
			// "the University of X (UX) Fok Research Institute": the
			// institute of the known body, named with its acronym
			if c.conf >= 0.6 && unitKinds[c.kind] {
				// the body: a known one, or one the text defines ("Long (ACR)")
				bodies := make([]End, 0, len(ms)+len(news))
				for _, m := range ms {
					if len(m.Candidates) == 1 && campusKinds[m.Candidates[0].Kind] {
						bodies = append(bodies, End{Span: m.Span, Candidates: m.Candidates})
					}
				}
				for _, n := range news {
					if n.conf >= 0.6 && campusKinds[n.kind] {
						bodies = append(bodies, End{Span: n.span, NewName: n.name})
					}
				}
				for _, b := range bodies {
					if b.Span.End > c.span.Start || c.span.Start-b.Span.End > 20 {
						continue
					}
					g := bracketAcronymRE.FindStringSubmatch(text[b.Span.End:c.span.Start])
					if g == nil {
						continue
					}
					c.aliases = append(c.aliases, kg.CollapseSpace(b.Span.Text(text))+" "+c.name)
					c.name = g[1] + " " + c.name
					c.span.Start, c.at = b.Span.Start, true
					units = append(units, unit{c.name, b})
					break
				}
			}
			if d.Lookup(c.name) != nil {
				continue
			}
			addNew(c)
			if c.conf >= 0.6 && c.kind != kg.KindPerson {
				inside = append(inside, c.span)
			}
		}
	}
	// "Hong Kong University of Science and Technology (Guangzhou)": a known
	// body's name with a place in brackets is another body, of its kind.
	var campus []Span
	for _, m := range ms {
		if len(m.Candidates) != 1 || !campusKinds[m.Candidates[0].Kind] {
			continue
		}
		k := m.Candidates[0].Kind
		// "HKUST (GZ)": an acronym's place by its acronym
		g := campusRE.FindStringSubmatchIndex(text[m.Span.End:])
		if g == nil || isAcronym(text[m.Span.End+g[2]:m.Span.End+g[3]]) != isAcronym(m.Span.Text(text)) {
			continue
		}
		sp := Span{m.Span.Start, m.Span.End + g[1]}
		if d.Lookup(sp.Text(text)) != nil {
			continue
		}
		addNew(candidate{span: sp, name: sp.Text(text), kind: k, conf: 0.7})
		campus = append(campus, m.Span)
	}
	if len(campus) > 0 {
		kept := ms[:0:0]
		for _, m := range ms {
			drop := false
			for _, c := range campus {
				drop = drop || m.Span == c
			}
			if !drop {
				kept = append(kept, m)
			}
		}
		ms = kept
	}
	// "Roborn, a robot company in Hong Kong": an appositive gives a name,
	// even of one word, and its kind.
	for _, ap := range Appositives(text) {
		if covered(ap.span) || d.Lookup(ap.name) != nil {
			continue
		}
		addNew(ap)
	}
	// "Shenzhen and Guangzhou": a lone capitalised word coordinated with a
	// known place or body is a name of the same kind.
	for _, c := range coordinatedWords(text, a.Sentences, ms) {
		if covered(c.span) || d.Lookup(c.name) != nil {
			continue
		}
		clash := false
		for _, n := range news {
			if c.span.Start < n.span.End && n.span.Start < c.span.End {
				clash = true
			}
		}
		if !clash {
			addNew(c)
		}
	}
	// "24 HKSAR-based academicians": a counted group based in a known place.
	groupCands, groups := d.placeGroups(text)
	// "the CAS-affiliated institution": a body named by the known one it
	// belongs to.
	affCands, affs := d.affiliates(text)
	// "a partnership with ZTE and China Mobile": a lone acronym among partners.
	for _, c := range partnerAcronyms(text) {
		// an acronym the text defines ("Long Form (LF)") is the long form's alias
		if !covered(c.span) && d.Lookup(c.name) == nil && !aliased[Fold(c.name)] && !strings.Contains(text, "("+c.name+")") {
			groupCands = append(groupCands, c)
		}
	}
	for _, c := range append(groupCands, affCands...) {
		if d.Lookup(c.name) == nil {
			addNew(c)
		}
	}
	// A known name that only modifies a longer new name (the name goes on
	// with a capitalised word, and the whole has a head word) is no mention.
	kept := ms[:0:0]
	for _, m := range ms {
		part := false
		for _, sp := range inside {
			if sp.Start == m.Span.Start && m.Span.End < sp.End && text[m.Span.End] == ' ' &&
				m.Span.End+1 < len(text) && capitalised(text[m.Span.End+1:]) {
				part = true
			}
		}
		if !part {
			kept = append(kept, m)
		}
	}
	ms = kept
	// An acronym the text defines for a known entity names it from there on.
	for _, ac := range definedFor {
		for off := ac.from; ; {
			k := strings.Index(text[off:], ac.acr)
			if k < 0 {
				break
			}
			i, j := off+k, off+k+len(ac.acr)
			off = j
			if wordByte(text, i-1) || wordByte(text, j) {
				continue
			}
			clash := false
			for _, m := range ms {
				if i < m.Span.End && m.Span.Start < j {
					clash = true
				}
			}
			if !clash {
				ms = append(ms, Mention{Span: Span{i, j}, Sentence: sentenceOf(a.Sentences, i), Candidates: ac.known})
			}
		}
	}
	sortBy(ms, func(x, y Mention) bool { return x.Span.Start < y.Span.Start })
	a.Mentions = ms
	newKinds := map[string]kg.Kind{}
	for _, c := range news {
		si := sentenceOf(a.Sentences, c.span.Start)
		if c.conf >= 0.5 {
			newKinds[c.name] = c.kind // else unknown: ""
		}
		a.Suggestions = append(a.Suggestions, Suggestion{
			Type: SuggestEntity, Span: c.span, Sentence: si, Quote: quote(si), Confidence: c.conf, Status: Status(quote(si)),
			NewEntity: &NewEntity{Name: c.name, Kind: c.kind, Aliases: c.aliases},
		})
	}
	for i := range a.Suggestions {
		if a.Suggestions[i].Quote == "" {
			a.Suggestions[i].Quote = quote(a.Suggestions[i].Sentence)
		}
	}

	// Ends: mentions, and occurrences of the new entities' names and aliases.
	ends := make([][]End, len(a.Sentences))
	for _, m := range ms {
		ends[m.Sentence] = append(ends[m.Sentence], End{Span: m.Span, Candidates: m.Candidates})
	}
	f := normalize(text)
	place := func(sp Span, name string, over bool) {
		si := sentenceOf(a.Sentences, sp.Start)
		// A new name holding a shorter known one ("Wong Kwok Yin"
		// holds "Wong") replaces it as an end; one overlapping a
		// longer or equal one gives way.
		clash := false
		kept := ends[si][:0]
		for _, e := range ends[si] {
			switch {
			case !(sp.Start < e.Span.End && e.Span.Start < sp.End):
				kept = append(kept, e)
			case (e.NewName == "" || over) && sp.Start <= e.Span.Start && e.Span.End <= sp.End && sp != e.Span:
				// dropped
			default:
				clash = true
				kept = append(kept, e)
			}
		}
		ends[si] = kept
		if !clash {
			ends[si] = append(ends[si], End{Span: sp, NewName: name})
		}
	}
	for _, c := range news {
		if c.at {
			place(c.span, c.name, true)
		}
		for _, form := range append([]string{c.name}, c.aliases...) {
			ff := Fold(form)
			if ff == "" {
				continue
			}
			for off := 0; ; {
				k := strings.Index(f.s[off:], ff)
				if k < 0 {
					break
				}
				i, j := off+k, off+k+len(ff)
				off = j
				if f.wordAt(i-1) || f.wordAt(j) {
					continue
				}
				place(f.span(i, j), c.name, false)
			}
		}
	}
	shortNames(text, a.Sentences, ends, newKinds)
	for si := range ends {
		sortBy(ends[si], func(x, y End) bool { return x.Span.Start < y.Span.Start })
	}
	definiteAnaphora(text, a.Sentences, ends)
	pronounAnaphora(text, a.Sentences, ends, newKinds)

	// Relationships and fundings, sentence by sentence.
	listed := listRelations(text, a.Sentences, ends, newKinds)
	placed := map[string]bool{}
	grouped := map[string]bool{}
	for si, sent := range a.Sentences {
		if err := ctx.Err(); err != nil {
			return nil, kg.Errorf(kg.CodeTimeout, "analyse: %v", err)
		}
		q := quote(si)
		st := Status(q)
		on := ResolveDate(q, doc.Published)
		rels := d.relationships(text, sent, ends[si], newKinds)
		rels = append(rels, d.titleBodies(text, sent, ends[si], newKinds, rels)...)
		rels = append(rels, d.bareTitleBodies(text, sent, ends[si], newKinds, rels)...)
		rels = append(rels, d.placeRelations(text, sent, ends[si], newKinds)...)
		rels = append(rels, d.titleCovers(text, ends[si], newKinds)...)
		rels = append(rels, captionAttended(text, a.Sentences, ends, si, newKinds)...)
		rels = append(rels, listed[si]...)
		rels = append(rels, approvals(text, sent, ends[si], newKinds)...)
		rels = append(rels, nominalRelations(text, sent, ends[si], newKinds)...)
		rels = append(rels, d.partOfTail(text, ends[si], newKinds)...)
		rels = append(rels, d.branchRelations(text, ends[si])...)
		rels = append(rels, d.placeNamed(text, ends[si], newKinds, placed)...)
		rels = append(rels, groupRelations(text, ends[si], groups, newKinds, grouped)...)
		rels = append(rels, affiliateRelations(ends[si], affs, grouped)...)
		for _, u := range units {
			for _, e := range ends[si] {
				if e.NewName == u.name && e.Span.Start == u.body.Span.Start {
					rels = append(rels, RelSuggestion{Type: "PART_OF", From: e, To: u.body})
				}
			}
		}
		for _, r := range rels {
			r := r
			r.On = on
			// A body named only by its holder's title ("Secretary for
			// Innovation and Technology") or by a place that acts for it
			// ("signed between MOST and the HKSAR") is mentioned there.
			for _, e := range []End{r.From, r.To} {
				if m, ok := impliedMention(a.Mentions, e, si); ok {
					a.Mentions = append(a.Mentions, m)
				}
			}
			conf := 0.6
			if r.From.NewName != "" || r.To.NewName != "" {
				conf = 0.4
			}
			a.Suggestions = append(a.Suggestions, Suggestion{
				Type: SuggestRelationship, Span: Span{min(r.From.Span.Start, r.To.Span.Start), max(r.From.Span.End, r.To.Span.End)},
				Sentence: si, Quote: q, Confidence: conf, Status: st, Relationship: &r,
			})
		}
		amounts := Amounts(q)
		if !fundingRE.MatchString(q) {
			amounts = nil // a sum that no one gives: trade, output, a valuation
		}
		for _, am := range amounts {
			sp := Span{sent.Start + am.Span.Start, sent.Start + am.Span.End}
			fs := &FundingSuggestion{Amount: am.Money, On: on}
			for _, e := range ends[si] {
				e := e
				k := endKind(e, newKinds)
				switch {
				case e.Span.End <= sp.Start && fs.Funder == nil && (k == kg.KindGovernmentBody || k == kg.KindOrganization || k == kg.KindCompany || k == kg.KindInstitute):
					fs.Funder = &e
				case e.Span.Start >= sp.End && k != kg.KindPlace && k != kg.KindPerson && k != "":
					fs.Recipients = append(fs.Recipients, e)
				}
			}
			a.Suggestions = append(a.Suggestions, Suggestion{
				Type: SuggestFunding, Span: sp, Sentence: si, Quote: q, Confidence: 0.7, Status: st, Funding: fs,
			})
		}
	}
	sortBy(a.Mentions, func(x, y Mention) bool { return x.Span.Start < y.Span.Start })
	rank := map[SuggestionType]int{SuggestEntity: 0, SuggestAlias: 1, SuggestRelationship: 2, SuggestFunding: 3}
	sortBy(a.Suggestions, func(x, y Suggestion) bool {
		if rank[x.Type] != rank[y.Type] {
			return rank[x.Type] < rank[y.Type]
		}
		return x.Span.Start < y.Span.Start
	})
	return a, nil
}

// unitKinds are the kinds of a body's units named after it.
var unitKinds = kinds(kg.KindInstitute, kg.KindLab, kg.KindDepartment, kg.KindFacility)

// bracketAcronymRE is a body's acronym in brackets between its name and a
// unit's: " (HKUST) " (group 1 the acronym).
var bracketAcronymRE = regexp.MustCompile(`^\s*\(\s*(\p{Lu}[\p{Lu}\pN&\-]{1,11})\s*\)\s+$`)

// campusKinds are the bodies that have campuses or branches named by place.
var campusKinds = kinds(kg.KindUniversity, kg.KindInstitute, kg.KindCompany, kg.KindLab, kg.KindOrganization)

// campusRE is a place in brackets right after a name: " (Guangzhou)".
var campusRE = regexp.MustCompile(`^ \((\p{Lu}[\pL\-]+(?: \p{Lu}[\pL\-]+){0,2})\)`)

// fundingRE finds the words of giving money in a sentence.
var fundingRE = regexp.MustCompile(`(?i)\b(fund(?:s|ed|ing)?|grants?|granted|invest(?:s|ed|ing|ment)?|allocat(?:e|es|ed|ion)|authori[sz]ed|award(?:s|ed)?|financ(?:e|es|ed|ing)|budget(?:ed)?|earmark(?:s|ed)?|inject(?:s|ed)?|donat(?:e|es|ed|ion)|subsid(?:y|ies|ised|ized)|sponsor(?:s|ed|ship)?|set aside|provid(?:e|es|ed|ing)|support(?:s|ed|ing)?|spen[dt]|raised|receiv(?:e|es|ed|ing))\b`)

func containsID(cs []Candidate, id string) bool {
	for _, c := range cs {
		if c.EntityID == id {
			return true
		}
	}
	return false
}

func appendNew(ss []string, add ...string) []string {
	for _, a := range add {
		dup := false
		for _, s := range ss {
			if s == a {
				dup = true
			}
		}
		if !dup {
			ss = append(ss, a)
		}
	}
	return ss
}

// shortNames adds, as ends, the later bare surname or given name of a person
// the text has named in full ("Harry Shum, the Academy's Chairman … Shum
// founded IDEA"): a capitalised word standing alone, after the full name,
// that no other person of the text shares.
func shortNames(text string, sents []Span, ends [][]End, newKinds map[string]kg.Kind) {
	type person struct {
		end   End
		first int
	}
	byWord := map[string][]person{}
	for _, es := range ends {
		for _, e := range es {
			if endKind(e, newKinds) != kg.KindPerson {
				continue
			}
			ws := strings.Fields(strings.NewReplacer(".", " ", ",", " ").Replace(e.Span.Text(text)))
			if len(ws) < 2 {
				continue
			}
			for _, w := range []string{ws[0], ws[len(ws)-1]} {
				if len(w) < 2 || !capitalised(w) || titles[strings.ToLower(w)] {
					continue
				}
				ps := byWord[w]
				same := false
				for _, p := range ps {
					if sameEnd(p.end, e) {
						same = true
					}
				}
				if !same {
					byWord[w] = append(ps, person{e, e.Span.Start})
				}
			}
		}
	}
	for w, ps := range byWord {
		if len(ps) != 1 {
			continue // two people share it: no guess
		}
		p := ps[0]
		for off := p.first; ; {
			k := strings.Index(text[off:], w)
			if k < 0 {
				break
			}
			i, j := off+k, off+k+len(w)
			off = j
			if wordByte(text, i-1) || wordByte(text, j) || capitalisedNeighbour(text, i, j) {
				continue
			}
			si := sentenceOf(sents, i)
			clash := false
			for _, e := range ends[si] {
				if i < e.Span.End && e.Span.Start < j {
					clash = true
				}
			}
			if !clash {
				ends[si] = append(ends[si], End{Span: Span{i, j}, Candidates: p.end.Candidates, NewName: p.end.NewName})
			}
		}
	}
}

// sameEnd reports whether two ends name the same entity.
func sameEnd(a, b End) bool {
	if a.NewName != "" || b.NewName != "" {
		return a.NewName == b.NewName
	}
	return len(a.Candidates) == 1 && len(b.Candidates) == 1 && a.Candidates[0].EntityID == b.Candidates[0].EntityID
}

// wordByte reports whether text[i] is an ASCII letter or digit (or part of
// a multi-byte letter).
func wordByte(text string, i int) bool {
	if i < 0 || i >= len(text) {
		return false
	}
	c := text[i]
	return c >= 0x80 || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// capitalisedNeighbour reports whether the word [i, j) has a capitalised
// word right before or after it (it is part of a longer name then).
func capitalisedNeighbour(text string, i, j int) bool {
	after := strings.TrimLeft(text[j:], " ")
	if len(after) < len(text[j:]) && after != "" && capitalised(after) {
		return true
	}
	before := strings.TrimRight(text[:i], " ")
	if len(before) < len(text[:i]) && before != "" {
		k := strings.LastIndexAny(before, " \n\t")
		if w := before[k+1:]; w != "" && capitalised(w) && !strings.HasSuffix(w, ".") {
			return true
		}
	}
	return false
}

// impliedMention is the mention a relationship's end gives when it names a
// known body that no mention at its span has: a title's body, or the
// government a place stands for.
func impliedMention(ms []Mention, e End, si int) (Mention, bool) {
	if e.NewName != "" || len(e.Candidates) != 1 {
		return Mention{}, false
	}
	for _, m := range ms {
		if m.Span.Start < e.Span.End && e.Span.Start < m.Span.End && containsID(m.Candidates, e.Candidates[0].EntityID) {
			return Mention{}, false
		}
	}
	return Mention{Span: e.Span, Sentence: si, Candidates: e.Candidates}, true
}

// authoritiesRE is the noun after a place that makes it its government.
var authoritiesRE = regexp.MustCompile(`^\s+(?:authorities|governments)\b`)

// placeAuthorities reads places that modify "authorities" ("Hong Kong and
// Guangdong authorities", "the Macao authorities") as their governments: a
// place's mention names the government the dictionary links to it, or, when
// it knows none, gives way to a new government body "<Place> authorities".
func (d *Dictionary) placeAuthorities(text string, ms []Mention) ([]Mention, []candidate) {
	var news []candidate
	out := ms[:0:0]
	isPlace := func(m Mention) bool { return len(m.Candidates) == 1 && m.Candidates[0].Kind == kg.KindPlace }
	for i := 0; i < len(ms); i++ {
		if !isPlace(ms[i]) {
			out = append(out, ms[i])
			continue
		}
		// the places coordinated with this one, the last before the noun
		j := i
		for j+1 < len(ms) && isPlace(ms[j+1]) && coordRE.MatchString(text[ms[j].Span.End:ms[j+1].Span.Start]) {
			j++
		}
		loc := authoritiesRE.FindStringIndex(text[ms[j].Span.End:])
		if loc == nil {
			out = append(out, ms[i:j+1]...)
			i = j
			continue
		}
		for k := i; k <= j; k++ {
			m := ms[k]
			if g, ok := d.Government(End{Span: m.Span, Candidates: m.Candidates}); ok {
				m.Candidates = g.Candidates
				out = append(out, m)
				continue
			}
			sp := m.Span
			if k == j {
				sp.End += loc[1]
			}
			news = append(news, candidate{span: sp, name: m.Span.Text(text) + " authorities", kind: kg.KindGovernmentBody, conf: 0.6})
		}
		i = j
	}
	return out, news
}

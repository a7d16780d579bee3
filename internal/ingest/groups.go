package ingest

import (
	"regexp"
	"strings"

	"github.com/innograph/innograph/internal/kg"
)

// placeGroupRE is a counted group of people or bodies based in a place: "24
// HKSAR-based academicians", "twelve Shenzhen-based start-ups". Group 1 is
// the whole, 2 the place, 3 the plural noun.
var placeGroupRE = regexp.MustCompile(`(?:^|[^\pL\pN\-])((?:\d[\d,]*|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred)\s+(\p{Lu}[\pL]*(?:[ \-]\p{Lu}[\pL]*){0,2})-based\s+([a-z][a-z\-]*[a-z]s))\b`)

// memberNouns are the plural nouns of a group whose members belong to the
// body they are "from" or "of" ("academicians from the Academy").
var memberNouns = map[string]bool{"academicians": true, "members": true, "fellows": true}

// placeGroup is a counted group a text names (placeGroupRE) and the known
// place it is based in.
type placeGroup struct {
	name   string
	noun   string
	place  End
	member bool
}

// placeGroups proposes each counted "<N> <Place>-based <nouns>" group whose
// place is known as a new entity (an ORGANIZATION: kg has no kind for a
// group of people), LOCATED_IN the place.
func (d *Dictionary) placeGroups(text string) ([]candidate, []placeGroup) {
	var cs []candidate
	var gs []placeGroup
	for _, g := range placeGroupRE.FindAllStringSubmatchIndex(text, -1) {
		var place []Candidate
		for _, c := range d.Lookup(text[g[4]:g[5]]) {
			if c.Kind == kg.KindPlace {
				place = append(place, c)
			}
		}
		if place == nil {
			continue
		}
		name := kg.CollapseSpace(text[g[2]:g[3]])
		noun := text[g[6]:g[7]]
		cs = append(cs, candidate{span: Span{g[2], g[3]}, name: name, kind: kg.KindOrganization, conf: 0.6})
		gs = append(gs, placeGroup{name: name, noun: noun, place: End{Span: Span{g[4], g[5]}, Candidates: place}, member: memberNouns[strings.ToLower(noun)]})
	}
	return cs, gs
}

// groupFromRE joins a group to the bodies its members come from: " from the ".
var groupFromRE = regexp.MustCompile(`^\s+(?:from|of)\s+(?:the\s+)?$`)

// groupRelations: a counted group is LOCATED_IN its place (once a
// document), and academicians or members "from (the) A and (the) B" are
// MEMBER_OF each.
func groupRelations(text string, ends []End, gs []placeGroup, newKinds map[string]kg.Kind, done map[string]bool) []RelSuggestion {
	var out []RelSuggestion
	for _, g := range gs {
		for i, e := range ends {
			if e.NewName != g.name {
				continue
			}
			if !done[g.name] {
				done[g.name] = true
				out = append(out, RelSuggestion{Type: "LOCATED_IN", From: e, To: g.place})
			}
			if !g.member || i+1 >= len(ends) || !groupFromRE.MatchString(text[e.Span.End:ends[i+1].Span.Start]) {
				continue
			}
			for _, k := range coordinated(text, ends, i+1) {
				if k > i && bodies.allows(endKind(ends[k], newKinds)) {
					out = append(out, RelSuggestion{Type: "MEMBER_OF", From: e, To: ends[k]})
				}
			}
		}
	}
	return out
}

// affiliatedRE is a body named by the known body it is affiliated with:
// "the CAS-affiliated institution", "a university-affiliated hospital" (group
// 1 the body's name, 2 the head noun).
var affiliatedRE = regexp.MustCompile(`(?:^|[^\pL\pN\-])(\p{Lu}[\pL\pN&]*(?: \p{Lu}[\pL\pN&]*){0,4})-affiliated\s+(institution|institute|university|college|laboratory|lab|hospital|school|centre|center|company|organisation|organization|academy)\b`)

// affiliate is a body named after the known body it belongs to.
type affiliate struct {
	name string
	body End
}

// affiliates proposes "<Body>-affiliated <noun>" as a new body of the noun's
// kind whose name is the phrase, PART_OF the known body.
func (d *Dictionary) affiliates(text string) ([]candidate, []affiliate) {
	var cs []candidate
	var as []affiliate
	for _, g := range affiliatedRE.FindAllStringSubmatchIndex(text, -1) {
		// the body's name: the longest run of the capitalised words before
		// the hyphen that is known ("The CAS-affiliated …" is CAS's)
		var body []Candidate
		for g[2] < g[3] && body == nil {
			if body = d.Lookup(text[g[2]:g[3]]); body == nil {
				sp := strings.IndexByte(text[g[2]:g[3]], ' ')
				if sp < 0 {
					break
				}
				g[2] += sp + 1
			}
		}
		if len(body) != 1 || !bodies.allows(body[0].Kind) {
			continue
		}
		name := kg.CollapseSpace(text[g[2]:g[5]])
		k, conf := ProposeKind(text[g[4]:g[5]])
		cs = append(cs, candidate{span: Span{g[2], g[5]}, name: name, kind: k, conf: min(conf, 0.7)})
		as = append(as, affiliate{name: name, body: End{Span: Span{g[2], g[3]}, Candidates: body}})
	}
	return cs, as
}

// affiliateRelations: an affiliated body is PART_OF its body, once a document.
func affiliateRelations(ends []End, as []affiliate, done map[string]bool) []RelSuggestion {
	var out []RelSuggestion
	for _, a := range as {
		for _, e := range ends {
			if e.NewName == a.name && !done[a.name] && e.Span.Start == a.body.Span.Start {
				done[a.name] = true
				out = append(out, RelSuggestion{Type: "PART_OF", From: e, To: a.body})
			}
		}
	}
	return out
}

// partnerListRE is the list of partners after "partnership with": up to
// the clause's end.
var partnerListRE = regexp.MustCompile(`(?i)\b(?:partnership|cooperation|collaboration|agreement|joint venture)\s+with\s+([^.;:()\n]{1,80})`)

// loneAcronymRE is an all-capitals word of 2–6 letters standing alone.
var loneAcronymRE = regexp.MustCompile(`(?:^|[^\pL\pN\-&])(\p{Lu}{2,6})(?:[^\pL\pN\-&]|$)`)

// partnerAcronyms proposes a lone all-capitals word in the list of partners
// after "partnership/cooperation/agreement with" ("with ZTE and China
// Mobile") as an organisation's name: partners are bodies, and an acronym
// there is a body's name. A word beside another capitalised word is part
// of a longer name, which capitalisedRuns reads.
func partnerAcronyms(text string) []candidate {
	var out []candidate
	for _, m := range partnerListRE.FindAllStringSubmatchIndex(text, -1) {
		list := text[m[2]:m[3]]
		for _, g := range loneAcronymRE.FindAllStringSubmatchIndex(list, -1) {
			s, e := m[2]+g[2], m[2]+g[3]
			if partOfLongerName(text, Span{s, e}) {
				continue
			}
			out = append(out, candidate{span: Span{s, e}, name: text[s:e], kind: kg.KindOrganization, conf: 0.5})
		}
	}
	return out
}

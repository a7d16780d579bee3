package ingest

import (
	"regexp"
	"strings"
	"unicode"

	"github.com/innograph/innograph/internal/kg"
)

// positionRE is a photo caption's position after a person's name: "(first
// right)", "(centre)", "(second from left)".
var positionRE = regexp.MustCompile(`(?i)^\s*\((?:(?:first|second|third|fourth|fifth|sixth|far|extreme)\s+(?:from\s+)?)?(?:left|right|centre|center|middle)\)`)

// captionAttended proposes ATTENDED for the people a photo caption places
// ("Mrs. Lam (centre) is pictured with …, Mr. Nicholas W Yang (first
// right)"): each was at the event the caption names, or else at the one the
// sentence before it last names (the caption under "… attended the Forum").
func captionAttended(text string, sents []Span, ends [][]End, si int, newKinds map[string]kg.Kind) []RelSuggestion {
	var placed []End
	for _, e := range ends[si] {
		if endKind(e, newKinds) == kg.KindPerson && positionRE.MatchString(text[e.Span.End:sents[si].End]) {
			placed = append(placed, e)
		}
	}
	if len(placed) == 0 {
		return nil
	}
	var event *End
	for _, i := range []int{si, si - 1} {
		if i < 0 {
			break
		}
		for j := len(ends[i]) - 1; j >= 0 && event == nil; j-- {
			if endKind(ends[i][j], newKinds) == kg.KindEvent {
				event = &ends[i][j]
			}
		}
		if event != nil {
			break
		}
	}
	if event == nil {
		return nil
	}
	var out []RelSuggestion
	for _, p := range placed {
		out = append(out, RelSuggestion{Type: "ATTENDED", From: p, To: *event})
	}
	return out
}

// hostVerbRE is what a body that has a group of units says of them: "The
// University has two State Key Laboratories".
var hostVerbRE = regexp.MustCompile(`(?i)\b(?:has|have|houses|hosts|is home to|runs|operates)\b`)

// sameEntity reports whether two ends name the same entity.
func sameEntity(x, y End) bool {
	if x.NewName != "" || y.NewName != "" {
		return x.NewName == y.NewName
	}
	return len(x.Candidates) == 1 && len(y.Candidates) == 1 && x.Candidates[0].EntityID == y.Candidates[0].EntityID
}

// onlyMarks reports whether s holds no letter or digit (white space, a
// bullet, a dash).
func onlyMarks(s string) bool {
	return !strings.ContainsFunc(s, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) })
}

// listRelations reads a heading and the list under it: "Partner State Key
// Laboratories:" and then items, a line each, that start with a body's
// name ("• Partner State Key Laboratory of Chirosciences (Director: …)").
// Each item is PART_OF the group the heading names; and when a sentence
// shortly before says a body has that group ("The University has two
// Partner State Key Laboratories"), the body HOSTS each item. The result is
// keyed by the item's sentence.
func listRelations(text string, sents []Span, ends [][]End, newKinds map[string]kg.Kind) map[int][]RelSuggestion {
	var out map[int][]RelSuggestion
	for si, sent := range sents {
		s := text[sent.Start:sent.End]
		if !strings.HasSuffix(s, ":") || len(ends[si]) == 0 {
			continue
		}
		g := ends[si][len(ends[si])-1]
		if strings.TrimSpace(text[g.Span.End:sent.End]) != ":" || !onlyMarks(text[sent.Start:g.Span.Start]) || !nonPlace.allows(endKind(g, newKinds)) {
			continue
		}
		host, hosted := listHost(text, sents, ends, si, g, newKinds)
		for j := si + 1; j < len(sents) && len(ends[j]) > 0; j++ {
			it := ends[j][0]
			item := strings.TrimSpace(text[sents[j].Start:sents[j].End])
			if strings.HasSuffix(item, ":") || !onlyMarks(text[sents[j].Start:it.Span.Start]) || sameEntity(it, g) {
				break
			}
			if k := endKind(it, newKinds); !bodies.allows(k) && !(k == "" && it.NewName != "") {
				break
			}
			if out == nil {
				out = map[int][]RelSuggestion{}
			}
			out[j] = append(out[j], RelSuggestion{Type: "PART_OF", From: it, To: g})
			if hosted {
				out[j] = append(out[j], RelSuggestion{Type: "HOSTS", From: host, To: it})
			}
		}
	}
	return out
}

// listHost finds, in the few sentences before a list's heading at si, one
// that names the heading's group g after a verb of having, with a body as
// its subject (its first end): that body.
func listHost(text string, sents []Span, ends [][]End, si int, g End, newKinds map[string]kg.Kind) (End, bool) {
	for k := si - 1; k >= 0 && k >= si-8; k-- {
		if len(ends[k]) < 2 || strings.HasSuffix(strings.TrimSpace(text[sents[k].Start:sents[k].End]), ":") {
			continue
		}
		for _, e := range ends[k][1:] {
			if !sameEntity(e, g) {
				continue
			}
			subj := ends[k][0]
			if !kinds(kg.KindUniversity, kg.KindInstitute, kg.KindFacility, kg.KindCompany).allows(endKind(subj, newKinds)) {
				return End{}, false
			}
			gap := text[subj.Span.End:e.Span.Start]
			if v := hostVerbRE.FindStringIndex(gap); v != nil && !strings.ContainsAny(gap[:v[0]], ",;") {
				return subj, true
			}
			return End{}, false
		}
	}
	return End{}, false
}

// approvalRE is an approval stated as a circumstance: "with approval from
// the Ministry", "with the approval of MOST".
var approvalRE = regexp.MustCompile(`(?i)\bwith (?:the )?approval (?:of|from) `)

// approvals proposes APPROVED for "with approval from X": X approved what
// the clause is about — the sentence's first body before the phrase ("16
// labs have been established … with approval from X"), or, when the phrase
// opens the sentence, the first body after its comma ("In 2015, with
// approval from X, the Centre …").
func approvals(text string, sent Span, ends []End, newKinds map[string]kg.Kind) []RelSuggestion {
	var out []RelSuggestion
	for _, m := range approvalRE.FindAllStringIndex(text[sent.Start:sent.End], -1) {
		ts, te := sent.Start+m[0], sent.Start+m[1]
		x := -1
		for i, e := range ends {
			if e.Span.Start >= te {
				x = i
				break
			}
		}
		if x < 0 || strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(text[te:ends[x].Span.Start]), "the")) != "" ||
			!bodies.allows(endKind(ends[x], newKinds)) {
			continue
		}
		fits := func(e End) bool {
			k := endKind(e, newKinds)
			return nonPlace.allows(k) || k == "" && e.NewName != ""
		}
		var what *End
		for i := 0; i < len(ends) && ends[i].Span.End <= ts; i++ {
			if fits(ends[i]) {
				what = &ends[i]
				break
			}
		}
		if what == nil {
			// the phrase opens the sentence: the body after the comma that closes it
			if c := strings.IndexByte(text[ends[x].Span.End:sent.End], ','); c >= 0 {
				at := ends[x].Span.End + c
				for i := x + 1; i < len(ends); i++ {
					if ends[i].Span.Start > at && fits(ends[i]) && onlyMarks(strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(text[at+1:ends[i].Span.Start]), "the"))) {
						what = &ends[i]
					}
					if ends[i].Span.Start > at {
						break
					}
				}
			}
		}
		if what != nil && !sameEntity(*what, ends[x]) {
			out = append(out, RelSuggestion{Type: "APPROVED", From: ends[x], To: *what})
		}
	}
	return out
}

var (
	// participationRE joins "X's participation in (the development of) Y".
	participationRE = regexp.MustCompile(`(?i)^(?:'s|’s)\s+(?:participation|involvement)\s+in\s+(?:the\s+)?(?:development\s+of\s+(?:the\s+)?)?["“‘']?$`)
	// betweenRE is a joint act named by a noun before its parties:
	// "collaboration between the CAS and local universities".
	betweenRE = regexp.MustCompile(`(?i)\b(?:collaboration|cooperation|co-operation|partnership)\s+between\s+(?:the\s+)?$`)
	// andRE joins the two parties: " and (the) ".
	andRE = regexp.MustCompile(`(?i)^\s+and\s+(?:the\s+)?$`)
	// togetherRE is what coordinated parties do jointly, a few words on:
	// "Hong Kong and Guangdong authorities have already planned to work together".
	togetherRE = regexp.MustCompile(`(?i)^(?:\s+[a-z]+){0,4}?\s+(?:work(?:s|ed|ing)?\s+together|cooperat(?:e|es|ed|ing)|collaborat(?:e|es|ed|ing)|join(?:ed|s)?\s+forces)\b`)
)

// nominalRelations proposes what a sentence states by a noun rather than a
// verb: "Hong Kong's participation in the Initiative" (PARTICIPATED_IN),
// "collaboration between A and B" and "A and B … work together"
// (COLLABORATES_WITH, between bodies).
func nominalRelations(text string, sent Span, ends []End, newKinds map[string]kg.Kind) []RelSuggestion {
	var out []RelSuggestion
	body := func(e End) bool {
		k := endKind(e, newKinds)
		return k != kg.KindPlace && k != kg.KindPerson && bodies.allows(k)
	}
	for i := 0; i+1 < len(ends); i++ {
		x, y := ends[i], ends[i+1]
		gap := text[x.Span.End:y.Span.Start]
		k := endKind(x, newKinds)
		if participationRE.MatchString(gap) && (actors.allows(k) || k == kg.KindPlace) && nonPlace.allows(endKind(y, newKinds)) &&
			!kinds(kg.KindUniversity, kg.KindLab, kg.KindGovernmentBody, kg.KindInstitute, kg.KindCompany, kg.KindDepartment, kg.KindOrganization, kg.KindFacility).allows(endKind(y, newKinds)) {
			out = append(out, RelSuggestion{Type: "PARTICIPATED_IN", From: x, To: y})
		}
		if !andRE.MatchString(gap) || !body(x) || !body(y) || sameEntity(x, y) {
			continue
		}
		if betweenRE.MatchString(text[sent.Start:x.Span.Start]) || togetherRE.MatchString(text[y.Span.End:sent.End]) {
			out = append(out, RelSuggestion{Type: "COLLABORATES_WITH", From: x, To: y})
		}
	}
	return out
}

// partOfTail reads a body's name that ends with another body's: "Affairs
// Office of the State Council" is PART_OF the State Council, when the tail
// after the last "of the" (behind the head word) is a known body or a new
// name of a body's kind.
func (d *Dictionary) partOfTail(text string, ends []End, newKinds map[string]kg.Kind) []RelSuggestion {
	var out []RelSuggestion
	for _, e := range ends {
		k := endKind(e, newKinds)
		if e.NewName == "" || !kinds(kg.KindGovernmentBody, kg.KindDepartment, kg.KindLab, kg.KindInstitute).allows(k) {
			continue
		}
		name := e.Span.Text(text)
		g := tailRE.FindStringSubmatchIndex(name)
		if g == nil {
			continue
		}
		sp := Span{e.Span.Start + g[2], e.Span.End}
		tail := kg.CollapseSpace(sp.Text(text))
		to := End{Span: sp}
		if cs := d.Lookup(tail); cs != nil {
			to.Candidates = cs
		} else if _, ok := newKinds[tail]; ok {
			to.NewName = tail
		} else {
			continue
		}
		if tk := endKind(to, newKinds); tk != kg.KindPlace && bodies.allows(tk) {
			out = append(out, RelSuggestion{Type: "PART_OF", From: e, To: to})
		}
	}
	return out
}

// tailRE finds the tail of a body's name after its head word and "of the"
// (group 1), the last such: "… Office of the State Council".
var tailRE = regexp.MustCompile(`(?i)\b(?:office|offices|department|ministry|bureau|commission|committee|council|institute|institutes|centre|center|laboratory|academy|school|faculty|division|agency|administration|secretariat|branch)\s+of\s+the\s+((?:\p{Lu}[\pL'’\-]*)(?:\s+\p{Lu}[\pL'’\-]*)*)$`)

// branchRE is "<Place> Branch(es) of <Body>" (groups 1 and 2).
var branchRE = regexp.MustCompile(`^(\p{Lu}[\pL\-]*(?:\s+\p{Lu}[\pL\-]*){0,3})\s+(?:Branch|Branches|branch|branches|Office|Campus)\s+of\s+(?:the\s+)?(\S.*)$`)

// branchRelations reads a branch's name: "Hong Kong Branches of the
// National Centres" are PART_OF the centres and LOCATED_IN Hong Kong, when
// the place and the body are known.
func (d *Dictionary) branchRelations(text string, ends []End) []RelSuggestion {
	var out []RelSuggestion
	for _, e := range ends {
		name := e.Span.Text(text)
		g := branchRE.FindStringSubmatchIndex(name)
		if g == nil {
			continue
		}
		place := d.Lookup(name[g[2]:g[3]])
		body := d.Lookup(kg.CollapseSpace(name[g[4]:g[5]]))
		if len(place) != 1 || place[0].Kind != kg.KindPlace || len(body) == 0 {
			continue
		}
		if k := body[0].Kind; k == kg.KindPlace || k == kg.KindPerson || !nonPlace.allows(k) {
			continue
		}
		ps := Span{e.Span.Start + g[2], e.Span.Start + g[3]}
		bs := Span{e.Span.Start + g[4], e.Span.Start + g[5]}
		out = append(out, RelSuggestion{Type: "PART_OF", From: e, To: End{Span: bs, Candidates: body}},
			RelSuggestion{Type: "LOCATED_IN", From: e, To: End{Span: ps, Candidates: place}})
	}
	return out
}

// placeNamed reads a facility's or zone's name that starts with a known
// place ("Hong Kong Science Park", "Shenzhen Innovation and Technology
// Zone"): it is LOCATED_IN that place. Once per entity in a document.
func (d *Dictionary) placeNamed(text string, ends []End, newKinds map[string]kg.Kind, done map[string]bool) []RelSuggestion {
	var out []RelSuggestion
	for _, e := range ends {
		k := endKind(e, newKinds)
		if k != kg.KindFacility && k != kg.KindPlace {
			continue
		}
		key := e.NewName
		if key == "" {
			key = e.Candidates[0].EntityID
		}
		if done[key] {
			continue
		}
		name := kg.CollapseSpace(e.Span.Text(text))
		ws := strings.Fields(name)
		if len(ws) < 2 {
			continue
		}
		if k == kg.KindPlace {
			// a zone or district named after the place, not a region of it
			if h := strings.ToLower(ws[len(ws)-1]); h != "zone" && h != "park" && h != "district" && h != "town" {
				continue
			}
		}
		// the longest start of one or two words that names a known place
		for n := min(2, len(ws)-1); n >= 1; n-- {
			p := strings.Join(ws[:n], " ")
			cs := d.Lookup(p)
			if len(cs) != 1 || cs[0].Kind != kg.KindPlace || containsID(e.Candidates, cs[0].EntityID) {
				continue
			}
			sp := Span{e.Span.Start, e.Span.Start + len(ws[0])}
			if n == 2 {
				sp.End = e.Span.Start + strings.Index(e.Span.Text(text), ws[1]) + len(ws[1])
			}
			done[key] = true
			out = append(out, RelSuggestion{Type: "LOCATED_IN", From: e, To: End{Span: sp, Candidates: cs}})
			break
		}
	}
	return out
}

package ingest

import (
	"regexp"
	"strings"

	"github.com/innograph/innograph/internal/kg"
)

// anaphorRE finds a definite description by a body's head noun: "the
// Academy's Chairman", "at the forum", "part of the area".
var anaphorRE = regexp.MustCompile(`(?i)\bthe\s+(academy|university|institute|institution|bureau|ministry|commission|council|forum|conference|summit|symposium|expo|exhibition|ceremony|centre|center|park|laboratory|programme|scheme|agreement|memorandum|area|region|alliance|foundation|federation|association|initiative|blueprint)\b`)

// maxAntecedents bounds how many earlier ends an anaphor looks back over.
const maxAntecedents = 300

// definiteAnaphora adds, as ends, the definite descriptions that name the
// most recent body of that kind: "the Academy" after "International
// Digital Economy Academy", "the forum" after "Forum on Mainland-Hong Kong
// Cooperation …". The head noun must be a head word of the earlier name
// (its last word, the word before its "of", "for" or "on", or its first);
// a description that goes on with a capitalised word or "of" is a name
// itself ("the University of Hong Kong"), and one that overlaps an end is
// part of it. ends are per sentence, each in text order; it keeps them so.
func definiteAnaphora(text string, sents []Span, ends [][]End) {
	var all []End // every end so far, in text order
	for si, sent := range sents {
		s := text[sent.Start:sent.End]
		var add []End
		for _, m := range anaphorRE.FindAllStringSubmatchIndex(s, -1) {
			ts, te := sent.Start+m[0], sent.Start+m[1]
			rest := strings.TrimLeft(text[te:sent.End], " ")
			if len(rest) < len(text[te:sent.End]) && (capitalised(rest) || strings.HasPrefix(rest, "of ")) {
				continue
			}
			clash := false
			for _, e := range ends[si] {
				if ts < e.Span.End && e.Span.Start < te {
					clash = true
				}
			}
			if clash {
				continue
			}
			noun := headForm(strings.ToLower(s[m[2]:m[3]]))
			// antecedents: this sentence's ends before it, then earlier ones
			var ante *End
			for i := len(ends[si]) - 1; i >= 0 && ante == nil; i-- {
				if e := ends[si][i]; e.Span.End <= ts && headed(text, e, noun) {
					ante = &ends[si][i]
				}
			}
			for i := len(all) - 1; i >= 0 && i >= len(all)-maxAntecedents && ante == nil; i-- {
				if headed(text, all[i], noun) {
					ante = &all[i]
				}
			}
			if ante == nil {
				continue
			}
			add = append(add, End{Span: Span{ts, te}, Candidates: ante.Candidates, NewName: ante.NewName})
		}
		if len(add) > 0 {
			ends[si] = append(ends[si], add...)
			sortBy(ends[si], func(x, y End) bool { return x.Span.Start < y.Span.Start })
		}
		all = append(all, ends[si]...)
	}
}

// headed reports whether noun is a head word of the name an end stands
// for or of the name as the text gives it ("Hong Kong Special
// Administrative Region" for "the region", though the entity is "Hong Kong").
func headed(text string, e End, noun string) bool {
	return hasHead(endName(text, e), noun) || hasHead(e.Span.Text(text), noun)
}

// endName is the name an end stands for: a new entity's, a single known
// entity's, else the text.
func endName(text string, e End) string {
	if e.NewName != "" {
		return e.NewName
	}
	if len(e.Candidates) == 1 {
		return e.Candidates[0].Name
	}
	return ""
}

// headForm folds a head noun: American spelling, singular.
func headForm(w string) string {
	w = strings.ToLower(w)
	if w == "centre" {
		return "center"
	}
	if w == "laboratories" {
		return "laboratory"
	}
	return strings.TrimSuffix(w, "s")
}

// headPunct is the punctuation a name's words are split at to find its head.
var headPunct = strings.NewReplacer("(", " ", ")", " ", ",", " ")

// hasHead reports whether noun is a head word of name: its last word, the
// word before its first "of", "for" or "on", or its first word.
func hasHead(name, noun string) bool {
	ws := strings.Fields(strings.ToLower(headPunct.Replace(name)))
	for len(ws) > 1 && strings.Trim(ws[len(ws)-1], "0123456789") == "" {
		ws = ws[:len(ws)-1]
	}
	if len(ws) == 0 {
		return false
	}
	heads := []string{ws[len(ws)-1], ws[0]}
	for i, w := range ws {
		if i > 0 && (w == "of" || w == "for" || w == "on") {
			heads = append(heads, ws[i-1])
			break
		}
	}
	for _, h := range heads {
		if headForm(h) == noun {
			return true
		}
	}
	return false
}

// pronounRE is a subject pronoun opening a sentence.
var pronounRE = regexp.MustCompile(`^["“‘']?(He|She|It)\b`)

// pronounAnaphora adds, as ends, the subject pronouns that open sentences:
// "He"/"She" is the person who was the subject of one of the three
// sentences before ("President Xi … made an instruction. He called for …");
// "It" the body that was the subject of the sentence right before. A
// subject is an end that opens its sentence. ends are per sentence, in text
// order; it keeps them so.
func pronounAnaphora(text string, sents []Span, ends [][]End, newKinds map[string]kg.Kind) {
	for si := 1; si < len(sents); si++ {
		m := pronounRE.FindStringSubmatchIndex(text[sents[si].Start:sents[si].End])
		if m == nil {
			continue
		}
		sp := Span{sents[si].Start + m[2], sents[si].Start + m[3]}
		if len(ends[si]) > 0 && ends[si][0].Span.Start < sp.End {
			continue
		}
		person := text[sp.Start:sp.End] != "It"
		back := 1
		if person {
			back = 3
		}
		var ante *End
		for k := si - 1; k >= 0 && k >= si-back && ante == nil; k-- {
			if len(ends[k]) == 0 || !subjectStart(text, sents[k], ends[k][0]) {
				continue
			}
			kind := endKind(ends[k][0], newKinds)
			if person && kind == kg.KindPerson || !person && kind != kg.KindPerson && kind != kg.KindPlace && bodies.allows(kind) {
				ante = &ends[k][0]
			}
		}
		if ante == nil {
			continue
		}
		ends[si] = append([]End{{Span: sp, Candidates: ante.Candidates, NewName: ante.NewName}}, ends[si]...)
	}
}

package ingest

import (
	"regexp"
	"strings"

	"github.com/innograph/innograph/internal/kg"
)

var (
	// memberListOpenRE opens a parenthesised list of a region's parts:
	// "the Greater Bay Area (Hong Kong, Macau and nine cities …)".
	memberListOpenRE = regexp.MustCompile(`^\s*\(\s*$`)
	// suchAsRE introduces examples of a region's parts: "Greater Bay Area
	// cities such as Shenzhen and Guangzhou".
	suchAsRE = regexp.MustCompile(`(?i)^\s+(?:cities|city|districts|provinces|regions|towns|municipalities|counties|areas)(?:\s*,)?\s+(?:such as|like|including|namely)\s+$`)
	// partOfRE: "As an indispensable part of the area, Hong Kong …".
	partOfRE       = regexp.MustCompile(`(?i)\bas\s+(?:a|an|the)\s+(?:[\pL\-]+\s+){0,3}?(?:part|member|component)\s+of\s+(?:the\s+)?$`)
	bracketPlaceRE = regexp.MustCompile(`\S \(([^()]+)\)$`)
	commaRE        = regexp.MustCompile(`^\s*,\s*$`)
	// namedInRE is a name ending "in" a place: "National X Center in Tianjin".
	namedInRE = regexp.MustCompile(`\S\s+in\s+(\p{Lu}[^()]*)$`)
	// compassRE: "Northern Hong Kong", "West Kowloon".
	compassRE = regexp.MustCompile(`^(?:Northern|Southern|Eastern|Western|North|South|East|West|Central|Northeast|Northwest|Southeast|Southwest|North-East|North-West|South-East|South-West|Upper|Lower|Inner|Outer)\s+(.+)$`)
)

// placeRelations proposes the PART_OF relationships between places that a
// sentence states by its structure rather than a verb: a region followed by
// the parenthesised list of its parts, "Region cities such as A and B", "as
// a part of Region, A …", and a compass name ("Northern X") part of X.
func (d *Dictionary) placeRelations(text string, sent Span, ends []End, newKinds map[string]kg.Kind) []RelSuggestion {
	var out []RelSuggestion
	isPlace := func(e End) bool { return endKind(e, newKinds) == kg.KindPlace }
	add := func(part, whole End) {
		if sameEnd(part, whole) {
			return
		}
		for _, r := range out {
			if sameEnd(r.From, part) && sameEnd(r.To, whole) {
				return
			}
		}
		out = append(out, RelSuggestion{Type: "PART_OF", From: part, To: whole})
	}
	for i, e := range ends {
		// "X University (Guangzhou)" is located in Guangzhou
		if e.NewName != "" {
			if m := bracketPlaceRE.FindStringSubmatch(e.NewName); m != nil {
				for _, c := range d.Lookup(m[1]) {
					if c.Kind == kg.KindPlace {
						out = append(out, RelSuggestion{Type: "LOCATED_IN", From: e, To: End{Span: e.Span, Candidates: []Candidate{c}}})
						break
					}
				}
			}
		}
		// "National Supercomputing Center in Tianjin" is located in Tianjin
		if e.NewName != "" {
			if m := namedInRE.FindStringSubmatch(e.NewName); m != nil {
				for _, c := range d.Lookup(m[1]) {
					if c.Kind == kg.KindPlace {
						out = append(out, RelSuggestion{Type: "LOCATED_IN", From: e, To: End{Span: e.Span, Candidates: []Candidate{c}}})
						break
					}
				}
			}
		}
		// Northern X is part of X (a new name of no known kind too)
		if k := endKind(e, newKinds); k == kg.KindPlace || k == "" && e.NewName != "" {
			if m := compassRE.FindStringSubmatch(e.Span.Text(text)); m != nil {
				for _, c := range d.Lookup(m[1]) {
					if c.Kind == kg.KindPlace {
						add(e, End{Span: e.Span, Candidates: []Candidate{c}})
						break
					}
				}
			}
		}
		if !isPlace(e) {
			continue
		}
		// Region (A, B and C …): the places listed up to the parenthesis' end
		if i+1 < len(ends) && memberListOpenRE.MatchString(text[e.Span.End:ends[i+1].Span.Start]) {
			close := strings.IndexByte(text[e.Span.End:sent.End], ')')
			if close >= 0 {
				close += e.Span.End
				for _, x := range coordinated(text, ends, i+1) {
					if ends[x].Span.End <= close && isPlace(ends[x]) {
						add(ends[x], e)
					}
				}
			}
		}
		// Region cities such as A and B
		if i+1 < len(ends) && suchAsRE.MatchString(text[e.Span.End:ends[i+1].Span.Start]) {
			for _, x := range coordinated(text, ends, i+1) {
				if x > i && isPlace(ends[x]) {
					add(ends[x], e)
				}
			}
		}
		// as a part of Region, A …
		if i+1 < len(ends) && partOfRE.MatchString(text[sent.Start:e.Span.Start]) &&
			commaRE.MatchString(text[e.Span.End:ends[i+1].Span.Start]) && isPlace(ends[i+1]) {
			add(ends[i+1], e)
		}
	}
	return out
}

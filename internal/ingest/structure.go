package ingest

import (
	"regexp"

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

package ingest

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/innograph/innograph/internal/kg"
)

var months = map[string]int{"january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
	"august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
	"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12}

const monthRE = `(January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?`

var (
	dayMonthYearRE = regexp.MustCompile(`\b([0-9]{1,2})\s+` + monthRE + `,?\s+((?:19|20)[0-9]{2})\b`)
	monthDayYearRE = regexp.MustCompile(`\b` + monthRE + `\s+([0-9]{1,2})(?:st|nd|rd|th)?,?\s+((?:19|20)[0-9]{2})\b`)
	monthYearRE    = regexp.MustCompile(`\b` + monthRE + `\s+(?:of\s+)?((?:19|20)[0-9]{2})\b`)
	monthRelRE     = regexp.MustCompile(`(?i)\b` + `(january|february|march|april|may|june|july|august|september|october|november|december)` + `\s+(?:of\s+)?(this|last|next)\s+year\b`)
	relYearRE      = regexp.MustCompile(`(?i)\b(this|last|next|the previous|the following|the coming)\s+year\b`)
	yearRE         = regexp.MustCompile(`\b((?:19|20)[0-9]{2})\b`)
)

// ResolveDate returns the first date sentence gives, resolved against the
// publication date pub where it is relative ("last year", "early November
// this year"), with the precision the words support; nil when none.
// A relative date without pub is not resolved.
func ResolveDate(sentence string, pub *kg.Date) *kg.Date {
	type cand struct {
		at int
		d  kg.Date
	}
	var best *cand
	try := func(at int, d kg.Date) {
		if best == nil || at < best.at {
			best = &cand{at, d}
		}
	}
	num := func(s string) int { n, _ := strconv.Atoi(s); return n }
	for _, m := range dayMonthYearRE.FindAllStringSubmatchIndex(sentence, -1) {
		try(m[0], kg.Date{Year: num(sentence[m[6]:m[7]]), Month: months[strings.ToLower(sentence[m[4]:m[5]])], Day: num(sentence[m[2]:m[3]]), Precision: kg.PrecisionDay})
	}
	for _, m := range monthDayYearRE.FindAllStringSubmatchIndex(sentence, -1) {
		try(m[0], kg.Date{Year: num(sentence[m[6]:m[7]]), Month: months[strings.ToLower(sentence[m[2]:m[3]])], Day: num(sentence[m[4]:m[5]]), Precision: kg.PrecisionDay})
	}
	covered := func(at int) bool { return best != nil && best.at <= at && at < best.at+24 }
	for _, m := range monthYearRE.FindAllStringSubmatchIndex(sentence, -1) {
		if !covered(m[0]) {
			try(m[0], kg.Date{Year: num(sentence[m[4]:m[5]]), Month: months[strings.ToLower(sentence[m[2]:m[3]])], Precision: kg.PrecisionMonth})
		}
	}
	rel := func(w string) (int, bool) {
		if pub == nil {
			return 0, false
		}
		switch strings.ToLower(w) {
		case "this", "the coming":
			return pub.Year, true
		case "last", "the previous":
			return pub.Year - 1, true
		case "next", "the following":
			return pub.Year + 1, true
		}
		return 0, false
	}
	for _, m := range monthRelRE.FindAllStringSubmatchIndex(sentence, -1) {
		if y, ok := rel(sentence[m[4]:m[5]]); ok {
			try(m[0], kg.Date{Year: y, Month: months[strings.ToLower(sentence[m[2]:m[3]])], Precision: kg.PrecisionMonth})
		}
	}
	for _, m := range relYearRE.FindAllStringSubmatchIndex(sentence, -1) {
		if y, ok := rel(sentence[m[2]:m[3]]); ok && !(best != nil && best.at < m[0] && m[0] < best.at+20) {
			try(m[0], kg.Date{Year: y, Precision: kg.PrecisionYear})
		}
	}
	for _, m := range yearRE.FindAllStringSubmatchIndex(sentence, -1) {
		if best == nil || m[0] < best.at {
			try(m[0], kg.Date{Year: num(sentence[m[2]:m[3]]), Precision: kg.PrecisionYear})
		}
	}
	if best == nil {
		return nil
	}
	d := best.d
	return &d
}

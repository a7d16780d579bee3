package ingest

import (
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// abbreviations never end a sentence when followed by a period (compared
// lower-case, without the period).
var abbreviations = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "dr": true, "prof": true, "no": true, "nos": true, "st": true, "vs": true,
	"etc": true, "inc": true, "ltd": true, "co": true, "corp": true, "jr": true, "sr": true, "gov": true, "govt": true,
	"sen": true, "rep": true, "fig": true, "vol": true, "pp": true, "approx": true, "dept": true, "univ": true,
	"jan": true, "feb": true, "mar": true, "apr": true, "jun": true, "jul": true, "aug": true, "sep": true, "sept": true,
	"oct": true, "nov": true, "dec": true, "hon": true, "ir": true, "est": true, "e.g": true, "i.e": true, "cf": true,
	"mt": true, "ave": true, "rd": true, "u.s": true, "u.k": true, "u.n": true, "p.r.c": true, "hk": true,
}

// Sentences splits text into sentence spans (byte offsets). A sentence ends
// at '.', '!' or '?' (with any closing quotes or brackets) followed by white
// space and a capital, digit or opening quote — unless the word before the
// period is an abbreviation ("Prof.", "No.", "U.S."), an initial ("K.") or
// the period is inside a number ("HK$3.8 million"). A line break ends a
// sentence too (lineEnds): a headline, a caption or a list item is a
// sentence of its own, with or without a stop. Leading and trailing white
// space is not part of a span.
func Sentences(text string) []Span {
	var out []Span
	start := 0
	lo := layoutOf(text)
	add := func(end int) {
		s := strings.TrimSpace(text[start:end])
		if s != "" {
			i := start + strings.Index(text[start:end], s)
			out = append(out, Span{i, i + len(s)})
		}
		start = end
	}
	for i := 0; i < len(text); i++ {
		c := text[i]
		if c == '\n' {
			if lineEnds(text, start, i, lo) {
				add(i)
			}
			continue
		}
		if c != '.' && c != '!' && c != '?' {
			continue
		}
		j := i + 1
		for j < len(text) && strings.ContainsRune(`"')]”’`, rune(text[j])) {
			j++
		}
		for j < len(text) && (text[j] == 0xE2) { // ” ’ (3 bytes)
			r, n := utf8.DecodeRuneInString(text[j:])
			if r != '”' && r != '’' {
				break
			}
			j += n
		}
		if j < len(text) && !unicode.IsSpace(rune(text[j])) {
			continue
		}
		k := j
		for k < len(text) && unicode.IsSpace(rune(text[k])) {
			k++
		}
		if k < len(text) {
			r, _ := utf8.DecodeRuneInString(text[k:])
			if !(unicode.IsUpper(r) || unicode.IsDigit(r) || strings.ContainsRune(`"'“‘(`, r)) {
				continue
			}
		}
		if c == '.' && !endsSentence(text[:i], text[k:]) {
			continue
		}
		add(j)
	}
	add(len(text))
	return out
}

// endsSentence decides a period: before is the text up to the period, after
// the text from the next word on.
func endsSentence(before, after string) bool {
	w := before
	if i := strings.LastIndexFunc(before, unicode.IsSpace); i >= 0 {
		w = before[i+1:]
	}
	w = strings.TrimLeft(w, `"'(“‘`)
	lw := strings.ToLower(w)
	if abbreviations[lw] {
		// "No. 1", "Prof. Chung": not an end. "… in the U.S. The …" is
		// taken as not an end too: the rarer error.
		return false
	}
	if w != "" && len(w) <= 2 && strings.Trim(w, "0123456789") == "" {
		if p := strings.TrimRight(before[:len(before)-len(w)], " \t"); p == "" || strings.HasSuffix(p, "\n") {
			return false // a numbered item's number: "\n2. Partners"
		}
	}
	if utf8.RuneCountInString(w) == 1 {
		r, _ := utf8.DecodeRuneInString(w)
		if unicode.IsUpper(r) {
			return false // an initial: "K. F. Chung"
		}
	}
	if strings.Count(w, ".") >= 1 && len(w) <= 6 && !strings.ContainsFunc(w, unicode.IsLower) {
		return false // "U.S", "P.R.C"
	}
	return true
}

// layout is how a text is laid out in lines: wrap is the width a
// hard-wrapped text is wrapped at (text copied from a PDF or an e-mail: most
// lines as long as the longest, give or take a word), 0 when its lines are
// paragraphs, headings and items of their own (text copied from a web
// page).
type layout struct{ wrap int }

func layoutOf(text string) layout {
	if strings.Count(text, "\n") < 6 {
		return layout{}
	}
	var ls []int
	for _, l := range strings.Split(text, "\n") {
		if n := utf8.RuneCountInString(strings.TrimSpace(l)); n > 0 {
			ls = append(ls, n)
		}
	}
	if len(ls) < 6 {
		return layout{}
	}
	sorted := append([]int(nil), ls...)
	sort.Ints(sorted)
	w := sorted[len(sorted)*9/10]
	if w > 160 {
		return layout{} // paragraphs a line each
	}
	full := 0
	for _, n := range ls {
		if n*10 >= w*7 {
			full++
		}
	}
	if full*10 < len(ls)*6 {
		return layout{}
	}
	return layout{wrap: w}
}

// lineContinues are the words a line cannot end a sentence with: a wrapped
// line that stops at one goes on on the next.
var lineContinues = map[string]bool{
	"the": true, "a": true, "an": true, "of": true, "and": true, "or": true, "in": true, "on": true, "at": true,
	"to": true, "for": true, "with": true, "by": true, "from": true, "as": true, "its": true, "their": true,
	"his": true, "her": true, "that": true, "which": true, "who": true, "is": true, "are": true, "was": true,
	"were": true, "will": true, "has": true, "have": true, "into": true, "between": true, "than": true,
}

// lineEnds decides a line break at text[nl] ('\n'), the sentence so far
// starting at start. A line ends its sentence unless the sentence plainly
// goes on: the line ends with a comma, a hyphen, a dash or a word such as
// "the" or "of", or the next line starts with a small letter (a list item,
// "- …", "• …" or "1. …", always starts a sentence). In hard-wrapped text
// only a short line — a heading, a caption, a paragraph's last line — ends
// the sentence, or a web address; a full line wraps, even across a page
// break. A stop before the break is left to the rule for stops.
func lineEnds(text string, start, nl int, lo layout) bool {
	ls := strings.LastIndexByte(text[:nl], '\n') + 1
	ls = max(ls, start)
	line := strings.TrimSpace(text[ls:nl])
	if line == "" {
		return false
	}
	k := nl + 1
	for k < len(text) && unicode.IsSpace(rune(text[k])) {
		k++
	}
	if k == len(text) {
		return false
	}
	r, n := utf8.DecodeRuneInString(text[k:])
	if bullet(r) && k+n < len(text) && unicode.IsSpace(rune(text[k+n])) || unicode.IsDigit(r) && listNumberRE.MatchString(text[k:min(len(text), k+5)]) {
		return true // a list item
	}
	last, _ := utf8.DecodeLastRuneInString(line)
	if strings.ContainsRune(".!?", last) {
		return false // the rule for stops decides
	}
	if strings.ContainsRune(",;-–—(/&", last) || unicode.IsLower(r) {
		return false
	}
	w := line[strings.LastIndexFunc(line, unicode.IsSpace)+1:]
	if lineContinues[strings.ToLower(w)] {
		return false
	}
	if strings.Contains(w, "://") || strings.HasPrefix(w, "www.") {
		return true // a reference's address ends it
	}
	if lo.wrap > 0 {
		return utf8.RuneCountInString(strings.TrimSpace(text[strings.LastIndexByte(text[:nl], '\n')+1:nl]))*10 < lo.wrap*7
	}
	return true
}

// bullet reports whether r marks a list item at a line's start: a dash, a
// star, a bullet or another symbol (PDFs give bullets as private-use
// characters), but no quote or bracket.
func bullet(r rune) bool {
	if r == '-' || r == '*' {
		return true
	}
	if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsSpace(r) || strings.ContainsRune("\"'“‘([{–—", r) {
		return false
	}
	return unicode.IsSymbol(r) || unicode.Is(unicode.Co, r) || unicode.In(r, unicode.Po) && r != '.' && r != ','
}

// listNumberRE is a numbered list item's start: "1." or "2)".
var listNumberRE = regexp.MustCompile(`^\d{1,2}[.)]\s`)

package ingest

import (
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
// the period is inside a number ("HK$3.8 million"). A blank line always
// ends a sentence. Leading and trailing white space is not part of a span.
func Sentences(text string) []Span {
	var out []Span
	start := 0
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
			j := i + 1
			for j < len(text) && (text[j] == ' ' || text[j] == '\t' || text[j] == '\r') {
				j++
			}
			if j < len(text) && text[j] == '\n' {
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

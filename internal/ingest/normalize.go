package ingest

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// folded is a normalised text: lower-case letters and digits with marks
// stripped (NFKD), ’ and ‘ unified with ', every other character a single
// space, and a map from each byte back to the original rune's byte range.
type folded struct {
	s          string
	start, end []int32 // original byte range of the rune each byte of s came from
}

var folder = cases.Fold()

// normalize folds s for matching. It is the one normalisation used for the
// dictionary's forms and for the text, so both compare equal.
func normalize(s string) folded {
	b := make([]byte, 0, len(s))
	start := make([]int32, 0, len(s))
	end := make([]int32, 0, len(s))
	space := true // suppress leading space
	emit := func(c byte, i, j int) {
		if c == ' ' {
			if space {
				return
			}
			space = true
		} else {
			space = false
		}
		b = append(b, c)
		start = append(start, int32(i))
		end = append(end, int32(j))
	}
	var buf [64]byte
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		j := i + n
		switch {
		case r < utf8.RuneSelf:
			c := byte(r)
			switch {
			case c >= 'A' && c <= 'Z':
				emit(c+'a'-'A', i, j)
			case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '\'':
				emit(c, i, j)
			case c == '&':
				emit('&', i, j)
			default:
				emit(' ', i, j)
			}
		case r == '’' || r == '‘' || r == 'ʼ':
			emit('\'', i, j)
		default:
			d := norm.NFKD.AppendString(buf[:0], s[i:j])
			d = []byte(folder.String(string(d)))
			for _, dr := range string(d) {
				switch {
				case unicode.Is(unicode.Mn, dr):
				case dr < utf8.RuneSelf && (dr >= 'a' && dr <= 'z' || dr >= '0' && dr <= '9'):
					emit(byte(dr), i, j)
				case unicode.IsLetter(dr) || unicode.IsDigit(dr):
					var e [4]byte
					k := utf8.EncodeRune(e[:], dr)
					for _, c := range e[:k] {
						emit(c, i, j)
					}
				default:
					emit(' ', i, j)
				}
			}
		}
		i = j
	}
	if len(b) > 0 && b[len(b)-1] == ' ' {
		b, start, end = b[:len(b)-1], start[:len(start)-1], end[:len(end)-1]
	}
	spellings(b)
	return folded{s: string(b), start: start, end: end}
}

// britishAmerican maps British spellings to American ones of the same
// length, so "Research Centre" and "Research Center" fold alike.
var britishAmerican = map[string]string{
	"centre": "center", "centres": "centers", "organisation": "organization", "organisations": "organizations",
	"organised": "organized", "organising": "organizing", "organise": "organize", "metre": "meter", "metres": "meters",
	"theatre": "theater", "defence": "defense", "licence": "license", "fibre": "fiber",
}

// spellings rewrites British spellings in folded text b in place.
func spellings(b []byte) {
	for i := 0; i < len(b); {
		j := i
		for j < len(b) && b[j] != ' ' {
			j++
		}
		if a, ok := britishAmerican[string(b[i:j])]; ok && len(a) == j-i {
			copy(b[i:j], a)
		}
		i = j + 1
	}
}

// Fold returns the normalised form of s used for matching: case-, accent-
// and apostrophe-insensitive, punctuation as single spaces.
func Fold(s string) string { return normalize(s).s }

// span maps the folded byte range [i, j) back to the original text.
func (f folded) span(i, j int) Span { return Span{int(f.start[i]), int(f.end[j-1])} }

// alnumAt reports whether the folded byte at i is a letter or digit (part of a word).
func (f folded) wordAt(i int) bool {
	if i < 0 || i >= len(f.s) {
		return false
	}
	c := f.s[i]
	return c != ' ' && c != '\'' && c != '&'
}

// honorifics are the titles stripped from the start of a name before it is
// a dictionary form ("Professor Zhang Xin" is the form "zhang xin").
var honorifics = map[string]bool{
	"professor": true, "prof": true, "dr": true, "doctor": true, "mr": true, "mrs": true, "ms": true, "miss": true,
	"madam": true, "sir": true, "dame": true, "academician": true, "president": true, "chairman": true, "chairwoman": true,
	"director": true, "dean": true, "secretary": true, "minister": true, "vice": true, "mayor": true, "premier": true,
	"chief": true, "executive": true, "the": true, "hon": true, "honourable": true, "honorable": true, "ir": true,
}

// stripHonorifics removes leading titles from a folded person name. A
// "secretary for …"/"minister of …" title is stripped to its last capitalised
// word only by the caller; here only single-word titles go.
func stripHonorifics(f string) string {
	for {
		w, rest, ok := strings.Cut(f, " ")
		if !ok || !honorifics[w] {
			return f
		}
		f = rest
	}
}

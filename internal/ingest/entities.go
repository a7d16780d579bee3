package ingest

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/innograph/innograph/internal/kg"
)

// token is a word of the original text with its byte range.
type token struct {
	s, e int
	w    string
}

// tokenize splits text into words: runs of letters, digits and the joiners
// - ' ’ & (and a period inside a run, as in "U.S").
func tokenize(text string) []token {
	var out []token
	i := 0
	for i < len(text) {
		r, n := utf8.DecodeRuneInString(text[i:])
		if !(unicode.IsLetter(r) || unicode.IsDigit(r)) {
			i += n
			continue
		}
		j := i + n
		for j < len(text) {
			r, n := utf8.DecodeRuneInString(text[j:])
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				j += n
				continue
			}
			if strings.ContainsRune("-'’&.", r) && j+n < len(text) {
				r2, _ := utf8.DecodeRuneInString(text[j+n:])
				if unicode.IsLetter(r2) || unicode.IsDigit(r2) {
					j += n
					continue
				}
			}
			break
		}
		out = append(out, token{i, j, text[i:j]})
		i = j
	}
	return out
}

func capitalised(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsUpper(r)
}

func allCaps(w string) bool {
	n := 0
	for _, r := range w {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsUpper(r) {
			n++
		}
	}
	return n >= 2
}

var connectors = map[string]bool{"of": true, "and": true, "for": true, "the": true, "on": true, "in": true, "&": true, "de": true}

// sentenceStarters are capitalised words that begin sentences without
// being names.
var sentenceStarters = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`the a an in on at this these that those its his her their our my your it we he she they i
		according as by for with from since after before during under while when meanwhile moreover however also
		there here what which who why how if but and or so yet besides furthermore in addition last next first
		today yesterday now then such some many most all both each every another other one two three several
		currently recently earlier later despite although though because through over among between within
		monday tuesday wednesday thursday friday saturday sunday
		january february march april may june july august september october november december
		mr mrs ms dr prof professor about speaking nearly almost around approximately roughly only just even`) {
		sentenceStarters[w] = true
	}
}

// midStarters are capitalised words that, inside a run, begin a new phrase
// (a headline or byline glued to the first sentence).
var midStarters = map[string]bool{"The": true, "In": true, "At": true, "About": true, "After": true, "Speaking": true,
	"According": true, "As": true, "For": true, "On": true, "With": true, "By": true, "From": true, "A": true, "An": true}

// titles introduce a person's name ("Professor Chung Kwok Fai", "Secretary
// for Innovation and Technology Nicholas Yang").
var titles = map[string]bool{"professor": true, "prof": true, "dr": true, "mr": true, "mrs": true, "ms": true, "madam": true,
	"sir": true, "academician": true, "president": true, "chairman": true, "chairwoman": true, "director": true,
	"dean": true, "secretary": true, "minister": true, "premier": true, "mayor": true, "vice-president": true,
	"vice-chairman": true, "chancellor": true, "vice-chancellor": true, "governor": true, "commissioner": true,
	"executive": true, "general": true, "head": true, "ceo": true, "chief": true, "deputy": true, "vice": true,
	"former": true, "associate": true, "assistant": true}

// personTitles are the titles that alone make the next name a person.
var personTitles = map[string]bool{"professor": true, "prof": true, "dr": true, "mr": true, "mrs": true, "ms": true,
	"madam": true, "sir": true, "academician": true}

// ProposeKind proposes a kind for a new entity's name from its head words,
// with a confidence: high when a head word decides, low for the default
// (ORGANIZATION).
func ProposeKind(name string) (kg.Kind, float64) {
	ws := strings.Fields(strings.ToLower(headPunct.Replace(name)))
	for len(ws) > 1 && strings.Trim(ws[len(ws)-1], "0123456789") == "" {
		ws = ws[:len(ws)-1] // "Science Forum 2021": the head is Forum
	}
	if len(ws) == 0 {
		return kg.KindOrganization, 0.2
	}
	// The head of "N of/for/on X" is N ("Plan for the Pearl Delta Region",
	// "Agreement on … Cooperation in the … Area"), else the last word.
	var heads []string
	for i, w := range ws {
		if i > 0 && (w == "of" || w == "for" || w == "on") {
			heads = append(heads, ws[i-1])
			break
		}
	}
	heads = append(heads, ws[len(ws)-1], ws[0])
	has := func(w string) bool {
		for _, x := range ws {
			if x == w {
				return true
			}
		}
		return false
	}
	for _, h := range heads {
		h = strings.TrimSuffix(strings.TrimSuffix(h, "."), "'s")
		switch h {
		case "university", "universities", "polytechnic":
			return kg.KindUniversity, 0.9
		case "college":
			return kg.KindUniversity, 0.6
		case "institute", "institutes", "academy", "society", "institution":
			return kg.KindInstitute, 0.85
		case "laboratory", "laboratories", "lab", "labs":
			return kg.KindLab, 0.9
		case "centre", "center", "centres", "centers":
			if has("research") || has("engineering") || has("innovation") {
				return kg.KindLab, 0.6
			}
			return kg.KindFacility, 0.6
		case "bureau", "ministry", "commission", "council", "government", "office", "committee",
			"administration", "authority", "agency", "legislature", "cabinet", "legco", "commissioner":
			return kg.KindGovernmentBody, 0.85
		case "department":
			return kg.KindGovernmentBody, 0.6
		case "faculty", "school":
			return kg.KindDepartment, 0.7
		case "company", "ltd", "limited", "group", "technologies", "corporation", "corp", "inc", "holdings", "co":
			return kg.KindCompany, 0.85
		case "fund", "scheme", "programme", "program", "project", "mission", "initiative", "platform":
			return kg.KindProject, 0.8
		case "plan", "blueprint", "policy", "outline", "strategy", "law", "ordinance", "index", "ranking", "report",
			"guidelines", "framework", "agenda", "address":
			return kg.KindPolicy, 0.8
		case "park", "campus", "offices", "port", "supercomputer", "hub", "observatory", "station", "airport", "building":
			return kg.KindFacility, 0.75
		case "forum", "conference", "summit", "expo", "ceremony", "symposium", "meeting", "olympics", "games",
			"congress", "session", "festival", "week", "exhibition", "fair":
			return kg.KindEvent, 0.8
		case "agreement", "memorandum", "mou", "arrangement", "accord", "treaty", "partnership", "contract":
			return kg.KindAgreement, 0.85
		case "association", "federation", "foundation", "alliance", "chamber", "union", "club", "network", "trust":
			return kg.KindOrganization, 0.75
		case "city", "district", "province", "zone", "region", "area", "island", "bay", "county", "town", "cluster":
			return kg.KindPlace, 0.7
		}
	}
	return kg.KindOrganization, 0.3
}

// candidate is a new-entity proposal before merging.
type candidate struct {
	span    Span
	name    string
	kind    kg.Kind
	conf    float64
	aliases []string
	aliasOf []Candidate // acronym defined for a known entity
	// at: the name stands at span though the text there does not spell
	// it ("University (U) Research Institute" for "U Research Institute")
	at bool
}

var acronymRE = regexp.MustCompile(`\(\s*(?:the\s+)?([A-Z][A-Za-z0-9&\-]{1,11})\s*\)`)

// acronymLetters are the capitals of an acronym ("MoU": "MU", "CNERCs": "CNERC").
func acronymLetters(a string) string {
	var b strings.Builder
	for _, r := range a {
		if unicode.IsUpper(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Definitions finds "Long Form (ACR)" in text: the long form is the run of
// words before the parenthesis whose initials (ignoring of/and/for/the…)
// spell the acronym's capitals. It returns the long form's span, the long
// form and the acronym.
func Definitions(text string) []Definition {
	var out []Definition
	for _, m := range acronymRE.FindAllStringSubmatchIndex(text, -1) {
		acr := text[m[2]:m[3]]
		letters := acronymLetters(acr)
		if len(letters) < 2 {
			continue
		}
		base := max(0, m[0]-300)
		toks := tokenize(text[base:m[0]])
		found := -1
		for i := len(toks) - 1; i >= 0 && len(toks)-i <= 2*len(letters)+3; i-- {
			w := toks[i].w
			if !capitalised(w) && !connectors[strings.ToLower(w)] && !unicode.IsDigit([]rune(w)[0]) {
				break
			}
			if connectors[strings.ToLower(w)] {
				continue // a long form starts with a content word
			}
			if spells(toks[i:], letters) {
				found = i
				break
			}
		}
		if found < 0 {
			continue
		}
		s, e := base+toks[found].s, base+toks[len(toks)-1].e
		out = append(out, Definition{Long: text[s:e], LongSpan: Span{s, e}, Acronym: acr, AcronymSpan: Span{m[2], m[3]}})
	}
	return out
}

// spells reports whether the words' initials spell letters: each content
// word gives its initial (each part's, when hyphenated; all its capitals
// when it is an acronym itself), each connector (of, and, for…) its
// initial or nothing.
func spells(ws []token, letters string) bool {
	if len(ws) == 0 {
		return letters == ""
	}
	w := ws[0].w
	if connectors[strings.ToLower(w)] {
		if spells(ws[1:], letters) {
			return true
		}
		return letters != "" && unicode.ToUpper(rune(w[0])) == rune(letters[0]) && spells(ws[1:], letters[1:])
	}
	var ini strings.Builder
	for _, p := range strings.FieldsFunc(w, func(r rune) bool { return r == '-' }) {
		if allCaps(p) {
			ini.WriteString(acronymLetters(p))
		} else {
			r, _ := utf8.DecodeRuneInString(p)
			ini.WriteRune(unicode.ToUpper(r))
		}
	}
	s := ini.String()
	return strings.HasPrefix(letters, s) && spells(ws[1:], letters[len(s):])
}

// Definition is an acronym defined in the text: "Ministry of Science and
// Technology (MOST)".
type Definition struct {
	// Long is the long form and Acronym the short one; the spans locate them.
	Long, Acronym         string
	LongSpan, AcronymSpan Span
}

// capitalisedRuns finds runs of capitalised words (joined by of/and/for/the…)
// in one sentence, as proposals for new entities, splitting a title off a
// person's name.
//
// known lists the spans of known names (mentions) and their kinds: a run
// made only of known names and connectors ("Shenzhen and Guangzhou") is no
// new name, and "in" before a known place ends a run ("IDEA in Shenzhen").
func capitalisedRuns(text string, sent Span, known []Mention) []candidate {
	toks := tokenize(text[sent.Start:sent.End])
	for i := range toks {
		toks[i].s += sent.Start
		toks[i].e += sent.Start
	}
	mentionAt := func(t token) *Mention {
		for i := range known {
			if known[i].Span.Start <= t.s && t.e <= known[i].Span.End {
				return &known[i]
			}
		}
		return nil
	}
	// A possessive ends a name: "Hong Kong's universities".
	possessive := make([]bool, len(toks))
	for i, t := range toks {
		for _, suf := range []string{"'s", "’s"} {
			if w, ok := strings.CutSuffix(t.w, suf); ok && w != "" && w != "People" {
				// "People's" is part of a body's name ("Central People's
				// Government"), no possessive
				toks[i].w, toks[i].e, possessive[i] = w, t.e-len(suf), true
			}
		}
	}
	var out []candidate
	for i := 0; i < len(toks); {
		if !capitalised(toks[i].w) {
			i++
			continue
		}
		j := i + 1
		national := false
		for j < len(toks) && !possessive[j-1] {
			if midStarters[toks[j].w] {
				break // "… LU Zijian The Hong Kong Science Park": a new phrase
			}
			if toks[j].w == "in" && j+1 < len(toks) {
				if m := mentionAt(toks[j+1]); m != nil && m.Candidates[0].Kind == kg.KindPlace {
					// "National Supercomputing Center in Tianjin": a
					// national centre, one of a network, is named with
					// its city
					f := i
					for f < j && (sentenceStarters[strings.ToLower(toks[f].w)] || connectors[toks[f].w]) {
						f++
					}
					if f < j && toks[f].w == "National" && centreHeads[toks[j-1].w] && strings.TrimSpace(text[toks[j-1].e:toks[j].s]) == "" {
						for j+1 < len(toks) && mentionAt(toks[j+1]) == m {
							j++
						}
						j++
						national = true
					}
					break
				}
			}
			if capitalised(toks[j].w) || ((isYear(toks[j].w) || len(toks[j].w) <= 3 && strings.Trim(toks[j].w, "0123456789") == "") && (j+1 == len(toks) || !capitalised(toks[j+1].w))) {
				// a run does not cross punctuation other than space, save
				// the period of an initial ("Benny C. F. Cheung")
				gap := strings.TrimSpace(text[toks[j-1].e:toks[j].s])
				// "Committee on Innovation, Technology and
				// Re-industrialisation": a body's remit lists its fields
				remit := gap == "," && remitOf(toks[i:j]) && remitListRE.MatchString(text[toks[j].s:sent.End])
				// a spaced ampersand joins like "and" ("Innovation & Technology")
				if gap != "" && gap != "&" && !remit && !(gap == "." && (utf8.RuneCountInString(toks[j-1].w) == 1 || titles[strings.ToLower(toks[j-1].w)])) {
					break
				}
				j++
				continue
			}
			// a document's title runs on through "for the", "of the":
			// "Outline Plan for the Pearl Delta Region"
			if connectors[toks[j].w] && toks[j].w != "the" && j+2 < len(toks) && toks[j+1].w == "the" && capitalised(toks[j+2].w) &&
				documentTitle(toks[i:j]) && strings.TrimSpace(text[toks[j-1].e:toks[j+2].s]) == toks[j].w+" the" {
				j += 3
				continue
			}
			// a body's name runs on through "of the" after its head word
			// ("Affairs Office of the State Council"), and through "in the"
			// after the government it belongs to ("Liaison Office of the
			// Central People's Government in the HKSAR")
			if (toks[j].w == "of" && orgHeads[strings.ToLower(toks[j-1].w)] || toks[j].w == "in" && toks[j-1].w == "Government" && runsOfThe(toks[i:j])) &&
				j+2 < len(toks) && toks[j+1].w == "the" && capitalised(toks[j+2].w) && !calendarWord(toks[j+2].w) &&
				kg.CollapseSpace(text[toks[j-1].e:toks[j+2].s]) == toks[j].w+" the" {
				j += 3
				continue
			}
			// an agreement's title runs on through the parties it is
			// between: "Arrangement on Closer Cooperation between the
			// Mainland and Macao"
			if toks[j].w == "between" && agreementTitle(text, toks[i:j]) {
				if m := betweenPartiesRE.FindStringIndex(text[toks[j-1].e:sent.End]); m != nil {
					end := toks[j-1].e + m[1]
					for j < len(toks) && toks[j].e <= end {
						j++
					}
					break
				}
			}
			if connectors[toks[j].w] && j+1 < len(toks) && capitalised(toks[j+1].w) && !calendarWord(toks[j+1].w) &&
				strings.TrimSpace(text[toks[j-1].e:toks[j+1].s][:toks[j].s-toks[j-1].e]) == "" &&
				strings.TrimSpace(text[toks[j].e:toks[j+1].s]) == "" {
				j += 2
				continue
			}
			break
		}
		run := toks[i:j]
		i = j
		// drop sentence-initial and leading common words
		for len(run) > 0 && (sentenceStarters[strings.ToLower(run[0].w)] && !titles[strings.ToLower(run[0].w)] || connectors[run[0].w]) {
			run = run[1:]
		}
		for len(run) > 0 && (connectors[run[len(run)-1].w] || titles[strings.ToLower(run[len(run)-1].w)] && len(run) > 2 && connectors[run[len(run)-2].w]) {
			run = run[:len(run)-1] // "… Central Committee and Chairman"
		}
		if len(run) == 0 {
			continue
		}
		allKnown := true
		for _, t := range run {
			if !connectors[t.w] && mentionAt(t) == nil {
				allKnown = false
			}
		}
		if allKnown {
			continue
		}
		// a title splits the run: what follows is a person
		for k, t := range run {
			lw := strings.ToLower(strings.TrimSuffix(t.w, "."))
			if !titles[lw] {
				continue
			}
			rest := run[k+1:]
			// skip "for Innovation and Technology" after "Secretary"
			var name []token
			for _, r := range rest {
				if connectors[r.w] || titles[strings.ToLower(r.w)] {
					name = nil
					continue
				}
				name = append(name, r)
			}
			if len(name) > 3 && !initialsInside(name) {
				name = name[len(name)-2:]
			}
			// "Associate Head of Department of Civil and Environmental
			// Engineering": words after a connector end a body's name
			// that has a head word, not a person's
			ofBody := false
			if len(name) < len(rest) && connectors[rest[len(rest)-len(name)-1].w] {
				b := rest
				for len(b) > 0 && (connectors[b[0].w] || titles[strings.ToLower(b[0].w)]) {
					b = b[1:]
				}
				if k, c := ProposeKind(text[b[0].s:b[len(b)-1].e]); c >= 0.6 && k != kg.KindPerson {
					ofBody = true
				}
			}
			if len(name) >= 2 && (personTitles[lw] || len(name) < len(rest)) && !orgWords(name) && !ofBody {
				s, e := name[0].s, name[len(name)-1].e
				conf := 0.6
				if personTitles[lw] {
					conf = 0.8
				}
				out = append(out, candidate{span: Span{s, e}, name: text[s:e], kind: kg.KindPerson, conf: conf})
				run = run[:k]
				for len(run) > 0 && (connectors[run[len(run)-1].w] || titles[strings.ToLower(run[len(run)-1].w)]) {
					run = run[:len(run)-1]
				}
			} else if k > 1 && connectors[run[k-1].w] {
				run = run[:k-1] // "… Central Committee and Chairman Li"
			}
			break
		}
		// "Deputy Director of the Liaison Office": the title is no part of
		// the body's name; what is left must have a head word.
		titled := false
		for len(run) > 0 && (titles[strings.ToLower(run[0].w)] || connectors[run[0].w]) {
			run, titled = run[1:], true
		}
		if len(run) == 1 && !titled && lonePlace(text, sent, run[0]) && mentionAt(run[0]) == nil {
			out = append(out, candidate{span: Span{run[0].s, run[0].e}, name: run[0].w, kind: kg.KindPlace, conf: 0.5})
			continue
		}
		if len(run) < 2 {
			continue
		}
		if _, c := ProposeKind(text[run[0].s:run[len(run)-1].e]); titled && c < 0.6 {
			continue
		}
		// A run no head word decides, joined by "and" or "in", is two
		// names ("Shenzhen and Guangzhou", "IDEA in Shenzhen"); a name
		// with a head word keeps them ("Ministry of Science and Technology").
		parts := [][]token{run}
		if national {
			// one name
		} else if _, c := ProposeKind(text[run[0].s:run[len(run)-1].e]); c < 0.6 {
			parts = splitRun(text, run)
		} else {
			parts = splitJoined(text, run, mentionAt)
		}
		for pi, part := range parts {
			// "the Ministry of X in Beijing and …": a lone word after a
			// known body's "in" is a place
			afterBody := pi > 0 && len(parts[pi-1]) > 0 && part[0].s > 0 && strings.HasSuffix(strings.TrimSpace(text[parts[pi-1][len(parts[pi-1])-1].e:part[0].s]), "in") &&
				mentionAt(parts[pi-1][len(parts[pi-1])-1]) != nil
			if len(part) == 1 && len(parts) > 1 && (lonePlace(text, sent, part[0]) || afterBody && !calendarWord(part[0].w) && !allCaps(part[0].w)) && mentionAt(part[0]) == nil {
				out = append(out, candidate{span: Span{part[0].s, part[0].e}, name: part[0].w, kind: kg.KindPlace, conf: 0.5})
			}
			if len(part) < 2 {
				continue
			}
			s, e := part[0].s, part[len(part)-1].e
			name := text[s:e]
			k, conf := ProposeKind(name)
			if national {
				if m := inWordRE.FindAllStringIndex(name, -1); m != nil {
					k, conf = ProposeKind(name[:m[len(m)-1][0]]) // the centre's head word decides
				}
			}
			if conf < 0.5 && len(part) <= 3 && personContext(text[sent.Start:s], text[e:sent.End]) {
				k, conf = kg.KindPerson, 0.6
			} else if conf < 0.5 && len(part) <= 3 && placeBeforeRE.MatchString(text[max(sent.Start, s-40):s]) {
				k, conf = kg.KindPlace, 0.5
			}
			out = append(out, candidate{span: Span{s, e}, name: name, kind: k, conf: conf})
		}
	}
	return out
}

// splitJoined cuts a run with a head word where it joins two names rather
// than holding one: at "in" or "and" right after a known body's name or
// right before one, a known body being one whose name has a head word
// ("the Ministry of X in Beijing and Y Bureau"), and at the
// first "and" between a name of plain words and a name with its own head
// word ("Lok Ma Chau Loop and Shenzhen Innovation and Technology Zone"),
// unless the words beside "and" are fields that a name pairs ("Science and
// Technology Park"). mentionAt gives the known name a word is in.
func splitJoined(text string, run []token, mentionAt func(token) *Mention) [][]token {
	knownBody := func(t token) bool {
		m := mentionAt(t)
		if m == nil {
			return false
		}
		for _, c := range m.Candidates {
			if c.Kind == kg.KindPlace {
				return false
			}
		}
		_, conf := ProposeKind(m.Span.Text(text))
		return conf >= 0.6
	}
	var parts [][]token
	start := 0
	for i := 1; i+1 < len(run); i++ {
		w := run[i].w
		if w != "and" && w != "in" {
			continue
		}
		// "… Government in the HKSAR" is one name
		cut := knownBody(run[i-1]) && !knownBody(run[i+1]) && run[i+1].w != "the" || w == "and" && knownBody(run[i+1]) && !knownBody(run[i-1])
		if !cut && w == "and" && start == 0 && i >= 2 && !fieldWords[strings.ToLower(run[i-1].w)] && !fieldWords[strings.ToLower(run[i+1].w)] {
			// the plain name is no known name ("Hong Kong and Macao
			// Affairs Office" is one body)
			plain, unknown := true, false
			for _, t := range run[:i] {
				if connectors[t.w] || knownBody(t) {
					plain = false
				}
				if mentionAt(t) == nil {
					unknown = true
				}
			}
			plain = plain && unknown
			if _, c := ProposeKind(text[run[0].s:run[i-1].e]); c >= 0.6 {
				plain = false // "Harbour Institute and Kowloon Museum" keeps its own head
			}
			if _, c := ProposeKind(text[run[i+1].s:run[len(run)-1].e]); plain && c >= 0.6 {
				cut = true
			}
		}
		if cut {
			parts = append(parts, run[start:i])
			start = i + 1
		}
	}
	return append(parts, run[start:])
}

// fieldWords are the fields a body's name pairs with "and" ("Science and
// Technology", "Trade and Industry", "Exchanges and Clearing").
var fieldWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`science sciences technology technologies innovation research development engineering
		trade industry industries commerce economic economy economics arts art culture cultural health food environment
		environmental education information communications finance financial exchanges clearing security transport
		housing planning lands works welfare labour medicine medical mathematics business management manpower sports
		tourism logistics design law policy affairs services social humanities language languages`) {
		fieldWords[w] = true
	}
}

// inWordRE is the word "in" between words of a name.
var inWordRE = regexp.MustCompile(`\s+in\s+`)

// centreHeads are the head words of a national centre's name.
var centreHeads = map[string]bool{"Center": true, "Centre": true, "Centers": true, "Centres": true}

// lonePlace reports whether a lone capitalised word is a place: it stands
// after a facility's or body's "in" ("the Robotics Centre in Tsuen") or
// after "located in", and is no month, weekday or acronym.
func lonePlace(text string, sent Span, t token) bool {
	return !calendarWord(t.w) && !allCaps(t.w) && !sentenceStarters[strings.ToLower(t.w)] &&
		placeBeforeRE.MatchString(text[max(sent.Start, t.s-40):t.s])
}

// orgHeads are the head words of bodies whose names run on through "of the"
// ("Office of the State Council", "Department of the Interior").
var orgHeads = map[string]bool{"office": true, "offices": true, "department": true, "ministry": true, "bureau": true,
	"commission": true, "committee": true, "council": true, "institute": true, "institutes": true, "centre": true,
	"center": true, "laboratory": true, "academy": true, "school": true, "faculty": true, "division": true,
	"agency": true, "administration": true, "secretariat": true, "branch": true}

// remitOf reports whether a run is a body's head word and "on" or "for"
// and its fields so far ("Committee on Innovation").
func remitOf(run []token) bool {
	for k := 0; k+1 < len(run); k++ {
		if orgHeads[strings.ToLower(run[k].w)] && (run[k+1].w == "on" || run[k+1].w == "for") {
			for _, t := range run[k+2:] {
				if !capitalised(t.w) && t.w != "and" && t.w != "&" {
					return false
				}
			}
			return true
		}
	}
	return false
}

// remitListRE is the rest of a list of fields after a comma: capitalised
// words, commas, and "and" before the last.
var remitListRE = regexp.MustCompile(`^\p{Lu}[\pL\-]*(?:\s+\p{Lu}[\pL\-]*)*(?:\s*,\s*\p{Lu}[\pL\-]*(?:\s+\p{Lu}[\pL\-]*)*)*,?\s+(?:and|&)\s+\p{Lu}`)

// runsOfThe reports whether a run holds a head word with "of the" after it.
func runsOfThe(run []token) bool {
	for k := 0; k+2 < len(run); k++ {
		if orgHeads[strings.ToLower(run[k].w)] && run[k+1].w == "of" && run[k+2].w == "the" {
			return true
		}
	}
	return false
}

// isYear reports whether w is a year such as 2021 ("Science Forum 2021");
// a number of up to three digits may also end a name ("Chang'e 4").
func isYear(w string) bool {
	return len(w) == 4 && strings.Trim(w, "0123456789") == "" && (w[:2] == "19" || w[:2] == "20")
}

// splitRun cuts a run at "and", "&" and "in".
func splitRun(text string, run []token) [][]token {
	var parts [][]token
	start := 0
	for i, t := range run {
		if t.w == "and" || t.w == "&" || t.w == "in" {
			parts = append(parts, run[start:i])
			start = i + 1
		} else if i > start && strings.TrimSpace(text[run[i-1].e:t.s]) == "&" {
			parts = append(parts, run[start:i])
			start = i
		}
	}
	return append(parts, run[start:])
}

// betweenPartiesRE is "between (the) A and (the) B" after an agreement's
// title, A and B capitalised names.
var betweenPartiesRE = regexp.MustCompile(`^\s+between\s+(?:the\s+)?\p{Lu}[\pL\-]*(?:\s+\p{Lu}[\pL\-]*)*\s+and\s+(?:the\s+)?\p{Lu}[\pL\-]*(?:\s+\p{Lu}[\pL\-]*)*`)

// agreementTitle reports whether a run is an agreement's title with its
// subject: an agreement head word, then "on" or "for" and capitalised words
// ("Arrangement on Enhancing Innovation & Technology Cooperation").
func agreementTitle(text string, run []token) bool {
	if len(run) < 3 {
		return false
	}
	if k, c := ProposeKind(text[run[0].s:run[len(run)-1].e]); k != kg.KindAgreement || c < 0.8 {
		return false
	}
	for k := 0; k+1 < len(run); k++ {
		if (run[k+1].w == "on" || run[k+1].w == "for") && agreementHeads[strings.ToLower(run[k].w)] {
			return true
		}
	}
	return false
}

var agreementHeads = map[string]bool{"agreement": true, "arrangement": true, "memorandum": true, "accord": true, "treaty": true, "framework": true}

var (
	roleAfterRE  = regexp.MustCompile(`(?i)^,\s+(?:the\s+)?(?:\pL+(?:'s|’s)\s+)?(?:(?:former|then|current|founding|deputy|vice|associate|assistant|executive|acting)[\s-]+)*(?:president|director|dean|head|chief|secretary|minister|professor|chair|chairman|chairwoman|chairperson|ceo|founder|co-founder|principal|chancellor|commissioner|governor|mayor|premier|scientist|researcher|lecturer|fellow|engineer|academician|member)\b`)
	saidBeforeRE = regexp.MustCompile(`(?i)\b(?:said|says|according to|told|explained)\s+$`)
	saidAfterRE  = regexp.MustCompile(`(?i)^\s+(?:said|says|told|explained|added|noted)\b`)
)

// placeBeforeRE is what makes the name after it a place: "in" after a
// body's name ("the Microelectronics Centre in Yuen Long") or after
// "located", "based", "headquartered".
var placeBeforeRE = regexp.MustCompile(`(?:\b(?:Centre|Center|Park|Campus|Laboratory|Institute|Office|Offices|Hub|Zone|located|based|headquartered|situated)\s+in|\bin\s+the\s+(?:city|district|town|county|province)\s+of)\s+$`)

// personContext reports whether the words around a name make it a person's:
// a role after it ("Gao Min, dean of …") or a verb of saying next to it.
// before and after are the rest of the name's sentence: a regular expression
// anchored at the end of the whole text before it would scan that text for
// every name, quadratic in the document's length.
func personContext(before, after string) bool {
	return roleAfterRE.MatchString(after) || saidBeforeRE.MatchString(before) || saidAfterRE.MatchString(after)
}

// initialsInside reports whether a name's middle words are initials ("Benny C F Cheung").
func initialsInside(ts []token) bool {
	for _, t := range ts[1 : len(ts)-1] {
		if utf8.RuneCountInString(t.w) != 1 {
			return false
		}
	}
	return true
}

// orgWords reports whether a would-be person name holds an organisation head word.
func orgWords(ts []token) bool {
	for _, t := range ts {
		if k, c := ProposeKind(t.w); c >= 0.6 && k != kg.KindPerson {
			return true
		}
	}
	return false
}

// appositiveRE finds "Name, a/an/the … head noun": the head noun says what
// the name is.
var appositiveRE = regexp.MustCompile(`(?:^|[^\pL\pN])(\p{Lu}[\pL\pN\-]*(?:\s+\p{Lu}[\pL\pN\-]*){0,4}),\s+(?:a|an|the)\s+(?:[\pL\-]+\s+){0,3}?(company|firm|start-up|startup|university|institute|laboratory|lab|supercomputer|centre|center|park|agency|ministry|bureau|commission|council|fund|programme|scheme|forum|conference|association|foundation|academy|hospital|city|district|province)\b`)

// Appositives proposes the names an appositive defines ("Roborn, a robot
// company in Hong Kong"; "Tianhe-2, the renowned supercomputer"), with the
// kind its head noun gives.
func Appositives(text string) []candidate {
	var out []candidate
	for _, m := range appositiveRE.FindAllStringSubmatchIndex(text, -1) {
		name := text[m[2]:m[3]]
		if sentenceStarters[strings.ToLower(name)] || titles[strings.ToLower(name)] {
			continue
		}
		k, conf := ProposeKind(text[m[4]:m[5]])
		if conf < 0.5 {
			continue
		}
		out = append(out, candidate{span: Span{m[2], m[3]}, name: name, kind: k, conf: min(conf, 0.7)})
	}
	return out
}

var (
	// wordBeforeRE is a lone capitalised word coordinated before a name:
	// "Shenzhen and " (group 1 the word).
	wordBeforeRE = regexp.MustCompile(`(?:^|[^\pL\pN\-'’.])(\p{Lu}[\pL\pN]*(?:-\p{Lu}?[\pL\pN]+)?)(?:\s*,\s*|\s+(?:and|or|&)\s+)$`)
	// wordAfterRE is a lone capitalised word coordinated after a name:
	// " and Guangzhou" (group 1 the word), not followed by another
	// capitalised word.
	wordAfterRE = regexp.MustCompile(`^(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or|&)\s+)(\p{Lu}[\pL\pN]*(?:-\p{Lu}?[\pL\pN]+)?)(?:[^\pL\pN\-'’]|$)`)
)

// coordinatedKinds are the kinds a lone coordinated word takes from the
// name it is coordinated with.
var coordinatedKinds = kinds(kg.KindPlace, kg.KindCompany, kg.KindUniversity, kg.KindInstitute)

// coordinatedWords proposes the lone capitalised words coordinated with a
// known name of one kind ("Shenzhen and Guangzhou", "ZTE, Huawei and
// Lenovo"): a word that is no sentence starter, title or acronym of the
// text's definitions, with the known name's kind.
func coordinatedWords(text string, sents []Span, ms []Mention) []candidate {
	var out []candidate
	for _, m := range ms {
		k := m.Candidates[0].Kind
		same := true
		for _, c := range m.Candidates[1:] {
			same = same && c.Kind == k
		}
		// a known name that is part of a longer one ("China Mobile") is none
		if !same || !coordinatedKinds[k] || partOfLongerName(text, m.Span) {
			continue
		}
		sent := sents[m.Sentence]
		try := func(s, e int) {
			w := text[s:e]
			lw := strings.ToLower(w)
			if sentenceStarters[lw] || titles[lw] || midStarters[w] || connectors[lw] || s == sent.Start {
				return
			}
			for _, x := range ms {
				if s < x.Span.End && x.Span.Start < e {
					return
				}
			}
			out = append(out, candidate{span: Span{s, e}, name: w, kind: k, conf: 0.5})
		}
		lo := max(sent.Start, m.Span.Start-40)
		if g := wordBeforeRE.FindStringSubmatchIndex(text[lo:m.Span.Start]); g != nil {
			try(lo+g[2], lo+g[3])
		}
		hi := min(sent.End, m.Span.End+40)
		if g := wordAfterRE.FindStringSubmatchIndex(text[m.Span.End:hi]); g != nil {
			s, e := m.Span.End+g[2], m.Span.End+g[3]
			// not the first word of a longer name ("and Guangzhou Institutes")
			if rest := strings.TrimLeft(text[e:sent.End], " "); rest == text[e:sent.End] || rest == "" || !capitalised(rest) {
				try(s, e)
			}
		}
	}
	return out
}

// partOfLongerName reports whether a capitalised word stands right before
// or after sp, with only spaces between ("China Mobile", "Greater China").
func partOfLongerName(text string, sp Span) bool {
	after := strings.TrimLeft(text[sp.End:], " ")
	if len(after) < len(text[sp.End:]) && after != "" && capitalised(after) {
		return true
	}
	before := strings.TrimRight(text[:sp.Start], " ")
	if len(before) < len(text[:sp.Start]) && before != "" {
		w := before[strings.LastIndexAny(before, " \n\t")+1:]
		return w != "" && capitalised(w) && wordByte(w, len(w)-1) && !sentenceStarters[strings.ToLower(w)]
	}
	return false
}

// documentHeads are the head words of the titles of plans, agreements and
// policies, which run long ("Outline Development Plan for the …").
var documentHeads = map[string]bool{
	"plan": true, "agreement": true, "arrangement": true, "outline": true, "framework": true, "programme": true,
	"program": true, "strategy": true, "blueprint": true, "guidelines": true, "scheme": true, "initiative": true,
	"policy": true, "measures": true, "memorandum": true, "accord": true, "cooperation": true, "development": true,
}

// documentTitle reports whether a run so far is a document's title: one of
// its words is a document head word.
func documentTitle(run []token) bool {
	for _, t := range run {
		if documentHeads[strings.ToLower(t.w)] {
			return true
		}
	}
	return false
}

// calendarWord reports whether w names a weekday or a month: "… Expo on
// Monday", "… Laboratory in May" end the name before the connector.
func calendarWord(w string) bool {
	lw := strings.ToLower(w)
	if _, ok := months[lw]; ok {
		return true
	}
	switch lw {
	case "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday":
		return true
	}
	return false
}

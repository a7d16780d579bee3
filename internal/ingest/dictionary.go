package ingest

import (
	"context"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/coregx/ahocorasick"

	"github.com/innograph/innograph/internal/kg"
)

// Dictionary matches the names and aliases of known entities in text. It is
// built once (New) and is safe for concurrent use.
//
// Memory: one Aho-Corasick automaton over the distinct folded forms, the
// forms' entity lists as one flat []int32, and the entities' id, name and
// kind (sharing the strings of the entities given to New).
type Dictionary struct {
	ac *ahocorasick.Automaton
	// formEnts[formOff[p]:formOff[p+1]] are the entity indexes of form p.
	formOff  []int32
	formEnts []int32
	ids      []string
	names    []string
	kinds    []kg.Kind
	// upper is a bitset of the forms that only acronyms give ("MOST",
	// "CAS"): they match only an all-capitals span, so "most" is no mention.
	upper []uint64
	// The automaton sees digits as '0' (fewer byte classes: a transition
	// table half the size); its pattern p stands for the forms
	// patForms[patOff[p]:patOff[p+1]], and digitForm holds the forms with
	// digits, to check a hit against the text's real digits.
	patOff    []int32
	patForms  []int32
	digitForm map[int32]string
	// gov maps a place's entity id to the government body named after it
	// ("HKSAR Government", "Government of the Hong Kong Special
	// Administrative Region", "Guangdong Provincial Government"), when one
	// body alone is.
	gov map[string]Candidate
}

// New builds a dictionary from entities: each entity's name and aliases,
// folded (see Fold), titles stripped, and for persons the other name orders
// and initials ("Chung Kwok Fai": "kwok fai chung", "k f chung"). A form
// shared by several entities is kept once and answers with all of them.
func New(entities []kg.Entity) (*Dictionary, error) {
	d := &Dictionary{
		ids:   make([]string, len(entities)),
		names: make([]string, len(entities)),
		kinds: make([]kg.Kind, len(entities)),
	}
	byForm := make(map[string][]int32, len(entities)*2)
	var formList []string
	notAcronym := map[string]bool{}
	addForm := func(f string, e int32, acronym bool) {
		if !acronym {
			notAcronym[f] = true
		}
		if len(f) < 2 {
			return
		}
		l, ok := byForm[f]
		if !ok {
			formList = append(formList, f)
		}
		if len(l) > 0 && l[len(l)-1] == e {
			return
		}
		for _, x := range l {
			if x == e {
				return
			}
		}
		byForm[f] = append(l, e)
	}
	for i, e := range entities {
		if e.ID == "" || e.Name == "" {
			return nil, kg.InvalidArg("entities", "entity %d has no id or name", i)
		}
		d.ids[i], d.names[i], d.kinds[i] = e.ID, e.Name, e.Kind
		for j := -1; j < len(e.Aliases); j++ {
			n := e.Name
			if j >= 0 {
				n = e.Aliases[j]
			}
			acr := isAcronym(n)
			for _, f := range formsOf(n, e.Kind) {
				addForm(f, int32(i), acr)
			}
		}
	}
	d.gov = governments(entities, byForm)
	if len(formList) == 0 {
		formList = append(formList, "\x00") // an automaton needs a pattern; this one never matches folded text
	}
	d.formOff = make([]int32, 0, len(formList)+1)
	n := 0
	for _, l := range byForm {
		n += len(l)
	}
	d.formEnts = make([]int32, 0, n)
	d.upper = make([]uint64, (len(formList)+63)/64)
	d.digitForm = map[int32]string{}
	byKey := map[string][]int32{}
	var keys []string
	for p, f := range formList {
		if !notAcronym[f] {
			d.upper[p/64] |= 1 << (p % 64)
		}
		d.formOff = append(d.formOff, int32(len(d.formEnts)))
		d.formEnts = append(d.formEnts, byForm[f]...)
		k := f
		if strings.ContainsAny(f, "123456789") {
			d.digitForm[int32(p)] = f
			k = digitsAsZero(f)
		}
		if _, ok := byKey[k]; !ok {
			keys = append(keys, k)
		}
		byKey[k] = append(byKey[k], int32(p))
	}
	d.formOff = append(d.formOff, int32(len(d.formEnts)))
	byForm, notAcronym = nil, nil
	b := ahocorasick.NewBuilder()
	d.patOff = make([]int32, 0, len(keys)+1)
	d.patForms = make([]int32, 0, len(formList))
	for _, k := range keys {
		d.patOff = append(d.patOff, int32(len(d.patForms)))
		d.patForms = append(d.patForms, byKey[k]...)
		b.AddPattern([]byte(k))
	}
	d.patOff = append(d.patOff, int32(len(d.patForms)))
	byKey, keys, formList = nil, nil, nil
	ac, err := b.Build()
	if err != nil {
		return nil, kg.Errorf(kg.CodeInternal, "build matcher: %v", err)
	}
	d.ac = ac
	return d, nil
}

// govAffixes are the words that make a place's name the name of its
// government: "X Government", "Government of the X", "X authorities".
var (
	govSuffixes = []string{" sar government", " provincial government", " municipal government", " people's government", " government", " authorities"}
	govPrefixes = []string{"government of the ", "government of "}
)

// governments links each place to the one government body named after it.
// byForm holds every folded form with its entities.
func governments(entities []kg.Entity, byForm map[string][]int32) map[string]Candidate {
	govs := map[int32][]int32{}
	for i, e := range entities {
		if e.Kind != kg.KindGovernmentBody {
			continue
		}
		for _, n := range append([]string{e.Name}, e.Aliases...) {
			f := strings.TrimPrefix(Fold(n), "the ")
			place := ""
			for _, suf := range govSuffixes {
				if p, ok := strings.CutSuffix(f, suf); ok && p != "" {
					place = p
					break
				}
			}
			for _, pre := range govPrefixes {
				if p, ok := strings.CutPrefix(f, pre); ok && p != "" {
					place = p
					break
				}
			}
			for _, p := range byForm[place] {
				if entities[p].Kind == kg.KindPlace && !containsInt32(govs[p], int32(i)) {
					govs[p] = append(govs[p], int32(i))
				}
			}
		}
	}
	out := map[string]Candidate{}
	for p, gs := range govs {
		if len(gs) == 1 {
			g := entities[gs[0]]
			out[entities[p].ID] = Candidate{EntityID: g.ID, Name: g.Name, Kind: g.Kind}
		}
	}
	return out
}

func containsInt32(xs []int32, x int32) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// Government returns the government body of the place end e names (one
// candidate, a PLACE), if the dictionary knows one.
func (d *Dictionary) Government(e End) (End, bool) {
	if e.NewName != "" || len(e.Candidates) != 1 || e.Candidates[0].Kind != kg.KindPlace {
		return End{}, false
	}
	g, ok := d.gov[e.Candidates[0].EntityID]
	if !ok {
		return End{}, false
	}
	return End{Span: e.Span, Candidates: []Candidate{g}}, true
}

// Len is the number of entities.
func (d *Dictionary) Len() int { return len(d.ids) }

// formsOf returns the folded forms of one name of an entity of kind k.
func formsOf(name string, k kg.Kind) []string {
	f := Fold(name)
	if f == "" {
		return nil
	}
	// "The Hong Kong Polytechnic University" is the form without the article,
	// so a mention never starts with "the".
	if g := strings.TrimPrefix(f, "the "); g != "" {
		f = g
	}
	if k != kg.KindPerson {
		return commonForms(name, f)
	}
	f = stripHonorifics(f)
	out := []string{f}
	t := strings.Fields(f)
	if len(t) < 2 || len(t) > 4 {
		return out
	}
	n := len(t)
	join := func(ws ...[]string) string {
		var all []string
		for _, w := range ws {
			all = append(all, w...)
		}
		return strings.Join(all, " ")
	}
	initials := func(ws []string) []string {
		out := make([]string, len(ws))
		for i, w := range ws {
			out[i] = w[:1]
		}
		return out
	}
	// Surname first (Chinese order, "Chung Kwok Fai") or last ("Kwok Fai Chung").
	out = append(out,
		join(t[1:], t[:1]),     // surname moved last
		join(t[n-1:], t[:n-1]), // surname moved first
		join(initials(t[1:]), t[:1]),
		join(initials(t[:n-1]), t[n-1:]),
	)
	return out
}

// digitsAsZero maps every digit of s to '0'.
func digitsAsZero(s string) string {
	if !strings.ContainsAny(s, "123456789") {
		return s
	}
	b := []byte(s)
	for i, c := range b {
		if c >= '1' && c <= '9' {
			b[i] = '0'
		}
	}
	return string(b)
}

// isAcronym reports whether a name is an acronym: one word of capitals and
// digits ("MOST", "CAS", "HKUST", "5G" excepted: it needs two capitals).
func isAcronym(name string) bool {
	name = strings.TrimSpace(name)
	if strings.ContainsAny(name, " \t") || len(name) > 10 {
		return false
	}
	return allCaps(name)
}

// match is one raw dictionary hit in folded text.
type match struct {
	i, j int // folded byte range
	form int
}

// find returns the dictionary hits in f at word boundaries, longest first
// where they overlap, without overlaps, in text order.
//
// A hit must also stand apart in the original text: not inside a hyphenated
// compound ("Guangdong" in "Guangdong-Hong Kong-Macao"), not a currency's
// prefix ("US" in "US$3.8 million"), and an acronym's form only where the
// text has it in capitals.
func (d *Dictionary) find(text string, f folded) []match {
	raw := d.ac.FindAllOverlapping([]byte(digitsAsZero(f.s)))
	var ms []match
	for _, m := range raw {
		if f.wordAt(m.Start-1) || f.wordAt(m.End) || !f.wordAt(m.Start) || !f.wordAt(m.End-1) {
			continue
		}
		sp := f.span(m.Start, m.End)
		if hyphenJoined(text, sp) || sp.End < len(text) && text[sp.End] == '$' {
			continue
		}
		form := int32(-1)
		for _, fo := range d.patForms[d.patOff[m.PatternID]:d.patOff[m.PatternID+1]] {
			if df, ok := d.digitForm[fo]; !ok || df == f.s[m.Start:m.End] {
				form = fo
				break
			}
		}
		if form < 0 {
			continue
		}
		if d.upper[form/64]&(1<<(form%64)) != 0 && strings.ContainsFunc(text[sp.Start:sp.End], unicode.IsLower) {
			continue
		}
		ms = append(ms, match{m.Start, m.End, int(form)})
	}
	sort.Slice(ms, func(a, b int) bool {
		la, lb := ms[a].j-ms[a].i, ms[b].j-ms[b].i
		if la != lb {
			return la > lb
		}
		return ms[a].i < ms[b].i
	})
	var kept []match
	taken := make([]bool, len(f.s))
	for _, m := range ms {
		free := true
		for k := m.i; k < m.j; k++ {
			if taken[k] {
				free = false
				break
			}
		}
		if !free {
			continue
		}
		for k := m.i; k < m.j; k++ {
			taken[k] = true
		}
		kept = append(kept, m)
	}
	sort.Slice(kept, func(a, b int) bool { return kept[a].i < kept[b].i })
	return kept
}

// candidates lists the entities of form p.
func (d *Dictionary) candidates(p int) []Candidate {
	es := d.formEnts[d.formOff[p]:d.formOff[p+1]]
	out := make([]Candidate, len(es))
	for i, e := range es {
		out[i] = Candidate{EntityID: d.ids[e], Name: d.names[e], Kind: d.kinds[e]}
	}
	return out
}

// Lookup returns the entities one of whose forms is exactly name (folded),
// nil when none.
func (d *Dictionary) Lookup(name string) []Candidate {
	f := normalize(name)
	if f.s == "" {
		return nil
	}
	for _, m := range d.find(name, f) {
		if m.i == 0 && m.j == len(f.s) {
			return d.candidates(m.form)
		}
	}
	return nil
}

// Mentions finds every occurrence of a known entity's form in text, with
// sentence indexes taken from sentences (as Sentences returns them).
func (d *Dictionary) Mentions(ctx context.Context, text string, sentences []Span) ([]Mention, error) {
	if err := ctx.Err(); err != nil {
		return nil, kg.Errorf(kg.CodeTimeout, "analyse: %v", err)
	}
	f := normalize(text)
	var out []Mention
	for _, m := range d.find(text, f) {
		sp := f.span(m.i, m.j)
		i := sentenceOf(sentences, sp.Start)
		if i >= 0 && i < len(sentences) && sp.End > sentences[i].End {
			continue // a name is never split by a sentence's end (a heading's last word and the next line's first)
		}
		out = append(out, Mention{Span: sp, Sentence: i, Candidates: d.candidates(m.form)})
	}
	return out, nil
}

// hyphenJoined reports whether sp is joined by a hyphen to a word before or
// after it in text.
func hyphenJoined(text string, sp Span) bool {
	isWord := func(i int) bool {
		if i < 0 || i >= len(text) {
			return false
		}
		r, _ := utf8.DecodeRuneInString(text[i:])
		if r == utf8.RuneError && i > 0 {
			r, _ = utf8.DecodeLastRuneInString(text[:i+1])
		}
		return unicode.IsLetter(r) || unicode.IsDigit(r)
	}
	if sp.Start > 0 && text[sp.Start-1] == '-' && isWord(sp.Start-2) {
		return true
	}
	return sp.End < len(text) && text[sp.End] == '-' && isWord(sp.End+1)
}

// sentenceOf returns the index of the sentence holding byte offset off.
func sentenceOf(ss []Span, off int) int {
	i := sort.Search(len(ss), func(i int) bool { return ss[i].End > off })
	if i == len(ss) {
		return len(ss) - 1
	}
	return i
}

// Common forms of a body's or a group's name, besides the name itself (f,
// folded; Fold reads British spellings as American ones, so "Research
// Centres" and "research centers" are one form already):
//   - a group named "Place nouns and nouns" by each noun ("Hong Kong
//     scientists and researchers": "Hong Kong scientists"), and a group
//     "Place nouns" also as "nouns in Place" and "nouns from Place";
//   - a name that starts with a home place or its adjective ("Hong Kong",
//     "China", "Chinese") and ends with its head word also without them
//     ("The Hong Kong Polytechnic University": "Polytechnic University";
//     "Chinese National Engineering Research Centres": "National
//     Engineering Research Centres"), when two or more words are left.
func commonForms(name, f string) []string {
	out := []string{f}
	name = strings.TrimPrefix(strings.TrimPrefix(strings.TrimSpace(name), "The "), "the ")
	var groups []string // "Place nouns"
	last := name[strings.LastIndexByte(name, ' ')+1:]
	if strings.HasSuffix(last, "s") && last[0] >= 'a' && last[0] <= 'z' { // cheap test before the expressions
		if m := groupPairRE.FindStringSubmatch(name); m != nil {
			groups = append(groups, m[1]+" "+m[2], m[1]+" "+m[3])
		} else if groupRE.MatchString(name) {
			groups = append(groups, name)
		}
	}
	for _, g := range groups {
		m := groupRE.FindStringSubmatch(g)
		out = append(out, Fold(g), Fold(m[2]+" in "+m[1]), Fold(m[2]+" from "+m[1]))
	}
	if !strings.HasPrefix(name, "Hong Kong ") && !strings.HasPrefix(name, "Chin") {
		// no home place
	} else if m := homePrefixRE.FindStringSubmatch(name); m != nil && len(strings.Fields(m[1])) >= 2 {
		ws := strings.Fields(m[1])
		if headWordsOfBodies[strings.ToLower(ws[len(ws)-1])] {
			out = append(out, Fold(m[1]))
		}
	}
	return out
}

var (
	// groupRE is "Place nouns": capitalised words, then one plural noun.
	groupRE = regexp.MustCompile(`^((?:\p{Lu}[\pL'’\-]*\s+)+)(\p{Ll}+s)$`)
	// groupPairRE is "Place nouns and nouns".
	groupPairRE = regexp.MustCompile(`^((?:\p{Lu}[\pL'’\-]*\s+)*\p{Lu}[\pL'’\-]*)\s+(\p{Ll}+s)\s+and\s+(\p{Ll}+s)$`)
	// homePrefixRE is a name that starts with a home place or its adjective.
	homePrefixRE = regexp.MustCompile(`^(?:Hong Kong|China|Chinese)\s+(\p{Lu}[\pL\-]*(?:\s+\p{Lu}[\pL\-]*)+)$`)
)

// headWordsOfBodies are the head words that make a name's rest a name of
// the same body ("Polytechnic University").
var headWordsOfBodies = map[string]bool{
	"university": true, "polytechnic": true, "college": true, "centre": true, "centres": true, "center": true, "centers": true,
	"institute": true, "institutes": true, "council": true, "corporation": true, "laboratory": true, "laboratories": true,
}

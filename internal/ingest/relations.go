package ingest

import (
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/innograph/innograph/internal/kg"
)

// kindSet is a set of kinds; nil means any kind.
type kindSet map[kg.Kind]bool

func kinds(ks ...kg.Kind) kindSet {
	m := kindSet{}
	for _, k := range ks {
		m[k] = true
	}
	return m
}

var (
	anyKind  kindSet
	persons  = kinds(kg.KindPerson)
	bodies   = kinds(kg.KindUniversity, kg.KindLab, kg.KindGovernmentBody, kg.KindInstitute, kg.KindCompany, kg.KindDepartment, kg.KindOrganization, kg.KindFacility)
	actors   = kinds(kg.KindPerson, kg.KindUniversity, kg.KindLab, kg.KindGovernmentBody, kg.KindInstitute, kg.KindCompany, kg.KindDepartment, kg.KindOrganization)
	posts    = kinds(kg.KindUniversity, kg.KindLab, kg.KindGovernmentBody, kg.KindInstitute, kg.KindCompany, kg.KindDepartment, kg.KindOrganization, kg.KindFacility, kg.KindProject)
	places   = kinds(kg.KindPlace)
	events   = kinds(kg.KindEvent)
	policies = kinds(kg.KindPolicy, kg.KindProject)
	agrees   = kinds(kg.KindAgreement)
	nonPlace = kinds(kg.KindUniversity, kg.KindLab, kg.KindGovernmentBody, kg.KindInstitute, kg.KindCompany, kg.KindDepartment, kg.KindOrganization, kg.KindFacility, kg.KindProject, kg.KindAgreement, kg.KindPolicy, kg.KindEvent)
)

// trigger is a phrase that states a relationship between the nearest end
// before it and the nearest end after it (reversed when passive).
type trigger struct {
	re       *regexp.Regexp
	typ      kg.RelType
	passive  bool
	from, to kindSet
	role     bool // the phrase is a title: the person end may be on either side
	// weak: the phrase is a bare preposition or "has"; it needs ends of
	// known kinds, where a verb accepts a new name of unknown kind.
	weak bool
	// needs, when set, must match the sentence ("said … at the forum").
	needs *regexp.Regexp
	// known: the ends must be of known kinds, as for a preposition.
	known bool
}

func trig(pattern string, t kg.RelType, passive bool, from, to kindSet) trigger {
	return trigger{re: regexp.MustCompile(`(?i)\b(?:` + anySpace(pattern) + `)\b`), typ: t, passive: passive, from: from, to: to}
}

// anySpace makes each space of a pattern, outside brackets, match any run
// of white space: a phrase may be wrapped across lines.
func anySpace(pattern string) string {
	var b strings.Builder
	depth := 0
	for _, r := range pattern {
		switch {
		case r == '[':
			depth++
		case r == ']':
			depth--
		case r == ' ' && depth == 0:
			b.WriteString(`\s+`)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func weakTrig(pattern string, t kg.RelType, from, to kindSet) trigger {
	tr := trig(pattern, t, false, from, to)
	tr.weak = true
	return tr
}

func roleTrig(pattern string, t kg.RelType) trigger {
	tr := trig(pattern, t, false, persons, posts)
	tr.role = true
	return tr
}

// triggers are the phrases the analyser knows, most specific first.
var triggers = []trigger{
	roleTrig(`(?:(?:deputy|vice|associate|assistant)[- ])?(?:founding |executive |managing )?director(?:-general)?(?: of| at)?`, "DIRECTS"),
	roleTrig(`(?:(?:deputy|vice|associate|assistant)[- ])?(?:president(?: of)?|dean(?: of)?|head(?: of)?|chief executive(?: officer)?(?: of)?|ceo(?: of)?|secretary(?:-general)?(?: of)?|minister(?: of)?|premier(?: of)?|principal(?: of)?|chancellor(?: of)?|commissioner(?: of| for)?|governor(?: of)?|mayor(?: of)?|leader(?: of)?)`, "HEADS"),
	roleTrig(`chair(?:man|woman|person)?(?: of)?`, "CHAIRS"),
	roleTrig(`(?:chair |assistant |associate |adjunct )?professor(?: of [a-z ]+?)? (?:at|of|in|from)|(?:researcher|scientist|lecturer|fellow|engineer) (?:at|of|from)`, "WORKS_AT"),
	roleTrig(`academician(?: of)?|member(?: of)?`, "MEMBER_OF"),
	weakTrig(`at`, "WORKS_AT", persons, kinds(kg.KindUniversity, kg.KindInstitute, kg.KindLab, kg.KindCompany, kg.KindDepartment)),
	weakTrig(`has|have|had|houses|is home to`, "HOSTS", kinds(kg.KindUniversity, kg.KindInstitute, kg.KindFacility), kinds(kg.KindLab, kg.KindProject, kg.KindFacility, kg.KindInstitute)),
	weakTrig(`in|at`, "LOCATED_IN", kinds(kg.KindLab, kg.KindFacility, kg.KindCompany, kg.KindEvent, kg.KindGovernmentBody), kinds(kg.KindPlace, kg.KindFacility)),
	speechAt,
	weakTrig(`at|of|in|under`, "PART_OF", kinds(kg.KindDepartment, kg.KindLab, kg.KindGovernmentBody), kinds(kg.KindUniversity, kg.KindInstitute)),
	trig(`signed(?: an?| the)?|inked|entered into`, "SIGNED", false, actors, agrees),
	trig(`signed (?:by|between)`, "SIGNED", true, actors, agrees),
	trig(`witnessed(?: by)?`, "WITNESSED", false, persons, agrees),
	// "labs have been established in various universities": the university hosts them
	func() trigger {
		tr := trig(`(?:was |were |has been |have been |is |are )(?:set up|established|housed) (?:in|at)`, "HOSTS", true, kinds(kg.KindUniversity, kg.KindInstitute, kg.KindOrganization), kinds(kg.KindLab, kg.KindProject, kg.KindInstitute))
		tr.known = true
		return tr
	}(),
	// "IDEA, founded last year in Shenzhen": where a body was founded it is
	func() trigger {
		tr := trig(`(?:founded|established|set up)(?: (?:last|this) year| in (?:early |late )?\d{4})? in`, "LOCATED_IN", false, nonPlace, places)
		tr.known = true
		return tr
	}(),
	// "Digital China is highlighted in the 14th Five-year Plan": the plan covers it
	trig(`(?:is|are|was|were) (?:specifically |particularly |also |especially )?(?:highlighted|mentioned|included|featured) in`, "COVERS", true, kinds(kg.KindPolicy, kg.KindAgreement, kg.KindProject), anyKind),
	trig(`(?:was |were |has been |have been )?(?:set up|established|founded|launched|created|built) by`, "ESTABLISHED", true, actors, anyKind),
	trig(`established|set up|launched|created|founded`, "ESTABLISHED", false, bodies, nonPlace),
	trig(`founded`, "FOUNDED", false, persons, bodies),
	trig(`(?:is |are |was |were )?(?:located|based|situated|sited|headquartered|installed) (?:in|at)|in the city of`, "LOCATED_IN", false, nonPlace, kinds(kg.KindPlace, kg.KindFacility)),
	trig(`hosts|hosted|is home to|houses|housed`, "HOSTS", false, bodies, nonPlace),
	trig(`(?:is |are |was )?hosted by|(?:is |are )?housed (?:in|at|by)`, "HOSTS", true, bodies, nonPlace),
	trig(`(?:is |are |as )?(?:a |an )?(?:part|branch|unit|member|subsidiary|arm|affiliate) of|under(?: the)?|affiliated (?:to|with)|belonging to`, "PART_OF", false, nonPlace, nonPlace),
	trig(`(?:collaborat|cooperat|partner|work)(?:es|ed|ing|e|s)? (?:together )?with|(?:collaboration|cooperation|partnership|partnering) (?:with|between)`, "COLLABORATES_WITH", false, nonPlace, nonPlace),
	trig(`join(?:s|ed|t)? (?:forces?|hands) with|team(?:s|ed)? up with`, "COLLABORATES_WITH", false, nonPlace, nonPlace),
	// "act as a liaison between A and B": a go-between works with both
	trig(`(?:acts?|acted|acting|serves?|served|serving) as (?:a |an |the )?(?:liaison|bridge|link|intermediary|go-between) (?:between|with)`, "COLLABORATES_WITH", false, nonPlace, nonPlace),
	trig(`attended|participated in|took part in|joined`, "ATTENDED", false, actors, events),
	trig(`spoke at|addressed|delivered (?:a |the )?(?:speech|keynote|address|remarks) at|gave (?:a |the )?(?:speech|keynote|talk) at`, "SPOKE_AT", false, persons, events),
	trig(`(?:organi[sz]ed|hosted|co-organi[sz]ed|held) by`, "ORGANISED", true, bodies, events),
	trig(`organi[sz]ed|co-organi[sz]ed|held`, "ORGANISED", false, bodies, events),
	trig(`issued|released|published|unveiled`, "ISSUED", false, bodies, kinds(kg.KindPolicy)),
	trig(`(?:issued|released|published|unveiled) by`, "ISSUED", true, bodies, kinds(kg.KindPolicy)),
	trig(`proposed|put forward`, "PROPOSED", false, actors, policies),
	trig(`proposed by|put forward by`, "PROPOSED", true, actors, policies),
	trig(`approved|endorsed`, "APPROVED", false, bodies, nonPlace),
	trig(`approved by`, "APPROVED", true, bodies, nonPlace),
	trig(`support (?:for|to)`, "SUPPORTS", false, actors, anyKind),
	trig(`supports?|supported|backs|backed`, "SUPPORTS", false, nonPlace, anyKind),
	trig(`supported by|backed by|with (?:the )?support (?:of|from)`, "SUPPORTS", true, nonPlace, anyKind),
	trig(`covers?|covering|applies to|(?:for|in) the development of`, "COVERS", false, kinds(kg.KindPolicy, kg.KindAgreement, kg.KindProject), anyKind),
	trig(`uses|used|using|access to|makes use of|made use of`, "USES", false, actors, kinds(kg.KindFacility)),
	trig(`announced`, "ANNOUNCED", false, actors, nonPlace),
	trig(`funds|funded|financed|sponsored|granted|allocated`, "FUNDS", false, bodies, nonPlace),
	trig(`funded by|financed by|sponsored by`, "FUNDS", true, bodies, nonPlace),
	trig(`administers|administered|manages|managed|runs|operates|(?:serves?|served|serving|acts?|acted|acting) as (?:the |its )?secretariat (?:of|for|to)`, "ADMINISTERS", false, bodies, nonPlace),
	trig(`administered by|managed by|run by|operated by`, "ADMINISTERS", true, bodies, nonPlace),
	trig(`leads|led|leading`, "LEADS", false, actors, policies),
	trig(`led by`, "LEADS", true, actors, policies),
	trig(`contributed to|contributes to|designed|developed`, "CONTRIBUTED_TO", false, actors, kinds(kg.KindProject, kg.KindFacility)),
	trig(`studied at|graduated from|alumnus of|alumna of|graduate of`, "ALUMNUS_OF", false, persons, kinds(kg.KindUniversity)),
	trig(`wrote to|replied to|letter to`, "CORRESPONDED_WITH", false, actors, actors),
	trig(`succeeded|replaced|took over from`, "SUCCEEDED", false, anyKind, anyKind),
}

// endKind is the kind of an end when it is certain, "" when ambiguous or,
// for a new name, unknown (no head word decided it).
func endKind(e End, newKinds map[string]kg.Kind) kg.Kind {
	if e.NewName != "" {
		return newKinds[e.NewName]
	}
	k := e.Candidates[0].Kind
	for _, c := range e.Candidates[1:] {
		if c.Kind != k {
			return ""
		}
	}
	return k
}

func (s kindSet) allows(k kg.Kind) bool { return s == nil || (k != "" && s[k]) }

// fits reports whether an end of kind k may be the trigger's from (or to)
// end: a new name of unknown kind fits a verb, not a preposition or a title.
func (tr trigger) fits(s kindSet, k kg.Kind, e End) bool {
	if k == "" && e.NewName != "" && !tr.weak && !tr.role && !tr.known {
		return true
	}
	return s.allows(k)
}

// relationships proposes relationships stated in one sentence between ends
// (mentions and new entities in it, in text order).
func (d *Dictionary) relationships(text string, sent Span, ends []End, newKinds map[string]kg.Kind) []RelSuggestion {
	if len(ends) < 2 {
		return nil
	}
	s := text[sent.Start:sent.End]
	type key struct {
		t        kg.RelType
		from, to int
	}
	seen := map[key]bool{}
	var out []RelSuggestion
	used := make([]bool, len(s)) // trigger text already explained
	for _, tr := range triggers {
		if tr.needs != nil && !tr.needs.MatchString(s) {
			continue
		}
		for _, m := range tr.re.FindAllStringIndex(s, -1) {
			ts, te := sent.Start+m[0], sent.Start+m[1]
			if used[m[0]] {
				continue
			}
			// "… at the park to support the institutes": the subject of an
			// infinitive is not the nearest name before it.
			// "…, the Alliance, which will work to support X": the subject of
			// a relative clause is the name the clause follows.
			rel := -1
			if !tr.role && !tr.weak {
				if w := whichRE.FindStringIndex(s[:m[0]]); w != nil {
					for i, e := range ends {
						if e.Span.End <= sent.Start+w[0] && onlyMarks(text[e.Span.End:sent.Start+w[0]]) {
							rel = i
						}
					}
				}
			}
			if rel < 0 && !tr.role && !tr.passive && strings.HasSuffix(strings.ToLower(s[:m[0]]), "to ") && !subjectInfinitiveRE.MatchString(s[:m[0]]) {
				continue
			}
			// inside an end's name: not a trigger ("Hong Kong Science Park" holds no verb)
			if overlapsEnd(ends, ts, te) {
				continue
			}
			// nearest end ending before the trigger, and starting after it
			l, r := -1, -1
			for i, e := range ends {
				if e.Span.End <= ts {
					l = i
				}
				if r < 0 && e.Span.Start >= te {
					r = i
				}
			}
			// "Deputy Director of the Liaison Office, Mr. Tan Tieniu": the
			// title, its body, then the person.
			// A person before a semicolon is another list item's ("…, Mr.
			// X (left); the Deputy Director of …, Mr. Y").
			if tr.role && r >= 0 && (l < 0 || endKind(ends[l], newKinds) != kg.KindPerson || strings.Contains(text[ends[l].Span.End:ts], ";")) && r+1 < len(ends) &&
				endKind(ends[r+1], newKinds) == kg.KindPerson && len(text[ends[r].Span.End:ends[r+1].Span.Start]) <= 20 {
				l = r + 1
			}
			// "…, said Carrie Lam, former Chief Executive of HKSAR, at the
			// Forum": who speaks at an event is the nearest person before.
			if tr.needs != nil {
				for i := l; i >= 0; i-- {
					if endKind(ends[i], newKinds) == kg.KindPerson {
						l = i
						break
					}
				}
			}
			// "Harry Shum, the Academy's Chairman": the person, then the
			// body whose title it is.
			possessed := false
			if tr.role && l >= 1 && endKind(ends[l], newKinds) != kg.KindPerson && endKind(ends[l-1], newKinds) == kg.KindPerson &&
				possessiveGapRE.MatchString(text[ends[l].Span.End:ts]) && appositionGapRE.MatchString(text[ends[l-1].Span.End:ends[l].Span.Start]) {
				l, r, possessed = l-1, l, true
			}
			if rel >= 0 && !tr.passive {
				l = rel
			}
			// "The institution in Hong Kong will serve as …": the place a
			// name is in is no subject; the name is.
			if rel < 0 && !tr.role && !tr.weak && !tr.passive && l >= 1 && placeLike(text, ends[l]) && !placeLike(text, ends[l-1]) &&
				ends[l-1].Span.End <= ends[l].Span.Start && inGapRE.MatchString(text[ends[l-1].Span.End:ends[l].Span.Start]) {
				l--
			}
			// "President Xi, also General Secretary of A and Chairman of B":
			// a second title of the person before the first.
			second := false
			if tr.role && l >= 1 && r > l && endKind(ends[l], newKinds) != kg.KindPerson && andGapRE.MatchString(text[ends[l].Span.End:ts]) &&
				endKind(ends[l-1], newKinds) == kg.KindPerson && firstTitleRE.MatchString(text[ends[l-1].Span.End:ends[l].Span.Start]) {
				l, second = l-1, true
			}
			// "He called for …, vowing support for the region": a
			// participle's subject is the sentence's.
			if rel < 0 && !tr.role && !tr.weak && !tr.passive && len(ends) > 0 && subjectStart(text, sent, ends[0]) &&
				ends[0].Span.End <= ts && participleRE.MatchString(s[:m[0]]) {
				rel = 0
				l = 0
			}
			if l < 0 || r < 0 {
				continue
			}
			// the trigger must lie close to both ends: no clause between
			gapL, gapR := "", ""
			if !possessed {
				gapR = text[te:ends[r].Span.Start]
				if l < r {
					gapL = text[ends[l].Span.End:ts]
				}
				if rel == l || second {
					gapL = "" // the clause's own subject; the person of both titles
				}
			}
			// "Roborn, a robot company in Hong Kong, established …": the
			// subject is the name the appositive describes, not a name in it.
			if !tr.role && !tr.weak && l >= 0 && l < r {
				if k, rest := appositiveSubject(text, ends, l, ts); k >= 0 {
					l, gapL = k, rest
				}
			}
			stop := ";:"
			if tr.role {
				stop = ";" // "Laboratory of Chirosciences (Director: Professor Wong Kwok Yin)"
			}
			// "IDEA will put …, as well as establish … to engage in
			// cooperation with X": the sentence's subject carries to a verb
			// far on when no other name stands between.
			maxL := 60
			if l == 0 && l < r && !tr.role && !tr.weak && !tr.passive && subjectStart(text, sent, ends[0]) && !strings.Contains(gapL, ", which") && !strings.Contains(gapL, ", who") {
				maxL = 240
			}
			if len(gapL) > maxL || len(gapR) > 40 || strings.ContainsAny(gapR, stop) || strings.ContainsAny(gapL, stop) {
				continue
			}
			// "academicians from the Academy … wrote to X": a name behind a
			// preposition after a plural noun is no verb's subject; the people are.
			if !tr.role && !tr.weak && !tr.passive && l < r {
				c := coordinated(text, ends, l)[0]
				if ownerRE.MatchString(text[max(sent.Start, ends[c].Span.Start-40):ends[c].Span.Start]) {
					// the people, when they are a name, are the subject
					// ("24 X-based academicians from the Academy wrote")
					if c == 0 || !peopleFromRE.MatchString(text[ends[c-1].Span.End:ends[c].Span.Start]) || !pluralEndRE.MatchString(ends[c-1].Span.Text(text)) {
						continue
					}
					l = c - 1
				}
			}
			// "established a strategic partnership with ZTE": a name behind a
			// preposition is not the verb's object
			if !tr.role && !tr.weak && objectBlockRE.MatchString(gapR) && !nominalRE.MatchString(gapR) {
				continue
			}
			// a bare preposition binds what stands right by it
			if tr.weak && tr.needs == nil && (len(gapL) > 30 || len(strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(gapR), "the"))) > 0) {
				continue
			}
			// a government body is where it is only right by the
			// preposition ("the Ministry of X in Beijing"): "the Ministry
			// invested in X" places it nowhere
			if tr.weak && tr.typ == "LOCATED_IN" && strings.TrimSpace(gapL) != "" && endKind(ends[l], newKinds) == kg.KindGovernmentBody {
				continue
			}
			a, b := l, r
			if tr.passive {
				a, b = r, l
			}
			ka, kb := endKind(ends[a], newKinds), endKind(ends[b], newKinds)
			if tr.role && ka != kg.KindPerson && kb == kg.KindPerson {
				// "HKUST President Wei Shyy", "the Academy's Chairman, X": the
				// body right before the title ("a letter to President Xi" is none).
				if g := strings.TrimSpace(text[ends[a].Span.End:ts]); strings.ContainsFunc(strings.TrimSuffix(strings.TrimSuffix(g, "'s"), "’s"), unicode.IsLetter) {
					continue
				}
				a, b, ka, kb = b, a, kb, ka
			}
			// A place that acts stands for its government: "signed between
			// MOST and the HKSAR", "Chief Executive of HKSAR".
			fit := func(s kindSet, i int, k kg.Kind, side int) (End, bool) {
				if tr.fits(s, k, ends[i]) {
					return ends[i], true
				}
				if g, ok := d.Government(ends[i]); ok && agentive(tr, side) && tr.fits(s, kg.KindGovernmentBody, g) {
					return g, true
				}
				return End{}, false
			}
			if _, ok := fit(tr.from, a, ka, 0); !ok || a == b {
				continue
			}
			if _, ok := fit(tr.to, b, kb, 1); !ok {
				continue
			}
			k := key{tr.typ, a, b}
			if seen[k] || (tr.role && seen[key{"role", a, b}]) {
				continue
			}
			seen[k] = true
			if tr.role {
				seen[key{"role", a, b}] = true // one title per person and body
			}
			for i := m[0]; i < m[1]; i++ {
				used[i] = true
			}
			role, typ := "", tr.typ
			if tr.role && deputyRE.MatchString(s[m[0]:m[1]]) {
				typ = "WORKS_AT" // a deputy or vice holds a post; the body has another head
			}
			if typ == "CHAIRS" && !chaired(text, ends[b], newKinds) {
				typ = "HEADS" // the chairman of an academy or a company heads it
			}
			if tr.role {
				role = strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(kg.CollapseSpace(s[m[0]:m[1]]), " of"), " at"), " for"))
			}
			// Coordinated ends share the relationship: "MOST and the HKSAR
			// Government established …", "… with ZTE and China Mobile".
			cb := coordinated(text, ends, b)
			for _, x := range coordinated(text, ends, a) {
				cx := coordinated(text, ends, x)
				for _, y := range cb {
					kx, ky := endKind(ends[x], newKinds), endKind(ends[y], newKinds)
					ex, okx := fit(tr.from, x, kx, 0)
					ey, oky := fit(tr.to, y, ky, 1)
					// a place joined to the named end stands for its
					// government only beside another government ("MOST
					// and the HKSAR", not "the Institute, Hong Kong")
					if x != a && okx && ex.Candidates != nil && ex.Candidates[0].EntityID != ends[x].Candidates[0].EntityID && endKind(ends[a], newKinds) != kg.KindGovernmentBody {
						okx = false
					}
					if y != b && oky && ey.Candidates != nil && ey.Candidates[0].EntityID != ends[y].Candidates[0].EntityID && endKind(ends[b], newKinds) != kg.KindGovernmentBody {
						oky = false
					}
					// "A joined forces with B": neither is A's partner
					// twice, nor is B its own
					// the place a coordinated unit is in is no partner of
					// the unit's other names ("A in Beijing and B")
					if x != a && min(a, x) < b && b < max(a, x) || y != b && min(b, y) < a && a < max(b, y) {
						continue
					}
					if x == y || !okx || !oky || (tr.role && (x != a || y != b)) || (x != a || y != b) && slices.Contains(cx, y) {
						continue
					}
					if k := (key{tr.typ, x, y}); x != a || y != b {
						if seen[k] {
							continue
						}
						seen[k] = true
					}
					out = append(out, RelSuggestion{Type: typ, From: ex, To: ey, Role: role})
				}
			}
			// "A signed a Memorandum (MoU) with B": B signed it too.
			w := b + 1 // past the agreement's own acronym: "a Memorandum of Understanding (MoU)"
			for w < len(ends) && ends[w].NewName != "" && ends[w].NewName == ends[b].NewName {
				w++
			}
			if tr.typ == "SIGNED" && !tr.passive && w < len(ends) &&
				signedWithRE.MatchString(text[ends[w-1].Span.End:ends[w].Span.Start]) {
				for _, y := range coordinated(text, ends, w) {
					if k := (key{tr.typ, y, b}); !seen[k] && tr.fits(tr.from, endKind(ends[y], newKinds), ends[y]) {
						seen[k] = true
						out = append(out, RelSuggestion{Type: tr.typ, From: ends[y], To: ends[b]})
					}
				}
			}
		}
	}
	return out
}

// subjectStart reports whether end e opens its sentence (after "The" or
// titles at most: "President Xi", "The Chief Executive, Mrs. Carrie Lam").
func subjectStart(text string, sent Span, e End) bool {
	for _, w := range strings.Fields(strings.NewReplacer(",", " ", ".", " ").Replace(text[sent.Start:e.Span.Start])) {
		if lw := strings.ToLower(w); lw != "the" && !titles[lw] {
			return false
		}
	}
	return true
}

// participleRE is a participle clause's start right before a trigger:
// ", vowing ", ", pledging full ".
var participleRE = regexp.MustCompile(`(?i),\s+(?:vowing|pledging|offering|providing|giving|promising|expressing|calling for|urging)\s+(?:[a-z]+\s+){0,2}$`)

// ownerRE is a plural noun and a preposition right before a name: "24
// academicians from the", "researchers at".
var ownerRE = regexp.MustCompile(`\b[a-z]{3,}s\s+(?:from|at|in|with)\s+(?:the\s+)?$`)

// subjectInfinitiveRE is an infinitive whose subject is the clause's: "will
// be able to ", "plans to ", "is expected to ".
var subjectInfinitiveRE = regexp.MustCompile(`(?i)\b(?:(?:be|is|are|was|were|been)\s+(?:able|set|expected|due|likely|going|ready)|plans?|planned|aims?|aimed|intends?|intended|seeks?|sought|hopes?|hoped|wants?|wanted|agreed|decided|promised|pledged)\s+to\s+$`)

// peopleFromRE and pluralEndRE: a name ending in a plural noun right before
// the preposition of ownerRE ("24 X-based academicians| from the ").
var (
	peopleFromRE = regexp.MustCompile(`^\s+(?:from|at|in|with)\s+(?:the\s+)?$`)
	pluralEndRE  = regexp.MustCompile(`\b[a-z]{3,}s$`)
)

// andGapRE and firstTitleRE join a person to a second title: ", also
// General Secretary of the " … " and ".
var (
	andGapRE     = regexp.MustCompile(`^\s+and\s+$`)
	firstTitleRE = regexp.MustCompile(`^,\s+(?:also\s+)?(?:the\s+)?\p{Lu}[\pL-]*(?:\s+\p{Lu}[\pL-]*){0,3}\s+(?:of|for)\s+(?:the\s+)?$`)
)

// whichRE is a relative clause's start, a few words before a trigger:
// ", which will work to ".
var whichRE = regexp.MustCompile(`(?i),\s+(?:which|that|who)\s+(?:[a-z]+\s+){0,4}$`)

// appositiveRestRE is an appositive closed by a comma ("…, a robot company in
// Hong Kong,") and what follows it up to a trigger, with no other comma.
var appositiveRestRE = regexp.MustCompile(`^,\s+(?:a|an|the)\s[^,;:()]*,(\s*[^,;:()]*)$`)

// appositiveSubject finds, for the nearest end l before a trigger at ts,
// the end an appositive holding l describes: "Roborn, a robot company in
// Hong Kong, established …" gives Roborn for Hong Kong. It returns the
// end's index and the text from the appositive's closing comma to the
// trigger, or -1.
func appositiveSubject(text string, ends []End, l, ts int) (int, string) {
	for k := l - 1; k >= 0 && l-k <= 3; k-- {
		if m := appositiveRestRE.FindStringSubmatch(text[ends[k].Span.End:ts]); m != nil {
			return k, m[1]
		}
	}
	return -1, ""
}

// objectBlockRE finds a preposition between a verb and a name: the name is
// then no object of the verb.
var objectBlockRE = regexp.MustCompile(`(?i)\b(?:with|between|among|amongst|for|from|to|of|on|into|against|by|via)\b`)

// nominalRE is a verb's object naming an act on the name after it:
// "announced (the) establishment of X" announces X.
var nominalRE = regexp.MustCompile(`(?i)^\s*(?:the\s+)?(?:establishment|launch|creation|formation|founding|opening|setting[ -]up|release|publication|signing|details|development)\s+of\s+(?:the\s+)?$`)

// possessiveGapRE and appositionGapRE join "Person, the Body's Title".
var (
	possessiveGapRE = regexp.MustCompile(`^\s*(?:'s|’s)\s+$`)
	appositionGapRE = regexp.MustCompile(`^,\s*(?:the\s+)?$`)
)

// chairedHeads are the bodies one chairs (kg: "a person chairs a committee,
// council or event"); of any other body the chairman is its head.
var chairedHeads = []string{"committee", "council", "commission", "board", "panel", "taskforce", "meeting", "assembly", "congress"}

// chaired reports whether an end is a body that is chaired rather than headed.
func chaired(text string, e End, newKinds map[string]kg.Kind) bool {
	if endKind(e, newKinds) == kg.KindEvent {
		return true
	}
	name := endName(text, e)
	if name == "" {
		name = e.Span.Text(text)
	}
	for _, h := range chairedHeads {
		if hasHead(name, h) {
			return true
		}
	}
	return false
}

// agentive reports whether the trigger's end on side (0 from, 1 to) acts or
// holds a post, so that a place there stands for its government.
func agentive(tr trigger, side int) bool {
	if tr.role {
		return side == 1
	}
	switch tr.typ {
	case "SIGNED", "ESTABLISHED", "ORGANISED", "ISSUED", "PROPOSED", "APPROVED", "FUNDS", "ADMINISTERS", "ANNOUNCED":
		return side == 0
	case "COLLABORATES_WITH":
		return true
	}
	return false
}

// speechAt: a person who speaks in the sentence, "at" an event, spoke at it
// ("…, said Carrie Lam, former Chief Executive, at the Science Forum").
var speechAt = func() trigger {
	tr := weakTrig(`at`, "SPOKE_AT", persons, events)
	tr.needs = regexp.MustCompile(`(?i)\b(said|says|spoke|speech|remarks|addressed|highlighted|announced|told|explained|stressed|noted)\b`)
	return tr
}()

// deputyRE finds a title held under another's ("Deputy Director", "Vice Minister").
var deputyRE = regexp.MustCompile(`(?i)^(?:deputy|vice|associate|assistant)[- ]`)

// signedWithRE joins the other signatory after an agreement.
var signedWithRE = regexp.MustCompile(`^\)?\s*(?:\([^)]*\)\s*)?with\s+(?:the\s+)?(?:(?:Professor|Prof\.?|Dr\.?|Mr\.?|Mrs\.?|Ms\.?)\s+)?$`)

// coordRE is what joins coordinated ends: "and", a comma, "as well as".
// jointRE joins two bodies as one subject: "A joined forces with B, and
// organised …" (both organised).
var jointRE = regexp.MustCompile(`(?i)^\s+(?:join(?:s|ed|t)?\s+(?:forces?|hands)|team(?:s|ed)?\s+up)\s+with\s+(?:the\s+)?$`)

var coordRE = regexp.MustCompile(`^(?:,\s*|\s+)(?:and|&|as well as|or)?\s*(?:the\s+){0,2}$|^\s*,\s*$`)

// inGapRE is a bare "in" between a name and the place it is in.
var inGapRE = regexp.MustCompile(`^\s+in\s+(?:the\s+)?$`)

// placeLike reports whether an end is a known place or a lone word (which
// after "in" reads as one).
func placeLike(text string, e End) bool {
	if e.NewName != "" {
		return !strings.ContainsAny(e.NewName, " -")
	}
	for _, c := range e.Candidates {
		if c.Kind != kg.KindPlace {
			return false
		}
	}
	return true
}

// coordinated returns end i and the ends joined to it by "and" or commas,
// on either side, in text order. A name's acronym in brackets right after it
// ("the Ministry of Science and Technology (MOST) and the HKSAR Government")
// is part of the name: the coordination runs past it, and it is not
// returned again.
func coordinated(text string, ends []End, i int) []int {
	// alias reports whether end k is the bracketed acronym of end k-1.
	alias := func(k int) bool {
		return k > 0 && k < len(ends) && sameEntity(ends[k-1], ends[k]) &&
			strings.TrimSpace(text[ends[k-1].Span.End:ends[k].Span.Start]) == "(" &&
			strings.HasPrefix(text[ends[k].Span.End:], ")")
	}
	// unitEnd is where the unit starting at end k ends: past its acronym,
	// or past the place it is in when another name that is no place
	// follows ("the Ministry of X in Beijing and Y Bureau").
	inPlace := func(k int) bool { // end k+1 is the place end k is in, and a non-place follows
		return k >= 0 && k+2 < len(ends) && ends[k].Span.End <= ends[k+1].Span.Start && !placeLike(text, ends[k]) &&
			placeLike(text, ends[k+1]) && !placeLike(text, ends[k+2]) && inGapRE.MatchString(text[ends[k].Span.End:ends[k+1].Span.Start])
	}
	unitEnd := func(k int) (int, int) {
		if alias(k + 1) {
			return k + 1, ends[k+1].Span.End + 1
		}
		if inPlace(k) {
			return k + 1, ends[k+1].Span.End
		}
		return k, ends[k].Span.End
	}
	if alias(i) {
		i--
	}
	out := []int{i}
	for k := i; ; {
		last, end := unitEnd(k)
		if last+1 >= len(ends) || !coordRE.MatchString(text[end:ends[last+1].Span.Start]) && !jointRE.MatchString(text[end:ends[last+1].Span.Start]) {
			break
		}
		k = last + 1
		out = append(out, k)
	}
	for k := i; k > 0; {
		p := k - 1
		if alias(p) || inPlace(p-1) {
			p--
		}
		if p < 0 {
			break
		}
		_, end := unitEnd(p)
		if end > ends[k].Span.Start {
			break
		}
		if !coordRE.MatchString(text[end:ends[k].Span.Start]) && !jointRE.MatchString(text[end:ends[k].Span.Start]) {
			break
		}
		k = p
		out = append([]int{k}, out...)
	}
	return out
}

// titleRE finds a title that names its body's field: "Minister of Science
// and Technology", "Secretary for Innovation and Technology".
// The field is capitalised, or in lower case ("Wang Zhigang, minister of
// science and technology"): then its words run to a punctuation mark and
// the longest start of them that names a known body is taken.
var titleRE = regexp.MustCompile(`\b((?i:vice|deputy|under)[- ])?(?i:(minister|secretary|commissioner|director))\s+(?:of|for)\s+((?:[A-Z][\pL\-]*)(?:\s+(?:and|of|&|[A-Z][\pL\-]*))*|[a-z][\pL\-]*(?:\s+[a-z][\pL\-]*){0,5})`)

// titleBodies proposes HEADS (WORKS_AT for a deputy) between a person and
// the known body a title names by its field, when the body goes by the
// conventional name: "Minister of X" heads the "Ministry of X", "Secretary
// for X" the "X Bureau", "Commissioner for X" the "X Commission" or
// "Office of the Commissioner for X", "Director of X" the "X Department".
// The person stands right after the title or right before it (", ").
func (d *Dictionary) titleBodies(text string, sent Span, ends []End, newKinds map[string]kg.Kind, have []RelSuggestion) []RelSuggestion {
	s := text[sent.Start:sent.End]
	var out []RelSuggestion
	for _, m := range titleRE.FindAllStringSubmatchIndex(s, -1) {
		field := strings.TrimSpace(s[m[6]:m[7]])
		// the field ends before a person's name that follows it
		ts, te := sent.Start+m[0], sent.Start+m[1]
		var person *End
		for i := range ends {
			e := &ends[i]
			if endKind(*e, newKinds) != kg.KindPerson {
				continue
			}
			if e.Span.Start >= ts && e.Span.Start < te {
				// "Secretary for Innovation and Technology Nicholas Yang": cut the name off
				field = strings.TrimSpace(text[sent.Start+m[6] : e.Span.Start])
				person = e
				break
			}
			if e.Span.Start >= te {
				if g := strings.TrimSpace(text[te:e.Span.Start]); len(g) <= 20 && (strings.HasPrefix(g, ",") || g == "") {
					person = e // "the Vice Minister of X, Professor Huang Wei"
				}
				break
			}
			if e.Span.End <= ts && strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(text[e.Span.End:ts]), "the")) == "," {
				person = e
			}
		}
		if person == nil || field == "" {
			continue
		}
		title := strings.ToLower(s[m[4]:m[5]])
		fields := []string{field}
		if !capitalised(field) {
			// lower case: every start of the words, longest first
			ws := strings.Fields(field)
			fields = fields[:0]
			for k := len(ws); k > 0; k-- {
				if !connectors[ws[k-1]] {
					fields = append(fields, strings.Join(ws[:k], " "))
				}
			}
		}
		var names, of []string // a conventional name, and the field it holds
		for _, field := range fields {
			var ns []string
			switch title {
			case "minister":
				ns = []string{"Ministry of " + field}
			case "secretary":
				ns = []string{field + " Bureau"}
			case "commissioner":
				ns = []string{field + " Commission", "Office of the Commissioner for " + field}
			case "director":
				ns = []string{field + " Department", "Department of " + field}
			}
			for _, n := range ns {
				names, of = append(names, n), append(of, field)
			}
		}
		for i, n := range names {
			cs := d.Lookup(n)
			if len(cs) != 1 {
				continue
			}
			typ := kg.RelType("HEADS")
			if m[2] >= 0 {
				typ = "WORKS_AT"
			}
			body := End{Span: Span{ts, te}, Candidates: cs}
			dup := false
			for _, h := range have {
				if sameEnd(h.From, *person) && len(h.To.Candidates) == 1 && h.To.Candidates[0].EntityID == cs[0].EntityID {
					dup = true
				}
			}
			if !dup {
				out = append(out, RelSuggestion{Type: typ, From: *person, To: body, Role: strings.TrimSpace(s[m[0]:m[6]] + of[i])})
			}
			break
		}
	}
	return out
}

// bareTitles are titles a Hong Kong article gives without their body: the
// Chief Executive heads the government of Hong Kong (the government the
// dictionary links to the place "Hong Kong"), the Premier the State Council.
// place names the place whose government it is; body, else, the body by name.
var bareTitles = []struct {
	re          *regexp.Regexp
	typ         kg.RelType
	place, body string
}{
	{regexp.MustCompile(`\bChief Executive\b`), "HEADS", "Hong Kong", ""},
	{regexp.MustCompile(`\b(?:Chief Secretary for Administration|Financial Secretary|Secretary for Justice)\b`), "WORKS_AT", "Hong Kong", ""},
	{regexp.MustCompile(`\bPremier\b`), "HEADS", "", "State Council"},
}

// bareTitleAfter gives a title its own body or makes it another title.
var bareTitleAfter = regexp.MustCompile(`^\s+(?:Officer|of|for|at)\b`)

// bareTitleBefore is what may stand between a person and a title after it:
// "Carrie Lam, former Chief Executive".
var bareTitleBefore = regexp.MustCompile(`^,\s*(?:(?:the|former|then|current|incumbent)\s+)*$`)

// bareTitleBodies proposes the relationship a bare title states between the
// person it names (right after it, or right before with a comma) and its
// conventional body, when the title has no body of its own: not "Chief
// Executive Officer", "Chief Executive of the Authority" nor "the company's
// Chief Executive".
func (d *Dictionary) bareTitleBodies(text string, sent Span, ends []End, newKinds map[string]kg.Kind, have []RelSuggestion) []RelSuggestion {
	s := text[sent.Start:sent.End]
	var out []RelSuggestion
	for _, bt := range bareTitles {
		for _, m := range bt.re.FindAllStringIndex(s, -1) {
			ts, te := sent.Start+m[0], sent.Start+m[1]
			after := text[te:sent.End]
			if bareTitleAfter.MatchString(after) {
				continue
			}
			before := strings.TrimRight(text[sent.Start:ts], " ")
			if strings.HasSuffix(before, "'s") || strings.HasSuffix(before, "’s") {
				continue
			}
			if overlapsEnd(ends, ts, te) {
				continue
			}
			var person *End
			for i := range ends {
				e := &ends[i]
				if endKind(*e, newKinds) != kg.KindPerson {
					continue
				}
				if e.Span.Start >= te {
					if g := strings.TrimSpace(text[te:e.Span.Start]); len(g) <= 20 && (strings.HasPrefix(g, ",") || g == "") {
						person = e
					}
					break
				}
				if e.Span.End <= ts && bareTitleBefore.MatchString(text[e.Span.End:ts]) {
					person = e
				}
			}
			if person == nil {
				continue
			}
			var body []Candidate
			if bt.place != "" {
				for _, p := range d.Lookup(bt.place) {
					if g, ok := d.Government(End{Candidates: []Candidate{p}}); ok {
						body = g.Candidates
					}
				}
			} else if cs := d.Lookup(bt.body); len(cs) == 1 {
				body = cs
			}
			if body == nil {
				continue
			}
			dup := false
			for _, h := range append(have, out...) {
				if sameEnd(h.From, *person) && len(h.To.Candidates) == 1 && h.To.Candidates[0].EntityID == body[0].EntityID {
					dup = true
				}
			}
			if !dup {
				out = append(out, RelSuggestion{Type: bt.typ, From: *person, To: End{Span: Span{ts, te}, Candidates: body}, Role: s[m[0]:m[1]]})
			}
		}
	}
	return out
}

// titlePlaceRE finds where a document's title names the place it is for:
// "… Plan for the X", "… Cooperation in the Development of the X".
var titlePlaceRE = regexp.MustCompile(`(?i)\s(?:for|in|of)\s+(?:the\s+development\s+of\s+)?(?:the\s+)?`)

// titleCovers proposes COVERS between a plan, policy or agreement and the
// known place its title ends with: "Outline Development Plan for the Pearl
// Delta Region" covers the region. Only a place that ends the title counts
// ("Made in X 2025" names no place it covers).
func (d *Dictionary) titleCovers(text string, ends []End, newKinds map[string]kg.Kind) []RelSuggestion {
	var out []RelSuggestion
	for _, e := range ends {
		if !kinds(kg.KindPolicy, kg.KindAgreement).allows(endKind(e, newKinds)) {
			continue
		}
		name := e.Span.Text(text)
		for _, m := range titlePlaceRE.FindAllStringIndex(name, -1) {
			rest := name[m[1]:]
			cs, at := d.Lookup(rest), 0
			if cs == nil {
				// a known place that ends the title: "… for the
				// Guangdong-Hong Kong-Macao Greater Bay Area"
				f := normalize(rest)
				for _, h := range d.find(rest, f) {
					if h.j == len(f.s) {
						cs, at = d.candidates(h.form), f.span(h.i, h.j).Start
					}
				}
			}
			if len(cs) != 1 || cs[0].Kind != kg.KindPlace {
				continue
			}
			place := End{Span: Span{e.Span.Start + m[1] + at, e.Span.End}, Candidates: cs}
			dup := false
			for _, r := range out {
				dup = dup || sameEnd(r.From, e) && sameEnd(r.To, place)
			}
			if !dup {
				out = append(out, RelSuggestion{Type: "COVERS", From: e, To: place})
			}
			break
		}
	}
	return out
}

// overlapsEnd reports whether the span [start, end) overlaps an end's name:
// a trigger there is part of a name ("Hong Kong Science Park" holds no verb).
func overlapsEnd(ends []End, start, end int) bool {
	for _, e := range ends {
		if start < e.Span.End && e.Span.Start < end {
			return true
		}
	}
	return false
}

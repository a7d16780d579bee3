package ingest

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/innograph/innograph/internal/kg"
)

func readFixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Each file in testdata/sentences holds one sentence a line; joined with
// spaces they must split back into those lines.
func TestSentences(t *testing.T) {
	files, err := filepath.Glob("testdata/sentences/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, f := range files {
		t.Run(strings.TrimSuffix(filepath.Base(f), ".txt"), func(t *testing.T) {
			b, _ := os.ReadFile(f)
			want := strings.Split(strings.TrimSpace(string(b)), "\n")
			text := strings.Join(want, " ")
			var got []string
			for _, s := range Sentences(text) {
				got = append(got, s.Text(text))
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got %q\nwant %q", got, want)
			}
		})
	}
}

func TestSentencesBlankLine(t *testing.T) {
	text := "A headline without a stop\n\nThe body starts here. It goes on."
	got := Sentences(text)
	want := []string{"A headline without a stop", "The body starts here.", "It goes on."}
	if len(got) != len(want) {
		t.Fatalf("got %d sentences %v", len(got), got)
	}
	for i, s := range got {
		if s.Text(text) != want[i] {
			t.Errorf("sentence %d: %q, want %q", i, s.Text(text), want[i])
		}
	}
}

// wrappedText is hard-wrapped, as text copied from a PDF is.
const wrappedText = "The Lantau Robotics Institute signed an agreement with the Kowloon\n" +
	"Materials Laboratory last week, its director said at a briefing held in\n" +
	"Central.  The two bodies will share their equipment and their staff at\n" +
	"the campus in Sha Tin for three years, according to the agreement that\n" +
	"Partners Sign Deal\n" +
	"was published by both bodies on their websites later in the same week.\n" +
	"New Campus Opens\n" +
	"Sha Tin Robotics Park opened a new wing for its tenants on Friday, when\n" +
	"hundreds of visitors came to see the robots and the laboratories there.\n"

// TestSentencesLineBreaks: a line break ends a sentence without a stop (a
// headline, a caption, a list item), unless the sentence plainly goes on;
// in hard-wrapped text only a short line ends one.
func TestSentencesLineBreaks(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       []string
	}{
		{"a headline on a line of its own",
			"Lantau Institute Opens Lab\nThe institute opened a lab on Monday.",
			[]string{"Lantau Institute Opens Lab", "The institute opened a lab on Monday."}},
		{"a caption after a sentence",
			"The director spoke at the forum.\nDirector Chan Tai Man (left) with students\nShe praised them.",
			[]string{"The director spoke at the forum.", "Director Chan Tai Man (left) with students", "She praised them."}},
		{"list items",
			"The partners are:\n- Lantau Robotics Institute\n- Kowloon Materials Laboratory",
			[]string{"The partners are:", "- Lantau Robotics Institute", "- Kowloon Materials Laboratory"}},
		{"a numbered item after a line ending with a word",
			"Two labs joined\n1. Kowloon Materials Laboratory",
			[]string{"Two labs joined", "1. Kowloon Materials Laboratory"}},
		{"a web address ends its line",
			"Video: http://example.org/v/1\nThe forum ended.",
			[]string{"Video: http://example.org/v/1", "The forum ended."}},
		{"near miss: a line ending with 'the' goes on",
			"The institute signed an agreement with the\nKowloon Materials Laboratory.",
			[]string{"The institute signed an agreement with the\nKowloon Materials Laboratory."}},
		{"near miss: the next line starts with a small letter",
			"The Lantau Robotics Institute\nsigned an agreement.",
			[]string{"The Lantau Robotics Institute\nsigned an agreement."}},
		{"hard-wrapped text: full lines wrap, short ones end", wrappedText, []string{
			"The Lantau Robotics Institute signed an agreement with the Kowloon\nMaterials Laboratory last week, its director said at a briefing held in\nCentral.",
			"The two bodies will share their equipment and their staff at\nthe campus in Sha Tin for three years, according to the agreement that\nPartners Sign Deal\nwas published by both bodies on their websites later in the same week.",
			"New Campus Opens",
			"Sha Tin Robotics Park opened a new wing for its tenants on Friday, when\nhundreds of visitors came to see the robots and the laboratories there."}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, s := range Sentences(tc.text) {
				got = append(got, s.Text(tc.text))
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %q\nwant %q", got, tc.want)
			}
		})
	}
}

// TestLineBreakNames: a known name is no mention across a sentence's end
// (a heading's last words and the next line's first), and a new name
// wrapped across lines is proposed on one line.
func TestLineBreakNames(t *testing.T) {
	d := testDict(t)
	for _, tc := range []struct {
		name, text string
		mention    string // a mention the text must have, "" for none of "Hong Kong"
		entity     string // a new entity's name the text must give, "" for none
	}{
		{"a known name inside a line", "Labs Open in Hong Kong\nThe labs opened on Monday.", "Hong Kong", ""},
		{"near miss: a heading's last word and the next line's first", "Visitors Flock to Hong\nKong Science Park opened a wing on Monday.", "", ""},
		{"a new name wrapped across lines in hard-wrapped text", wrappedText, "", "Kowloon Materials Laboratory"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := d.Analyse(context.Background(), Document{Text: tc.text})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, m := range a.Mentions {
				got = append(got, m.Span.Text(tc.text))
				if strings.HasPrefix(m.Span.Text(tc.text), "Hong") && tc.mention == "" {
					t.Errorf("mention %q across a sentence end", m.Span.Text(tc.text))
				}
			}
			if tc.mention != "" && !slices.Contains(got, tc.mention) {
				t.Errorf("mentions %q, want %q", got, tc.mention)
			}
			var names []string
			for _, s := range a.Suggestions {
				if s.Type == SuggestEntity {
					names = append(names, s.NewEntity.Name)
				}
			}
			if tc.entity != "" && !slices.Contains(names, tc.entity) {
				t.Errorf("new entities %q, want %q", names, tc.entity)
			}
		})
	}
}

var testEntities = []kg.Entity{
	{ID: "chung", Kind: kg.KindPerson, Name: "Chung Kwok Fai"},
	{ID: "zhang-xin", Kind: kg.KindPerson, Name: "Professor Zhang Xin"},
	{ID: "polyu", Kind: kg.KindUniversity, Name: "The Hong Kong Polytechnic University"},
	{ID: "hkust", Kind: kg.KindUniversity, Name: "The Hong Kong University of Science and Technology", Aliases: []string{"HKUST"}},
	{ID: "montreal", Kind: kg.KindUniversity, Name: "Université de Montréal"},
	{ID: "xjtu", Kind: kg.KindUniversity, Name: "Xi'an Jiaotong"},
	{ID: "wong-a", Kind: kg.KindPerson, Name: "Mr Wong"},
	{ID: "wong-b", Kind: kg.KindPerson, Name: "Wong"},
	{ID: "most", Kind: kg.KindGovernmentBody, Name: "Ministry of Science and Technology of China", Aliases: []string{"MOST"}},
	{ID: "hong-kong", Kind: kg.KindPlace, Name: "Hong Kong"},
	{ID: "guangdong", Kind: kg.KindPlace, Name: "Guangdong"},
	{ID: "cas", Kind: kg.KindInstitute, Name: "Chinese Academy of Sciences", Aliases: []string{"CAS"}},
	{ID: "hksp", Kind: kg.KindFacility, Name: "Hong Kong Science Park"},
	{ID: "hksar-gov", Kind: kg.KindGovernmentBody, Name: "HKSAR Government"},
	{ID: "pact-12", Kind: kg.KindAgreement, Name: "Pact 12"},
	{ID: "itb", Kind: kg.KindGovernmentBody, Name: "Innovation and Technology Bureau"},
	{ID: "us", Kind: kg.KindPlace, Name: "United States", Aliases: []string{"US"}},
}

func testDict(t testing.TB) *Dictionary {
	t.Helper()
	d, err := New(testEntities)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestMentions(t *testing.T) {
	d := testDict(t)
	text := readFixture(t, "mentions.txt")
	ms, err := d.Mentions(context.Background(), text, Sentences(text))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range ms {
		var ids []string
		for _, c := range m.Candidates {
			ids = append(ids, c.EntityID)
		}
		got = append(got, m.Span.Text(text)+"="+strings.Join(ids, "|"))
	}
	for _, tc := range []struct{ name, want string }{
		{"case and honorific", "CHUNG Kwok-fai=chung"},
		{"name order and hyphen", "Kwok-fai Chung=chung"},
		{"initials", "K. F. Chung=chung"},
		{"title stripped from the dictionary name", "Zhang Xin=zhang-xin"},
		{"acronym alias", "HKUST=hkust"},
		{"alias without the article", "Hong Kong University of Science and Technology=hkust"},
		{"longest wins over Hong Kong", "Hong Kong Polytechnic University=polyu"},
		{"accents folded", "Universite de Montreal=montreal"},
		{"accents kept", "Université de Montréal=montreal"},
		{"curly apostrophe", "Xi’an Jiaotong=xjtu"},
		{"straight apostrophe", "Xi'an Jiaotong=xjtu"},
		{"ambiguous form offers every candidate", "Wong=wong-a|wong-b"},
		{"acronym in capitals", "MOST=most"},
		{"place on its own", "Hong Kong=hong-kong"},
		{"digits", "Pact 12=pact-12"},
		{"a country, not its dollar", "US=us"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !contains(got, tc.want) {
				t.Errorf("no mention %s in %q", tc.want, got)
			}
		})
	}
	for _, tc := range []struct{ name, notWant string }{
		{"lower-case word is not an acronym", "Most=most"},
		{"no part of a hyphenated compound", "Guangdong=guangdong"},
		{"other digits", "Pact 13=pact-12"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if contains(got, tc.notWant) {
				t.Errorf("mention %s in %q", tc.notWant, got)
			}
		})
	}
	// "US" of "US$3.8 million" is the dollar's prefix, not the country: of
	// the two "US" in the text only the second is a mention.
	us := 0
	for _, g := range got {
		if g == "US=us" {
			us++
		}
	}
	if us != 1 {
		t.Errorf("%d mentions of US, want 1 (not the one of US$): %q", us, got)
	}
	for _, m := range ms {
		if m.Sentence < 0 || m.Sentence > 6 {
			t.Errorf("mention %q in sentence %d", m.Span.Text(text), m.Sentence)
		}
	}
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func TestFold(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Université de Montréal", "universite de montreal"},
		{"Xi’an", "xi'an"},
		{"K. F. Chung", "k f chung"},
		{"Kwok-fai  CHUNG", "kwok fai chung"},
		{"ﬁnance", "finance"},                  // NFKD: the ligature
		{"Straße", "strasse"},                  // case folding, not just lower-casing
		{"Research Centre", "research center"}, // British and American spellings fold alike
		{"Organisation", "organization"},
	} {
		if got := Fold(tc.in); got != tc.want {
			t.Errorf("Fold(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestDefinitions(t *testing.T) {
	text := readFixture(t, "acronyms.txt")
	var got []string
	for _, d := range Definitions(text) {
		got = append(got, d.Long+"="+d.Acronym)
	}
	want := []string{
		"Ministry of Science and Technology=MOST",
		"Innovation and Technology Commission=ITC",
		"Applied Science and Technology Research Institute=ASTRI",
		"Chinese Academy of Sciences=CAS",
		"Hong Kong Science Park=HKSP",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

// An acronym defined for a known entity becomes an alias suggestion; one
// defined with an unknown long form, a new entity with its alias.
func TestAnalyseAcronyms(t *testing.T) {
	d := testDict(t)
	text := readFixture(t, "acronyms.txt")
	a, err := d.Analyse(context.Background(), Document{Text: text})
	if err != nil {
		t.Fatal(err)
	}
	aliases := map[string]string{}
	news := map[string]*NewEntity{}
	for _, s := range a.Suggestions {
		switch s.Type {
		case SuggestAlias:
			aliases[s.Alias.Alias] = s.Alias.EntityID
		case SuggestEntity:
			news[s.NewEntity.Name] = s.NewEntity
		}
		if s.Quote == "" || !strings.Contains(text, s.Quote) {
			t.Errorf("suggestion %+v: quote %q not verbatim", s, s.Quote)
		}
	}
	if aliases["HKSP"] != "hksp" {
		t.Errorf("alias suggestions %v, want HKSP for hksp", aliases)
	}
	if aliases["Ministry of Science and Technology"] != "most" {
		t.Errorf("alias suggestions %v, want the long form of MOST for most", aliases)
	}
	if news["Ministry of Science and Technology"] != nil {
		t.Errorf("the long form of a known acronym proposed as a new entity")
	}
	n := 0
	for _, m := range a.Mentions {
		if m.Span.Text(text) == "HKSP" && m.Candidates[0].EntityID == "hksp" {
			n++
		}
	}
	if n != 2 {
		t.Errorf("%d mentions of hksp by the acronym the text defines for it, want 2", n)
	}
	if _, ok := aliases["CAS"]; ok {
		t.Errorf("CAS is already an alias of cas, suggested again")
	}
	for name, kind := range map[string]kg.Kind{
		"Innovation and Technology Commission":              kg.KindGovernmentBody,
		"Applied Science and Technology Research Institute": kg.KindInstitute,
	} {
		n := news[name]
		if n == nil {
			t.Errorf("no new entity %q in %v", name, news)
			continue
		}
		if n.Kind != kind || len(n.Aliases) != 1 {
			t.Errorf("%q: %+v, want kind %s and the acronym as alias", name, n, kind)
		}
	}
}

func TestProposeKind(t *testing.T) {
	for _, tc := range []struct {
		name string
		want kg.Kind
	}{
		{"Shenzhen University", kg.KindUniversity},
		{"Institute of Automation", kg.KindInstitute},
		{"Acme Robotics Laboratory", kg.KindLab},
		{"Hong Kong Robotics Lab", kg.KindLab},
		{"InnoHK Research Centre", kg.KindLab},
		{"Kowloon Visitor Center", kg.KindFacility},
		{"Environment Bureau", kg.KindGovernmentBody},
		{"Ministry of Science and Technology", kg.KindGovernmentBody},
		{"Legislative Council", kg.KindGovernmentBody},
		{"SenseTime Group", kg.KindCompany},
		{"Acme Technologies", kg.KindCompany},
		{"Bright Holdings Limited", kg.KindCompany},
		{"Innovation and Technology Fund", kg.KindProject},
		{"Technology Talent Scheme", kg.KindProject},
		{"Hong Kong Science Park", kg.KindFacility},
		{"Digital Economy Development Blueprint", kg.KindPolicy},
		{"Belt and Road Summit", kg.KindEvent},
		{"Faculty of Engineering", kg.KindDepartment},
		{"Framework Agreement on Cooperation", kg.KindAgreement},
		{"Hong Kong Federation of Trade Unions", kg.KindOrganization},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got, _ := ProposeKind(tc.name); got != tc.want {
				t.Errorf("ProposeKind(%q) = %s, want %s", tc.name, got, tc.want)
			}
		})
	}
}

func TestAmounts(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       []kg.Money
	}{
		{"HK$ with USD equivalent", "It gives HK$30 million (US$3.8 million) to the lab.",
			[]kg.Money{{Value: "30000000", Currency: "HKD", Note: "(US$3.8 million)"}}},
		{"RMB after the number", "more than 440 million RMB was authorized",
			[]kg.Money{{Value: "440000000", Currency: "CNY", Note: "more than"}}},
		{"HKD before the number with a qualifier", "an output of over HKD130 billion",
			[]kg.Money{{Value: "130000000000", Currency: "HKD", Note: "over"}}},
		{"decimal scaled exactly", "trade reached 6.3 trillion RMB",
			[]kg.Money{{Value: "6300000000000", Currency: "CNY"}}},
		{"yuan and thousands separators", "a grant of 1,250,000 yuan",
			[]kg.Money{{Value: "1250000", Currency: "CNY"}}},
		{"two amounts", "US$5 billion and €12.5m",
			[]kg.Money{{Value: "5000000000", Currency: "USD"}, {Value: "12500000", Currency: "EUR"}}},
		{"a percentage is no money", "growth of 17.8 percent", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []kg.Money
			for _, a := range Amounts(tc.text) {
				got = append(got, a.Money)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestResolveDate(t *testing.T) {
	pub := &kg.Date{Year: 2022, Month: 7, Day: 7, Precision: kg.PrecisionDay}
	for _, tc := range []struct {
		name, text string
		pub        *kg.Date
		want       string // "" for none
	}{
		{"last year", "It opened last year.", pub, "2021"},
		{"this year", "It opens this year.", pub, "2022"},
		{"early November this year", "It opens in early November this year.", pub, "2022-11"},
		{"in 2011", "It was announced in 2011.", pub, "2011"},
		{"day month year", "It was signed on 28 June 2018.", pub, "2018-06-28"},
		{"month day, year", "It was signed on June 28, 2018.", pub, "2018-06-28"},
		{"month year", "It was signed in May 2019.", pub, "2019-05"},
		{"relative without a publication date", "It opened last year.", nil, ""},
		{"no date", "It opened.", pub, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := ResolveDate(tc.text, tc.pub)
			s := ""
			if got != nil {
				s = got.String()
			}
			if s != tc.want {
				t.Errorf("got %q, want %q", s, tc.want)
			}
		})
	}
}

func TestStatus(t *testing.T) {
	for _, tc := range []struct {
		text string
		want kg.ClaimStatus
	}{
		{"CAS established the institute in 2018.", kg.StatusAsserted},
		{"CAS will establish an institute at the park.", kg.StatusPlanned},
		{"The bureau plans to open a lab.", kg.StatusPlanned},
		{"The centre is to open next year.", kg.StatusPlanned},
		{"According to the report, the lab opened.", kg.StatusReported},
		{"The lab opened, the minister said.", kg.StatusReported},
		{"A press release explains that the lab opened.", kg.StatusReported},
		{"Hong Kong should invest more in research.", kg.StatusOpinion},
		{"The park could attract more firms.", kg.StatusOpinion},
		{"The hub is expected to create jobs.", kg.StatusOpinion},
		{"I think the plan works.", kg.StatusOpinion},
	} {
		t.Run(tc.text, func(t *testing.T) {
			if got := Status(tc.text); got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}

func TestAnalyseArticle(t *testing.T) {
	d := testDict(t)
	text := readFixture(t, "article.txt")
	pub := &kg.Date{Year: 2022, Month: 7, Precision: kg.PrecisionMonth}
	a, err := d.Analyse(context.Background(), Document{Text: text, Published: pub, SourceID: "fixture"})
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Sentences) != 5 {
		t.Fatalf("%d sentences, want 5", len(a.Sentences))
	}
	for _, m := range a.Mentions {
		if m.Candidates[0].EntityID == "guangdong" {
			t.Errorf("Guangdong of Guangdong Institute of Robotics taken for a mention of the place")
		}
	}
	name := func(e End) string {
		if e.NewName != "" {
			return e.NewName
		}
		return e.Candidates[0].EntityID
	}
	rels := map[string]*Suggestion{}
	var fundings []*Suggestion
	var persons []string
	for i := range a.Suggestions {
		s := &a.Suggestions[i]
		switch s.Type {
		case SuggestRelationship:
			rels[name(s.Relationship.From)+" "+string(s.Relationship.Type)+" "+name(s.Relationship.To)] = s
		case SuggestFunding:
			fundings = append(fundings, s)
		case SuggestEntity:
			if s.NewEntity.Kind == kg.KindPerson {
				persons = append(persons, s.NewEntity.Name)
			}
		}
		if s.Quote != a.Sentences[s.Sentence].Text(text) {
			t.Errorf("quote %q is not sentence %d", s.Quote, s.Sentence)
		}
	}
	if !contains(persons, "Lam Ka Ming") {
		t.Errorf("title before a name: persons %q, want Lam Ka Ming", persons)
	}
	for _, tc := range []struct {
		name, key string
		status    kg.ClaimStatus
		on        string
	}{
		{"role apposition", "Lam Ka Ming DIRECTS Acme Robotics Laboratory", kg.StatusReported, ""},
		{"located in", "Acme Robotics Laboratory LOCATED_IN hksp", kg.StatusAsserted, ""},
		{"department of a university", "Department of Physics PART_OF Acme University", kg.StatusAsserted, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := rels[tc.key]
			if s == nil {
				keys := make([]string, 0, len(rels))
				for k := range rels {
					keys = append(keys, k)
				}
				t.Fatalf("no %s in %q", tc.key, keys)
			}
			if tc.status != "" && s.Status != tc.status {
				t.Errorf("status %s, want %s", s.Status, tc.status)
			}
		})
	}
	if len(fundings) != 2 {
		t.Fatalf("%d fundings, want 2", len(fundings))
	}
	f := fundings[0].Funding
	if f.Amount.Value != "30000000" || f.Amount.Currency != "HKD" || fundings[0].Status != kg.StatusReported {
		t.Errorf("first funding %+v status %s", f.Amount, fundings[0].Status)
	}
	g := fundings[1]
	if g.Funding.Amount.Value != "130000000000" || g.Funding.Amount.Note != "over" || g.Status != kg.StatusReported ||
		g.Funding.On == nil || g.Funding.On.String() != "2021" {
		t.Errorf("second funding %+v on %v status %s", g.Funding.Amount, g.Funding.On, g.Status)
	}
}

func TestNewEntities(t *testing.T) {
	d := testDict(t)
	text := readFixture(t, "newentities.txt")
	a, err := d.Analyse(context.Background(), Document{Text: text})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]kg.Kind{}
	for _, s := range a.Suggestions {
		if s.Type == SuggestEntity {
			got[s.NewEntity.Name] = s.NewEntity.Kind
		}
	}
	for _, tc := range []struct {
		name, entity string
		kind         kg.Kind // "" when the name must not be proposed
	}{
		{"a capitalised 'The' starts a new phrase", "Acme Robotics Laboratory", kg.KindLab},
		{"no byline glued to it", "Daily News The Acme Robotics Laboratory", ""},
		{"known names joined by and are no new name", "Hong Kong and Guangdong", ""},
		{"in before a known place ends a name", "Shenzhen Data Institute", kg.KindInstitute},
		{"role after a name gives a person", "Gao Min", kg.KindPerson},
		{"verb of saying gives a person", "Wong Siu Ming", kg.KindPerson},
		{"a trailing title is no part of the name", "Communist Party of Acme Central Committee", kg.KindGovernmentBody},
		{"possessive ends a name", "Harbour Biotech Company", kg.KindCompany},
		{"the possessive's owner is known", "Hong Kong's Harbour Biotech Company", ""},
		{"two names without a head word joined by and", "Lantau North and Sai Kung East", ""},
		{"the first of them", "Lantau North", kg.KindOrganization},
		{"the second of them", "Sai Kung East", kg.KindOrganization},
		{"a year ends a name", "Acme Science Forum 2021", kg.KindEvent},
		{"a small number ends a name", "Chang’e 4", kg.KindOrganization},
		{"a decimal is no part of a name", "Top News 6.3 Trln RMB", ""},
		{"an appositive defines a one-word name and its kind", "Roborn", kg.KindCompany},
	} {
		t.Run(tc.name, func(t *testing.T) {
			k, ok := got[tc.entity]
			switch {
			case tc.kind == "" && ok:
				t.Errorf("%q proposed (%s); all: %v", tc.entity, k, got)
			case tc.kind != "" && k != tc.kind:
				t.Errorf("%q: kind %q, want %s; all: %v", tc.entity, k, tc.kind, got)
			}
		})
	}
}

// Each line of testdata/relations.txt: name, sentence, relationships it
// must give, relationships it must not give ("from TYPE to", ';'-separated;
// a known end by id, a new one by name).
func TestRelationships(t *testing.T) {
	d := testDict(t)
	for _, line := range strings.Split(strings.TrimRight(readFixture(t, "relations.txt"), "\n"), "\n") {
		f := strings.Split(line, "\t")
		if len(f) != 4 {
			t.Fatalf("bad fixture line %q", line)
		}
		t.Run(f[0], func(t *testing.T) {
			a, err := d.Analyse(context.Background(), Document{Text: f[1]})
			if err != nil {
				t.Fatal(err)
			}
			name := func(e End) string {
				if e.NewName != "" {
					return e.NewName
				}
				return e.Candidates[0].EntityID
			}
			var got []string
			for _, s := range a.Suggestions {
				if s.Type == SuggestRelationship {
					got = append(got, name(s.Relationship.From)+" "+string(s.Relationship.Type)+" "+name(s.Relationship.To))
				}
			}
			for _, w := range strings.Split(f[2], ";") {
				if w != "" && !contains(got, w) {
					t.Errorf("no %q in %q", w, got)
				}
			}
			for _, w := range strings.Split(f[3], ";") {
				if w != "" && contains(got, w) {
					t.Errorf("%q in %q", w, got)
				}
			}
		})
	}
}

func TestEdges(t *testing.T) {
	empty, err := New(nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		run  func() error
		code string
	}{
		{"empty dictionary and text", func() error {
			a, err := empty.Analyse(context.Background(), Document{})
			if err == nil && (len(a.Sentences) != 0 || len(a.Mentions) != 0) {
				t.Errorf("analysis of nothing: %+v", a)
			}
			return err
		}, ""},
		{"cancelled", func() error {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			_, err := testDict(t).Analyse(ctx, Document{Text: "Hong Kong grew."})
			return err
		}, kg.CodeTimeout},
		{"too long", func() error {
			_, err := empty.Analyse(context.Background(), Document{Text: strings.Repeat("a", MaxText+1)})
			return err
		}, kg.CodeLimit},
		{"entity without a name", func() error {
			_, err := New([]kg.Entity{{ID: "x"}})
			return err
		}, kg.CodeInvalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.run()
			if tc.code == "" && err != nil || tc.code != "" && kg.ErrorCode(err) != tc.code {
				t.Errorf("error %v, want code %q", err, tc.code)
			}
		})
	}
}

func TestLookup(t *testing.T) {
	d := testDict(t)
	for _, tc := range []struct{ name, want string }{
		{"hong kong university of science and technology", "hkust"},
		{"HKUST", "hkust"},
		{"hkust", ""}, // an acronym matches in capitals only
		{"Hong Kong University", ""},
	} {
		got := ""
		if cs := d.Lookup(tc.name); len(cs) > 0 {
			got = cs[0].EntityID
		}
		if got != tc.want {
			t.Errorf("Lookup(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestSuggestionOrder(t *testing.T) {
	d := testDict(t)
	text := readFixture(t, "article.txt")
	a, err := d.Analyse(context.Background(), Document{Text: text})
	if err != nil {
		t.Fatal(err)
	}
	rank := map[SuggestionType]int{SuggestEntity: 0, SuggestAlias: 1, SuggestRelationship: 2, SuggestFunding: 3}
	for i := 1; i < len(a.Suggestions); i++ {
		p, s := a.Suggestions[i-1], a.Suggestions[i]
		if rank[p.Type] > rank[s.Type] || p.Type == s.Type && p.Span.Start > s.Span.Start {
			t.Errorf("suggestion %d (%s at %d) after %s at %d", i, s.Type, s.Span.Start, p.Type, p.Span.Start)
		}
	}
}

// ruleEntities is the dictionary of TestRelationRules: invented bodies,
// places and people.
var ruleEntities = []kg.Entity{
	{ID: "kowloon", Kind: kg.KindPlace, Name: "Kowloon City", Aliases: []string{"KC"}},
	{ID: "kowloon-gov", Kind: kg.KindGovernmentBody, Name: "Kowloon City Government", Aliases: []string{"KC Government"}},
	{ID: "lantau", Kind: kg.KindPlace, Name: "Lantau"},
	{ID: "ocean-ministry", Kind: kg.KindGovernmentBody, Name: "Ministry of Ocean Studies", Aliases: []string{"MOS"}},
	{ID: "delta-institute", Kind: kg.KindInstitute, Name: "Delta Institute of Robotics"},
	{ID: "pact", Kind: kg.KindAgreement, Name: "Harbour Research Pact"},
	{ID: "mary-ho", Kind: kg.KindPerson, Name: "Mary Ho"},
	{ID: "kite", Kind: kg.KindCompany, Name: "Kite Robotics Limited", Aliases: []string{"Kite Robotics"}},
	{ID: "hk", Kind: kg.KindPlace, Name: "Hong Kong", Aliases: []string{"HKSAR"}},
	{ID: "hk-gov", Kind: kg.KindGovernmentBody, Name: "HKSAR Government"},
	{ID: "sam-lee", Kind: kg.KindPerson, Name: "Sam Lee"},
	{ID: "expo", Kind: kg.KindEvent, Name: "Harbour Robotics Expo"},
	{ID: "panel", Kind: kg.KindGovernmentBody, Name: "Robotics Advisory Committee"},
	{ID: "pearl", Kind: kg.KindPlace, Name: "Pearl Delta Region"},
	{ID: "foshan", Kind: kg.KindPlace, Name: "Foshan"},
	{ID: "zhuhai", Kind: kg.KindPlace, Name: "Zhuhai"},
	{ID: "lamma", Kind: kg.KindPlace, Name: "Lamma", Aliases: []string{"Lamma Special Region"}},
}

// TestRelationRules: each rule fires on an invented sentence and stays
// silent on a near miss. want and not are "from TYPE to" with a known end
// by id and a new one by name.
func TestRelationRules(t *testing.T) {
	d, err := New(ruleEntities)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, text string
		want, not  []string
	}{
		{"a counted group is in its place, its academicians members of the bodies they are from, and it acts past them",
			"In 2017, 20 HKSAR-based academicians from the Delta Institute of Robotics and the Ministry of Ocean Studies wrote a letter to Mary Ho.",
			[]string{"20 HKSAR-based academicians LOCATED_IN hk", "20 HKSAR-based academicians MEMBER_OF delta-institute",
				"20 HKSAR-based academicians MEMBER_OF ocean-ministry", "20 HKSAR-based academicians CORRESPONDED_WITH mary-ho"},
			[]string{"ocean-ministry CORRESPONDED_WITH mary-ho", "delta-institute CORRESPONDED_WITH mary-ho"}},
		{"near miss: engineers are no members; uncounted people are no name and the body behind 'from' still does not act",
			"In 2017, 20 HKSAR-based engineers from the Delta Institute of Robotics and scientists from the Ministry of Ocean Studies wrote a letter to Mary Ho.",
			[]string{"20 HKSAR-based engineers LOCATED_IN hk"},
			[]string{"20 HKSAR-based engineers MEMBER_OF delta-institute", "ocean-ministry CORRESPONDED_WITH mary-ho"}},
		{"an affiliated body is part of its body; a secretariat administers",
			"The MOS-affiliated institute will serve as the secretariat of the Robotics Advisory Committee.",
			[]string{"MOS-affiliated institute PART_OF ocean-ministry", "MOS-affiliated institute ADMINISTERS panel"}, nil},
		{"the place a name is in is no subject",
			"The Delta Institute of Robotics in Lantau will also serve as the secretariat of the Robotics Advisory Committee.",
			[]string{"delta-institute ADMINISTERS panel"}, []string{"lantau ADMINISTERS panel"}},
		{"a liaison between a body in a place and another body works with both; the place is no partner",
			"The Delta Institute of Robotics will be able to act as a liaison between the Ministry of Ocean Studies in Lantau and the Robotics Advisory Committee.",
			[]string{"delta-institute COLLABORATES_WITH ocean-ministry", "delta-institute COLLABORATES_WITH panel"},
			[]string{"panel LOCATED_IN lantau", "delta-institute COLLABORATES_WITH lantau"}},
		{"near miss: two places after 'in' stay places; an infinitive's subject is not the name before it",
			"Kite Robotics hired staff to act as a liaison between the Ministry of Ocean Studies in Lantau and Foshan.",
			nil, []string{"kite COLLABORATES_WITH ocean-ministry", "ocean-ministry COLLABORATES_WITH foshan", "kite COLLABORATES_WITH foshan"}},
		{"a lone acronym among partners is a partner",
			"Kite Robotics established a strategic partnership with QXT and the Delta Institute of Robotics in 2018.",
			[]string{"kite COLLABORATES_WITH QXT", "kite COLLABORATES_WITH delta-institute"}, nil},
		{"a place that signs stands for its government",
			"The Harbour Research Pact was signed between the Ministry of Ocean Studies and KC in 2019.",
			[]string{"ocean-ministry SIGNED pact", "kowloon-gov SIGNED pact"}, []string{"kowloon SIGNED pact"}},
		{"a doubled article does not break a coordination",
			"The Harbour Research Pact was signed between the Ministry of Ocean Studies and the the HKSAR in 2019.",
			[]string{"ocean-ministry SIGNED pact", "hk-gov SIGNED pact"}, nil},
		{"a forum at a facility is located in it; the facility in a lone-word place",
			"Mary Ho attended the Harbour Robotics Expo at the Regional Government Offices in Wanchai today.",
			[]string{"expo LOCATED_IN Regional Government Offices", "Regional Government Offices LOCATED_IN Wanchai"}, nil},
		{"a government body right before 'in' a place is located there",
			"Mary Ho wrote to the Ministry of Ocean Studies in Lantau last year.",
			[]string{"ocean-ministry LOCATED_IN lantau"}, nil},
		{"near miss: a government body with words before 'in' a place",
			"The Ministry of Ocean Studies invested in Lantau last year.",
			nil, []string{"ocean-ministry LOCATED_IN lantau"}},
		{"a national centre named with its city is located there; what is installed at it too",
			"The drone fleet of Kite Robotics is installed at the National Robotics Center in Foshan.",
			[]string{"National Robotics Center in Foshan LOCATED_IN foshan", "kite LOCATED_IN National Robotics Center in Foshan"}, nil},
		{"near miss: installing something for an event places nothing",
			"Kite Robotics installed drones for the Harbour Robotics Expo.",
			nil, []string{"kite LOCATED_IN expo"}},
		{"a place that is only located gets no government",
			"The Delta Institute of Robotics is located in Kowloon City.",
			[]string{"delta-institute LOCATED_IN kowloon"}, []string{"delta-institute LOCATED_IN kowloon-gov"}},
		{"a title of a place heads its government",
			"Mary Ho, former Mayor of Kowloon City, spoke.",
			[]string{"mary-ho HEADS kowloon-gov"}, nil},
		{"a place listed beside an institute acts for no government",
			"The Zeta Index published by the Delta Institute of Robotics, Kowloon City ranks first.",
			nil, []string{"kowloon-gov ISSUED Zeta Index"}},
		{"an appositive's subject acts, not a name inside it",
			"Kite Robotics, a drone company in Lantau, established the Kite Flight Academy in 2020.",
			[]string{"kite ESTABLISHED Kite Flight Academy"}, []string{"lantau ESTABLISHED Kite Flight Academy"}},
		{"no appositive: the nearest name acts",
			"In Lantau, Kite Robotics established the Kite Flight Academy in 2020.",
			[]string{"kite ESTABLISHED Kite Flight Academy"}, []string{"lantau ESTABLISHED Kite Flight Academy"}},
		{"a name behind a preposition is no object",
			"Kite Robotics established a joint venture with the Delta Institute of Robotics.",
			nil, []string{"kite ESTABLISHED delta-institute"}},
		{"an act named on the object passes the preposition",
			"The Ministry of Ocean Studies announced the establishment of the Delta Institute of Robotics.",
			[]string{"ocean-ministry ANNOUNCED delta-institute"}, nil},
		{"a title after a semicolon belongs to the person after its body",
			"Pictured are Mrs. Mary Ho (left); the Deputy Director of the Delta Institute of Robotics, Mr. Sam Lee (right).",
			[]string{"sam-lee WORKS_AT delta-institute"}, []string{"mary-ho WORKS_AT delta-institute"}},
		{"near miss: a title after a comma is the person's before it",
			"Mrs. Mary Ho, the Deputy Director of the Delta Institute of Robotics, met Mr. Sam Lee.",
			[]string{"mary-ho WORKS_AT delta-institute"}, []string{"sam-lee WORKS_AT delta-institute"}},
		{"a body's name ending 'of the' a known body is part of it",
			"Mary Ho visited the Harbour Affairs Office of the Robotics Advisory Committee.",
			[]string{"Harbour Affairs Office of the Robotics Advisory Committee PART_OF panel"}, nil},
		{"near miss: a name ending 'of the' a place is part of nothing",
			"Mary Ho visited the Harbour Affairs Office of the Lamma Special Region.",
			nil, []string{"Harbour Affairs Office of the Lamma Special Region PART_OF lamma"}},
		{"joining forces makes partners and one subject",
			"Kite Robotics joined forces with the Delta Institute of Robotics, and organised the Harbour Robotics Expo.",
			[]string{"kite COLLABORATES_WITH delta-institute", "kite ORGANISED expo", "delta-institute ORGANISED expo"},
			[]string{"delta-institute COLLABORATES_WITH kite"}},
		{"near miss: a visit makes no partners",
			"Kite Robotics visited the Delta Institute of Robotics, and organised the Harbour Robotics Expo.",
			nil, []string{"kite COLLABORATES_WITH delta-institute"}},
		{"a unit named after its body's bracketed acronym is the body's",
			"Mary Ho, dean of the Delta Institute of Robotics (DIR) Lantau Marine Laboratory, spoke.",
			[]string{"DIR Lantau Marine Laboratory PART_OF delta-institute", "mary-ho HEADS DIR Lantau Marine Laboratory"},
			[]string{"mary-ho HEADS delta-institute"}},
		{"near miss: a body's acronym, a comma and another body",
			"Mary Ho visited the Delta Institute of Robotics (DIR), Lantau Marine Laboratory and Kite Robotics.",
			nil, []string{"DIR Lantau Marine Laboratory PART_OF delta-institute", "Lantau Marine Laboratory PART_OF delta-institute"}},
		{"a place's branch of a body is part of it and located there",
			"The Lantau Branch of the Delta Institute of Robotics opened in May.",
			[]string{"Lantau Branch of the Delta Institute of Robotics PART_OF delta-institute", "Lantau Branch of the Delta Institute of Robotics LOCATED_IN lantau"}, nil},
		{"near miss: a branch named by no place",
			"The Kite Robotics Branch of the Delta Institute of Robotics opened in May.",
			nil, []string{"Kite Robotics Branch of the Delta Institute of Robotics LOCATED_IN kite", "Kite Robotics Branch of the Delta Institute of Robotics PART_OF delta-institute"}},
		{"a facility in a place named after it",
			"Next year the Ocean Robotics Centre in Tai Po Kau will open.",
			[]string{"Ocean Robotics Centre LOCATED_IN Tai Po Kau"}, nil},
		{"a facility named after a known place is located there",
			"The Lantau Robotics Park opened in May. The Lantau Robotics Park has 20 tenants.",
			[]string{"Lantau Robotics Park LOCATED_IN lantau"}, nil},
		{"near miss: a body named after a place is not placed by its name",
			"The Lantau Robotics Institute opened in May.",
			nil, []string{"Lantau Robotics Institute LOCATED_IN lantau"}},
		{"a lower-case title names its body by the longest known start",
			"Sam Lee, minister of ocean studies and fisheries, opened the fair.",
			[]string{"sam-lee HEADS ocean-ministry"}, nil},
		{"a lower-case title naming no known body gives nothing",
			"Sam Lee, minister of culture, opened the fair.",
			nil, []string{"sam-lee HEADS ocean-ministry"}},
		{"a bare Chief Executive heads the government of Hong Kong",
			"Chief Executive Sam Lee opened the fair.",
			[]string{"sam-lee HEADS hk-gov"}, nil},
		{"a bare title after the name",
			"Sam Lee, former Chief Executive, opened the fair.",
			[]string{"sam-lee HEADS hk-gov"}, nil},
		{"a company's chief executive heads no government",
			"Kite Robotics's Chief Executive Sam Lee opened the fair. Chief Executive Officer Mary Ho spoke.",
			nil, []string{"sam-lee HEADS hk-gov", "mary-ho HEADS hk-gov"}},
		{"the Institute names the last institute named",
			"The Delta Institute of Robotics opened in May. Mary Ho, the Institute's Director, spoke.",
			[]string{"mary-ho DIRECTS delta-institute"}, nil},
		{"a definite description with no antecedent names nothing",
			"Kite Robotics opened in May. Mary Ho, the Institute's Director, spoke.",
			nil, []string{"mary-ho DIRECTS kite"}},
		{"the University of … is a name, not a description",
			"The Delta Institute of Robotics opened in May. Mary Ho, the Institute of Lantau's Director, spoke.",
			nil, []string{"mary-ho DIRECTS delta-institute"}},
		{"the chairman of a company heads it",
			"Sam Lee, the chairman of Kite Robotics, spoke.",
			[]string{"sam-lee HEADS kite"}, []string{"sam-lee CHAIRS kite"}},
		{"the chairman of a committee chairs it",
			"Sam Lee, the chairman of the Robotics Advisory Committee, spoke.",
			[]string{"sam-lee CHAIRS panel"}, []string{"sam-lee HEADS panel"}},
		{"who speaks at an event is the nearest person before it",
			"The plan will help, said Sam Lee, former chairman of Kite Robotics, at the Harbour Robotics Expo last year.",
			[]string{"sam-lee SPOKE_AT expo"}, nil},
		{"at the forum: the last event named",
			"The Harbour Robotics Expo opened in May. Sam Lee said at the expo that robots help.",
			[]string{"sam-lee SPOKE_AT expo"}, nil},
		{"no verb of speaking, no speech",
			"Sam Lee, chairman of Kite Robotics, was at the Harbour Robotics Expo.",
			nil, []string{"sam-lee SPOKE_AT expo"}},
		{"a region and the list of its parts",
			"Trade grew across the Pearl Delta Region (Foshan, Zhuhai and two other cities) last year.",
			[]string{"foshan PART_OF pearl", "zhuhai PART_OF pearl"}, nil},
		{"a parenthesis after a place that lists no places",
			"Trade grew across the Pearl Delta Region (Kite Robotics and Mary Ho) last year.",
			nil, []string{"kite PART_OF pearl"}},
		{"cities such as",
			"Firms moved to Pearl Delta Region cities such as Foshan and Zhuhai.",
			[]string{"foshan PART_OF pearl", "zhuhai PART_OF pearl"}, nil},
		{"places merely listed are no parts",
			"Firms moved from the Pearl Delta Region to Foshan and Zhuhai.",
			nil, []string{"foshan PART_OF pearl", "zhuhai PART_OF pearl"}},
		{"as a part of a region",
			"As a vital part of the Pearl Delta Region, Foshan grew fast.",
			[]string{"foshan PART_OF pearl"}, nil},
		{"as a partner of a region is no part",
			"As a partner of the Pearl Delta Region, Foshan grew fast.",
			nil, []string{"foshan PART_OF pearl"}},
		{"a body's campus in brackets is located there",
			"Mary Ho joined the Delta Institute of Robotics (Foshan) in 2020.",
			[]string{"Delta Institute of Robotics (Foshan) LOCATED_IN foshan"}, nil},
		{"a compass name is part of the place",
			"Northern Foshan has grown fast.",
			[]string{"Northern Foshan PART_OF foshan"}, nil},
		{"a compass word before a company is no part",
			"Northern Kite Robotics has grown fast.",
			nil, []string{"Northern Kite Robotics PART_OF kite"}},
		{"people a photo caption places attended the event before it",
			"Sam Lee attended the Harbour Robotics Expo on Monday.\nMr. Lee (centre) is pictured with Mary Ho (first right) and guests.",
			[]string{"mary-ho ATTENDED expo", "sam-lee ATTENDED expo"}, nil},
		{"a caption under no event attends nothing",
			"Sam Lee opened a lab on Monday.\nMr. Lee is pictured with Mary Ho (first right) at the Harbour Robotics Expo last year. Kite Robotics joined the panel.",
			[]string{"mary-ho ATTENDED expo"}, nil},
		{"a list's items are part of the group its heading names; the body that has the group hosts them",
			"The Delta Institute of Robotics has two Harbour Joint Laboratories.\nHarbour Joint Laboratories:\n- Harbour Joint Laboratory of Marine Drones\n- Harbour Joint Laboratory of Soft Robots",
			[]string{"Harbour Joint Laboratory of Marine Drones PART_OF Harbour Joint Laboratories", "Harbour Joint Laboratory of Soft Robots PART_OF Harbour Joint Laboratories",
				"delta-institute HOSTS Harbour Joint Laboratory of Marine Drones", "delta-institute HOSTS Harbour Joint Laboratory of Soft Robots"}, nil},
		{"near miss: a heading that names no group, items after a sentence",
			"The partners are:\n- Harbour Joint Laboratory of Marine Drones\nThe Delta Institute of Robotics opened in May.",
			nil, []string{"delta-institute PART_OF Harbour Joint Laboratory of Marine Drones", "Harbour Joint Laboratory of Marine Drones PART_OF delta-institute"}},
		{"near miss: a body that visited the group hosts nothing",
			"The Delta Institute of Robotics visited two Harbour Joint Laboratories.\nHarbour Joint Laboratories:\n- Harbour Joint Laboratory of Marine Drones",
			[]string{"Harbour Joint Laboratory of Marine Drones PART_OF Harbour Joint Laboratories"}, []string{"delta-institute HOSTS Harbour Joint Laboratory of Marine Drones"}},
		{"labs established in a university are hosted by it",
			"Since 2019, two Harbour Joint Laboratories have been established in the Lantau University of Marine Science.",
			[]string{"Lantau University of Marine Science HOSTS Harbour Joint Laboratories"}, nil},
		{"a phrase wrapped across lines is the phrase",
			"Two Harbour Joint Laboratories have been\nestablished in the Lantau University of Marine Science.",
			[]string{"Lantau University of Marine Science HOSTS Harbour Joint Laboratories"}, nil},
		{"near miss: labs established in a name of unknown kind are not hosted by it",
			"Two Harbour Joint Laboratories were established in Tseung Kwan O.",
			nil, []string{"Tseung Kwan O HOSTS Harbour Joint Laboratories"}},
		{"near miss: labs established in a place are not hosted by it",
			"Since 2019, two Harbour Joint Laboratories have been established in Kowloon City.",
			nil, []string{"kowloon HOSTS Harbour Joint Laboratories"}},
		{"with approval from a body: the clause's subject is approved",
			"Two Harbour Joint Laboratories were set up in Kowloon City with approval from the Ministry of Ocean Studies.",
			[]string{"ocean-ministry APPROVED Harbour Joint Laboratories"}, []string{"ocean-ministry APPROVED kowloon"}},
		{"with approval opening the sentence: the body after its comma",
			"In May 2019 with approval from the MOS, the Delta Institute of Robotics opened a branch.",
			[]string{"ocean-ministry APPROVED delta-institute"}, nil},
		{"near miss: approval of a person approves nothing",
			"With approval from Mary Ho, the Delta Institute of Robotics opened a branch.",
			nil, []string{"mary-ho APPROVED delta-institute"}},
		{"coordination runs past a name's acronym in brackets",
			"The Ministry of Ocean Studies (MOS) and Kite Robotics established the Harbour Robotics Expo.",
			[]string{"ocean-ministry ESTABLISHED expo", "kite ESTABLISHED expo"}, nil},
		{"near miss: a bracketed acronym before a verb of saying coordinates nothing",
			"The Ministry of Ocean Studies (MOS) said Kite Robotics established the Harbour Robotics Expo.",
			[]string{"kite ESTABLISHED expo"}, []string{"ocean-ministry ESTABLISHED expo"}},
		{"a place's participation in a project",
			"The plan will facilitate Kowloon City's participation in the development of the \"Harbour Research Programme\".",
			[]string{"kowloon PARTICIPATED_IN Harbour Research Programme"}, nil},
		{"near miss: participation in a body is no project's",
			"Kowloon City's participation in Kite Robotics grew.",
			nil, []string{"kowloon PARTICIPATED_IN kite"}},
		{"collaboration between two bodies",
			"The office will co-ordinate collaboration between the Delta Institute of Robotics and Kite Robotics.",
			[]string{"delta-institute COLLABORATES_WITH kite"}, nil},
		{"two bodies that work together",
			"The Delta Institute of Robotics and Kite Robotics have already planned to work together on drones.",
			[]string{"delta-institute COLLABORATES_WITH kite"}, nil},
		{"near miss: two places that work together are no bodies",
			"Kowloon City and Lantau have already planned to work together on drones.",
			nil, []string{"kowloon COLLABORATES_WITH lantau"}},
		{"near miss: bodies merely listed",
			"The Delta Institute of Robotics and Kite Robotics opened labs; their staff work together.",
			nil, []string{"delta-institute COLLABORATES_WITH kite"}},
		{"a relative clause's subject is the name it follows",
			"The office serves the Delta Institute of Robotics, which will work to support the development of Kowloon City.",
			[]string{"delta-institute SUPPORTS kowloon"}, nil},
		{"near miss: an infinitive without a relative clause has no subject before it",
			"The Delta Institute of Robotics met Mary Ho to support the development of Kowloon City.",
			nil, []string{"delta-institute SUPPORTS kowloon", "mary-ho SUPPORTS kowloon"}},
		{"where a body was founded it is located",
			"Mary Ho spoke of the Delta Institute of Robotics, founded last year in Kowloon City.",
			[]string{"delta-institute LOCATED_IN kowloon"}, nil},
		{"near miss: founded something in a place",
			"The Delta Institute of Robotics founded a lab in Kowloon City.",
			nil, []string{"delta-institute LOCATED_IN kowloon"}},
		{"a named goal highlighted in a plan",
			"The construction of Kowloon City is specifically highlighted in the Harbour Research Pact.",
			[]string{"pact COVERS kowloon"}, nil},
		{"near miss: highlighted in a speech by a person",
			"Kowloon City was highlighted in remarks by Mary Ho.",
			nil, []string{"mary-ho COVERS kowloon"}},
		{"the sentence's subject carries to a verb far on",
			"Kite Robotics will put its engineering strength into full play, as well as build a team of leading young engineers to engage in practical cooperation with the Delta Institute of Robotics.",
			[]string{"kite COLLABORATES_WITH delta-institute"}, nil},
		{"near miss: a relative clause far on has its own subject",
			"Kite Robotics opened a large new lab in the west of the city last year, which is expected to engage in practical cooperation with the Delta Institute of Robotics.",
			nil, []string{"kite COLLABORATES_WITH delta-institute"}},
		{"near miss: a subject that does not open the sentence",
			"After many long talks about funding, staffing and a number of other matters, Kite Robotics put its engineering strength and its large budget into full play over many years in practical cooperation with the Delta Institute of Robotics.",
			nil, []string{"kite COLLABORATES_WITH delta-institute"}},
		{"a sentence's 'He' is the person the sentence before was about; a participle's subject is the sentence's",
			"Mayor Mary Ho opened the fair on Monday. He called for closer ties with Lantau, vowing support for Kowloon City.",
			[]string{"mary-ho SUPPORTS kowloon"}, nil},
		{"near miss: 'He' after a sentence about a body is nobody",
			"Kite Robotics opened the fair on Monday. He called for closer ties with Lantau, vowing support for Kowloon City.",
			nil, []string{"kite SUPPORTS kowloon", "mary-ho SUPPORTS kowloon"}},
		{"'It' is the body the sentence before was about",
			"The Delta Institute of Robotics opened in May. It gives support to Kite Robotics.",
			[]string{"delta-institute SUPPORTS kite"}, nil},
		{"near miss: 'It' two sentences on is nothing",
			"The Delta Institute of Robotics opened in May. Rain fell. It gives support to Kite Robotics.",
			nil, []string{"delta-institute SUPPORTS kite"}},
		{"the region names the last name the text gave with that head",
			"Trade grew in the Pearl Delta Region last year. Mary Ho said Kite Robotics gives support to the region.",
			[]string{"kite SUPPORTS pearl"}, nil},
		{"the region: the head word of the name as the text gives it",
			"Trade grew in the Lamma Special Region last year. Mary Ho said Kite Robotics gives support to the region.",
			[]string{"kite SUPPORTS lamma"}, nil},
		{"people from a body act, not the body",
			"In 2019, twenty engineers from the Delta Institute of Robotics wrote a letter to Mary Ho.",
			nil, []string{"delta-institute CORRESPONDED_WITH mary-ho"}},
		{"near miss: the body itself writes",
			"In 2019, the Delta Institute of Robotics wrote a letter to Mary Ho.",
			[]string{"delta-institute CORRESPONDED_WITH mary-ho"}, nil},
		{"a person's second title after 'and'",
			"Sam Lee, also Director of the Delta Institute of Robotics and Chairman of the Robotics Advisory Committee, spoke.",
			[]string{"sam-lee DIRECTS delta-institute", "sam-lee CHAIRS panel"}, nil},
		{"near miss: a body and a title of another person",
			"Sam Lee visited the Delta Institute of Robotics and Chairman of the Robotics Advisory Committee Mary Ho.",
			nil, []string{"sam-lee CHAIRS panel"}},
		{"near miss: a name without a position is not placed",
			"Sam Lee attended the Harbour Robotics Expo on Monday.\nMary Ho (Kite Robotics) spoke later.",
			nil, []string{"mary-ho ATTENDED expo"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := relStrings(t, d, tc.text)
			checkHasNot(t, got, tc.want, tc.not)
		})
	}
}

// relStrings analyses text and returns its relationships as "from TYPE to".
func relStrings(t *testing.T, d *Dictionary, text string) []string {
	t.Helper()
	a, err := d.Analyse(context.Background(), Document{Text: text})
	if err != nil {
		t.Fatal(err)
	}
	name := func(e End) string {
		if e.NewName != "" {
			return e.NewName
		}
		return e.Candidates[0].EntityID
	}
	var got []string
	for _, s := range a.Suggestions {
		if s.Type == SuggestRelationship {
			got = append(got, name(s.Relationship.From)+" "+string(s.Relationship.Type)+" "+name(s.Relationship.To))
		}
	}
	return got
}

// TestEntityRules: new-entity rules fire on invented sentences and stay
// silent on near misses. want and not are "Name KIND".
func TestEntityRules(t *testing.T) {
	d, err := New(ruleEntities)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, text string
		want, not  []string
	}{
		{"a counted group based in a known place is a new organisation",
			"Last year 12 Lantau-based engineers opened a workshop.",
			[]string{"12 Lantau-based engineers ORGANIZATION"}, nil},
		{"near miss: an uncounted group, or one based in an unknown place, is none",
			"Lantau-based engineers and 12 Atlantis-based engineers opened a workshop.",
			nil, []string{"Lantau-based engineers ORGANIZATION", "12 Atlantis-based engineers ORGANIZATION"}},
		{"a body named by the known body it is affiliated with is a new body",
			"Mary Ho toured the MOS-affiliated institute in May.",
			[]string{"MOS-affiliated institute INSTITUTE"}, nil},
		{"near miss: affiliated with a place, or no body noun, is no name",
			"Lantau-affiliated institutes and MOS-affiliated researchers met in May.",
			nil, []string{"Lantau-affiliated institute INSTITUTE", "MOS-affiliated researchers ORGANIZATION"}},
		{"a lone acronym among partners is an organisation",
			"Kite Robotics signed a cooperation agreement with QXT and Lantau Telecom in 2020.",
			[]string{"QXT ORGANIZATION"}, nil},
		{"near miss: an acronym outside a partner list, or part of a longer name, is none",
			"Kite Robotics met QXT in 2020 and formed a partnership with QXT Telecom.",
			nil, []string{"QXT ORGANIZATION"}},
		{"a lone word coordinated with a known place is a place",
			"Investment flowed into Zhuhai and Jiangmen last year.",
			[]string{"Jiangmen PLACE"}, nil},
		{"a lone word before a known place",
			"Investment flowed into Jiangmen, Foshan and other cities.",
			[]string{"Jiangmen PLACE"}, nil},
		{"a known name inside a longer name shares no kind",
			"Investment flowed into Foshan Telecom and Jiangmen last year.",
			nil, []string{"Jiangmen PLACE"}},
		{"a known body with a place in brackets is another body",
			"Mary Ho joined the Delta Institute of Robotics (Foshan) in 2020.",
			[]string{"Delta Institute of Robotics (Foshan) INSTITUTE"}, nil},
		{"an agreement with its place in brackets is the same agreement",
			"The Harbour Research Pact (Foshan) was signed in 2020.",
			nil, []string{"Harbour Research Pact (Foshan) AGREEMENT"}},
		{"a sentence starter is no name",
			"Yesterday and Foshan were quiet.",
			nil, []string{"Yesterday PLACE"}},
		{"a name ends before a weekday or a month",
			"The Lantau Marine Laboratory on Monday opened the Sha Tin Robotics Centre in May.",
			[]string{"Lantau Marine Laboratory LAB"}, []string{"Lantau Marine Laboratory on Monday LAB", "Sha Tin Robotics Centre in May LAB"}},
		{"a body's name runs on through 'of the' after its head word",
			"Mary Ho met the Harbour Affairs Office of the Pearl Council on Monday.",
			[]string{"Harbour Affairs Office of the Pearl Council GOVERNMENT_BODY"}, []string{"Harbour Affairs Office GOVERNMENT_BODY"}},
		{"and through 'in the' after the government it belongs to",
			"Sam Lee visited the Liaison Office of the Central People's Government in the Lamma Special Region.",
			[]string{"Liaison Office of the Central People's Government in the Lamma Special Region GOVERNMENT_BODY"}, nil},
		{"near miss: no head word before 'of the'",
			"The Harbour Robotics Company of the Year award went to Kite Robotics. The Lantau Robotics Prize of the Pearl Council was given.",
			nil, []string{"Harbour Robotics Company of the Year COMPANY", "Lantau Robotics Prize of the Pearl Council ORGANIZATION"}},
		{"near miss: 'in the' after a body without 'of the'",
			"Mary Ho met the Kowloon Government in the Lamma Special Region.",
			nil, []string{"Kowloon Government in the Lamma Special Region GOVERNMENT_BODY"}},
		{"words after a connector end a titled body's name, not a person's",
			"Professor Sam Lee, Associate Head of Department of Marine and Coastal Engineering at Kite Robotics, spoke.",
			[]string{"Department of Marine and Coastal Engineering GOVERNMENT_BODY"}, []string{"Coastal Engineering PERSON"}},
		{"near miss: a name after a title and its field is a person",
			"Director of Marine Studies Tom Chan spoke.",
			[]string{"Tom Chan PERSON"}, nil},
		{"a unit named after its body's bracketed acronym takes the acronym",
			"Mary Ho, dean of the Delta Institute of Robotics (DIR) Lantau Marine Laboratory, spoke.",
			[]string{"DIR Lantau Marine Laboratory LAB"}, []string{"Lantau Marine Laboratory LAB"}},
		{"a name after a facility's 'in' is a place",
			"Next year the Ocean Robotics Centre in Tai Po Kau will open.",
			[]string{"Tai Po Kau PLACE"}, nil},
		{"near miss: a name after a verb's 'in' is no place",
			"Kite Robotics invested in Digital Ocean Systems.",
			nil, []string{"Digital Ocean Systems PLACE"}},
		{"a body's remit lists its fields with commas",
			"Sam Lee joined the Advisory Committee on Ocean, Robotics and Marine Science in 2020.",
			[]string{"Advisory Committee on Ocean, Robotics and Marine Science GOVERNMENT_BODY"}, []string{"Advisory Committee on Ocean GOVERNMENT_BODY"}},
		{"near miss: a comma after a remit ends the name",
			"Sam Lee joined the Advisory Committee on Ocean, Mary Ho said.",
			[]string{"Advisory Committee on Ocean GOVERNMENT_BODY"}, []string{"Advisory Committee on Ocean, Mary Ho GOVERNMENT_BODY"}},
		{"an agreement's title runs on through '&' and the parties it is between",
			"The Accord on Marine Research & Robotics Cooperation between the Mainland and Lamma was signed in 2019.",
			[]string{"Accord on Marine Research & Robotics Cooperation between the Mainland and Lamma AGREEMENT"},
			[]string{"Accord on Marine Research AGREEMENT"}},
		{"near miss: a body's name stops before 'between'",
			"The Harbour Robotics Council between the Mainland and Lamma met in 2019.",
			nil, []string{"Harbour Robotics Council between the Mainland and Lamma GOVERNMENT_BODY"}},
		{"near miss: a spaced '&' joins no names without a head word",
			"Investment flowed into Tsing Yi & Tai Po Kau last year.",
			nil, []string{"Tsing Yi & Tai Po Kau ORGANIZATION"}},
		{"a lone word after a facility's 'in' is a place; government offices are a facility",
			"Mary Ho opened the Harbour Robotics Centre in Tsuen. Sam Lee spoke at the Regional Government Offices in Wanchai today.",
			[]string{"Tsuen PLACE", "Wanchai PLACE", "Regional Government Offices FACILITY"}, nil},
		{"near miss: a lone word after a verb's 'in', or an acronym, is no place",
			"Kite Robotics invested in Tsuen. Mary Ho opened the Harbour Robotics Centre in HKSTP.",
			nil, []string{"Tsuen PLACE", "HKSTP PLACE"}},
		{"a known body's 'in' and 'and' join names, not words of one",
			"Mary Ho linked the Ministry of Ocean Studies in Qingdao and Robotics Advisory Committee last year.",
			[]string{"Qingdao PLACE"}, []string{"Ministry of Ocean Studies in Qingdao and Robotics Advisory Committee GOVERNMENT_BODY"}},
		{"a plain name and a name with its own head word are two",
			"Sam Lee visited the Sha Tin Loop and Tsuen Wan Robotics Zone last year.",
			[]string{"Sha Tin Loop ORGANIZATION", "Tsuen Wan Robotics Zone PLACE"}, []string{"Sha Tin Loop and Tsuen Wan Robotics Zone PLACE"}},
		{"near miss: paired fields stay in one name",
			"Sam Lee visited the Tai Po Kau Science and Technology Park last year.",
			[]string{"Tai Po Kau Science and Technology Park FACILITY"}, []string{"Tai Po Kau Science ORGANIZATION"}},
		{"near miss: known places before 'and' stay in the body's name",
			"Sam Lee visited the Lamma and Foshan Affairs Office last year.",
			[]string{"Lamma and Foshan Affairs Office GOVERNMENT_BODY"}, []string{"Foshan Affairs Office GOVERNMENT_BODY"}},
		{"a national centre is named with its city",
			"The National Robotics Center\nin Foshan opened last year.",
			[]string{"National Robotics Center in Foshan FACILITY"}, []string{"National Robotics Center FACILITY"}},
		{"near miss: another centre's name ends before 'in' a known place",
			"The Harbour Robotics Center in Foshan opened last year.",
			[]string{"Harbour Robotics Center FACILITY"}, []string{"Harbour Robotics Center in Foshan FACILITY"}},
		{"near miss: a name runs on through 'of' and a capitalised word",
			"The Lantau Laboratory of Marine Science opened.",
			[]string{"Lantau Laboratory of Marine Science LAB"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := d.Analyse(context.Background(), Document{Text: tc.text})
			if err != nil {
				t.Fatal(err)
			}
			got := newEntityNames(a)
			checkHasNot(t, got, tc.want, tc.not)
		})
	}
}

// TestCommonForms: a body or group is found by its common forms, and not
// by near misses.
func TestCommonForms(t *testing.T) {
	d, err := New([]kg.Entity{
		{ID: "lingnan-tech", Kind: kg.KindUniversity, Name: "The Hong Kong Maritime University"},
		{ID: "hk-engineers", Kind: kg.KindOrganization, Name: "Hong Kong engineers and designers"},
		{ID: "hk-colleges", Kind: kg.KindOrganization, Name: "Hong Kong colleges"},
		{ID: "cn-centres", Kind: kg.KindProject, Name: "Chinese National Ocean Research Centres"},
		{ID: "hk-park", Kind: kg.KindFacility, Name: "Hong Kong Harbour Park"},
		{ID: "hk-ust", Kind: kg.KindUniversity, Name: "Hong Kong University of Marine Studies"},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, text string
		want       []string // "span=id"
		not        []string
	}{
		{"a home place dropped before a head word",
			"Two Maritime University colleagues built the rig.",
			[]string{"Maritime University=lingnan-tech"}, nil},
		{"no home place dropped when the head word leads",
			"The University of Marine Studies in Xiamen opened.",
			nil, []string{"University of Marine Studies=hk-ust"}},
		{"no home place dropped before a head word it does not know",
			"The Harbour Park in Sydney opened.",
			nil, []string{"Harbour Park=hk-park"}},
		{"each noun of a group",
			"Hong Kong designers met in May.",
			[]string{"Hong Kong designers=hk-engineers"}, nil},
		{"a group by its nouns and place",
			"Engineers from Hong Kong and colleges in Hong Kong met.",
			[]string{"Engineers from Hong Kong=hk-engineers", "colleges in Hong Kong=hk-colleges"}, nil},
		{"a group's nouns alone are no mention",
			"Engineers and colleges met.",
			nil, []string{"Engineers=hk-engineers", "colleges=hk-colleges"}},
		{"the other spelling, without the home adjective",
			"Six national ocean research centers opened.",
			[]string{"national ocean research centers=cn-centres"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ms, err := d.Mentions(context.Background(), tc.text, Sentences(tc.text))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, m := range ms {
				for _, c := range m.Candidates {
					got = append(got, m.Span.Text(tc.text)+"="+c.EntityID)
				}
			}
			checkHasNot(t, got, tc.want, tc.not)
		})
	}
}

// TestMentionRules: mentions that the reading of a sentence gives (a body
// named by its holder's title or by a place acting for it; places that
// modify "authorities"), and near misses. want and not are "span=id".
func TestMentionRules(t *testing.T) {
	d, err := New(append([]kg.Entity{{ID: "ocean-bureau", Kind: kg.KindGovernmentBody, Name: "Ocean and Fisheries Bureau"}}, ruleEntities...))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, text string
		want, not  []string
		newNames   []string
	}{
		{"a title names its body",
			"Sam Lee, Secretary for Ocean and Fisheries, opened the fair.",
			[]string{"Secretary for Ocean and Fisheries=ocean-bureau"}, nil, nil},
		{"a title with no person names no body",
			"The Secretary for Ocean and Fisheries will be appointed next year.",
			nil, []string{"Secretary for Ocean and Fisheries=ocean-bureau"}, nil},
		{"a place that signs names its government",
			"The Harbour Research Pact was signed between the Ministry of Ocean Studies and KC in 2019.",
			[]string{"KC=kowloon-gov"}, nil, nil},
		{"a place that is only located names no government",
			"The Delta Institute of Robotics is located in Kowloon City.",
			[]string{"Kowloon City=kowloon"}, []string{"Kowloon City=kowloon-gov"}, nil},
		{"places before authorities name their governments",
			"Kowloon City and Lantau authorities will work together.",
			[]string{"Kowloon City=kowloon-gov"}, []string{"Kowloon City=kowloon", "Lantau=lantau"}, []string{"Lantau authorities"}},
		{"a place before another noun stays a place",
			"Kowloon City and Lantau companies will work together.",
			[]string{"Kowloon City=kowloon", "Lantau=lantau"}, []string{"Kowloon City=kowloon-gov"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := d.Analyse(context.Background(), Document{Text: tc.text})
			if err != nil {
				t.Fatal(err)
			}
			var got, names []string
			for _, m := range a.Mentions {
				for _, c := range m.Candidates {
					got = append(got, m.Span.Text(tc.text)+"="+c.EntityID)
				}
			}
			for _, s := range a.Suggestions {
				if s.Type == SuggestEntity {
					names = append(names, s.NewEntity.Name)
				}
			}
			checkHasNot(t, got, tc.want, tc.not)
			for _, w := range tc.newNames {
				if !contains(names, w) {
					t.Errorf("no new entity %q in %q", w, names)
				}
			}
		})
	}
}

// TestDocumentTitles: a plan's or agreement's title runs on through "for
// the", takes its kind from the head before the preposition, and covers the
// known place it ends with; near misses do neither.
func TestDocumentTitles(t *testing.T) {
	d, err := New(ruleEntities)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, text string
		want, not  []string // relationships, and new entities as "Name KIND"
	}{
		{"a plan for a place covers it",
			"The Outline Growth Plan for the Pearl Delta Region was released in May.",
			[]string{"Outline Growth Plan for the Pearl Delta Region COVERS pearl", "Outline Growth Plan for the Pearl Delta Region POLICY"}, nil},
		{"an agreement on cooperation in a place covers it",
			"The Framework Agreement on Ocean Cooperation in the Development of Lantau was signed.",
			[]string{"Framework Agreement on Ocean Cooperation in the Development of Lantau COVERS lantau"}, nil},
		{"a known place that ends a title with a longer form",
			"The Outline Growth Plan for the Greater Pearl Delta Region was released in May.",
			[]string{"Outline Growth Plan for the Greater Pearl Delta Region COVERS pearl"}, nil},
		{"a body's name does not run on through for the",
			"Kite Robotics donated robots to Lantau Primary School for the Pearl Delta Region fair.",
			nil, []string{"Lantau Primary School for the Pearl Delta Region ORGANIZATION"}},
		{"a place inside a title covers nothing",
			"The Made in Lantau 2030 Strategy was released in May.",
			nil, []string{"Made in Lantau 2030 Strategy COVERS lantau"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := relStrings(t, d, tc.text)
			a, err := d.Analyse(context.Background(), Document{Text: tc.text})
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range a.Suggestions {
				if s.Type == SuggestEntity {
					got = append(got, s.NewEntity.Name+" "+string(s.NewEntity.Kind))
				}
			}
			checkHasNot(t, got, tc.want, tc.not)
		})
	}
}

// TestPlaceNamedOnce: a facility named after a place is placed there once
// in a document, however often it is named.
func TestPlaceNamedOnce(t *testing.T) {
	d, err := New(ruleEntities)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range relStrings(t, d, "The Lantau Robotics Park opened in May. The Lantau Robotics Park has 20 tenants.") {
		if r == "Lantau Robotics Park LOCATED_IN lantau" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d LOCATED_IN, want 1", n)
	}
}

// checkHasNot fails t for each of want missing from got and each of not in
// it.
func checkHasNot(t *testing.T, got, want, not []string) {
	t.Helper()
	for _, w := range want {
		if !contains(got, w) {
			t.Errorf("no %q in %q", w, got)
		}
	}
	for _, w := range not {
		if contains(got, w) {
			t.Errorf("%q in %q", w, got)
		}
	}
}

// newEntityNames lists the new entities a suggests as "Name KIND".
func newEntityNames(a *Analysis) []string {
	var got []string
	for _, s := range a.Suggestions {
		if s.Type == SuggestEntity {
			got = append(got, s.NewEntity.Name+" "+string(s.NewEntity.Kind))
		}
	}
	return got
}

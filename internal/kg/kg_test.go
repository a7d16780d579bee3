package kg

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestParseMoney(t *testing.T) {
	tests := []struct {
		value, currency string
		want            Money
		wantErr         string // substring of the message; "" for success
	}{
		{value: "440000000", currency: "CNY", want: Money{Value: "440000000", Currency: "CNY"}},
		{value: "440000000", currency: "RMB", want: Money{Value: "440000000", Currency: "CNY"}},
		{value: "30000000", currency: "rmb", want: Money{Value: "30000000", Currency: "CNY"}},
		{value: " 12.5 ", currency: " hkd ", want: Money{Value: "12.5", Currency: "HKD"}},
		{value: "0", currency: "USD", want: Money{Value: "0", Currency: "USD"}},
		{value: "0.75", currency: "EUR", want: Money{Value: "0.75", Currency: "EUR"}},
		{value: "130000000000", currency: "HKD", want: Money{Value: "130000000000", Currency: "HKD"}},

		{value: "", currency: "HKD", wantErr: "malformed amount"},
		{value: "1,000", currency: "HKD", wantErr: "malformed amount"},
		{value: "1e6", currency: "HKD", wantErr: "malformed amount"},
		{value: "-5", currency: "HKD", wantErr: "malformed amount"},
		{value: "+5", currency: "HKD", wantErr: "malformed amount"},
		{value: "007", currency: "HKD", wantErr: "malformed amount"},
		{value: "12.", currency: "HKD", wantErr: "malformed amount"},
		{value: ".5", currency: "HKD", wantErr: "malformed amount"},
		{value: "1.2.3", currency: "HKD", wantErr: "malformed amount"},
		{value: "HK$30 million", currency: "HKD", wantErr: "malformed amount"},
		{value: "440 million", currency: "CNY", wantErr: "malformed amount"},
		{value: "100", currency: "", wantErr: "unknown currency"},
		{value: "100", currency: "XYZ", wantErr: "unknown currency"},
		{value: "100", currency: "HK$", wantErr: "unknown currency"},
		{value: "100", currency: "yuan", wantErr: "unknown currency"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%q %q", tt.value, tt.currency), func(t *testing.T) {
			got, err := ParseMoney(tt.value, tt.currency)
			if tt.wantErr != "" {
				if err == nil {
					t.Fatalf("ParseMoney = %+v, want error %q", got, tt.wantErr)
				}
				if !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("error %q does not mention %q", err, tt.wantErr)
				}
				if ErrorCode(err) != CodeInvalid {
					t.Errorf("code = %s, want %s", ErrorCode(err), CodeInvalid)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseMoney: %v", err)
			}
			if got != tt.want {
				t.Errorf("ParseMoney = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestNameKey(t *testing.T) {
	tests := []struct{ in, want string }{
		{"PolyU", "polyu"},
		{"The Hong Kong Polytechnic University", "the hong kong polytechnic university"},
		{"  Hong   Kong\tPolytechnic\nUniversity  ", "hong kong polytechnic university"},
		{"Chang’e 4", "chang e 4"},
		{"Chang'e 4", "chang e 4"},
		{"K. F. Chung", "k f chung"},
		{"Kwok-fai Chung", "kwok fai chung"},
		{"HKUST (GZ)", "hkust gz"},
		{"CAS–Hong Kong joint laboratories", "cas hong kong joint laboratories"},
		{"R&D", "r d"},
		{"...!!!", ""},
		{"", ""},
		{"香港理工大學", "香港理工大學"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := NameKey(tt.in); got != tt.want {
				t.Errorf("NameKey(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
	// Spellings that differ only in punctuation fold to the same key.
	if NameKey("Chang’e 4 mission") != NameKey("Chang'e 4 mission") {
		t.Error("curly and straight apostrophes fold differently")
	}
}

func TestValidID(t *testing.T) {
	for _, id := range []string{"polyu", "state-key-lab-1", "s000-hk-china-hi-tech-drive", "a", "123", strings.Repeat("a", MaxIDLen)} {
		if !ValidID(id) {
			t.Errorf("ValidID(%q) = false, want true", id)
		}
	}
	for _, id := range []string{"", "PolyU", "Bad ID!", "a--b", "-a", "a-", "a_b", "a b", "é", "a/b", strings.Repeat("a", MaxIDLen+1)} {
		if ValidID(id) {
			t.Errorf("ValidID(%q) = true, want false", id)
		}
		err := CheckID("id", id)
		var ke *Error
		if !errors.As(err, &ke) || ke.Code != CodeInvalid || ke.Field != "id" {
			t.Errorf("CheckID(%q) = %v, want BAD_USER_INPUT naming id", id, err)
		}
	}
}

func TestParseKind(t *testing.T) {
	for _, ki := range Kinds {
		for _, in := range []string{string(ki.Kind), strings.ToLower(string(ki.Kind)), " " + string(ki.Kind) + " "} {
			k, err := ParseKind(in)
			if err != nil || k != ki.Kind {
				t.Errorf("ParseKind(%q) = %q, %v; want %q", in, k, err, ki.Kind)
			}
		}
		if ki.Kind.Label() != ki.Label || ki.Label == "" {
			t.Errorf("%s.Label() = %q, want %q", ki.Kind, ki.Kind.Label(), ki.Label)
		}
	}
	for _, in := range []string{"", "PERSONS", "UNI", "LAB-X", "Entity", "GOVERNMENT BODY"} {
		k, err := ParseKind(in)
		if err == nil {
			t.Errorf("ParseKind(%q) = %q, want error", in, k)
		} else if ErrorCode(err) != CodeInvalid || !strings.Contains(err.Error(), "unknown entity kind") {
			t.Errorf("ParseKind(%q) = %v", in, err)
		}
	}
	if Kind("NOPE").Valid() || Kind("NOPE").Label() != "" {
		t.Error("unknown kind is valid or has a label")
	}
}

func TestParseRelType(t *testing.T) {
	seen := map[RelType]bool{}
	for _, ri := range RelTypes {
		if seen[ri.Type] {
			t.Errorf("duplicate relationship type %s", ri.Type)
		}
		seen[ri.Type] = true
		if ri.Description == "" {
			t.Errorf("%s has no description", ri.Type)
		}
		got, err := ParseRelType(strings.ToLower(string(ri.Type)))
		if err != nil || got != ri.Type {
			t.Errorf("ParseRelType(%q) = %q, %v", strings.ToLower(string(ri.Type)), got, err)
		}
	}
	for _, in := range []string{"", "DIRECT", "IS_A", "FUNDED_BY", "directs!"} {
		if got, err := ParseRelType(in); err == nil {
			t.Errorf("ParseRelType(%q) = %q, want error", in, got)
		} else if !strings.Contains(err.Error(), "unknown relationship type") {
			t.Errorf("ParseRelType(%q) error = %v", in, err)
		}
	}
}

func TestErrorHelpers(t *testing.T) {
	if ErrorCode(nil) != "" {
		t.Error("ErrorCode(nil) != \"\"")
	}
	if ErrorCode(errors.New("boom")) != CodeInternal {
		t.Error("plain error is not INTERNAL")
	}
	if ErrorMessage(errors.New("secret driver detail")) != "internal error" {
		t.Error("ErrorMessage leaks a plain error's text")
	}
	wrapped := fmt.Errorf("wrapped: %w", &Error{Code: CodeNotFound, Message: "no entity", Field: "id", Err: errors.New("cause")})
	if ErrorCode(wrapped) != CodeNotFound {
		t.Errorf("ErrorCode(wrapped) = %s", ErrorCode(wrapped))
	}
	if ErrorMessage(wrapped) != "id: no entity" {
		t.Errorf("ErrorMessage(wrapped) = %q", ErrorMessage(wrapped))
	}
	var ke *Error
	if !errors.As(wrapped, &ke) || errors.Unwrap(ke).Error() != "cause" {
		t.Error("Unwrap does not return the cause")
	}
}

func TestEntityValidate(t *testing.T) {
	ok := func() Entity {
		return Entity{ID: "polyu", Kind: KindUniversity, Name: "The Hong Kong Polytechnic University", Aliases: []string{"PolyU", "Polytechnic University"}}
	}
	tests := []struct {
		name      string
		mutate    func(e *Entity)
		wantField string // "" for valid
	}{
		{"valid", func(e *Entity) {}, ""},
		{"no aliases", func(e *Entity) { e.Aliases = nil }, ""},
		{"curly and straight apostrophe aliases both kept", func(e *Entity) { e.Aliases = []string{"Chang’e 4", "Chang'e 4"} }, ""},
		{"bad id", func(e *Entity) { e.ID = "Poly U" }, "id"},
		{"empty id", func(e *Entity) { e.ID = "" }, "id"},
		{"unknown kind", func(e *Entity) { e.Kind = "SCHOOL" }, "kind"},
		{"blank name", func(e *Entity) { e.Name = "   " }, "name"},
		{"name too long", func(e *Entity) { e.Name = strings.Repeat("x", MaxNameLen+1) }, "name"},
		{"description too long", func(e *Entity) { e.Description = strings.Repeat("x", MaxDescriptionLen+1) }, "description"},
		{"too many aliases", func(e *Entity) {
			e.Aliases = nil
			for i := 0; i <= MaxAliases; i++ {
				e.Aliases = append(e.Aliases, fmt.Sprintf("alias %d", i))
			}
		}, "aliases"},
		{"empty alias", func(e *Entity) { e.Aliases = []string{"PolyU", " "} }, "aliases"},
		{"alias too long", func(e *Entity) { e.Aliases = []string{strings.Repeat("y", MaxNameLen+1)} }, "aliases"},
		{"alias repeats name", func(e *Entity) { e.Aliases = []string{e.Name} }, "aliases"},
		{"alias repeated", func(e *Entity) { e.Aliases = []string{"PolyU", "PolyU"} }, "aliases"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := ok()
			tt.mutate(&e)
			checkField(t, e.Validate(), tt.wantField)
		})
	}
}

func checkField(t *testing.T, err error, wantField string) {
	t.Helper()
	if wantField == "" {
		if err != nil {
			t.Fatalf("Validate() = %v, want nil", err)
		}
		return
	}
	var ke *Error
	if !errors.As(err, &ke) {
		t.Fatalf("Validate() = %v, want *kg.Error on %s", err, wantField)
	}
	if ke.Code != CodeInvalid || ke.Field != wantField {
		t.Errorf("Validate() = code %s field %q (%v), want %s on %q", ke.Code, ke.Field, err, CodeInvalid, wantField)
	}
}

func TestRelationshipValidate(t *testing.T) {
	d := func(s string) *Date { x := MustParseDate(s); return &x }
	ok := func() Relationship {
		return Relationship{Type: "DIRECTS", From: "wong-kwok-yin", To: "pskl-chirosciences",
			Evidence: []Evidence{{SourceID: "s002", Quote: "Partner State Key Laboratory of Chirosciences (Director: Professor Wong Kwok Yin)"}}}
	}
	tests := []struct {
		name      string
		mutate    func(r *Relationship)
		wantField string
	}{
		{"valid", func(r *Relationship) {}, ""},
		{"valid period", func(r *Relationship) { r.Since, r.Until = d("2018"), d("2019") }, ""},
		{"same year period", func(r *Relationship) { r.Since, r.Until = d("2019-05"), d("2019") }, ""},
		{"unknown type", func(r *Relationship) { r.Type = "LIKES" }, "type"},
		{"bad from", func(r *Relationship) { r.From = "Wong" }, "from"},
		{"bad to", func(r *Relationship) { r.To = "" }, "to"},
		{"self loop", func(r *Relationship) { r.To = r.From }, "to"},
		{"until before since", func(r *Relationship) { r.Since, r.Until = d("2019"), d("2018-12") }, "until"},
		{"no evidence", func(r *Relationship) { r.Evidence = nil }, "evidence"},
		{"blank quote", func(r *Relationship) { r.Evidence[0].Quote = "  " }, "evidence.quote"},
		{"quote too long", func(r *Relationship) { r.Evidence[0].Quote = strings.Repeat("q", MaxQuoteLen+1) }, "evidence.quote"},
		{"bad evidence source", func(r *Relationship) { r.Evidence[0].SourceID = "S 002" }, "evidence.source"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := ok()
			tt.mutate(&r)
			checkField(t, r.Validate(), tt.wantField)
		})
	}
}

func TestRelationshipID(t *testing.T) {
	if got := RelationshipID("kwok-fai-chung", "DIRECTS", "cnerc-steel-hk", ""); got != "kwok-fai-chung~directs~cnerc-steel-hk" {
		t.Errorf("RelationshipID = %q", got)
	}
	if got := RelationshipID("a", "FUNDS", "b", "grant-1"); got != "a~funds~b~grant-1" {
		t.Errorf("RelationshipID with key = %q", got)
	}
}

func TestFundingValidate(t *testing.T) {
	ok := func() Funding {
		return Funding{ID: "central-gov-hk-rd-2020-2021", Funder: "central-government", Recipients: []string{"hk-universities", "hk-research-institutes"},
			Amount:   &Money{Value: "440000000", Currency: "CNY"},
			Evidence: []Evidence{{SourceID: "s001", Quote: "more than 440 million RMB was authorized"}}}
	}
	tests := []struct {
		name      string
		mutate    func(f *Funding)
		wantField string
		wantMsg   string
	}{
		{"valid", func(f *Funding) {}, "", ""},
		{"no amount", func(f *Funding) { f.Amount = nil }, "", ""},
		{"with administrator and programme", func(f *Funding) { f.AdministeredBy, f.Programme = "ugc", "innohk" }, "", ""},
		{"bad id", func(f *Funding) { f.ID = "Grant 1" }, "id", ""},
		{"bad funder", func(f *Funding) { f.Funder = "" }, "funder", ""},
		{"no recipient named by the source", func(f *Funding) { f.Recipients = nil }, "", ""},
		{"bad recipient", func(f *Funding) { f.Recipients = []string{"ok", "Not OK"} }, "recipients", ""},
		{"bad administrator", func(f *Funding) { f.AdministeredBy = "UGC" }, "administeredBy", ""},
		{"bad programme", func(f *Funding) { f.Programme = "Inno HK" }, "programme", ""},
		{"malformed amount", func(f *Funding) { f.Amount.Value = "440 million" }, "", "malformed amount"},
		{"unknown currency", func(f *Funding) { f.Amount.Currency = "XXX" }, "", "unknown currency"},
		{"no evidence", func(f *Funding) { f.Evidence = nil }, "evidence", ""},
		{"blank quote", func(f *Funding) { f.Evidence[0].Quote = "" }, "evidence.quote", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := ok()
			tt.mutate(&f)
			err := f.Validate()
			if tt.wantMsg != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantMsg) || ErrorCode(err) != CodeInvalid {
					t.Fatalf("Validate() = %v, want BAD_USER_INPUT mentioning %q", err, tt.wantMsg)
				}
				return
			}
			checkField(t, err, tt.wantField)
		})
	}
}

func TestCollapseSpace(t *testing.T) {
	if got := CollapseSpace("  a \n\t b  c "); got != "a b c" {
		t.Errorf("CollapseSpace = %q", got)
	}
}

func TestCheckText(t *testing.T) {
	for _, tc := range []struct {
		name, s string
		want    string // a part of the message; "" for valid
	}{
		{"plain", "The Hong Kong Polytechnic University", ""},
		{"tab and line breaks", "line one\n\tline two\r\n", ""},
		{"Chinese and curly quotes", "香港理工大學 “PolyU”", ""},
		{"right-to-left script", "جامعة هونغ كونغ", ""},
		{"zero-width joiner and LRM", "a\u200db\u200e", ""},
		{"NUL", "Poly\x00U", "control character U+0000 at byte 4"},
		{"escape", "\x1b[31mred", "control character U+001B at byte 0"},
		{"DEL", "a\x7fb", "control character U+007F"},
		{"C1 next line", "a\u0085b", "control character U+0085"},
		{"C1 CSI", "a\u009bb", "control character U+009B"},
		{"LRE", "a\u202ab", "bidirectional formatting character U+202A"},
		{"RLO", "PolyU\u202eytisrevinU", "bidirectional formatting character U+202E at byte 5"},
		{"LRI", "a\u2066b", "U+2066"},
		{"PDI", "a\u2069b", "U+2069"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckText("name", tc.s)
			if tc.want == "" {
				if err != nil {
					t.Fatalf("CheckText(%q) = %v, want nil", tc.s, err)
				}
				return
			}
			checkField(t, err, "name")
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("CheckText(%q) = %v, want it to mention %q", tc.s, err, tc.want)
			}
		})
	}
}

// Entity.Validate, which the seed parser and the mutations share, checks the
// characters of the name, every alias and the description.
func TestEntityValidateText(t *testing.T) {
	for _, tc := range []struct {
		name      string
		mutate    func(e *Entity)
		wantField string
	}{
		{"NUL in name", func(e *Entity) { e.Name = "Poly\x00U" }, "name"},
		{"override in name", func(e *Entity) { e.Name = "PolyU\u202e" }, "name"},
		{"isolate in an alias", func(e *Entity) { e.Aliases = []string{"PolyU", "Poly\u2067U"} }, "aliases"},
		{"C1 in description", func(e *Entity) { e.Description = "A university\u0080." }, "description"},
		{"line breaks in description", func(e *Entity) { e.Description = "A university.\nIn Hung Hom." }, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := Entity{ID: "polyu", Kind: KindUniversity, Name: "The Hong Kong Polytechnic University"}
			tc.mutate(&e)
			checkField(t, e.Validate(), tc.wantField)
		})
	}
}

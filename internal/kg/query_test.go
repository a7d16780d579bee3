package kg

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestPlanKeys(t *testing.T) {
	day := time.Date(2020, 1, 2, 0, 0, 0, 0, time.UTC)
	labs := RelFilter{Types: []RelType{"HOSTS"}, Direction: Outgoing, Kinds: []Kind{KindLab}}
	base := []Expand{{Filter: labs, First: 10, Next: []Expand{{Filter: RelFilter{Direction: Incoming}, First: 2}}}}
	variants := map[string][]Expand{
		"another page size":   {{Filter: labs, First: 11, Next: base[0].Next}},
		"another direction":   {{Filter: RelFilter{Types: labs.Types, Direction: Incoming, Kinds: labs.Kinds}, First: 10, Next: base[0].Next}},
		"another type":        {{Filter: RelFilter{Types: []RelType{"PART_OF"}, Direction: Outgoing, Kinds: labs.Kinds}, First: 10, Next: base[0].Next}},
		"no kinds":            {{Filter: RelFilter{Types: labs.Types, Direction: Outgoing}, First: 10, Next: base[0].Next}},
		"only on persons":     {{Filter: labs, First: 10, On: []Kind{KindPerson}, Next: base[0].Next}},
		"no next":             {{Filter: labs, First: 10}},
		"next as a sibling":   {{Filter: labs, First: 10}, base[0].Next[0]},
		"a deeper next":       {{Filter: labs, First: 10, Next: []Expand{{Filter: RelFilter{Direction: Incoming}, First: 2, Next: []Expand{{Filter: labs, First: 1}}}}}},
		"an asOf in the next": {{Filter: labs, First: 10, Next: []Expand{{Filter: RelFilter{Direction: Incoming, AsOf: &day}, First: 2}}}},
	}
	seen := map[string]string{PlanKey(base): "base"}
	for name, plan := range variants {
		k := PlanKey(plan)
		if other, ok := seen[k]; ok {
			t.Errorf("%s and %s share the key %q", name, other, k)
		}
		seen[k] = name
	}
	same := []Expand{{Filter: RelFilter{Types: []RelType{"HOSTS"}, Direction: Outgoing, Kinds: []Kind{KindLab}}, First: 10,
		Next: []Expand{{Filter: RelFilter{Direction: Incoming}, First: 2}}}}
	if PlanKey(same) != PlanKey(base) {
		t.Errorf("equal plans, keys %q and %q", PlanKey(same), PlanKey(base))
	}
}

func TestPageSize(t *testing.T) {
	n := func(v int) *int { return &v }
	for _, tc := range []struct {
		first *int
		want  int
		bad   bool
	}{
		{nil, 20, false},
		{n(1), 1, false},
		{n(100), 100, false},
		{n(0), 0, true},
		{n(-3), 0, true},
		{n(101), 0, true},
	} {
		got, err := PageSize(tc.first, 20, 100)
		if tc.bad {
			if ErrorCode(err) != CodeInvalid || !strings.Contains(err.Error(), "between 1 and 100") {
				t.Errorf("PageSize(%d) = %v, want BAD_USER_INPUT naming the bounds", *tc.first, err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("PageSize = %d, %v; want %d", got, err, tc.want)
		}
	}
}

func TestFilterValidate(t *testing.T) {
	day := func(s string) *time.Time { d, _ := time.Parse(time.DateOnly, s); return &d }
	many := make([]string, MaxFilterIDs+1)
	for _, tc := range []struct {
		name  string
		check func() error
		field string // "" when valid
	}{
		{"entity filter, plain", EntityFilter{IDs: []string{"polyu"}, NameContains: "poly"}.Validate, ""},
		{"entity filter, too many ids", EntityFilter{IDs: many}.Validate, "filter.ids"},
		{"entity filter, long text", EntityFilter{NameContains: strings.Repeat("x", MaxSearchText+1)}.Validate, "filter.nameContains"},
		{"funding filter, plain", FundingFilter{Funder: "itc", From: day("2020-01-01"), To: day("2020-12-31")}.Validate, ""},
		{"funding filter, same day", FundingFilter{From: day("2020-01-01"), To: day("2020-01-01")}.Validate, ""},
		{"funding filter, to before from", FundingFilter{From: day("2021-01-01"), To: day("2020-12-31")}.Validate, "to"},
		{"funding filter, bad funder id", FundingFilter{Funder: "Not An Id"}.Validate, "funder"},
		{"funding filter, bad programme id", FundingFilter{Programme: "x y"}.Validate, "programme"},
	} {
		err := tc.check()
		if tc.field == "" {
			if err != nil {
				t.Errorf("%s: %v", tc.name, err)
			}
			continue
		}
		var e *Error
		if !errors.As(err, &e) || e.Code != CodeInvalid || e.Field != tc.field {
			t.Errorf("%s: %v, want BAD_USER_INPUT on %s", tc.name, err, tc.field)
		}
	}
}

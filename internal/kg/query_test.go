package kg

import (
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

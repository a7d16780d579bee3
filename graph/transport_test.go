package graph

import (
	"strings"
	"testing"
)

func TestIsMutation(t *testing.T) {
	for _, tc := range []struct {
		name, query, op string
		want            bool
	}{
		{"over the token limit", `mutation { ` + strings.Repeat("a: __typename ", 50) + `}`, "", false},
		{"anonymous query", `{ entity(id: "polyu") { id } }`, "", false},
		{"anonymous mutation", `mutation { deleteEntity(id: "x", expectedVersion: 1) }`, "", true},
		{"named mutation", `mutation drop { deleteEntity(id: "x", expectedVersion: 1) }`, "drop", true},
		{"query beside a mutation, query chosen", `query a { __typename } mutation b { __typename }`, "a", false},
		{"query beside a mutation, mutation chosen", `query a { __typename } mutation b { __typename }`, "b", true},
		{"two operations, none chosen", `query a { __typename } mutation b { __typename }`, "", false},
		{"the word in a string", `{ search(query: "mutation") { score } }`, "", false},
		{"does not parse", `mutation {`, "", false},
		{"unknown operation name", `mutation b { __typename }`, "c", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := isMutation(tc.query, tc.op, 100); got != tc.want {
				t.Errorf("isMutation(%q, %q) = %v, want %v", tc.query, tc.op, got, tc.want)
			}
		})
	}
}

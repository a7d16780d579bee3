package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/innograph/innograph/internal/kg"
)

func TestCursorRoundTrip(t *testing.T) {
	tests := [][]string{{"polyu"}, {"The Hong Kong Polytechnic University", "polyu"}, {"Chang’e 4 \"quoted\" \\ ~", "x"}, {""}}
	for _, vals := range tests {
		c := kg.EncodeCursor(vals...)
		if strings.ContainsAny(c, "+/= ") {
			t.Errorf("cursor %q is not URL-safe", c)
		}
		got, err := kg.DecodeCursor(c, len(vals))
		if err != nil || !reflect.DeepEqual(got, vals) {
			t.Errorf("kg.DecodeCursor(EncodeCursor(%q)) = %q, %v", vals, got, err)
		}
		if _, err := kg.DecodeCursor(c, len(vals)+1); kg.ErrorCode(err) != kg.CodeInvalid {
			t.Errorf("cursor with %d values accepted for %d: %v", len(vals), len(vals)+1, err)
		}
	}
	for _, bad := range []string{"", "!!", "e30", "WyJhIiwxXQ", strings.Repeat("A", 3000)} { // "", {}, ["a",1]
		_, err := kg.DecodeCursor(bad, 1)
		var ke *kg.Error
		if !errors.As(err, &ke) || ke.Code != kg.CodeInvalid || ke.Field != "after" {
			t.Errorf("kg.DecodeCursor(%q) = %v, want BAD_USER_INPUT on after", bad, err)
		}
	}
}

func TestSearchTokens(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"PolyU", []string{"polyu"}},
		{`"polyu) AND (`, []string{"polyu", "and"}},
		{"Chang’e 4", []string{"change", "4"}},
		{"Chang'e", []string{"change"}},
		{"Zürich Café", []string{"zurich", "cafe"}},
		{`a*b~c\d[e]f:g^h`, []string{"a", "b", "c", "d", "e", "f", "g", "h"}},
		{"*~\\[", nil},
	}
	for _, tt := range tests {
		if got := searchTokens(tt.in); !reflect.DeepEqual(got, tt.want) && !(len(got) == 0 && len(tt.want) == 0) {
			t.Errorf("searchTokens(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	// The Lucene queries hold only tokens and the syntax they add themselves.
	strict, loose := LuceneQueries(`polyu) OR name:"x" AND \ [`)
	for _, q := range []string{strict, loose} {
		for _, c := range []string{`"`, `\`, "[", "name:x"} {
			if strings.Contains(q, c) {
				t.Errorf("user syntax %q reached the Lucene query %q", c, q)
			}
		}
	}
}

func TestOpenUnavailable(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err := Open(ctx, Config{URI: "bolt://127.0.0.1:1"})
	var ke *kg.Error
	if !errors.As(err, &ke) || ke.Code != kg.CodeUnavailable {
		t.Fatalf("Open(closed port) = %v, want UNAVAILABLE", err)
	}
	for _, leak := range []string{"bolt", "refused", "127.0.0.1"} {
		if strings.Contains(ke.Message, leak) {
			t.Errorf("user message %q leaks %q", ke.Message, leak)
		}
	}
	if ke.Err == nil {
		t.Error("the cause is not kept for the logs")
	}
	_, err = Open(ctx, Config{URI: "nonsense://x"})
	if kg.ErrorCode(err) != kg.CodeInvalid {
		t.Errorf("Open(bad scheme) = %v, want BAD_USER_INPUT", err)
	}
}

func TestRelTypes(t *testing.T) {
	tests := []struct {
		name    string
		types   []kg.RelType
		pattern string
		none    bool
	}{
		{"no filter", nil, "", false},
		{"one type", []kg.RelType{"HOSTS"}, ":HOSTS", false},
		{"duplicates once", []kg.RelType{"HOSTS", "PART_OF", "HOSTS"}, ":HOSTS|PART_OF", false},
		{"unknown types are never spelled into Cypher", []kg.RelType{"HOSTS]-() DETACH DELETE n //"}, "", true},
		{"unknown among known", []kg.RelType{"nope", "FUNDS"}, ":FUNDS", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, none := relTypes(tt.types)
			if p != tt.pattern || none != tt.none {
				t.Errorf("relTypes(%q) = %q, %v; want %q, %v", tt.types, p, none, tt.pattern, tt.none)
			}
		})
	}
}

func TestDefinitelyUnreachable(t *testing.T) {
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connect: connection refused")}
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"no error", nil, false},
		{"connection refused", &neo4j.ConnectivityError{Inner: refused}, true},
		{"refused, unwrapped", refused, true},
		{"dial timeout under load", &neo4j.ConnectivityError{Inner: &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("i/o timeout")}}, false},
		{"probe out of time", fmt.Errorf("probe: %w", context.DeadlineExceeded), false},
		{"connectivity error wrapping a deadline", &neo4j.ConnectivityError{Inner: context.DeadlineExceeded}, false},
		{"other error", errors.New("Neo.ClientError.Statement.SyntaxError"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := definitelyUnreachable(tt.err); got != tt.want {
				t.Errorf("definitelyUnreachable(%v) = %v, want %v", tt.err, got, tt.want)
			}
		})
	}
}

func TestStrictQueryRequiresWords(t *testing.T) {
	tests := []struct {
		text     string
		required []string // words the strict query requires
		optional []string // words it does not
	}{
		{"Alfred Sit", []string{"alfred", "sit"}, nil},
		{"The University of Hong Kong", []string{"university", "hong", "kong"}, []string{"the", "of"}},
		{"name:polyu", []string{"polyu"}, []string{"name"}},
		{"polyu OR hkust", []string{"polyu", "hkust"}, []string{"or"}},
	}
	for _, tt := range tests {
		q, _ := LuceneQueries(tt.text)
		for _, w := range tt.required {
			if !strings.Contains(q, "+(searchNames:("+w+"^4") {
				t.Errorf("strictQuery(%q) = %s, does not require %q", tt.text, q, w)
			}
		}
		for _, w := range tt.optional {
			if strings.Contains(q, "+(searchNames:("+w+"^4") || !strings.Contains(q, "(searchNames:("+w+"^4") {
				t.Errorf("strictQuery(%q) = %s, want %q optional", tt.text, q, w)
			}
		}
	}
}

func TestPathsStatementsKeptByShape(t *testing.T) {
	day := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	qs := []kg.PathQuery{
		{From: "a", To: "b", MaxHops: 4, K: 3},
		{From: "c", To: "d", MaxHops: 4, K: 3}, // same shape, other ends
		{From: "a", To: "b", MaxHops: 3, K: 3},
		{From: "a", To: "b", MaxHops: 4, K: 5},
		{From: "a", To: "b", MaxHops: 4, K: 3, Directed: true},
		{From: "a", To: "b", MaxHops: 4, K: 3, AsOf: &day},
		{From: "a", To: "b", MaxHops: 4, K: 3, Types: []kg.RelType{"HOSTS"}},
		{From: "a", To: "b", MaxHops: 4, K: 3, Types: []kg.RelType{"HOSTS", "FUNDS"}},
	}
	var c pathsStatements
	for round := 0; round < 2; round++ {
		for _, q := range qs {
			if got, want := c.statement(q), pathsStatement(q); got != want {
				t.Errorf("round %d: kept statement for %+v differs from a fresh one", round, q)
			}
		}
	}
	if len(c.m) != len(qs)-1 {
		t.Errorf("kept %d statements, want %d (one per shape)", len(c.m), len(qs)-1)
	}
	// Past the bound, statements are still right, just not kept.
	for k := 1; k <= maxPathsStatements+10; k++ {
		q := kg.PathQuery{From: "a", To: "b", MaxHops: 2, K: k}
		if c.statement(q) != pathsStatement(q) {
			t.Fatalf("statement for k=%d differs from a fresh one", k)
		}
	}
	if len(c.m) > maxPathsStatements {
		t.Errorf("kept %d statements, bound %d", len(c.m), maxPathsStatements)
	}
}

func TestSearchSlotsTakeTurns(t *testing.T) {
	s := &Store{log: slog.New(slog.NewTextHandler(io.Discard, nil)), searchSlots: make(chan struct{}, 2)}
	ctx := context.Background()
	r1, err1 := s.searchSlot(ctx)
	r2, err2 := s.searchSlot(ctx)
	if err1 != nil || err2 != nil {
		t.Fatalf("free slots: %v, %v", err1, err2)
	}
	// A third search waits; its request's deadline ends the wait.
	tctx, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	if _, err := s.searchSlot(tctx); kg.ErrorCode(err) != kg.CodeTimeout {
		t.Fatalf("waiting past the deadline = %v, want TIMEOUT", err)
	}
	// Waiters are served in the order they came.
	order := make(chan int, 3)
	for i := range 3 {
		go func() {
			release, err := s.searchSlot(ctx)
			if err != nil {
				t.Error(err)
				return
			}
			order <- i
			release()
		}()
		time.Sleep(20 * time.Millisecond) // let it queue before the next
	}
	r1()
	for want := range 3 {
		select {
		case got := <-order:
			if got != want {
				t.Fatalf("waiter %d served in turn %d", got, want)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("a waiter was never served")
		}
	}
	r2()
	if len(s.searchSlots) != 0 {
		t.Errorf("%d slots still held", len(s.searchSlots))
	}
	// No bound: no waiting.
	free := &Store{}
	release, err := free.searchSlot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	release()
}

// TestTranslate maps driver errors to the codes users see, and never passes
// the driver's text through.
func TestTranslate(t *testing.T) {
	s := &Store{log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	neoErr := func(code string) error { return &neo4j.Neo4jError{Code: code, Msg: "driver detail"} }
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"connection refused", &neo4j.ConnectivityError{Inner: errors.New("dial tcp: connection refused")}, kg.CodeUnavailable},
		{"transient", neoErr("Neo.TransientError.General.DatabaseUnavailable"), kg.CodeUnavailable},
		{"transaction timed out", neoErr("Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration"), kg.CodeTimeout},
		{"stopped past the transaction timeout", neoErr("Neo.ClientError.Transaction.LockClientStopped"), kg.CodeTimeout},
		{"deadline", fmt.Errorf("run: %w", context.DeadlineExceeded), kg.CodeTimeout},
		{"duplicate id", neoErr("Neo.ClientError.Schema.ConstraintValidationFailed"), kg.CodeConflict},
		{"foreign bookmark", neoErr("Neo.ClientError.Transaction.InvalidBookmark"), kg.CodeInvalid},
		{"syntax", neoErr("Neo.ClientError.Statement.SyntaxError"), kg.CodeInternal},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := s.translate(context.Background(), "q", tc.err)
			var ke *kg.Error
			if !errors.As(err, &ke) || ke.Code != tc.want {
				t.Fatalf("translate(%v) = %v, want code %s", tc.err, err, tc.want)
			}
			if strings.Contains(ke.Message, "driver detail") {
				t.Errorf("message %q leaks the driver's text", ke.Message)
			}
		})
	}
}

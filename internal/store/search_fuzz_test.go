package store

import (
	"strings"
	"testing"
	"unicode"

	"github.com/innograph/innograph/internal/kg"
)

// FuzzLuceneQuery: whatever a user types, the query handed to Lucene holds
// only letters, digits and the operators innograph writes itself.
func FuzzLuceneQuery(f *testing.F) {
	for _, s := range []string{"polyu", `"polyu) AND (`, `\`, "*", "~", "[a TO z]", "OR NOT AND", "Chang’e 4", "zürich", "王晓夏", "a:b", "^2", "'; MATCH (n) DETACH DELETE n //"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tokens := searchTokens(s)
		for _, tok := range tokens {
			for _, r := range tok {
				if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
					t.Fatalf("token %q of %q holds %q", tok, s, r)
				}
			}
			if tok == "AND" || tok == "OR" || tok == "NOT" || tok == "TO" {
				t.Fatalf("operator %q survived as a token", tok)
			}
		}
		if len(tokens) == 0 {
			return
		}
		strict, loose := LuceneQueries(s)
		for _, q := range []string{strict, loose} {
			for _, field := range []string{"searchNames:(", "description:("} {
				if !strings.Contains(q, field) {
					t.Fatalf("query lacks %s: %s", field, q)
				}
			}
			if strings.Count(q, "(") != strings.Count(q, ")") {
				t.Fatalf("unbalanced query: %s", q)
			}
		}
	})
}

// FuzzDecodeCursor: malformed cursors give BAD_USER_INPUT, never a panic.
func FuzzDecodeCursor(f *testing.F) {
	f.Add(kg.EncodeCursor("a", "b"))
	f.Add("")
	f.Add("!!!")
	f.Add("WyJhIl0")
	f.Fuzz(func(t *testing.T, c string) {
		for n := 1; n <= 2; n++ {
			vals, err := kg.DecodeCursor(c, n)
			if err != nil {
				if kg.ErrorCode(err) != kg.CodeInvalid {
					t.Fatalf("code %s", kg.ErrorCode(err))
				}
				continue
			}
			if len(vals) != n {
				t.Fatalf("got %d values, want %d", len(vals), n)
			}
			if again := kg.EncodeCursor(vals...); again != c {
				// Different encodings of the same values are fine; they must decode the same.
				v2, err := kg.DecodeCursor(again, n)
				if err != nil || strings.Join(v2, "\x00") != strings.Join(vals, "\x00") {
					t.Fatalf("round trip of %q failed", c)
				}
			}
		}
	})
}

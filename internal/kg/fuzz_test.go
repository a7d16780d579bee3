package kg

import (
	"strings"
	"testing"
)

// FuzzParseDate: any text either parses into a date that prints back to
// itself (surrounding white space aside), or fails with BAD_USER_INPUT.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2019", "2019-05", "2019-05-21", "2019-02-30", "", "-1", "2019-5", "9999-12-31", "0000", "2019-05-21T00:00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil {
			if ErrorCode(err) != CodeInvalid {
				t.Fatalf("code %s for %q", ErrorCode(err), s)
			}
			return
		}
		if d.String() != strings.TrimSpace(s) {
			t.Fatalf("ParseDate(%q).String() = %q", s, d.String())
		}
		if d.End().Before(d.Start()) {
			t.Fatalf("%q ends before it starts", s)
		}
	})
}

// FuzzCheckID: valid ids are exactly the lowercase slugs.
func FuzzCheckID(f *testing.F) {
	for _, s := range []string{"polyu", "a-b-1", "", "A", "a--b", "-a", "a-", "Bad ID!", "x'}) DETACH DELETE n //"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		err := CheckID("id", s)
		if (err == nil) != ValidID(s) {
			t.Fatalf("CheckID and ValidID disagree on %q", s)
		}
		if err == nil {
			for _, r := range s {
				if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
					t.Fatalf("id %q accepted with %q", s, r)
				}
			}
		}
	})
}

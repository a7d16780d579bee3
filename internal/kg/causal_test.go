package kg

import (
	"encoding/base64"
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestBookmarkRoundTrip(t *testing.T) {
	for _, b := range []Bookmark{
		{Version: 1, Raw: []string{"FB:kcwQj9MOnKLqToiM4zO9Gp9wUskAyJA="}},
		{Version: 1 << 40, Raw: []string{"FB:a", "FB:b"}},
		{Version: 7, Raw: []string{}},
	} {
		s := b.String()
		if strings.ContainsAny(s, "+/= ,") {
			t.Errorf("bookmark %q is not a plain header token", s)
		}
		got, err := ParseBookmark("h", s)
		if err != nil || got.Version != b.Version || len(got.Raw) != len(b.Raw) || len(b.Raw) > 0 && !reflect.DeepEqual(got.Raw, b.Raw) {
			t.Errorf("ParseBookmark(%q) = %+v, %v; want %+v", s, got, err, b)
		}
	}
}

func TestParseBookmarkRefuses(t *testing.T) {
	enc := func(j string) string { return base64.RawURLEncoding.EncodeToString([]byte(j)) }
	for _, tc := range []struct{ name, s string }{
		{"empty", ""},
		{"not base64", "a b"},
		{"padded base64", base64.URLEncoding.EncodeToString([]byte(`{"v":1,"b":["x"]}`))},
		{"not JSON", enc("hello")},
		{"a JSON array", enc(`[1]`)},
		{"version 0", enc(`{"v":0,"b":["x"]}`)},
		{"negative version", enc(`{"v":-3,"b":["x"]}`)},
		{"version not a number", enc(`{"v":"1","b":["x"]}`)},
		{"unknown member", enc(`{"v":1,"b":["x"],"admin":true}`)},
		{"trailing data", enc(`{"v":1,"b":["x"]}{}`)},
		{"empty driver bookmark", enc(`{"v":1,"b":[""]}`)},
		{"space in a driver bookmark", enc(`{"v":1,"b":["FB: x"]}`)},
		{"control character", enc("{\"v\":1,\"b\":[\"FB:\\u0000\"]}")},
		{"too many driver bookmarks", enc(`{"v":1,"b":[` + strings.Repeat(`"x",`, maxRawBookmarks) + `"x"]}`)},
		{"driver bookmark too long", enc(`{"v":1,"b":["` + strings.Repeat("x", maxRawBookmark+1) + `"]}`)},
		{"too long", strings.Repeat("A", MaxBookmarkBytes+1)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseBookmark("Innograph-Bookmark", tc.s)
			var ke *Error
			if !errors.As(err, &ke) || ke.Code != CodeInvalid || ke.Field != "Innograph-Bookmark" || !strings.Contains(ke.Message, "bookmark") {
				t.Fatalf("ParseBookmark(%.40q) = %v, want BAD_USER_INPUT on the header", tc.s, err)
			}
		})
	}
}

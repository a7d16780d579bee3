package store

import (
	"context"
	"encoding/base64"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/innograph/innograph/internal/kg"
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
			var ke *kg.Error
			if !errors.As(err, &ke) || ke.Code != kg.CodeInvalid || ke.Field != "Innograph-Bookmark" || !strings.Contains(ke.Message, "bookmark") {
				t.Fatalf("ParseBookmark(%.40q) = %v, want BAD_USER_INPUT on the header", tc.s, err)
			}
		})
	}
}

// TestBehind: a request is behind while its bookmark's graph version is newer
// than the persisted version last read, or when none could be read.
func TestBehind(t *testing.T) {
	s := &Store{readVersion: make(chan struct{}, 1)}
	bm := func(v int64) context.Context {
		return WithCausal(context.Background(), NewCausal(Bookmark{Version: v}))
	}
	for _, tc := range []struct {
		name   string
		remote int64
		ctx    context.Context
		want   bool
	}{
		{"no causal context", 5, context.Background(), false},
		{"no bookmark", 5, WithCausal(context.Background(), NewCausal(Bookmark{})), false},
		{"bookmark seen", 5, bm(5), false},
		{"bookmark older", 5, bm(3), false},
		{"bookmark newer", 5, bm(6), true},
		{"version unknown", versionUnknown, bm(1), true},
	} {
		s.remoteVersion.Store(tc.remote)
		if got := s.Behind(tc.ctx); got != tc.want {
			t.Errorf("%s: Behind = %v, want %v", tc.name, got, tc.want)
		}
		select {
		case <-s.readVersion:
			if !tc.want {
				t.Errorf("%s: asked for a version read though not behind", tc.name)
			}
		default:
			if tc.want {
				t.Errorf("%s: behind, but did not ask for a version read", tc.name)
			}
		}
	}
}

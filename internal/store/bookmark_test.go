package store

import (
	"context"
	"testing"

	"github.com/innograph/innograph/internal/kg"
)

// TestBehind: a request is behind while its bookmark's graph version is newer
// than the persisted version last read, or when none could be read.
func TestBehind(t *testing.T) {
	s := &Store{readVersion: make(chan struct{}, 1)}
	bm := func(v int64) context.Context {
		return kg.WithCausal(context.Background(), kg.NewCausal(kg.Bookmark{Version: v}))
	}
	for _, tc := range []struct {
		name   string
		remote int64
		ctx    context.Context
		want   bool
	}{
		{"no causal context", 5, context.Background(), false},
		{"no bookmark", 5, kg.WithCausal(context.Background(), kg.NewCausal(kg.Bookmark{})), false},
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

package graph

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// heldAnswer is a resolver stand-in for the cache: it counts its calls and
// holds each until released.
type heldAnswer struct {
	calls   atomic.Int64
	release chan struct{}
	errs    bool
}

func (h *heldAnswer) next(ctx context.Context) *graphql.Response {
	h.calls.Add(1)
	<-h.release
	if h.errs {
		return &graphql.Response{Errors: gqlerror.List{{Message: "timed out"}}}
	}
	return &graphql.Response{Data: json.RawMessage(`{"search":[]}`)}
}

func queryCtx(ctx context.Context, q string) context.Context {
	return graphql.WithOperationContext(ctx, &graphql.OperationContext{
		RawQuery:  q,
		Operation: &ast.OperationDefinition{Operation: ast.Query},
		Variables: map[string]any{"q": "wei"},
	})
}

// followers reports how many callers wait on the flight of q's key.
func (c *ResultCache) followersOf(q string) int {
	key, _ := cacheKey(graphql.GetOperationContext(queryCtx(context.Background(), q)))
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, f := range c.flights {
		if k.key == key {
			return f.followers
		}
	}
	return -1
}

func waitFollowers(t *testing.T, c *ResultCache, q string, n int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for c.followersOf(q) != n {
		if time.Now().After(deadline) {
			t.Fatalf("%d followers, want %d", c.followersOf(q), n)
		}
		time.Sleep(time.Millisecond)
	}
}

func TestResultCacheSharesAnswersInFlight(t *testing.T) {
	const q = `query($q: String!) { search(query: $q) { score } }`
	tests := []struct {
		name string
		// MaxBytes 1 keeps nothing in the cache, so only sharing in
		// flight can spare a call.
		maxBytes  int64
		errs      bool
		cancelOne bool
		wantCalls int64
	}{
		{"one call for all, nothing cached", 1, false, false, 1},
		{"one call for all, cached", 1 << 20, false, false, 1},
		{"an answer with errors is not shared", 1 << 20, true, false, 6},
		{"a follower whose time is up answers alone", 1, false, true, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &ResultCache{Version: func() (int64, bool) { return 7, true }, MaxBytes: tt.maxBytes, MaxEntryBytes: 1 << 10}
			h := &heldAnswer{release: make(chan struct{}), errs: tt.errs}
			var wg sync.WaitGroup
			resps := make([]*graphql.Response, 6)
			ask := func(ctx context.Context, i int) {
				defer wg.Done()
				resps[i] = c.InterceptResponse(queryCtx(ctx, q), h.next)
			}
			wg.Add(1)
			go ask(context.Background(), 0)
			for h.calls.Load() == 0 {
				time.Sleep(time.Millisecond)
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			for i := 1; i < 6; i++ {
				wg.Add(1)
				if i == 5 && tt.cancelOne {
					go ask(ctx, i)
				} else {
					go ask(context.Background(), i)
				}
			}
			waitFollowers(t, c, q, 5)
			if tt.cancelOne {
				cancel()
				for h.calls.Load() < 2 {
					time.Sleep(time.Millisecond)
				}
			}
			close(h.release)
			wg.Wait()
			if got := h.calls.Load(); got != tt.wantCalls {
				t.Errorf("%d calls for 6 identical queries, want %d", got, tt.wantCalls)
			}
			for i, r := range resps {
				if tt.errs {
					if len(r.Errors) == 0 {
						t.Errorf("answer %d lost its error", i)
					}
					continue
				}
				if string(r.Data) != `{"search":[]}` || len(r.Errors) > 0 {
					t.Errorf("answer %d = %s %v", i, r.Data, r.Errors)
				}
			}
			if c.followersOf(q) != -1 {
				t.Error("the flight outlived its answer")
			}
		})
	}
}

func TestResultCacheFlightsKeepVersionsApart(t *testing.T) {
	const q = `query($q: String!) { search(query: $q) { score } }`
	var version atomic.Int64
	version.Store(1)
	c := &ResultCache{Version: func() (int64, bool) { return version.Load(), true }, MaxBytes: 1, MaxEntryBytes: 1 << 10}
	h := &heldAnswer{release: make(chan struct{})}
	done := make(chan *graphql.Response, 2)
	go func() { done <- c.InterceptResponse(queryCtx(context.Background(), q), h.next) }()
	for h.calls.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	// The graph changed: the same query must not take the answer begun
	// before the write.
	version.Store(2)
	go func() { done <- c.InterceptResponse(queryCtx(context.Background(), q), h.next) }()
	deadline := time.Now().Add(5 * time.Second)
	for h.calls.Load() < 2 {
		if time.Now().After(deadline) {
			t.Fatal(errors.New("the query at the new version joined the old flight"))
		}
		time.Sleep(time.Millisecond)
	}
	close(h.release)
	<-done
	<-done
}

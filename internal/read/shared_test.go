package read

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"
)

// gatedFetch records the keys of every fetch and holds each one until the
// test lets it go.
type gatedFetch struct {
	mu      sync.Mutex
	calls   [][]string
	ctxs    []context.Context
	started chan struct{}
	release chan struct{}
	err     error
}

func newGatedFetch() *gatedFetch {
	return &gatedFetch{started: make(chan struct{}, 100), release: make(chan struct{})}
}

func (g *gatedFetch) fetch(ctx context.Context, keys []string) (map[string]string, error) {
	g.mu.Lock()
	g.calls = append(g.calls, slices.Clone(keys))
	g.ctxs = append(g.ctxs, ctx)
	g.mu.Unlock()
	g.started <- struct{}{}
	<-g.release
	if g.err != nil {
		return nil, g.err
	}
	out := map[string]string{}
	for _, k := range keys {
		if k != "missing" {
			out[k] = "v-" + k
		}
	}
	return out, nil
}

func (g *gatedFetch) callKeys() [][]string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return slices.Clone(g.calls)
}

type ctxKey struct{}

type result struct {
	m   map[string]string
	err error
}

// launch calls c.get(keys) in a goroutine and returns where its answer goes.
func launch(ctx context.Context, c *coalescer[string], keys ...string) chan result {
	ch := make(chan result, 1)
	go func() {
		m, err := c.get(ctx, keys)
		ch <- result{m, err}
	}()
	return ch
}

// waitFor polls until cond holds, or fails the test.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// waiting reports how many keys wait for a free statement.
func (c *coalescer[V]) waiting() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.next == nil {
		return 0
	}
	return len(c.next.keys)
}

func TestCoalescerLoneCallGoesAtOnceWithItsContext(t *testing.T) {
	g := newGatedFetch()
	close(g.release)
	c := newCoalescer(2, 100, g.fetch)
	ctx := context.WithValue(context.Background(), ctxKey{}, "mine")
	m, err := c.get(ctx, []string{"a", "missing"})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(m) != "map[a:v-a]" {
		t.Errorf("got %v", m)
	}
	if len(g.ctxs) != 1 || g.ctxs[0].Value(ctxKey{}) != "mine" {
		t.Errorf("the lone fetch did not run with the caller's context")
	}
}

func TestCoalescerSharesWhileBusy(t *testing.T) {
	g := newGatedFetch()
	c := newCoalescer(2, 100, g.fetch)
	ctx := context.Background()
	first := launch(ctx, c, "a")
	second := launch(ctx, c, "b")
	<-g.started
	<-g.started
	// Both statements are taken: these calls share the next one, each key once.
	later := []chan result{launch(ctx, c, "c", "d"), launch(ctx, c, "d", "e"), launch(ctx, c, "missing")}
	waitFor(t, "three calls to join", func() bool { return c.waiting() == 4 })
	close(g.release)
	for _, ch := range []chan result{first, second} {
		if r := <-ch; r.err != nil {
			t.Fatal(r.err)
		}
	}
	want := []string{"map[c:v-c d:v-d]", "map[d:v-d e:v-e]", "map[]"}
	for i, ch := range later {
		r := <-ch
		if r.err != nil {
			t.Fatal(r.err)
		}
		if fmt.Sprint(r.m) != want[i] {
			t.Errorf("call %d got %v, want %s", i, r.m, want[i])
		}
	}
	calls := g.callKeys()
	if len(calls) != 3 {
		t.Fatalf("%d fetches %v, want 3 (two alone, one shared)", len(calls), calls)
	}
	slices.Sort(calls[2])
	if fmt.Sprint(calls[2]) != "[c d e missing]" {
		t.Errorf("shared fetch keys %v, want [c d e missing]", calls[2])
	}
}

func TestCoalescerWaiterGivesUp(t *testing.T) {
	g := newGatedFetch()
	c := newCoalescer(1, 100, g.fetch)
	busy := launch(context.Background(), c, "a")
	<-g.started
	ctx, cancel := context.WithCancel(context.Background())
	quitter := launch(ctx, c, "b")
	stayer := launch(context.Background(), c, "c")
	waitFor(t, "two calls to join", func() bool { return c.waiting() == 2 })
	cancel()
	if r := <-quitter; !errors.Is(r.err, context.Canceled) {
		t.Errorf("the call whose context ended got %v, want context.Canceled", r.err)
	}
	close(g.release)
	<-busy
	if r := <-stayer; r.err != nil || r.m["c"] != "v-c" {
		t.Errorf("the call that stayed got %v, %v", r.m, r.err)
	}
	// The shared statement does not end with the call that left it.
	calls := g.callKeys()
	if len(calls) != 2 || g.ctxs[1].Err() != nil {
		t.Errorf("fetches %v; the shared one's context: %v", calls, g.ctxs[1].Err())
	}
}

func TestCoalescerErrorReachesEveryCaller(t *testing.T) {
	g := newGatedFetch()
	g.err = errors.New("neo4j down")
	c := newCoalescer(1, 100, g.fetch)
	busy := launch(context.Background(), c, "a")
	<-g.started
	joined := []chan result{launch(context.Background(), c, "b"), launch(context.Background(), c, "c")}
	waitFor(t, "two calls to join", func() bool { return c.waiting() == 2 })
	close(g.release)
	for _, ch := range append(joined, busy) {
		if r := <-ch; r.err != g.err {
			t.Errorf("got %v, want the fetch's error", r.err)
		}
	}
}

func TestCoalescerKeyLimits(t *testing.T) {
	g := newGatedFetch()
	c := newCoalescer(1, 3, g.fetch)
	ctx := context.Background()
	busy := launch(ctx, c, "a")
	<-g.started
	// More keys than a shared statement carries: it goes alone, at once.
	big := launch(ctx, c, "w", "x", "y", "z")
	<-g.started
	// Two keys wait; two more do not fit, so the waiting statement leaves
	// ahead of its turn and these start the next one.
	j1 := launch(ctx, c, "b", "c")
	waitFor(t, "two keys to wait", func() bool { return c.waiting() == 2 })
	j2 := launch(ctx, c, "d", "e")
	<-g.started
	waitFor(t, "the next statement", func() bool { return c.waiting() == 2 })
	close(g.release)
	for _, ch := range []chan result{busy, big, j1, j2} {
		if r := <-ch; r.err != nil {
			t.Fatal(r.err)
		}
	}
	calls := g.callKeys()
	if fmt.Sprint(calls) != "[[a] [w x y z] [b c] [d e]]" {
		t.Errorf("fetches %v, want [[a] [w x y z] [b c] [d e]]", calls)
	}
}

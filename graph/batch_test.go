package graph_test

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/innograph/innograph/graph"
)

// fetchLog records the batches a loader sent.
type fetchLog struct {
	mu      sync.Mutex
	batches [][]string
}

func (f *fetchLog) record(keys []string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.batches = append(f.batches, append([]string(nil), keys...))
}

func (f *fetchLog) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.batches)
}

// upper answers every key with its upper case, except "bad" (an error for
// that key) and "boom" (a panic).
func upper(log *fetchLog) func(ctx context.Context, keys []string) ([]string, []error) {
	return func(ctx context.Context, keys []string) ([]string, []error) {
		log.record(keys)
		out := make([]string, len(keys))
		var errs []error
		for i, k := range keys {
			switch k {
			case "boom":
				panic("fetch exploded")
			case "bad":
				if errs == nil {
					errs = make([]error, len(keys))
				}
				errs[i] = fmt.Errorf("no %s", k)
			}
			out[i] = strings.ToUpper(k)
		}
		return out, errs
	}
}

// loadConcurrently loads keys from one goroutine each, as sibling resolvers
// do, and returns the values and errors by key.
func loadConcurrently(l *graph.Loader[string, string], keys []string) (map[string]string, map[string]error) {
	var mu sync.Mutex
	vals, errs := map[string]string{}, map[string]error{}
	var wg sync.WaitGroup
	for _, k := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := l.Load(context.Background(), k)
			mu.Lock()
			defer mu.Unlock()
			vals[k], errs[k] = v, err
		}()
	}
	wg.Wait()
	return vals, errs
}

func TestLoaderBatchesSiblings(t *testing.T) {
	keys := make([]string, 40)
	for i := range keys {
		keys[i] = fmt.Sprintf("k%02d", i)
	}
	// Siblings that start together join one batch with the default windows,
	// without any timer. A scheduler hiccup may split a batch, so the best of
	// five runs counts; a loader that does not batch splits it every time.
	best := len(keys)
	for range 5 {
		log := &fetchLog{}
		l := graph.NewLoader(upper(log), 500)
		vals, errs := loadConcurrently(l, keys)
		for _, k := range keys {
			if errs[k] != nil || vals[k] != strings.ToUpper(k) {
				t.Fatalf("%s: got %q, %v", k, vals[k], errs[k])
			}
		}
		best = min(best, log.count())
	}
	if best > 2 {
		t.Errorf("40 sibling loads took %d fetches at best, want 1 (2 at worst)", best)
	}
}

func TestLoader(t *testing.T) {
	for _, tc := range []struct {
		name     string
		capacity int
		prime    map[string]string
		keys     []string
		want     map[string]string // value by key; keys absent here must fail
		wantErr  map[string]string // error text by key
		fetched  []string          // keys that reached fetch, sorted
		batches  int               // fetch calls, 0 for "do not check"
	}{
		{
			name: "duplicates are fetched once", capacity: 500,
			keys: []string{"a", "b", "a", "a"},
			want: map[string]string{"a": "A", "b": "B"}, fetched: []string{"a", "b"},
		},
		{
			name: "primed keys are not fetched", capacity: 500,
			prime: map[string]string{"a": "primed"}, keys: []string{"a", "b"},
			want: map[string]string{"a": "primed", "b": "B"}, fetched: []string{"b"},
		},
		{
			name: "an error for one key fails only that key", capacity: 500,
			keys: []string{"a", "bad"},
			want: map[string]string{"a": "A"}, wantErr: map[string]string{"bad": "no bad"},
		},
		{
			name: "a panic in fetch fails the batch, not the process", capacity: 500,
			keys:    []string{"boom"},
			wantErr: map[string]string{"boom": "panic while fetching: fetch exploded"},
		},
		{
			name: "capacity splits batches", capacity: 2,
			keys:    []string{"a", "b", "c", "d", "e"},
			want:    map[string]string{"a": "A", "b": "B", "c": "C", "d": "D", "e": "E"},
			fetched: []string{"a", "b", "c", "d", "e"}, batches: 3,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			log := &fetchLog{}
			l := graph.NewLoader(upper(log), tc.capacity)
			for k, v := range tc.prime {
				l.Prime(k, v)
			}
			// LoadAll enqueues every key before it waits, so the batches
			// are exactly those capacity makes.
			for _, k := range tc.keys {
				v, err := l.Load(context.Background(), k)
				if w, ok := tc.want[k]; ok {
					if err != nil || v != w {
						t.Errorf("Load(%q) = %q, %v; want %q", k, v, err, w)
					}
				} else if err == nil || !strings.Contains(err.Error(), tc.wantErr[k]) {
					t.Errorf("Load(%q) error = %v; want one containing %q", k, err, tc.wantErr[k])
				}
			}
			if tc.fetched != nil {
				var got []string
				for _, b := range log.batches {
					got = append(got, b...)
				}
				sort.Strings(got)
				if strings.Join(got, ",") != strings.Join(tc.fetched, ",") {
					t.Errorf("fetched %v, want %v", got, tc.fetched)
				}
			}
			if tc.batches > 0 {
				log2 := &fetchLog{}
				l2 := graph.NewLoader(upper(log2), tc.capacity)
				if _, err := l2.LoadAll(context.Background(), tc.keys); err != nil {
					t.Fatal(err)
				}
				if log2.count() != tc.batches {
					t.Errorf("LoadAll of %d keys took %d fetches, want %d", len(tc.keys), log2.count(), tc.batches)
				}
			}
		})
	}
}

func TestLoaderClearFetchesAgain(t *testing.T) {
	log := &fetchLog{}
	l := graph.NewLoader(upper(log), 500)
	for range 2 {
		if v, err := l.Load(context.Background(), "a"); err != nil || v != "A" {
			t.Fatalf("Load = %q, %v", v, err)
		}
	}
	l.Clear("a")
	if _, err := l.Load(context.Background(), "a"); err != nil {
		t.Fatal(err)
	}
	if log.count() != 2 {
		t.Errorf("%d fetches, want 2 (one before Clear, one after)", log.count())
	}
}

func TestLoaderLoadAllFirstError(t *testing.T) {
	l := graph.NewLoader(upper(&fetchLog{}), 500)
	_, err := l.LoadAll(context.Background(), []string{"a", "bad", "c"})
	if err == nil || err.Error() != "no bad" {
		t.Errorf("LoadAll error = %v, want %q", err, "no bad")
	}
}

func TestLoaderCancelledWaiterReturns(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	l := graph.NewLoader(func(ctx context.Context, keys []string) ([]string, []error) {
		<-release
		return make([]string, len(keys)), nil
	}, 500)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, err := l.Load(ctx, "a")
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Load with a fetch that never ends = %v, want the context's deadline", err)
	}
}

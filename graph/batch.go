package graph

import (
	"context"
	"fmt"
	"reflect"
	"runtime"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
)

// Loader batches the loads of one request: keys asked for by sibling
// resolvers are fetched in one call, and every key is fetched at most once.
//
// A batch is sent as soon as every resolver call expected to join it has (see
// siblings); while expected calls are missing, at the latest LoaderWait after
// its first call; when none are known to be missing, once no call has joined
// for LoaderQuiet; and at once when it holds capacity keys. While it waits,
// the collecting goroutine yields to the scheduler instead of sleeping. The
// loader it replaces slept a fixed window, and on the 2-core VM a 250 µs
// sleep cost about a millisecond per nesting level, since the wake-up waits
// for the kernel; the siblings that fill a batch arrive 10–15 µs apart.
type Loader[K comparable, V any] struct {
	fetch    func(ctx context.Context, keys []K) ([]V, []error)
	capacity int

	mu    sync.Mutex
	batch *batch[K, V]
	done  map[K]*result[V]
	// groups counts the calls of each group of sibling resolvers (see
	// siblings) that have arrived, batched or answered from done.
	groups map[*graphql.FieldContext]*group
}

// group is a group of sibling calls: how many there are (0: not known) and
// how many have arrived.
type group struct{ size, arrived int }

type batch[K comparable, V any] struct {
	ctx  context.Context
	keys []K
	res  []*result[V]
	full bool
	// waits holds the groups whose members joined; unknown is set when a
	// call of no known group joined; calls counts the calls.
	waits   []*group
	unknown bool
	calls   int
}

type result[V any] struct {
	ready chan struct{}
	val   V
	err   error
}

// LoaderQuiet is how long a batch waits without a new key before it is sent.
var LoaderQuiet = 20 * time.Microsecond

// NewLoader returns a loader calling fetch with at most capacity keys.
// fetch returns one value per key, in order, and either no errors, one error
// for the whole batch, or one error per key.
func NewLoader[K comparable, V any](fetch func(ctx context.Context, keys []K) ([]V, []error), capacity int) *Loader[K, V] {
	if capacity < 1 {
		capacity = 1
	}
	return &Loader[K, V]{fetch: fetch, capacity: capacity, done: map[K]*result[V]{}, groups: map[*graphql.FieldContext]*group{}}
}

// Load returns the value of key, waiting for the batch it joins.
func (l *Loader[K, V]) Load(ctx context.Context, key K) (V, error) {
	r := l.enqueue(ctx, []K{key})[0]
	select {
	case <-r.ready:
		return r.val, r.err
	case <-ctx.Done():
		var zero V
		return zero, ctx.Err()
	}
}

// LoadAll returns the values of keys, in order; the error is the first one.
func (l *Loader[K, V]) LoadAll(ctx context.Context, keys []K) ([]V, error) {
	rs := l.enqueue(ctx, keys)
	out := make([]V, len(keys))
	for i, r := range rs {
		select {
		case <-r.ready:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if r.err != nil {
			return nil, r.err
		}
		out[i] = r.val
	}
	return out, nil
}

// Prime stores the value of key unless the key was loaded or primed before.
func (l *Loader[K, V]) Prime(key K, v V) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, ok := l.done[key]; ok {
		return
	}
	r := &result[V]{ready: make(chan struct{}), val: v}
	close(r.ready)
	l.done[key] = r
}

// Clear forgets the value of key, so that the next load fetches it again.
func (l *Loader[K, V]) Clear(key K) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.done, key)
}

// enqueue adds the keys of one call to the open batch, opening one if none
// is, and returns their results.
func (l *Loader[K, V]) enqueue(ctx context.Context, keys []K) []*result[V] {
	key, elem := siblings(ctx)
	l.mu.Lock()
	defer l.mu.Unlock()
	var g *group
	if key != nil {
		g = l.groups[key]
		if g == nil {
			// Sized once per group: the list is the same for every element.
			g = &group{size: groupSize(key, elem)}
			l.groups[key] = g
		}
		g.arrived++
		if g.size == 0 {
			g = nil // a list whose elements differ in type: not counted
		}
	}
	out := make([]*result[V], len(keys))
	var b *batch[K, V]
	for i, key := range keys {
		if r, ok := l.done[key]; ok {
			out[i] = r
			continue
		}
		r := &result[V]{ready: make(chan struct{})}
		l.done[key] = r
		out[i] = r
		if l.batch == nil {
			l.batch = &batch[K, V]{ctx: ctx}
			go l.collect(l.batch)
		}
		b = l.batch
		b.keys = append(b.keys, key)
		b.res = append(b.res, r)
		if len(b.keys) >= l.capacity {
			b.full = true
			l.batch = nil
		}
	}
	if b != nil {
		b.calls++
		if g != nil {
			b.waits = append(b.waits, g)
		} else {
			b.unknown = true
		}
	}
	return out
}

// siblings returns the group of resolver calls that load together with the
// one of ctx: the field itself when it stands under no list (a group of 1),
// or, for a field of the elements of one list (labs { director }), the list,
// with elem the element's context; nil when the group is not known. Under
// nested lists the cousins under the other elements load too, and how many
// is not known here.
func siblings(ctx context.Context) (key, elem *graphql.FieldContext) {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil {
		return nil, nil
	}
	for p := fc.Parent; p != nil; p = p.Parent {
		if p.Index != nil {
			if elem != nil {
				return nil, nil
			}
			elem = p
		}
	}
	if elem == nil {
		return fc, nil
	}
	if elem != fc.Parent || elem.Parent == nil {
		return nil, nil
	}
	return elem.Parent, elem
}

// groupSize returns how many calls the group key of siblings holds: 1 for a
// field under no list (elem nil), else the length of the list, provided its
// elements are all of one type (when they differ, only some may select the
// field); 0 when not known.
func groupSize(key, elem *graphql.FieldContext) int {
	if elem == nil {
		return 1
	}
	// gqlgen gives an element's context a pointer to the list's slot.
	slot := reflect.ValueOf(elem.Result)
	list := reflect.ValueOf(key.Result)
	if slot.Kind() != reflect.Pointer || slot.IsNil() || list.Kind() != reflect.Slice {
		return 0
	}
	t := dynamicType(slot.Elem())
	for i := range list.Len() {
		if dynamicType(list.Index(i)) != t {
			return 0
		}
	}
	return list.Len()
}

// dynamicType returns the type of the value in v, looking into interfaces.
func dynamicType(v reflect.Value) reflect.Type {
	if v.Kind() == reflect.Interface {
		if v.IsNil() {
			return nil
		}
		v = v.Elem()
	}
	return v.Type()
}

// collect waits until b is full, quiet or old enough, then fetches it.
func (l *Loader[K, V]) collect(b *batch[K, V]) {
	start := time.Now()
	seen, quietSince := -1, start
	for {
		l.mu.Lock()
		n, full := b.calls, b.full
		if !full {
			now := time.Now()
			if n != seen {
				seen, quietSince = n, now
			}
			complete := true
			for _, g := range b.waits {
				complete = complete && g.arrived >= g.size
			}
			// Siblings known to be missing are waited for up to
			// LoaderWait; unknown ones until no call came for LoaderQuiet.
			if complete && (!b.unknown || now.Sub(quietSince) >= LoaderQuiet) || now.Sub(start) >= LoaderWait {
				l.batch = nil
				full = true
			}
		}
		l.mu.Unlock()
		if full {
			break
		}
		runtime.Gosched()
	}
	// b left l.batch under the lock above, so no key joins it any more.
	vals, errs := l.safeFetch(b.ctx, b.keys)
	for i, r := range b.res {
		switch {
		case len(errs) == 1 && errs[0] != nil:
			r.err = errs[0]
		case len(errs) == len(b.keys):
			r.err = errs[i]
		case len(errs) > 1:
			r.err = fmt.Errorf("loader: %d errors for %d keys", len(errs), len(b.keys))
		}
		if r.err == nil {
			if len(vals) != len(b.keys) {
				r.err = fmt.Errorf("loader: %d values for %d keys", len(vals), len(b.keys))
			} else {
				r.val = vals[i]
			}
		}
		close(r.ready)
	}
}

func (l *Loader[K, V]) safeFetch(ctx context.Context, keys []K) (vals []V, errs []error) {
	defer func() {
		if p := recover(); p != nil {
			vals, errs = nil, []error{fmt.Errorf("loader: panic while fetching: %v", p)}
		}
	}()
	return l.fetch(ctx, keys)
}

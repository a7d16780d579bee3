package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

// The heap a full cache holds stays within MaxBytes, whatever the size of
// its answers: the answers come from buffers grown by doubling (as gqlgen's
// are), and small answers cost as much in bookkeeping as in bytes.
func TestCacheMemoryBounded(t *testing.T) {
	const maxBytes = 8 << 20
	for _, size := range []int{150, 400, 3000, 40000} {
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			c := &ResultCache{Version: func() (int64, bool) { return 1, true }, MaxBytes: maxBytes, MaxEntryBytes: maxBytes}
			before := liveHeap()
			// Three times what fits, so the cache is full and has evicted.
			for i := range 3 * maxBytes / size {
				ctx := graphql.WithOperationContext(context.Background(), &graphql.OperationContext{
					RawQuery:  "query($id: ID!) { entity(id: $id) { id name } }",
					Operation: &ast.OperationDefinition{Operation: ast.Query},
					Variables: map[string]any{"id": fmt.Sprint("entity-", i)},
				})
				c.InterceptResponse(ctx, func(context.Context) *graphql.Response {
					// gqlgen writes an answer into a bytes.Buffer, which
					// leaves it with up to twice its length in capacity.
					data := make(json.RawMessage, size, 2*size)
					for j := range data {
						data[j] = 'x'
					}
					return &graphql.Response{Data: data}
				})
			}
			held := liveHeap() - before
			runtime.KeepAlive(c)
			if held > maxBytes*11/10 {
				t.Errorf("a full cache of %d-byte answers (%d of them) holds %.1f MiB of heap; MaxBytes is %d MiB",
					size, c.Len(), float64(held)/(1<<20), maxBytes>>20)
			}
			if held < maxBytes/2 {
				t.Errorf("a full cache of %d-byte answers holds %.1f MiB of heap: MaxBytes (%d MiB) is counted too high",
					size, float64(held)/(1<<20), maxBytes>>20)
			}
			t.Logf("%d-byte answers: %d entries, %.2f MiB of heap, %.2f MiB counted", size, c.Len(), float64(held)/(1<<20), float64(c.Bytes())/(1<<20))
		})
	}
}

// liveHeap returns the bytes of live heap objects after a collection.
func liveHeap() int64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}

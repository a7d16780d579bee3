package graph

import "github.com/innograph/innograph/internal/store"

// encodeCursor makes an opaque cursor in the store's format.
func encodeCursor(vals ...string) string { return store.EncodeCursor(vals...) }

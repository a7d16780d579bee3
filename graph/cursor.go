package graph

import "github.com/innograph/innograph/internal/kg"

// encodeCursor makes an opaque cursor in the store's format.
func encodeCursor(vals ...string) string { return kg.EncodeCursor(vals...) }

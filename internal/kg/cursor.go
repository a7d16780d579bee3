package kg

import (
	"encoding/base64"
	"encoding/json"
)

// Cursors are opaque to clients: base64 of a JSON array of the sort key
// values of the last item seen. Keyset pagination resumes strictly after it.

// EncodeCursor returns the opaque cursor for sort key values.
func EncodeCursor(vals ...string) string {
	b, _ := json.Marshal(vals)
	return base64.RawURLEncoding.EncodeToString(b)
}

// DecodeCursor parses a cursor made by EncodeCursor with n values.
func DecodeCursor(c string, n int) ([]string, error) {
	bad := InvalidArg("after", "malformed cursor: pass a pageInfo.endCursor or edges.cursor value unchanged")
	if len(c) > 2048 {
		return nil, bad
	}
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return nil, bad
	}
	var vals []string
	if err := json.Unmarshal(b, &vals); err != nil || len(vals) != n {
		return nil, bad
	}
	return vals, nil
}

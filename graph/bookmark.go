package graph

import (
	"context"
	"net/http"

	"github.com/99designs/gqlgen/graphql"

	"github.com/innograph/innograph/internal/kg"
)

// BookmarkHeader carries a bookmark (kg.Bookmark): the answer to a
// mutation that changed the graph sends it, as extensions.bookmark does, and
// a later request that sends it back reads that change, through whichever
// server it reaches.
const BookmarkHeader = "Innograph-Bookmark"

// Bookmarks is HTTP middleware that gives each request its causal context
// (kg.Causal): the bookmark of its Innograph-Bookmark header, if any,
// which the request's reads wait for. A malformed header, or more than one,
// is refused with 400 and BAD_USER_INPUT, saying what to send.
func Bookmarks(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var after kg.Bookmark
		switch vals := r.Header.Values(BookmarkHeader); len(vals) {
		case 0:
		case 1:
			b, err := kg.ParseBookmark(BookmarkHeader, vals[0])
			if err != nil {
				WriteHTTPError(w, http.StatusBadRequest, kg.CodeInvalid, err.Error())
				return
			}
			after = b
		default:
			WriteHTTPError(w, http.StatusBadRequest, kg.CodeInvalid,
				"send one "+BookmarkHeader+" header, the bookmark of the latest mutation whose changes the request must see")
			return
		}
		ctx := kg.WithCausal(r.Context(), kg.NewCausal(after))
		ctx = context.WithValue(ctx, headerKey{}, w.Header())
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

type headerKey struct{}

// BookmarkExtension answers an operation that changed the graph with the
// bookmark of its latest change, in extensions.bookmark and in the
// Innograph-Bookmark header (with Bookmarks in front of the handler).
type BookmarkExtension struct{}

var _ interface {
	graphql.HandlerExtension
	graphql.ResponseInterceptor
} = BookmarkExtension{}

// ExtensionName implements graphql.HandlerExtension.
func (BookmarkExtension) ExtensionName() string { return "Bookmark" }

// Validate implements graphql.HandlerExtension.
func (BookmarkExtension) Validate(graphql.ExecutableSchema) error { return nil }

// InterceptResponse implements graphql.ResponseInterceptor.
func (BookmarkExtension) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	resp := next(ctx)
	c := kg.CausalFrom(ctx)
	if resp == nil || c == nil {
		return resp
	}
	b, ok := c.Last()
	if !ok {
		return resp
	}
	token := b.String()
	if resp.Extensions == nil {
		resp.Extensions = map[string]any{}
	}
	resp.Extensions["bookmark"] = token
	if h, ok := ctx.Value(headerKey{}).(http.Header); ok {
		h.Set(BookmarkHeader, token)
	}
	return resp
}

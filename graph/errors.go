package graph

import (
	"context"
	"errors"
	"log/slog"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/innograph/innograph/internal/kg"
)

// ErrorPresenter maps errors to GraphQL errors: a *kg.Error keeps its
// user-safe message and gets its code (and the argument at fault) in
// extensions; the request's own deadline or cancellation is TIMEOUT; anything
// else is logged and shown as INTERNAL without details.
func ErrorPresenter(log *slog.Logger) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		var gerr *gqlerror.Error
		if errors.As(err, &gerr) && gerr.Err == nil {
			// Parse and validation errors from gqlparser: already user-facing.
			if gerr.Extensions == nil || gerr.Extensions["code"] == nil {
				if gerr.Extensions == nil {
					gerr.Extensions = map[string]any{}
				}
				gerr.Extensions["code"] = "GRAPHQL_VALIDATION_FAILED"
			}
			return gerr
		}
		out := graphql.DefaultErrorPresenter(ctx, err)
		var ke *kg.Error
		if errors.As(err, &ke) {
			out.Message = ke.Error()
			out.Extensions = map[string]any{"code": ke.Code}
			if ke.Field != "" {
				out.Extensions["argument"] = ke.Field
			} else if ke.Code == kg.CodeInvalid && len(out.Path) > 1 {
				// An input value that failed to parse (a Date scalar): its path
				// ends with the argument's name.
				if arg, ok := out.Path[len(out.Path)-1].(ast.PathName); ok {
					out.Extensions["argument"] = string(arg)
				}
			}
			if ke.Code == kg.CodeInternal {
				log.ErrorContext(ctx, "internal error", "path", out.Path.String(), "err", err)
			}
			return out
		}
		// The request's deadline or cancellation, met while waiting (for a
		// batch, a shared read, the cache) rather than inside a query.
		if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
			log.WarnContext(ctx, "request deadline reached", "path", out.Path.String(), "err", err)
			out.Message = "the request ran out of time; narrow it (fewer hops, a smaller limit) and try again"
			if errors.Is(err, context.Canceled) {
				out.Message = "the request was cancelled"
			}
			out.Extensions = map[string]any{"code": kg.CodeTimeout}
			return out
		}
		if introspectionDisabled(err) {
			out.Message = "introspection is switched off on this server"
			out.Extensions = map[string]any{"code": kg.CodeForbidden}
			return out
		}
		log.ErrorContext(ctx, "unexpected resolver error", "path", out.Path.String(), "err", err)
		out.Message = "internal error"
		out.Extensions = map[string]any{"code": kg.CodeInternal}
		return out
	}
}

// introspectionDisabled reports the error gqlgen's generated resolvers for
// __schema and __type return while introspection is switched off.
func introspectionDisabled(err error) bool {
	for ; err != nil; err = errors.Unwrap(err) {
		if err.Error() == "introspection disabled" {
			return true
		}
	}
	return false
}

// RecoverFunc turns a resolver panic into an INTERNAL error and logs it.
func RecoverFunc(log *slog.Logger) graphql.RecoverFunc {
	return func(ctx context.Context, p any) error {
		log.ErrorContext(ctx, "resolver panic", "panic", p)
		return &kg.Error{Code: kg.CodeInternal, Message: "internal error"}
	}
}

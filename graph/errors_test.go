package graph

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"testing"

	"github.com/innograph/innograph/internal/kg"
)

// TestErrorPresenterCodes checks the code and message each kind of resolver
// error gets, and that nothing but a *kg.Error's own message reaches users.
func TestErrorPresenterCodes(t *testing.T) {
	present := ErrorPresenter(slog.New(slog.NewTextHandler(io.Discard, nil)))
	tests := []struct {
		name, code, message string
		err                 error
	}{
		{"domain error", kg.CodeNotFound, "no entity with id \"x\"", &kg.Error{Code: kg.CodeNotFound, Message: "no entity with id \"x\""}},
		{"deadline while waiting", kg.CodeTimeout, "the request ran out of time; narrow it (fewer hops, a smaller limit) and try again", fmt.Errorf("input: entity %w", context.DeadlineExceeded)},
		{"cancelled", kg.CodeTimeout, "the request was cancelled", fmt.Errorf("load: %w", context.Canceled)},
		{"anything else", kg.CodeInternal, "internal error", errors.New("driver detail: secret")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := present(context.Background(), tc.err)
			if got.Extensions["code"] != tc.code || got.Message != tc.message {
				t.Errorf("presented as %q %v, want %q with code %s", got.Message, got.Extensions, tc.message, tc.code)
			}
		})
	}
}

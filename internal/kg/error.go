package kg

import (
	"errors"
	"fmt"
)

// Error codes. They appear verbatim in GraphQL responses as extensions.code.
const (
	// CodeInvalid: the request or data is malformed (GraphQL BAD_USER_INPUT).
	CodeInvalid = "BAD_USER_INPUT"
	// CodeBadRequest: the HTTP request is not one GraphQL can run (a method,
	// content type or body the endpoint does not take).
	CodeBadRequest = "BAD_REQUEST"
	// CodeNotFound: the thing asked for does not exist.
	CodeNotFound = "NOT_FOUND"
	// CodeConflict: a concurrent change won, or the data collides with existing data.
	CodeConflict = "CONFLICT"
	// CodeUnauthenticated: the request needs credentials and has none valid.
	CodeUnauthenticated = "UNAUTHENTICATED"
	// CodeForbidden: the caller is known but not allowed.
	CodeForbidden = "FORBIDDEN"
	// CodeUnavailable: the database cannot be reached right now.
	CodeUnavailable = "UNAVAILABLE"
	// CodeLimit: a request exceeds a configured limit.
	CodeLimit = "LIMIT_EXCEEDED"
	// CodeTimeout: the request ran past its deadline.
	CodeTimeout = "TIMEOUT"
	// CodeInternal: anything else; details are logged, never shown.
	CodeInternal = "INTERNAL"
)

// Error is innograph's one error type. Message is safe to show to users;
// Field names the offending argument where there is one.
type Error struct {
	Code    string
	Message string
	Field   string
	// Err is the underlying cause, for logs only.
	Err error
}

// Error implements error.
func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s: %s", e.Field, e.Message)
	}
	return e.Message
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the given code and formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// InvalidArg returns a CodeInvalid error naming the argument at fault.
func InvalidArg(field, format string, args ...any) *Error {
	return &Error{Code: CodeInvalid, Field: field, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, CodeInternal
// for any other non-nil error and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}

// ErrorMessage returns the user-safe message of err: the *Error's message, or
// a generic text for anything else.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Error()
	}
	return "internal error"
}

package boltdoc

import (
	"errors"
	"fmt"

	"gocloud.dev/gcerrors"
)

// codeError is an error that carries the gcerrors code docstore reports for
// it, so callers can branch with gcerrors.Code.
type codeError struct {
	code gcerrors.ErrorCode
	msg  string
}

func (e *codeError) Error() string { return "boltdoc: " + e.msg }

func errorf(code gcerrors.ErrorCode, format string, args ...any) error {
	return &codeError{code: code, msg: fmt.Sprintf(format, args...)}
}

// errorCode maps an error returned by this package to its gcerrors code.
// Errors from the docstore layer already carry one; bbolt's errors (a closed
// database, a failed fsync) are Internal.
func errorCode(err error) gcerrors.ErrorCode {
	var ce *codeError
	if errors.As(err, &ce) {
		return ce.code
	}
	if c := gcerrors.Code(err); c != gcerrors.Unknown {
		return c
	}
	return gcerrors.Internal
}

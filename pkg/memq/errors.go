package memq

import (
	"errors"

	"gocloud.dev/gcerrors"
)

// errNotFound is the error of a topic or subscription that does not exist.
var errNotFound = errors.New("memq: topic or subscription does not exist")

func errorCode(err error) gcerrors.ErrorCode {
	switch {
	case errors.Is(err, errNotFound):
		return gcerrors.NotFound
	case errors.Is(err, ErrClosed):
		return gcerrors.FailedPrecondition
	}
	return gcerrors.Unknown
}

package herald

import "errors"

// ErrNotFound is returned when a webhook, event or delivery does not exist.
var ErrNotFound = errors.New("not found")

// MalformedError marks input that can never be processed: a queue message that
// does not decode or an envelope that fails validation. Consumers acknowledge
// it (so it is not redelivered forever), log it and count it.
type MalformedError struct {
	Reason string
	Err    error
}

func (e *MalformedError) Error() string {
	if e.Err != nil {
		return "malformed message: " + e.Reason + ": " + e.Err.Error()
	}
	return "malformed message: " + e.Reason
}

func (e *MalformedError) Unwrap() error { return e.Err }

// Malformed wraps err as a *MalformedError with a short reason.
func Malformed(reason string, err error) error { return &MalformedError{Reason: reason, Err: err} }

// IsMalformed reports whether err is or wraps a *MalformedError.
func IsMalformed(err error) bool {
	var m *MalformedError
	return errors.As(err, &m)
}

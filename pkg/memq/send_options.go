package memq

import (
	"math"
	"time"
)

// MaxDelay is the longest SendOptions.Delay memq accepts: no limit.
const MaxDelay time.Duration = math.MaxInt64

// SendOptions are per-message options, set in Message.BeforeSend through
// As (see the package documentation).
type SendOptions struct {
	// Delay is how long after it is sent the message becomes available to
	// receivers. Defaults to 0: at once.
	Delay time.Duration
}

// sendOptionsAs returns the As function BeforeSend gets: it supports
// **SendOptions.
func sendOptionsAs(o *SendOptions) func(any) bool {
	return func(i any) bool {
		p, ok := i.(**SendOptions)
		if ok {
			*p = o
		}
		return ok
	}
}

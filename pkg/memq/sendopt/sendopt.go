// Package sendopt holds the per-message options of memq topics, apart from
// the driver itself, so that a program can set them on messages it publishes
// without linking memq (and its journal's bbolt) when it runs on other
// drivers.
package sendopt

import (
	"math"
	"time"
)

// MaxDelay is the longest Options.Delay memq accepts: no limit.
const MaxDelay time.Duration = math.MaxInt64

// Options are per-message options, set in Message.BeforeSend through As
// (**Options) on a memq topic.
type Options struct {
	// Delay is how long after it is sent the message becomes available to
	// receivers. Defaults to 0: at once.
	Delay time.Duration
}

// Limits describe what a memq topic accepts; a memq topic's As fills a
// *Limits, so a publisher can tell a memq topic without importing memq.
type Limits struct {
	// MaxDelay is the longest Options.Delay accepted.
	MaxDelay time.Duration
}

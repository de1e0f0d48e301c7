package memq

import "github.com/heraldhq/herald/pkg/memq/sendopt"

// MaxDelay is the longest SendOptions.Delay memq accepts: no limit.
const MaxDelay = sendopt.MaxDelay

// SendOptions are per-message options, set in Message.BeforeSend through
// As (see the package documentation).
type SendOptions = sendopt.Options

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

package probe

import "time"

// eventually calls cond until it holds or timeout passes, and reports
// whether it held. The one wait of this package: every other step is a
// request and its answer.
func eventually(timeout time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(timeout)
	for {
		if cond() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(20 * time.Millisecond)
	}
}

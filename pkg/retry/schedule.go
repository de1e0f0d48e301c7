// Package retry holds the retry schedule: the delays between attempts of a
// delivery. The deliver function asks it when the next attempt is due; it never
// sleeps or retries itself.
package retry

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Schedule is the delay before each retry, measured from the previous attempt.
// A schedule of n delays allows n+1 attempts.
type Schedule []time.Duration

// Default returns the default schedule: 30s, 1m, 5m, 15m, 1h, 6h, 24h
// (7 retries, 8 attempts).
func Default() Schedule {
	return Schedule{
		30 * time.Second, time.Minute, 5 * time.Minute, 15 * time.Minute,
		time.Hour, 6 * time.Hour, 24 * time.Hour,
	}
}

// Next returns the delay before attempt+1 after the given attempt (1-based)
// failed, and false when the schedule is exhausted.
func (s Schedule) Next(attempt int) (time.Duration, bool) {
	if attempt < 1 || attempt > len(s) {
		return 0, false
	}
	return s[attempt-1], true
}

// Strings returns the schedule as Go duration strings, without zero units
// ("1m", not "1m0s"), as a person would write them.
func (s Schedule) Strings() []string {
	out := make([]string, len(s))
	for i, d := range s {
		out[i] = Format(d)
	}
	return out
}

// Format writes d as a Go duration string without trailing zero units.
func Format(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// Limits on a schedule, the deployment's (HERALD_RETRY_SCHEDULE) and a
// webhook's (its retry_schedule) alike. MinStep keeps retries from
// hammering a receiver that is already failing.
const (
	MaxSteps = 20
	MinStep  = time.Second
	MaxStep  = 7 * 24 * time.Hour
)

// Parse parses Go duration strings ("30s", "1m") into a schedule. Every step
// must be at least MinStep and at most MaxStep, and there are at most
// MaxSteps.
func Parse(steps []string) (Schedule, error) {
	if len(steps) > MaxSteps {
		return nil, fmt.Errorf("at most %d steps", MaxSteps)
	}
	s := make(Schedule, 0, len(steps))
	for _, step := range steps {
		d, err := ParseStep(step)
		if err != nil {
			return nil, err
		}
		s = append(s, d)
	}
	return s, nil
}

// ParseStep parses one step of a schedule, a Go duration string from MinStep
// to MaxStep; Parse refuses a schedule with the first error it returns.
func ParseStep(step string) (time.Duration, error) {
	d, err := time.ParseDuration(strings.TrimSpace(step))
	if err != nil {
		return 0, fmt.Errorf("%q is not a duration like \"30s\" or \"1m\"", step)
	}
	if d < MinStep || d > MaxStep {
		return 0, fmt.Errorf("%q must be at least %s and at most %s", step, MinStep, MaxStep)
	}
	return d, nil
}

// ParseList parses a comma-separated schedule ("30s,1m,5m"). An empty list is
// an error: a deployment needs at least one attempt's worth of schedule to
// mean anything, and "no retries" is a schedule nobody should get by accident.
func ParseList(list string) (Schedule, error) {
	if strings.TrimSpace(list) == "" {
		return nil, errors.New("empty retry schedule")
	}
	return Parse(strings.Split(list, ","))
}

package config

import (
	"strings"
	"testing"
)

// TestRetryScheduleRefusesStepsBelowTheMinimum: HERALD_RETRY_SCHEDULE
// follows the admin API's rule (retry.MinStep): 500ms is refused.
func TestRetryScheduleRefusesStepsBelowTheMinimum(t *testing.T) {
	t.Parallel()
	for value, ok := range map[string]bool{"500ms": false, "1s,500ms,1m": false, "1s,1m": true} {
		_, err := FromEnv(func(k string) string {
			if k == "HERALD_RETRY_SCHEDULE" {
				return value
			}
			return ""
		}, Deployed)
		if ok && err != nil {
			t.Errorf("HERALD_RETRY_SCHEDULE=%s: %v", value, err)
		}
		if !ok && (err == nil || !strings.Contains(err.Error(), "at least 1s")) {
			t.Errorf("HERALD_RETRY_SCHEDULE=%s: err = %v, want the minimum named", value, err)
		}
	}
}

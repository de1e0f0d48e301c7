package config

import (
	"testing"
	"time"
)

// TestValidationVariables: HERALD_VALIDATION_ORIGIN defaults to
// "validation"; HERALD_REVALIDATE_INTERVAL defaults to 0 (off) and refuses
// an interval under MinRevalidateInterval.
func TestValidationVariables(t *testing.T) {
	t.Parallel()
	env := func(vars map[string]string) func(string) string { return func(k string) string { return vars[k] } }
	c, err := FromEnv(env(nil), Deployed)
	if err != nil || c.ValidationOrigin != "validation" || c.RevalidateInterval != 0 {
		t.Fatalf("defaults: origin %q, interval %v, %v", c.ValidationOrigin, c.RevalidateInterval, err)
	}
	c, err = FromEnv(env(map[string]string{"HERALD_VALIDATION_ORIGIN": "scoopa - endpoint validation test",
		"HERALD_REVALIDATE_INTERVAL": "24h"}), Deployed)
	if err != nil || c.ValidationOrigin != "scoopa - endpoint validation test" || c.RevalidateInterval != 24*time.Hour {
		t.Fatalf("set: origin %q, interval %v, %v", c.ValidationOrigin, c.RevalidateInterval, err)
	}
	if _, err := FromEnv(env(map[string]string{"HERALD_REVALIDATE_INTERVAL": "30s"}), Deployed); err == nil {
		t.Error("HERALD_REVALIDATE_INTERVAL=30s accepted")
	}
}

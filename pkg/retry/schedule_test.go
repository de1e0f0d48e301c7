package retry

import (
	"slices"
	"testing"
	"time"
)

func TestScheduleNext(t *testing.T) {
	t.Parallel()
	s := Default()
	for _, tc := range []struct {
		attempt int
		want    time.Duration
		ok      bool
	}{
		{1, 30 * time.Second, true},
		{2, time.Minute, true},
		{7, 24 * time.Hour, true},
		{8, 0, false}, // the eighth attempt was the last
		{0, 0, false},
	} {
		got, ok := s.Next(tc.attempt)
		if got != tc.want || ok != tc.ok {
			t.Errorf("Next(%d) = %v, %v; want %v, %v", tc.attempt, got, ok, tc.want, tc.ok)
		}
	}
}

func TestParse(t *testing.T) {
	t.Parallel()
	s, err := ParseList("1m, 10m,20m")
	if err != nil {
		t.Fatal(err)
	}
	if want := (Schedule{time.Minute, 10 * time.Minute, 20 * time.Minute}); !slices.Equal(s, want) {
		t.Fatalf("ParseList = %v, want %v", s, want)
	}
	if got := s.Strings(); !slices.Equal(got, []string{"1m", "10m", "20m"}) {
		t.Fatalf("Strings = %v", got)
	}
	if got := Default().Strings(); !slices.Equal(got, []string{"30s", "1m", "5m", "15m", "1h", "6h", "24h"}) {
		t.Fatalf("Default().Strings() = %v", got)
	}
	if got := Format(90*time.Minute + 1500*time.Millisecond); got != "1h30m1.5s" {
		t.Fatalf("Format = %q", got)
	}
	for _, bad := range [][]string{{"soon"}, {"-1s"}, {"0s"}, {"500ms"}, {"999ms"}, {"200h"}, make([]string, MaxSteps+1)} {
		if _, err := Parse(bad); err == nil {
			t.Errorf("Parse(%q) accepted", bad)
		}
	}
	if _, err := ParseList(" "); err == nil {
		t.Error("ParseList of an empty list accepted")
	}
}

// TestMinStepIsTheOneRule: a step of exactly MinStep is accepted and one
// below it refused, by Parse and ParseList alike (the deployment's
// HERALD_RETRY_SCHEDULE and a webhook's retry_schedule both parse here).
func TestMinStepIsTheOneRule(t *testing.T) {
	t.Parallel()
	if MinStep != time.Second {
		t.Fatalf("MinStep = %v, want 1s", MinStep)
	}
	if s, err := ParseList("1s,1s"); err != nil || !slices.Equal(s, Schedule{time.Second, time.Second}) {
		t.Errorf("ParseList(1s,1s) = %v, %v", s, err)
	}
	_, err := ParseList("30s,500ms")
	if err == nil || err.Error() != `"500ms" must be at least 1s and at most 168h0m0s` {
		t.Errorf("ParseList(30s,500ms) err = %v", err)
	}
}

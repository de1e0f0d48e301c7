package outbound_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/heraldhq/herald/pkg/outbound"
)

var t0 = time.Date(2026, 4, 23, 14, 0, 0, 0, time.UTC)

func TestRetryAfter(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		value string
		want  time.Time
		ok    bool
	}{
		{"3", t0.Add(3 * time.Second), true},
		{" 120 ", t0.Add(2 * time.Minute), true},
		{"0", t0, true},
		{t0.Add(time.Hour).Format(http.TimeFormat), t0.Add(time.Hour), true},
		{"Thu, 23 Apr 2026 15:00:00 GMT", t0.Add(time.Hour), true},
		{t0.Add(-time.Hour).Format(http.TimeFormat), t0, true}, // in the past: now
		{"", time.Time{}, false},
		{"-5", time.Time{}, false},
		{"soon", time.Time{}, false},
		{"1.5", time.Time{}, false},
	} {
		got, ok := outbound.RetryAfter(tc.value, t0)
		if ok != tc.ok || !got.Equal(tc.want) {
			t.Errorf("RetryAfter(%q) = %v, %v; want %v, %v", tc.value, got, ok, tc.want, tc.ok)
		}
	}
}

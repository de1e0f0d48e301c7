package envelope_test

import (
	"strings"
	"testing"

	"github.com/heraldhq/herald/pkg/envelope"
)

// BenchmarkParse parses and validates a 1 KiB envelope that carries its own
// event_id and timestamp, as most publishers send them.
func BenchmarkParse(b *testing.B) {
	head := `{"event_id":"evt_01a20244266470b9","event_type":"secret.rotated","timestamp":"2026-04-23T14:00:00Z",` +
		`"tenant_id":"tnt_acme_prod","category":"SECURITY","path":"environments/production/db",` +
		`"data":{"old_version":3,"new_version":4,"note":"`
	tail := `"}}`
	body := []byte(head + strings.Repeat("x", 1024-len(head)-len(tail)) + tail)
	p := envelope.New(envelope.Config{})
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Parse(body); err != nil {
			b.Fatal(err)
		}
	}
}

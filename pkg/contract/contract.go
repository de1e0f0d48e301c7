// Package contract is Herald's end-to-end contract suite, written once and run
// against every backend: mem:// in-process always, and the AWS emulators when
// they are available. Each test starts its own system through the backend,
// points real webhooks at real httptest receivers, and checks what arrives
// with the official Standard Webhooks library.
package contract

import (
	"context"
	"testing"
	"time"
)

// Settings are what the suite asks of a system it starts.
type Settings struct {
	// RetrySchedule is the deployment's retry schedule (tiny, so no test
	// waits through a real backoff step).
	RetrySchedule []time.Duration
	// HeaderPrefix is the deployment's header prefix.
	HeaderPrefix string
}

// System is a running Herald under test.
type System struct {
	// BaseURL is the admin API's base URL, Token its bootstrap token.
	BaseURL, Token string
	// Publish sends a raw message to the ingest topic, as an upstream
	// publisher does.
	Publish func(ctx context.Context, body []byte) error
	// IngestCounts reports how many ingest messages were handled and how
	// many of them were malformed.
	IngestCounts func() (done, malformed int64)
}

// Backend starts a system for one test; the system stops when the test ends.
type Backend func(t *testing.T, s Settings) *System

// Run runs the whole suite against backend.
func Run(t *testing.T, backend Backend) {
	for _, tc := range []struct {
		name string
		test func(*testing.T, Backend)
	}{
		{"SignedDeliveryVerifies", testSignedDelivery},
		{"RetryUntilSuccess", testRetryUntilSuccess},
		{"GiveUpEmitsDropped", testGiveUpEmitsDropped},
		{"DuplicateEventID", testDuplicateEventID},
		{"Subscriptions", testSubscriptions},
		{"ManualRetry", testManualRetry},
		{"Recover", testRecover},
		{"MalformedIngestMessage", testMalformedIngestMessage},
		{"AdminErrors", testAdminErrors},
		{"DeliveryPaging", testDeliveryPaging},
		{"Pause", testPause},
		{"ResumeUnderLoad", testResumeUnderLoad},
		{"SecretRotation", testSecretRotation},
		{"TestNotLogged", testTestNotLogged},
		{"PauseOverflow", testPauseOverflow},
		{"FaultMatrix", testFaultMatrix},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.test(t, backend)
		})
	}
}

// NewAPI returns a client of the admin API at base with token.
func NewAPI(t testing.TB, base, token string) *API { return &API{t: t, base: base, token: token} }

// start starts a system with the suite's default settings.
func start(t *testing.T, b Backend, schedule ...time.Duration) (*System, *API) {
	if len(schedule) == 0 {
		schedule = []time.Duration{time.Second, 2 * time.Second}
	}
	s := b(t, Settings{RetrySchedule: schedule, HeaderPrefix: "X-Herald-"})
	return s, &API{t: t, base: s.BaseURL, token: s.Token}
}

// wait bounds how long a test waits for something that should take
// milliseconds on mem:// and seconds on the emulators under -race. It is
// generous because CI runs the fifteen cases in parallel against one
// moto_server on two cores: ResumeUnderLoad (160 events) takes about 15 s
// alone there, and once took 47 s under that load.
const wait = 90 * time.Second

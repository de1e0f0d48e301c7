package herald

import (
	"encoding/json"
	"time"
)

// Webhook is an endpoint subscribed to events. It is stored in the webhooks
// collection under ID.
type Webhook struct {
	ID          string `docstore:"id"`
	Name        string `docstore:"name"`
	URL         string `docstore:"url"`
	Description string `docstore:"description"`

	// Events are event-type patterns ("secret.rotated", "secret.*", "**").
	// Together with Categories they select events; both empty selects all.
	Events     []string `docstore:"events"`
	Categories []string `docstore:"categories"`
	Filters    []Filter `docstore:"filters"`

	// PayloadFormat is what a delivery's body is: PayloadEnvelope ("" too)
	// or PayloadAsPublished.
	PayloadFormat string `docstore:"payload_format,omitempty"`

	// Headers are sent with every delivery, before Herald's own headers.
	Headers map[string]string `docstore:"headers"`

	Enabled bool `docstore:"enabled"`
	Paused  bool `docstore:"paused"`

	// TenantID and PartnerID scope the webhook: when set it sees only events
	// of that tenant or partner.
	TenantID  string `docstore:"tenant_id"`
	PartnerID string `docstore:"partner_id"`
	// Scope is ScopeKey(TenantID, PartnerID), absent when both are empty:
	// the key of the index that lists a bound caller's webhooks. Set by
	// Derive.
	Scope string `docstore:"scope,omitempty"`

	// RetrySchedule overrides the deployment's schedule when not empty.
	RetrySchedule   []string `docstore:"retry_schedule"`
	PauseQueueLimit int      `docstore:"pause_queue_limit"`

	// SealedSecret is the signing secret ("whsec_" + base64 of the key
	// bytes) encrypted with the deployment's secrets keeper (see pkg/seal);
	// the plain secret is never stored.
	SealedSecret string `docstore:"secret"`
	// PreviousSealedSecret is the secret a rotation replaced, sealed. Until
	// PreviousSecretUntilMS deliveries are signed with both; after it the
	// expiry-notifier drops it.
	PreviousSealedSecret  string `docstore:"previous_secret"`
	PreviousSecretUntilMS int64  `docstore:"previous_secret_until_ms"`
	// SecretExpiresMS, when set, is when the current secret should be
	// rotated; the expiry-notifier warns at each threshold before it.
	// SecretExpiryNotified is the smallest threshold already warned of
	// (see SecretExpiryThresholds), 0 for none.
	SecretExpiresMS      int64         `docstore:"secret_expires_ms"`
	SecretExpiryNotified time.Duration `docstore:"secret_expiry_notified"`
	// SecretDutyShard and SecretDutyMS index the webhook for the
	// expiry-notifier while it has a secret duty outstanding (a grace
	// period to end, an expiry to warn of): Shard(ID) and when the duty
	// falls due, both absent otherwise. Derive sets them.
	SecretDutyShard int   `docstore:"secret_duty_shard,omitempty"`
	SecretDutyMS    int64 `docstore:"secret_duty_ms,omitempty"`

	// Validated is set when the endpoint answered a validation call with a
	// 2xx; ValidatedAt and ValidationError describe the last such call.
	Validated       bool      `docstore:"validated"`
	ValidatedAt     time.Time `docstore:"validated_at"`
	ValidationError string    `docstore:"validation_error"`
	// ValidationFailingSinceMS is when the current run of failed
	// re-validations began, 0 when there is none (a successful validation
	// ends it). It identifies the run: webhook.endpoint.validation_failed
	// is announced once for it, also across restarts.
	ValidationFailingSinceMS int64 `docstore:"validation_failing_since_ms"`

	// PauseDropped counts deliveries dropped because the webhook was paused
	// with its pause queue full.
	PauseDropped int64 `docstore:"pause_dropped"`
	// PausedAtMS is when the current pause began; it names the pause (the
	// event_id of its overflow event derives from it). 0 when not paused,
	// or paused before Herald recorded it.
	PausedAtMS int64 `docstore:"paused_at_ms,omitempty"`
	// PauseOverflowNotified says the current pause's overflow was announced
	// (webhook.endpoint.pause_overflow, once per pause); pausing or
	// resuming clears it.
	PauseOverflowNotified bool `docstore:"pause_overflow_notified,omitempty"`
	// PauseHeld counts the slots of the pause queue taken in the current
	// pause: each held delivery takes one before it is created, with a
	// revision-checked write that also decides, against PauseQueueLimit,
	// that it is held rather than dropped. Pausing and resuming set it to 0;
	// a slot whose delivery was never created (its ingest crashed in
	// between) stays taken until then.
	PauseHeld int64 `docstore:"pause_held,omitempty"`
	// PauseEpoch numbers the pauses: each pause adds one. A slot of the
	// pause queue is taken in one pause (its held delivery records the
	// number), and counts in PauseHeld only while that pause lasts.
	PauseEpoch int64 `docstore:"pause_epoch,omitempty"`

	// TimeoutSeconds bounds one attempt (1..MaxTimeoutSeconds); 0 uses the
	// deployment's delivery timeout.
	TimeoutSeconds int `docstore:"timeout_seconds"`
	// UnhealthyAfter is how many consecutive failed attempts mark the
	// endpoint unhealthy; 0 means DefaultUnhealthyAfter.
	UnhealthyAfter int `docstore:"unhealthy_after"`
	// DisableAfter, when set (a Go duration, at least MinDisableAfter),
	// disables the endpoint once it has been failing for that long.
	DisableAfter string `docstore:"disable_after"`
	// MaxInFlight bounds the attempts in flight to the endpoint per deliver
	// process; 0 means DefaultMaxInFlight.
	MaxInFlight int `docstore:"max_in_flight"`

	// Health, kept by the deliver function with field updates (never a
	// revision-checked replace, so it does not fight admin writes):
	// ConsecutiveFailures counts failed attempts since the last success,
	// FailingSinceMS is when the first of them was made (0 when healthy),
	// Unhealthy is set once the unhealthy event was announced for this run.
	ConsecutiveFailures int64 `docstore:"consecutive_failures"`
	FailingSinceMS      int64 `docstore:"failing_since_ms"`
	Unhealthy           bool  `docstore:"unhealthy"`
	// HealthRunMS is when the latest run of failures began (FailingSinceMS
	// of the current run, kept after a success ends it): a new run begins
	// strictly after it, so its start names it, and the endpoint events
	// whose ids derive from it are never taken for an earlier run's.
	HealthRunMS int64 `docstore:"health_run_ms,omitempty"`
	// HealthEvent is the endpoint event the last health write decided,
	// while it may not be published yet: written with the health it
	// announces, published after, then cleared. A write that finds one
	// publishes it first (its id is stable), so none is lost.
	HealthEvent *HealthEvent `docstore:"health_event,omitempty"`
	// DisabledReason says why Herald disabled the endpoint ("410 Gone",
	// "failing for 72h"); "" when it did not.
	DisabledReason string `docstore:"disabled_reason"`

	CreatedAt time.Time `docstore:"created_at"`
	UpdatedAt time.Time `docstore:"updated_at"`

	DocstoreRevision any
}

// HealthEvent is an endpoint event (webhook.endpoint.unhealthy or
// recovered) decided by a write of a webhook's health.
type HealthEvent struct {
	// Type is EventEndpointUnhealthy or EventEndpointRecovered.
	Type string `docstore:"type"`
	// RunMS is the start of the run of failures it is about; its id
	// derives from it.
	RunMS int64 `docstore:"run_ms"`
	// Failures is the run's consecutive failures at the time.
	Failures int64 `docstore:"failures"`
	// StatusCode and Error describe the attempt that made the endpoint
	// unhealthy.
	StatusCode int    `docstore:"status_code"`
	Error      string `docstore:"error"`
	// AtMS is when it was decided: its timestamp.
	AtMS int64 `docstore:"at_ms"`
}

// PauseLimit is how many deliveries w holds while paused.
func (w *Webhook) PauseLimit() int {
	if w.PauseQueueLimit > 0 {
		return w.PauseQueueLimit
	}
	return DefaultPauseQueueLimit
}

// DefaultPauseQueueLimit is how many deliveries a paused webhook holds before
// new ones are dropped.
const DefaultPauseQueueLimit = 1000

// Endpoint health and limits defaults and bounds.
const (
	DefaultUnhealthyAfter = 3
	MaxUnhealthyAfter     = 100
	DefaultMaxInFlight    = 10
	MaxMaxInFlight        = 100
	MaxTimeoutSeconds     = 30
	MinDisableAfter       = time.Minute
)

// Payload formats: what a webhook's deliveries carry as their body.
const (
	// PayloadEnvelope is Herald's envelope: the event as published, with
	// what Herald adds (a generated event_id and timestamp, the event_type
	// of a native payload, a bound publisher's tenant) inserted at its head.
	PayloadEnvelope = "envelope"
	// PayloadAsPublished is the event exactly as its publisher sent it,
	// byte for byte; the identity is in the headers only.
	PayloadAsPublished = "as_published"
)

// PayloadFormats lists every payload format.
var PayloadFormats = []string{PayloadEnvelope, PayloadAsPublished}

// Filter is one predicate an event must satisfy: the value at the dotted Field
// path of the envelope compared with Value by Op.
type Filter struct {
	Field string          `json:"field" docstore:"field"`
	Op    string          `json:"op" docstore:"op"`
	Value json.RawMessage `json:"value,omitempty" docstore:"value"`
}

// Filter operators.
const (
	OpEq       = "eq"
	OpNeq      = "neq"
	OpIn       = "in"
	OpPrefix   = "prefix"
	OpContains = "contains"
	OpExists   = "exists"
	// OpCIDR holds when the value at Field is an IP address inside one of
	// the CIDR ranges of Value (a string or a list of strings).
	OpCIDR = "cidr"
)

// FilterOps lists every filter operator.
var FilterOps = []string{OpEq, OpNeq, OpIn, OpPrefix, OpContains, OpExists, OpCIDR}

// Categories are the audit categories an event may carry (ScaiDrive's).
var Categories = []string{
	"AUTHENTICATION", "AUTHORIZATION", "FILE_ACCESS", "FILE_MODIFICATION",
	"SHARING", "ADMIN", "SECURITY", "COMPLIANCE",
}

// SecretExpiryThresholds are the points before a secret's expiry at which an
// expiring event is emitted, once each, largest first.
var SecretExpiryThresholds = []time.Duration{30 * 24 * time.Hour, 7 * 24 * time.Hour, 24 * time.Hour}

// DefaultSecretGrace is how long a rotated-out secret keeps working.
const DefaultSecretGrace = 24 * time.Hour

// SetPaused pauses or resumes w as of at: a new pause is named by at, and
// whether its overflow was announced starts afresh, with the next
// PauseEpoch and no slot of its queue taken. Setting the state it has
// changes nothing.
func (w *Webhook) SetPaused(paused bool, at time.Time) {
	if paused == w.Paused {
		return
	}
	w.Paused, w.PauseOverflowNotified, w.PausedAtMS, w.PauseHeld = paused, false, 0, 0
	if paused {
		w.PausedAtMS = Millis(at)
		w.PauseEpoch++
	}
}

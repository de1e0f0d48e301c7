package admin

import (
	"cmp"
	"time"

	"github.com/heraldhq/herald/pkg/herald"
)

// webhookView is a webhook as the API shows it: never a sealed secret, nor
// a custom header's value (Headers maps each name to headerMask).
// Secret is set only in the answers to create and rotate-secret; Held only in
// the answers to a single read, pause and resume.
type webhookView struct {
	ID              string            `json:"id"`
	Name            string            `json:"name"`
	URL             string            `json:"url"`
	Description     string            `json:"description"`
	Events          []string          `json:"events"`
	Categories      []string          `json:"categories"`
	Filters         []herald.Filter   `json:"filters"`
	Headers         map[string]string `json:"headers"`
	Enabled         bool              `json:"enabled"`
	Paused          bool              `json:"paused"`
	TenantID        *string           `json:"tenant_id"`
	PartnerID       *string           `json:"partner_id"`
	RetrySchedule   []string          `json:"retry_schedule"`
	PauseQueueLimit int               `json:"pause_queue_limit"`
	// PayloadFormat is "envelope" or "as_published".
	PayloadFormat string `json:"payload_format"`
	Validated     bool   `json:"validated"`
	// ValidatedAt is when the last validation call was made, null before
	// the first; ValidationError says why it failed, "" when it did not.
	ValidatedAt     *time.Time `json:"validated_at"`
	ValidationError string     `json:"validation_error"`
	// PauseDropped counts deliveries dropped while paused with a full queue.
	PauseDropped int64 `json:"pause_dropped"`
	// TimeoutSeconds bounds one attempt, null for the deployment's timeout.
	TimeoutSeconds *int `json:"timeout_seconds"`
	// UnhealthyAfter and MaxInFlight are the effective values (defaults
	// filled in); DisableAfter is null when failing never disables.
	UnhealthyAfter int     `json:"unhealthy_after"`
	DisableAfter   *string `json:"disable_after"`
	MaxInFlight    int     `json:"max_in_flight"`
	// Health, read-only: failed attempts since the last success, whether
	// the endpoint was announced unhealthy, when the failures began (null
	// when healthy) and why Herald disabled it ("" when it did not).
	ConsecutiveFailures int64      `json:"consecutive_failures"`
	Unhealthy           bool       `json:"unhealthy"`
	FailingSince        *time.Time `json:"failing_since"`
	DisabledReason      string     `json:"disabled_reason"`
	// Held counts the deliveries held while paused.
	Held *int `json:"held,omitempty"`
	secretDates
	Secret string `json:"secret,omitempty"`
}

func (a *API) viewWebhook(w *herald.Webhook) webhookView {
	schedule := w.RetrySchedule
	if len(schedule) == 0 {
		schedule = a.cfg.Schedule.Strings()
	}
	v := webhookView{
		ID: w.ID, Name: w.Name, URL: w.URL, Description: w.Description,
		Events: nonNil(w.Events), Categories: nonNil(w.Categories), Filters: nonNil(w.Filters),
		Headers: maskHeaders(w.Headers), Enabled: w.Enabled, Paused: w.Paused,
		TenantID: optional(w.TenantID), PartnerID: optional(w.PartnerID),
		RetrySchedule: schedule, PauseQueueLimit: w.PauseQueueLimit, Validated: w.Validated,
		ValidatedAt: optionalTime(w.ValidatedAt), ValidationError: w.ValidationError,
		PauseDropped: w.PauseDropped, PayloadFormat: cmp.Or(w.PayloadFormat, herald.PayloadEnvelope),
		secretDates: a.viewSecretDates(w.SecretExpiresMS, w.PreviousSealedSecret != "", w.PreviousSecretUntilMS,
			w.CreatedAt, w.UpdatedAt),
	}
	v.health(w)
	return v
}

// health fills in w's limits (with their defaults) and health state.
func (v *webhookView) health(w *herald.Webhook) {
	if w.TimeoutSeconds > 0 {
		t := w.TimeoutSeconds
		v.TimeoutSeconds = &t
	}
	v.UnhealthyAfter, v.MaxInFlight = w.UnhealthyAfter, w.MaxInFlight
	if v.UnhealthyAfter == 0 {
		v.UnhealthyAfter = herald.DefaultUnhealthyAfter
	}
	if v.MaxInFlight == 0 {
		v.MaxInFlight = herald.DefaultMaxInFlight
	}
	v.DisableAfter = optional(w.DisableAfter)
	v.ConsecutiveFailures, v.Unhealthy, v.DisabledReason = w.ConsecutiveFailures, w.Unhealthy, w.DisabledReason
	v.FailingSince = optionalTime(herald.FromMillis(w.FailingSinceMS))
}

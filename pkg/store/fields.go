package store

import "gocloud.dev/docstore"

// Field names, as the herald types' docstore tags store them. Only this
// package names fields; the rest of Herald calls the queries and writes
// here.
const (
	fieldID         = "id"
	fieldWebhookID  = "webhook_id"
	fieldEventID    = "event_id"
	fieldEventKey   = "event_key"
	fieldEventType  = "event_type"
	fieldStatus     = "status"
	fieldAttempts   = "attempt_count"
	fieldTenantID   = "tenant_id"
	fieldPartnerID  = "partner_id"
	fieldScope      = "scope"
	fieldCreatedMS  = "created_ms"
	fieldUpdatedAt  = "updated_at"
	fieldExpiresAt  = "expires_at"
	fieldLogShard   = "log_shard"
	fieldDueShard   = "due_shard"
	fieldNextMS     = "next_attempt_ms"
	fieldHeldShard  = "held_shard"
	fieldDueMS      = "due_ms"
	fieldDeliveryID = "delivery_id"
	fieldAttempt    = "attempt"
	fieldDutyShard  = "secret_duty_shard"
	fieldDutyMS     = "secret_duty_ms"
	fieldRevision   = "revision"
	fieldUpdatedMS  = "updated_ms"

	// Secret fields the secret-duty index is derived from.
	fieldPreviousSecret     = "previous_secret"
	fieldPreviousSecretHash = "previous_secret_hash"
	fieldPreviousUntilMS    = "previous_secret_until_ms"
	fieldSecretExpiresMS    = "secret_expires_ms"
	fieldExpiryNotified     = "secret_expiry_notified"

	// Webhook state the functions change with field updates.
	fieldPaused         = "paused"
	fieldEnabled        = "enabled"
	fieldDisabledReason = "disabled_reason"
	fieldUnhealthy      = "unhealthy"
	fieldFailures       = "consecutive_failures"
	fieldFailingSinceMS = "failing_since_ms"
	fieldPauseDropped   = "pause_dropped"
	fieldPauseHeld      = "pause_held"
	fieldHealthRunMS    = "health_run_ms"
	fieldHealthEvent    = "health_event"

	// Fields of a webhook's pending health event (herald.HealthEvent).
	fieldType          = "type"
	fieldRunMS         = "run_ms"
	fieldEventFailures = "failures"
	fieldStatusCode    = "status_code"
	fieldError         = "error"
	fieldAtMS          = "at_ms"
	fieldFannedOut     = "fanned_out"
	fieldFanOutLeaseMS = "fan_out_lease_ms"
)

// paths turns field names into the docstore.FieldPath list Get takes.
func paths(names ...string) []docstore.FieldPath {
	out := make([]docstore.FieldPath, len(names))
	for i, n := range names {
		out[i] = docstore.FieldPath(n)
	}
	return out
}

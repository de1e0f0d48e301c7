package admin

import (
	"slices"
	"time"

	"github.com/heraldhq/herald/pkg/herald"
)

// apply copies the fields present in in onto wh.
func (in *webhookInput) apply(wh *herald.Webhook, now time.Time) {
	set(&wh.Name, in.Name)
	if in.URL != nil && *in.URL != wh.URL {
		// A new URL has not been validated (the patch validates it next),
		// and a run of failed validations was the old URL's.
		wh.Validated, wh.ValidatedAt, wh.ValidationError = false, time.Time{}, ""
		wh.ValidationFailingSinceMS = 0
	}
	set(&wh.URL, in.URL)
	set(&wh.Description, in.Description)
	set(&wh.Events, in.Events)
	set(&wh.Categories, in.Categories)
	set(&wh.Filters, filters(in.Filters))
	set(&wh.Headers, in.Headers)
	if in.Enabled != nil && *in.Enabled && !wh.Enabled {
		// Enabled again by hand: a fresh start, or a run of failures that
		// disabled it would disable it again at the next failure.
		wh.DisabledReason, wh.ConsecutiveFailures, wh.Unhealthy, wh.FailingSinceMS = "", 0, false, 0
	}
	set(&wh.Enabled, in.Enabled)
	if in.Paused != nil {
		wh.SetPaused(*in.Paused, now)
	}
	set(&wh.TenantID, in.TenantID)
	set(&wh.PartnerID, in.PartnerID)
	set(&wh.RetrySchedule, in.RetrySchedule)
	set(&wh.PauseQueueLimit, in.PauseQueueLimit)
	set(&wh.TimeoutSeconds, in.TimeoutSeconds)
	set(&wh.UnhealthyAfter, in.UnhealthyAfter)
	set(&wh.DisableAfter, in.DisableAfter)
	set(&wh.MaxInFlight, in.MaxInFlight)
	set(&wh.PayloadFormat, in.PayloadFormat)
	if in.SecretExpiresAt != nil {
		wh.SecretExpiresMS = herald.Millis(*in.SecretExpiresAt)
		wh.SecretExpiryNotified = 0
	}
	wh.UpdatedAt = now
}

// changed lists the fields in sets, for the audit event of a patch.
func (in *webhookInput) changed() []string {
	var out []string
	for name, present := range map[string]bool{
		"name": in.Name != nil, "url": in.URL != nil, "description": in.Description != nil,
		"events": in.Events != nil, "categories": in.Categories != nil, "filters": in.Filters != nil,
		"headers": in.Headers != nil, "enabled": in.Enabled != nil, "paused": in.Paused != nil,
		"tenant_id": in.TenantID != nil, "partner_id": in.PartnerID != nil,
		"retry_schedule": in.RetrySchedule != nil, "pause_queue_limit": in.PauseQueueLimit != nil,
		"secret_expires_at": in.SecretExpiresAt != nil, "timeout_seconds": in.TimeoutSeconds != nil,
		"unhealthy_after": in.UnhealthyAfter != nil, "disable_after": in.DisableAfter != nil,
		"max_in_flight": in.MaxInFlight != nil, "payload_format": in.PayloadFormat != nil,
	} {
		if present {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

func set[T any](dst *T, src *T) {
	if src != nil {
		*dst = *src
	}
}

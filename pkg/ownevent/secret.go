package ownevent

import (
	"context"
	"strconv"
	"time"

	"gocloud.dev/pubsub"

	"github.com/heraldhq/herald/pkg/herald"
)

// SecretKind says whose secret an event is about: a webhook's signing
// secret or an application's client secret.
type SecretKind int

const (
	// WebhookSecret: a webhook's signing secret.
	WebhookSecret SecretKind = iota
	// ApplicationSecret: an application's client secret.
	ApplicationSecret
)

// secretKind is what differs between a webhook's and an application's
// secret events.
type secretKind struct {
	// idPrefix starts every event_id, so a webhook and an application with
	// the same id cannot share one.
	idPrefix             string
	graceEnded, expiring string // event types
	idKey, graceNameKey  string // data keys
}

var secretKinds = map[SecretKind]secretKind{
	WebhookSecret: {idPrefix: "evt_", graceEnded: herald.EventSecretGraceEnded,
		expiring: herald.EventSecretExpiring, idKey: "webhook_id", graceNameKey: "webhook_name"},
	ApplicationSecret: {idPrefix: "evt_app_", graceEnded: herald.EventAppSecretGraceEnded,
		expiring: herald.EventAppSecretExpiring, idKey: "application_id", graceNameKey: "name"},
}

// SecretOwner is the webhook or application a secret event is about, as the
// event names it.
type SecretOwner struct {
	Kind                SecretKind
	ID, Name            string
	TenantID, PartnerID string
}

// PublishGraceEnded publishes the grace_ended event of o: the secret a
// rotation replaced, kept until untilMS, is dropped. Its event_id is derived
// from o's id and the end of the grace period, so a repeat is delivered once
// and a later rotation announces its own end. The event never carries the
// secret or its hash.
func PublishGraceEnded(ctx context.Context, ingest *pubsub.Topic, o SecretOwner, untilMS int64, now time.Time) error {
	k := secretKinds[o.Kind]
	id := k.idPrefix + "grace_" + o.ID + "_" + strconv.FormatInt(untilMS, 10)
	return o.publish(ctx, ingest, now, id, k.graceEnded, map[string]any{
		k.idKey:                      o.ID,
		k.graceNameKey:               o.Name,
		"previous_secret_expired_at": herald.FromMillis(untilMS).Format(time.RFC3339),
	})
}

// PublishSecretExpiring publishes the expiring event of o, whose secret
// expires at expiresMS and has reached threshold before it. Its event_id is
// derived from o's id, the expiry and the threshold: a repeat is delivered
// once, and a new expiry warns afresh. The event never carries the secret
// or its hash.
func PublishSecretExpiring(ctx context.Context, ingest *pubsub.Topic, o SecretOwner, expiresMS int64, threshold time.Duration, now time.Time) error {
	k := secretKinds[o.Kind]
	expires := herald.FromMillis(expiresMS)
	hours := strconv.FormatInt(int64(threshold/time.Hour), 10)
	id := k.idPrefix + "expiring_" + o.ID + "_" + strconv.FormatInt(expiresMS, 10) + "_" + hours + "h"
	return o.publish(ctx, ingest, now, id, k.expiring, map[string]any{
		k.idKey:      o.ID,
		"name":       o.Name,
		"expires_at": expires.Format(time.RFC3339),
		"threshold":  thresholdLabel(threshold),
		"expired":    !now.Before(expires),
	})
}

// publish publishes a SECURITY event about o, in o's scope: the envelope
// both secret events share.
func (o SecretOwner) publish(ctx context.Context, ingest *pubsub.Topic, now time.Time, id, eventType string, data map[string]any) error {
	ev := herald.OwnEvent{
		EventID:   id,
		EventType: eventType,
		Timestamp: now,
		Category:  "SECURITY",
		TenantID:  o.TenantID,
		PartnerID: o.PartnerID,
		Data:      data,
	}
	return publish(ctx, ingest, ev, eventType)
}

// thresholdLabel names a threshold in days ("30d") when it is whole days.
func thresholdLabel(t time.Duration) string {
	if t%(24*time.Hour) == 0 {
		return strconv.FormatInt(int64(t/(24*time.Hour)), 10) + "d"
	}
	return t.String()
}

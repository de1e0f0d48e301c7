package store

import (
	"context"
	"fmt"
	"math"
	"time"

	"gocloud.dev/docstore"

	"github.com/heraldhq/herald/pkg/herald"
)

// The fields the queries below read: what the index serving each holds
// (Indexes), so that DynamoDB reads the GSI alone. A caller that needs more
// reads the documents by key.
var (
	// IDFields: the key alone.
	IDFields = paths(fieldID)
	// HeldFields: a held delivery as the held index holds it.
	HeldFields = paths(fieldID, fieldWebhookID, fieldStatus, fieldCreatedMS)
	// EventDeliveryFields: a delivery as the by-event index holds it.
	EventDeliveryFields = paths(fieldID, fieldWebhookID)
	// FanOutFields: what resuming a fan-out reads of a delivery by key.
	FanOutFields = paths(fieldEventID, fieldEventKey, fieldStatus, fieldAttempts)
	// OverdueFields: a pending delivery as the sweep's index holds it.
	OverdueFields = paths(fieldID, fieldNextMS)
	// EntryFields: a schedule entry as the due-time index holds it, with
	// the revision its deletion checks.
	EntryFields = paths(fieldID, fieldDueMS, fieldDeliveryID, fieldAttempt, docstore.DefaultRevisionField)
	// ScopeFields: what the admin lists read of each webhook or
	// application they count; the page is then read by key.
	ScopeFields = paths(fieldID, fieldTenantID, fieldPartnerID)
)

// WebhookDeliveries queries webhook id's deliveries, newest first; with a
// status, those of that status only. Read IDFields and then the page by key:
// attempts carry response bodies. (The Where on id lets the query order by
// it: memdocstore and DynamoDB both want the ordered field constrained.)
func WebhookDeliveries(deliveries *docstore.Collection, webhookID string, status herald.Status) *docstore.Query {
	return WebhookDeliveriesBefore(deliveries, webhookID, status, math.MaxInt64)
}

// WebhookDeliveriesBefore is WebhookDeliveries of the ids below before: the
// call log of one webhook. Read IDFields.
func WebhookDeliveriesBefore(deliveries *docstore.Collection, webhookID string, status herald.Status, before int64) *docstore.Query {
	q := deliveries.Query().Where(fieldWebhookID, "=", webhookID)
	if status != "" {
		q = q.Where(fieldStatus, "=", string(status))
	}
	return q.Where(fieldID, "<", before).OrderBy(fieldID, docstore.Descending)
}

// LogShard queries one shard of the call log's index: every webhook's
// deliveries of ids below before, newest first; with a status or an event
// type, those alone (filtered on the index, which holds both). Only one
// range of ids is asked (DynamoDB takes one condition on a sort key): the
// caller stops at its lower bound. Read IDFields.
func LogShard(deliveries *docstore.Collection, shard int, status herald.Status, eventType string, before int64) *docstore.Query {
	q := deliveries.Query().Where(fieldLogShard, "=", shard)
	if status != "" {
		q = q.Where(fieldStatus, "=", string(status))
	}
	if eventType != "" {
		q = q.Where(fieldEventType, "=", eventType)
	}
	return q.Where(fieldID, "<", before).OrderBy(fieldID, docstore.Descending)
}

// HeldDeliveries queries the deliveries webhook id holds while paused:
// those in its shard of the sparse held index (held_shard, created_ms)
// that are its own and still paused. Read HeldFields.
func HeldDeliveries(deliveries *docstore.Collection, webhookID string) *docstore.Query {
	return deliveries.Query().
		Where(fieldHeldShard, "=", herald.Shard(webhookID)).
		Where(fieldWebhookID, "=", webhookID).
		Where(fieldStatus, "=", string(herald.StatusPaused))
}

// HeldOldestFirst is HeldDeliveries oldest first: the order a resume sends
// them in.
func HeldOldestFirst(deliveries *docstore.Collection, webhookID string) *docstore.Query {
	return HeldDeliveries(deliveries, webhookID).
		Where(fieldCreatedMS, ">", int64(0)).
		OrderBy(fieldCreatedMS, docstore.Ascending)
}

// HeldCount counts the deliveries webhook id holds while paused, reading the
// held index only.
func HeldCount(ctx context.Context, deliveries *docstore.Collection, webhookID string) (int, error) {
	n, err := Count[herald.Delivery](ctx, HeldDeliveries(deliveries, webhookID).Get(ctx, HeldFields...))
	if err != nil {
		return 0, fmt.Errorf("count held deliveries of %s: %w", webhookID, err)
	}
	return n, nil
}

// HeldInShard queries one shard of the held index: every held delivery of
// the webhooks in it, or with a non-zero before those created before it.
// Read HeldFields.
func HeldInShard(deliveries *docstore.Collection, shard int, before time.Time) *docstore.Query {
	q := deliveries.Query().Where(fieldHeldShard, "=", shard)
	if !before.IsZero() {
		q = q.Where(fieldCreatedMS, "<", herald.Millis(before))
	}
	return q
}

// EventDeliveries queries the deliveries made of the events published as
// eventID (in every scope: the by-event index holds the published id). Read
// EventDeliveryFields.
func EventDeliveries(deliveries *docstore.Collection, eventID string) *docstore.Query {
	return deliveries.Query().Where(fieldEventID, "=", eventID)
}

// Overdue queries one shard of the sweep's index: the pending deliveries due
// by cutoffMS. Read OverdueFields.
func Overdue(deliveries *docstore.Collection, shard int, cutoffMS int64) *docstore.Query {
	return deliveries.Query().
		Where(fieldDueShard, "=", shard).
		Where(fieldNextMS, "<=", cutoffMS)
}

// DueEntries queries one shard of the due-time index: the schedule entries
// due by untilMS, in due order. Read EntryFields.
func DueEntries(schedule *docstore.Collection, shard int, untilMS int64) *docstore.Query {
	return schedule.Query().
		Where(fieldDueShard, "=", shard).
		Where(fieldDueMS, "<=", untilMS).
		OrderBy(fieldDueMS, docstore.Ascending)
}

// SecretDuties queries one shard of the secret-duty index of webhooks or
// applications: those with a grace period ending or an expiry notice due by
// now. Read IDFields.
func SecretDuties(coll *docstore.Collection, shard int, now time.Time) *docstore.Query {
	return coll.Query().
		Where(fieldDutyShard, "=", shard).
		Where(fieldDutyMS, "<=", herald.Millis(now))
}

// Expired queries the events or deliveries past their retention at now.
// Read IDFields. DynamoDB's TTL deletes them there; this serves the other
// stores.
func Expired(coll *docstore.Collection, now time.Time) *docstore.Query {
	return coll.Query().Where(fieldExpiresAt, "<", now.Unix())
}

// OfScope queries the webhooks or applications of exactly one tenant and
// partner pair (not the unscoped one): all a bound caller may list. Read
// ScopeFields.
func OfScope(coll *docstore.Collection, tenant, partner string) *docstore.Query {
	return coll.Query().Where(fieldScope, "=", herald.ScopeKey(tenant, partner))
}

// InScope queries the webhooks or applications of a tenant, and of a
// partner within it; empty ones do not filter. An unbound admin's filters:
// on DynamoDB a scan. Read ScopeFields.
func InScope(coll *docstore.Collection, tenant, partner string) *docstore.Query {
	q := coll.Query()
	if tenant != "" {
		q = q.Where(fieldTenantID, "=", tenant)
	}
	if partner != "" {
		q = q.Where(fieldPartnerID, "=", partner)
	}
	return q
}

// Collections are the five collections, opened on any driver.
type Collections struct {
	Webhooks, Events, Deliveries, Schedule, Applications *docstore.Collection
}

// Query is one query Herald makes, with the fields it reads: what decides
// whether a DynamoDB index with a projection other than ALL can serve it.
type Query struct {
	Name   string
	Query  *docstore.Query
	Fields []docstore.FieldPath
	// Index is the GSI that serves the query on DynamoDB, or ByScan,
	// ByTTL.
	Index string
}

// Queries lists every query Herald makes on a hot, growing or periodic
// path, built by the functions above as Herald's code calls them (sharded
// ones for one shard), for the index tests of local mode's bolt://
// collections and of the template's tables on DynamoDB: on bolt:// each
// must read an index, on DynamoDB the one named.
//
// The name matters on DynamoDB: gocloud's driver takes the first GSI whose
// keys fit and whose projection holds the fields read, and applies the
// other filters to what that index holds — a filter on a field the index
// does not project matches nothing, silently.
func Queries(c Collections) []Query {
	const shard = 3
	const before = int64(1) << 40
	at := time.UnixMilli(1)
	return []Query{
		{"admin: a webhook's deliveries", WebhookDeliveries(c.Deliveries, "wh_1", ""), IDFields, "by_webhook"},
		{"admin: a webhook's deliveries by status", WebhookDeliveries(c.Deliveries, "wh_1", herald.StatusFailed), IDFields, "by_webhook"},
		{"admin, schedule: a recovering webhook's deliveries", WebhookDeliveriesAfter(c.Deliveries, "wh_1", 1), StatusFields, "by_webhook"},
		{"admin: the call log", LogShard(c.Deliveries, shard, "", "", before), IDFields, "by_log"},
		{"admin: the call log by status", LogShard(c.Deliveries, shard, herald.StatusFailed, "", before), IDFields, "by_log"},
		{"admin: the call log by event type", LogShard(c.Deliveries, shard, "", "order.created", before), IDFields, "by_log"},
		{"admin: the call log by status and event type", LogShard(c.Deliveries, shard, herald.StatusFailed, "order.created", before),
			IDFields, "by_log"},
		{"admin: a webhook's call log", WebhookDeliveriesBefore(c.Deliveries, "wh_1", herald.StatusFailed, before), IDFields, "by_webhook"},
		{"admin, ingest: a webhook's held deliveries", HeldDeliveries(c.Deliveries, "wh_1"), HeldFields, "by_held"},
		{"admin: resume, oldest first", HeldOldestFirst(c.Deliveries, "wh_1"), HeldFields, "by_held"},
		{"ingest: an event's deliveries", EventDeliveries(c.Deliveries, "evt_1"), EventDeliveryFields, "by_event"},
		{"schedule: sweep", Overdue(c.Deliveries, shard, 1), OverdueFields, "by_due"},
		{"schedule: due entries", DueEntries(c.Schedule, shard, 1), EntryFields, "by_due"},
		{"expiry: held deliveries", HeldInShard(c.Deliveries, shard, time.Time{}), HeldFields, "by_held"},
		{"expiry: held past the hold", HeldInShard(c.Deliveries, shard, at), HeldFields, "by_held"},
		{"expiry: webhook secret duties", SecretDuties(c.Webhooks, shard, at), IDFields, "by_secret_duty"},
		{"expiry: application secret duties", SecretDuties(c.Applications, shard, at), IDFields, "by_secret_duty"},
		{"expiry: expired deliveries", Expired(c.Deliveries, at), IDFields, ByTTL},
		{"expiry: expired events", Expired(c.Events, at), IDFields, ByTTL},
		{"admin: a bound caller's webhooks", OfScope(c.Webhooks, "tnt_1", "p_1"), ScopeFields, "by_scope"},
		{"admin: a bound caller's applications", OfScope(c.Applications, "", "p_1"), ScopeFields, "by_scope"},
		{"admin: an unbound caller's webhooks of a tenant", InScope(c.Webhooks, "tnt_1", ""), ScopeFields, ByScan},
		{"admin: an unbound caller's webhooks of a partner", InScope(c.Webhooks, "tnt_1", "p_1"), ScopeFields, ByScan},
		{"admin: an unbound caller's applications of a tenant", InScope(c.Applications, "tnt_1", ""), ScopeFields, ByScan},
	}
}

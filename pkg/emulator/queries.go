package emulator

import (
	"gocloud.dev/docstore"

	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/schedule"
)

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
	// Index is the template's GSI that serves the query on DynamoDB, or
	// ScanOnDynamoDB or TTLOnDynamoDB.
	Index string
}

// What serves a query on DynamoDB when no GSI does.
const (
	// ScanOnDynamoDB: an admin list of a small table (webhooks,
	// applications), which no periodic or per-event path runs.
	ScanOnDynamoDB = "scan"
	// TTLOnDynamoDB: not run on DynamoDB, whose TTL deletes expired items.
	TTLOnDynamoDB = "ttl"
)

// Queries lists every query Herald makes on a hot, growing or periodic
// path, as pkg/admin, pkg/ingest, pkg/schedule and pkg/expiry make them
// (sharded ones for one shard), for the index tests of local mode's bolt://
// collections (pkg/local) and of the template's tables on moto (this
// package): on bolt:// each must read an index, on DynamoDB the one named.
//
// The name matters on DynamoDB: gocloud's driver takes the first GSI whose
// keys fit and whose projection holds the fields read, and applies the
// other filters to what that index holds — a filter on a field the index
// does not project matches nothing, silently.
func Queries(c Collections) []Query {
	const shard = 3
	return []Query{
		{"admin: a webhook's deliveries", c.Deliveries.Query().Where("webhook_id", "=", "wh_1").
			Where("id", ">", int64(0)).OrderBy("id", docstore.Descending), ids, "by_webhook"},
		{"admin: a webhook's deliveries by status", c.Deliveries.Query().Where("webhook_id", "=", "wh_1").
			Where("status", "=", herald.StatusFailed).Where("id", ">", int64(0)).OrderBy("id", docstore.Descending), ids, "by_webhook"},
		{"admin, ingest: a webhook's held deliveries", schedule.HeldQuery(c.Deliveries, "wh_1"), schedule.HeldFields, "by_held"},
		{"admin: resume, oldest first", schedule.HeldQuery(c.Deliveries, "wh_1").
			Where("created_ms", ">", int64(0)).OrderBy("created_ms", docstore.Ascending), schedule.HeldFields, "by_held"},
		{"ingest: an event's deliveries", c.Deliveries.Query().Where("event_id", "=", "evt_1"),
			[]docstore.FieldPath{"id", "webhook_id"}, "by_event"},
		{"schedule: sweep", c.Deliveries.Query().Where("due_shard", "=", shard).
			Where("next_attempt_ms", "<=", int64(1)), []docstore.FieldPath{"id", "next_attempt_ms"}, "by_due"},
		{"schedule: due entries", c.Schedule.Query().Where("due_shard", "=", shard).
			Where("due_ms", "<=", int64(1)).OrderBy("due_ms", docstore.Ascending),
			[]docstore.FieldPath{"id", "due_ms", "delivery_id", "attempt", docstore.DefaultRevisionField}, "by_due"},
		{"expiry: held deliveries", c.Deliveries.Query().Where("held_shard", "=", shard), schedule.HeldFields, "by_held"},
		{"expiry: held past the hold", c.Deliveries.Query().Where("held_shard", "=", shard).
			Where("created_ms", "<", int64(1)), schedule.HeldFields, "by_held"},
		{"expiry: webhook secret duties", c.Webhooks.Query().Where("secret_duty_shard", "=", shard).
			Where("secret_duty_ms", "<=", int64(1)), ids, "by_secret_duty"},
		{"expiry: application secret duties", c.Applications.Query().Where("secret_duty_shard", "=", shard).
			Where("secret_duty_ms", "<=", int64(1)), ids, "by_secret_duty"},
		{"expiry: expired deliveries", c.Deliveries.Query().Where("expires_at", "<", int64(1)), ids, TTLOnDynamoDB},
		{"expiry: expired events", c.Events.Query().Where("expires_at", "<", int64(1)), ids, TTLOnDynamoDB},
		{"admin: a tenant's webhooks", c.Webhooks.Query().Where("tenant_id", "=", "tnt_1"), scopeFields, ScanOnDynamoDB},
		{"admin: a partner's webhooks", c.Webhooks.Query().Where("tenant_id", "=", "tnt_1").
			Where("partner_id", "=", "p_1"), scopeFields, ScanOnDynamoDB},
		{"admin: a tenant's applications", c.Applications.Query().Where("tenant_id", "=", "tnt_1"), scopeFields, ScanOnDynamoDB},
	}
}

var ids = []docstore.FieldPath{"id"}

// scopeFields are what the admin lists read of each webhook or application
// they count; the page is then read by key.
var scopeFields = []docstore.FieldPath{"id", "tenant_id", "partner_id"}

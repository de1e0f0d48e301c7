package store

import (
	"net/url"
	"strings"

	"gocloud.dev/docstore"
)

// Collection names: the path of each collection's URL and the name its
// index specs go by.
const (
	Webhooks     = "webhooks"
	Events       = "events"
	Deliveries   = "deliveries"
	Schedule     = "schedule"
	Applications = "applications"
)

// Names lists the collections.
var Names = []string{Webhooks, Events, Deliveries, Schedule, Applications}

// An Index is a secondary index of a collection that one of Herald's
// queries reads: a bolt:// index of local mode (Fields, in order), and where
// DynamoDB serves the query through one, the table's global secondary index
// (GSI: Fields[0] its partition key, Fields[1] its sort key, Include the
// other attributes it projects; none is KEYS_ONLY).
//
// Indexes is the source of both: BoltURL builds local mode's collection
// URLs from it and a test holds template.yaml's GSIs to it.
type Index struct {
	Collection string
	Fields     []string
	// GSI names the DynamoDB index; empty when the query is served there
	// otherwise (see DynamoDB).
	GSI     string
	Include []string
	// DynamoDB says how DynamoDB serves the query when no GSI does.
	DynamoDB string
	// Serves says which queries read the index.
	Serves string
	// Sparse says the index holds only the documents that have its first
	// field (boltdoc's Options.Sparse; a DynamoDB GSI is sparse by
	// nature): every query reading it filters on that field.
	Sparse bool
}

// How DynamoDB serves a query with no GSI of its own.
const (
	// ByTTL: the query is not run on DynamoDB, whose TTL deletes expired
	// items.
	ByTTL = "ttl"
	// ByFilter: the GSI of the index's leading field serves it, and the
	// other fields are filtered.
	ByFilter = "filter"
	// ByScan: an unbound admin's list of a small table, which no bound
	// caller, periodic or per-event path runs.
	ByScan = "scan"
)

// Indexes lists every secondary index Herald's queries read.
var Indexes = []Index{
	{Collection: Webhooks, Fields: []string{fieldScope, fieldID}, GSI: "by_scope", Include: []string{fieldTenantID, fieldPartnerID},
		Serves: "admin: a bound caller's webhooks (sparse: scoped ones only)", Sparse: true},
	{Collection: Webhooks, Fields: []string{fieldTenantID, fieldPartnerID}, DynamoDB: ByScan,
		Serves: "admin: an unbound caller's webhooks filtered by tenant or partner"},
	{Collection: Webhooks, Fields: []string{fieldDutyShard, fieldDutyMS}, GSI: "by_secret_duty",
		Serves: "expiry-notifier: grace periods ending, secrets nearing expiry (sparse)", Sparse: true},
	{Collection: Events, Fields: []string{fieldExpiresAt}, DynamoDB: ByTTL,
		Serves: "expiry-notifier: events past their retention"},
	{Collection: Deliveries, Fields: []string{fieldWebhookID, fieldID}, GSI: "by_webhook", Include: []string{fieldStatus},
		Serves: "admin: a webhook's deliveries, newest first (ids; the page is read by key)"},
	{Collection: Deliveries, Fields: []string{fieldWebhookID, fieldStatus, fieldID}, DynamoDB: ByFilter,
		Serves: "admin: a webhook's deliveries of one status, newest first"},
	{Collection: Deliveries, Fields: []string{fieldLogShard, fieldID}, GSI: "by_log", Include: []string{fieldStatus, fieldEventType},
		Serves: "admin: the call log across webhooks, newest first, shard by shard (ids; the page is read by key)"},
	{Collection: Deliveries, Fields: []string{fieldLogShard, fieldStatus, fieldID}, DynamoDB: ByFilter,
		Serves: "admin: the call log of one status"},
	{Collection: Deliveries, Fields: []string{fieldLogShard, fieldEventType, fieldID}, DynamoDB: ByFilter,
		Serves: "admin: the call log of one event type"},
	{Collection: Deliveries, Fields: []string{fieldEventID}, GSI: "by_event", Include: []string{fieldWebhookID},
		Serves: "ingest: resume an interrupted fan-out"},
	{Collection: Deliveries, Fields: []string{fieldDueShard, fieldNextMS}, GSI: "by_due",
		Serves: "retry-scheduler sweep: overdue pending deliveries (sparse: pending only)", Sparse: true},
	{Collection: Deliveries, Fields: []string{fieldHeldShard, fieldCreatedMS}, GSI: "by_held", Include: []string{fieldWebhookID, fieldStatus},
		Serves: "held deliveries: count, resume, release, give up (sparse: paused only)", Sparse: true},
	{Collection: Deliveries, Fields: []string{fieldExpiresAt}, DynamoDB: ByTTL,
		Serves: "expiry-notifier: finished deliveries past their retention (sparse: finished only)", Sparse: true},
	{Collection: Schedule, Fields: []string{fieldDueShard, fieldDueMS}, GSI: "by_due",
		Include: []string{fieldDeliveryID, fieldAttempt, docstore.DefaultRevisionField},
		Serves:  "retry-scheduler: entries falling due, in due order per shard"},
	{Collection: Applications, Fields: []string{fieldScope, fieldID}, GSI: "by_scope", Include: []string{fieldTenantID, fieldPartnerID},
		Serves: "admin: a bound caller's applications (sparse: scoped ones only)", Sparse: true},
	{Collection: Applications, Fields: []string{fieldTenantID, fieldPartnerID}, DynamoDB: ByScan,
		Serves: "admin: an unbound caller's applications filtered by tenant or partner"},
	{Collection: Applications, Fields: []string{fieldDutyShard, fieldDutyMS}, GSI: "by_secret_duty",
		Serves: "expiry-notifier: grace periods ending, secrets nearing expiry (sparse)", Sparse: true},
}

// BoltIndexes returns the fields of every index Indexes declares for
// collection, as boltdoc's Options.Indexes and Options.Sparse take them.
func BoltIndexes(collection string) (indexes, sparse [][]string) {
	for _, ix := range Indexes {
		switch {
		case ix.Collection != collection:
		case ix.Sparse:
			sparse = append(sparse, ix.Fields)
		default:
			indexes = append(indexes, ix.Fields)
		}
	}
	return indexes, sparse
}

// BoltURL returns the bolt:// URL of collection (keyed by id) with every
// index Indexes declares for it: local mode's default.
func BoltURL(collection string) string {
	q := url.Values{}
	indexes, sparse := BoltIndexes(collection)
	for _, fields := range indexes {
		q.Add("index", strings.Join(fields, ","))
	}
	for _, fields := range sparse {
		q.Add("sparse", strings.Join(fields, ","))
	}
	// The commas of an index spec read better unescaped, and boltdoc's URL
	// opener accepts them either way.
	return "bolt://" + collection + "/" + fieldID + "?" + strings.ReplaceAll(q.Encode(), "%2C", ",")
}

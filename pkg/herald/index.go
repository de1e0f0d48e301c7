package herald

import (
	"hash/fnv"
	"strconv"
	"time"
)

// Indexed fields. Some of each document's fields exist for the indexes
// that serve Herald's periodic queries (the sweep, held deliveries, secret
// duties, due schedule entries), and every writer sets them from the
// document's state through the methods here before it writes:
//
//   - Sharded: an index partitioned by a value that a handful of items
//     would share (a status, a constant) concentrates every write on one
//     partition. Its partition field is instead Shard(id), one of Shards
//     values, and a query asks each shard in turn.
//   - Sparse: the partition field is present only while the item is in the
//     state the index serves (pending, held, a secret duty outstanding), so
//     the index holds those items alone. Shard values start at 1 and the
//     fields are omitted when empty: 0 is "not in the index".
//   - Expiring: ExpiresAt, in Unix seconds as DynamoDB's TTL reads it, is
//     set on events at ingest and on deliveries when they finish; the store
//     (DynamoDB's TTL, or the expiry-notifier elsewhere) deletes them after
//     it.

// Shards is how many partitions a sharded index spreads its items over.
const Shards = 16

// Shard returns the shard of key, from 1 to Shards.
func Shard(key string) int {
	h := fnv.New32a()
	_, _ = h.Write([]byte(key)) // a hash.Hash never fails to write
	return int(h.Sum32()%Shards) + 1
}

// LogShards is how many partitions the call log's index (every delivery,
// newest first) spreads its items over: few, since a page of the log asks
// each of them, and enough that the deliveries written at once do not all
// land on one.
const LogShards = 4

// LogShardOf returns the call-log shard of a delivery id, from 1 to
// LogShards. An id's low bits are a hash (see DeliveryIDFor), so the
// deliveries spread evenly.
func LogShardOf(id int64) int { return int(uint64(id)%LogShards) + 1 }

// ShardOf returns the shard of a delivery id.
func ShardOf(id int64) int { return Shard(strconv.FormatInt(id, 10)) }

// DefaultRetention is how long events and finished deliveries are kept
// unless the deployment says otherwise (HERALD_RETENTION).
const DefaultRetention = 30 * 24 * time.Hour

// ExpiresAt returns the TTL value of a document kept for retention from
// now: Unix seconds. A retention of 0 or less means DefaultRetention.
func ExpiresAt(now time.Time, retention time.Duration) int64 {
	return now.Add(PositiveOr(retention, DefaultRetention)).Unix()
}

// Derive sets the delivery's indexed fields from its status, before a
// write: LogShard always, DueShard while pending, HeldShard while paused, and ExpiresAt once
// finished (now plus retention, kept while it stays finished; cleared when a
// retry makes it pending again). Its ID and WebhookID must be set.
func (d *Delivery) Derive(now time.Time, retention time.Duration) {
	d.LogShard, d.DueShard, d.HeldShard = LogShardOf(d.ID), 0, 0
	switch d.Status {
	case StatusPending:
		d.DueShard = ShardOf(d.ID)
	case StatusPaused:
		d.HeldShard = Shard(d.WebhookID)
	}
	switch {
	case !d.Status.Finished():
		d.ExpiresAt = 0
	case d.ExpiresAt == 0:
		d.ExpiresAt = ExpiresAt(now, retention)
	}
}

// Derive sets the webhook's indexed fields before a write: its
// SecretDutyShard and SecretDutyMS from its secret fields, and its Scope.
func (w *Webhook) Derive() {
	w.Scope = ScopeKey(w.TenantID, w.PartnerID)
	w.SecretDutyMS = SecretDutyMS(w.PreviousSealedSecret != "", w.PreviousSecretUntilMS,
		w.SecretExpiresMS, w.SecretExpiryNotified)
	w.SecretDutyShard = dutyShard(w.ID, w.SecretDutyMS)
}

// Derive sets the application's indexed fields before a write:
// its SecretDutyShard and SecretDutyMS from its secret fields, and its
// Scope.
func (a *Application) Derive() {
	a.Scope = ScopeKey(a.TenantID, a.PartnerID)
	a.SecretDutyMS = SecretDutyMS(a.PreviousSecretHash != "", a.PreviousSecretUntilMS,
		a.SecretExpiresMS, a.SecretExpiryNotified)
	a.SecretDutyShard = dutyShard(a.ID, a.SecretDutyMS)
}

// ScopeKey returns the key of a tenant and partner pair in the scope index:
// the two ids, each quoted as a Go string literal and joined by a space, so
// that no two pairs share a key; "" (absent: not in the index) for the
// unscoped pair.
func ScopeKey(tenantID, partnerID string) string {
	if tenantID == "" && partnerID == "" {
		return ""
	}
	return strconv.Quote(tenantID) + " " + strconv.Quote(partnerID)
}

func dutyShard(id string, dutyMS int64) int {
	if dutyMS == 0 {
		return 0
	}
	return Shard(id)
}

// SecretDutyMS returns when the expiry-notifier next has something to do
// for a secret holder, 0 for never: the end of a rotated-out secret's grace
// period (when one is kept), or the next expiry threshold not yet announced
// (notified is the smallest one announced, 0 for none), whichever is first.
func SecretDutyMS(hasPrevious bool, previousUntilMS, expiresMS int64, notified time.Duration) int64 {
	var due int64
	if hasPrevious {
		due = max(previousUntilMS, 1)
	}
	if expiresMS > 0 {
		var next time.Duration // the largest threshold not announced yet
		for _, t := range SecretExpiryThresholds {
			if (notified == 0 || t < notified) && t > next {
				next = t
			}
		}
		if next > 0 {
			at := max(expiresMS-next.Milliseconds(), 1)
			if due == 0 || at < due {
				due = at
			}
		}
	}
	return due
}

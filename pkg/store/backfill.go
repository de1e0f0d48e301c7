package store

import (
	"context"
	"fmt"
	"io"
	"time"

	"gocloud.dev/docstore"
	"gocloud.dev/gcerrors"

	"github.com/heraldhq/herald/pkg/herald"
)

// Backfill versions: what the data dir's documents carry once backfilled.
// Version 1 adds the indexed fields (herald's Derive methods): due_shard,
// held_shard and expires_at on deliveries, expires_at on events,
// secret_duty_shard and secret_duty_ms on webhooks and applications, and
// due_shard on schedule entries. Version 2 adds scope on webhooks and
// applications. Version 3 adds log_shard on deliveries (the call log).
const (
	backfillVersion = 3
	backfillID      = "local-backfill" // the marker, in the schedule collection
)

// backfillBatch is how many documents one action list updates.
const backfillBatch = 100

// backfillMarker records the backfill version a data dir's documents have.
type backfillMarker struct {
	ID      string `docstore:"id"`
	Version int    `docstore:"version"`

	DocstoreRevision any
}

// Backfill gives the documents of a data dir written before a version of
// Herald that indexes a field that field, once: every delivery the call
// log's index must see, a pending delivery the sweep's index must see, a held one, a finished one that must expire
// (retention after its last write), an event (retention after its ingest),
// a secret duty outstanding, a schedule entry. Without it they would be
// invisible to the queries that read those indexes. A marker in the schedule
// collection makes later starts skip it.
func Backfill(ctx context.Context, res Collections, retention time.Duration) (int, error) {
	marker := &backfillMarker{ID: backfillID}
	switch err := res.Schedule.Get(ctx, marker); {
	case err == nil && marker.Version >= backfillVersion:
		return 0, nil
	case err != nil && gcerrors.Code(err) != gcerrors.NotFound:
		return 0, fmt.Errorf("read backfill marker: %w", err)
	}
	steps := []struct {
		what string
		coll *docstore.Collection
		fill func(doc map[string]any) docstore.Mods
	}{
		{Deliveries, res.Deliveries, func(doc map[string]any) docstore.Mods { return deliveryMods(doc, retention) }},
		{Events, res.Events, func(doc map[string]any) docstore.Mods { return eventMods(doc, retention) }},
		{Webhooks, res.Webhooks, secretDutyMods},
		{Applications, res.Applications, secretDutyMods},
		{Schedule, res.Schedule, entryMods},
	}
	total := 0
	for _, s := range steps {
		n, err := backfillColl(ctx, s.coll, s.fill)
		total += n
		if err != nil {
			return total, fmt.Errorf("backfill %s: %w", s.what, err)
		}
	}
	marker.Version = backfillVersion
	if err := res.Schedule.Put(ctx, marker); err != nil {
		return total, fmt.Errorf("write backfill marker: %w", err)
	}
	return total, nil
}

// backfillColl reads every document of coll and applies the mods fill
// returns for it (nil: nothing to change), in batches.
func backfillColl(ctx context.Context, coll *docstore.Collection, fill func(map[string]any) docstore.Mods) (int, error) {
	iter := coll.Query().Get(ctx)
	defer iter.Stop()
	total, batch := 0, 0
	actions := coll.Actions()
	flush := func() error {
		if batch == 0 {
			return nil
		}
		err := actions.Do(ctx)
		total, batch, actions = total+batch, 0, coll.Actions()
		return err
	}
	for {
		doc := map[string]any{}
		err := iter.Next(ctx, doc)
		if err == io.EOF {
			return total, flush()
		}
		if err != nil {
			return total, err
		}
		mods := fill(doc)
		if len(mods) == 0 {
			continue
		}
		actions.Update(map[string]any{fieldID: doc[fieldID]}, mods)
		if batch++; batch == backfillBatch {
			if err := flush(); err != nil {
				return total, err
			}
		}
	}
}

// changed returns the mods that make doc's fields what want says (a zero
// value: absent), nil when they are already.
func changed(doc map[string]any, want map[string]int64) docstore.Mods {
	mods := docstore.Mods{}
	for field, v := range want {
		has, present := doc[field]
		switch {
		case v == 0 && present:
			mods[docstore.FieldPath(field)] = nil
		case v != 0 && (!present || toInt64(has) != v):
			mods[docstore.FieldPath(field)] = v
		}
	}
	if len(mods) == 0 {
		return nil
	}
	return mods
}

func deliveryMods(doc map[string]any, retention time.Duration) docstore.Mods {
	d := herald.Delivery{ID: toInt64(doc[fieldID]), WebhookID: toString(doc[fieldWebhookID]),
		Status: herald.Status(toString(doc[fieldStatus])), ExpiresAt: toInt64(doc[fieldExpiresAt])}
	// A finished delivery expires a retention after its last write, as
	// close as the document tells to when it finished.
	last := max(toInt64(doc[fieldUpdatedMS]), toInt64(doc[fieldCreatedMS]))
	d.Derive(herald.FromMillis(last), retention)
	return changed(doc, map[string]int64{fieldLogShard: int64(d.LogShard), fieldDueShard: int64(d.DueShard),
		fieldHeldShard: int64(d.HeldShard), fieldExpiresAt: d.ExpiresAt})
}

func eventMods(doc map[string]any, retention time.Duration) docstore.Mods {
	if _, ok := doc[fieldExpiresAt]; ok {
		return nil
	}
	return docstore.Mods{fieldExpiresAt: herald.ExpiresAt(herald.FromMillis(toInt64(doc[fieldCreatedMS])), retention)}
}

func secretDutyMods(doc map[string]any) docstore.Mods {
	id := toString(doc[fieldID])
	previous := toString(doc[fieldPreviousSecret]) + toString(doc[fieldPreviousSecretHash])
	due := herald.SecretDutyMS(previous != "", toInt64(doc[fieldPreviousUntilMS]),
		toInt64(doc[fieldSecretExpiresMS]), time.Duration(toInt64(doc[fieldExpiryNotified])))
	shard := int64(0)
	if due != 0 {
		shard = int64(herald.Shard(id))
	}
	mods := changed(doc, map[string]int64{fieldDutyShard: shard, fieldDutyMS: due})
	scope := herald.ScopeKey(toString(doc[fieldTenantID]), toString(doc[fieldPartnerID]))
	if has, present := doc[fieldScope]; present != (scope != "") || toString(has) != scope {
		if mods == nil {
			mods = docstore.Mods{}
		}
		mods[fieldScope] = nil
		if scope != "" {
			mods[fieldScope] = scope
		}
	}
	return mods
}

// entryMods shards a schedule entry (a document with a delivery_id; the
// table's other documents have none).
func entryMods(doc map[string]any) docstore.Mods {
	if toInt64(doc[fieldDeliveryID]) == 0 {
		return nil
	}
	return changed(doc, map[string]int64{fieldDueShard: int64(herald.Shard(toString(doc[fieldID])))})
}

func toInt64(v any) int64 {
	switch n := v.(type) {
	case int64:
		return n
	case int:
		return int64(n)
	case float64:
		return int64(n)
	}
	return 0
}

func toString(v any) string {
	s, _ := v.(string)
	return s
}

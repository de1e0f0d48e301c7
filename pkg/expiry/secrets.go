package expiry

import (
	"context"
	"fmt"
	"time"

	"gocloud.dev/docstore"

	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/ownevent"
	"github.com/heraldhq/herald/pkg/store"
)

// holder is a webhook or an application as the secret duties see it: whom
// the events are about, and pointers to the fields the duties change in the
// document it was read into.
type holder struct {
	doc   docstore.Document // *herald.Webhook or *herald.Application
	owner ownevent.SecretOwner
	// webhook is doc when it is a webhook: its writes go through
	// store.WebhookWrites, which tells the tables that copy webhooks.
	webhook *herald.Webhook

	// previous is the rotated-out secret (sealed) or hash, kept until
	// *previousUntilMS.
	previous        *string
	previousUntilMS *int64
	expiresMS       int64
	notified        *time.Duration
	// derive sets the document's secret-duty fields (*dutyMS among them)
	// from the others.
	derive func()
	dutyMS *int64
}

func webhookHolder(w *herald.Webhook) *holder {
	owner := ownevent.SecretOwner{Kind: ownevent.WebhookSecret, ID: w.ID, Name: w.Name,
		TenantID: w.TenantID, PartnerID: w.PartnerID}
	return &holder{doc: w, owner: owner, webhook: w,
		previous: &w.PreviousSealedSecret, previousUntilMS: &w.PreviousSecretUntilMS,
		expiresMS: w.SecretExpiresMS, notified: &w.SecretExpiryNotified,
		derive: w.Derive, dutyMS: &w.SecretDutyMS}
}

func applicationHolder(a *herald.Application) *holder {
	owner := ownevent.SecretOwner{Kind: ownevent.ApplicationSecret, ID: a.ID, Name: a.Name,
		TenantID: a.TenantID, PartnerID: a.PartnerID}
	return &holder{doc: a, owner: owner,
		previous: &a.PreviousSecretHash, previousUntilMS: &a.PreviousSecretUntilMS,
		expiresMS: a.SecretExpiresMS, notified: &a.SecretExpiryNotified,
		derive: a.Derive, dutyMS: &a.SecretDutyMS}
}

// secretDuties ends the grace periods that are over and warns of secrets
// nearing expiry, for the webhooks and, when configured, the applications
// with a duty due: those the sparse, sharded secret-duty index holds with a
// due time passed. Each is read whole by key.
func (n *Notifier) secretDuties(ctx context.Context, now time.Time) (graceEnded, notified int, err error) {
	colls := []struct {
		coll *docstore.Collection
		what string
		due  func(context.Context, *docstore.Collection, time.Time) ([]string, error)
		read func(context.Context, *docstore.Collection, string) (*holder, error)
	}{
		{n.cfg.Webhooks, "webhooks", dueIDs(func(w *herald.Webhook) string { return w.ID }), readWebhook},
		{n.cfg.Applications, "applications", dueIDs(func(a *herald.Application) string { return a.ID }), readApplication},
	}
	for _, c := range colls {
		if c.coll == nil {
			continue
		}
		ids, err := c.due(ctx, c.coll, now)
		if err != nil {
			return graceEnded, notified, fmt.Errorf("query %s with secret duties: %w", c.what, err)
		}
		for _, id := range ids {
			h, err := c.read(ctx, c.coll, id)
			if err != nil || h == nil {
				return graceEnded, notified, err
			}
			g, e, err := n.secretDuty(ctx, c.coll, h, now)
			graceEnded, notified = graceEnded+g, notified+e
			if err != nil {
				return graceEnded, notified, err
			}
		}
	}
	return graceEnded, notified, nil
}

// dueIDs returns a function that lists the ids of the documents (each a T,
// its key read by id) of a collection whose secret duty is due by now,
// reading every shard of the secret-duty index. It reads them all before
// any is written, so no write can disturb the query.
func dueIDs[T any](id func(*T) string) func(context.Context, *docstore.Collection, time.Time) ([]string, error) {
	return func(ctx context.Context, coll *docstore.Collection, now time.Time) ([]string, error) {
		var ids []string
		for shard := 1; shard <= herald.Shards; shard++ {
			it := store.SecretDuties(coll, shard, now).Get(ctx, store.IDFields...)
			for doc, err := range store.Docs[T](ctx, it) {
				if err != nil {
					return nil, err
				}
				ids = append(ids, id(doc))
			}
		}
		return ids, nil
	}
}

// readWebhook reads webhook id whole; nil when it is gone.
func readWebhook(ctx context.Context, coll *docstore.Collection, id string) (*holder, error) {
	w := &herald.Webhook{ID: id}
	if ok, err := getDoc(ctx, coll, w, "webhook", id); !ok {
		return nil, err
	}
	return webhookHolder(w), nil
}

// readApplication reads application id whole; nil when it is gone.
func readApplication(ctx context.Context, coll *docstore.Collection, id string) (*holder, error) {
	a := &herald.Application{ID: id}
	if ok, err := getDoc(ctx, coll, a, "application", id); !ok {
		return nil, err
	}
	return applicationHolder(a), nil
}

func getDoc(ctx context.Context, coll *docstore.Collection, doc docstore.Document, what, id string) (bool, error) {
	switch err := coll.Get(ctx, doc); {
	case store.NotFound(err):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("read %s %s: %w", what, id, err)
	}
	return true, nil
}

// secretDuty publishes what is due for h, then records it with one
// revision-checked write. Each event has a deterministic event_id, so when the
// write fails (or the process dies before it) the next tick publishes it
// again and ingest creates nothing for the repeat: at least once, delivered
// once. A document changed meanwhile is left for the next tick.
func (n *Notifier) secretDuty(ctx context.Context, coll *docstore.Collection, h *holder, now time.Time) (graceEnded, notified int, err error) {
	until, graceDue := graceOver(h, now)
	threshold, expiringDue := expiringThreshold(h, now)
	if !graceDue && !expiringDue {
		// Listed as due but nothing is: a document written before its
		// duty fields were kept (or by a writer that did not set them).
		// Set them, so it leaves the index or waits for its real time.
		return 0, 0, n.rederive(ctx, coll, h)
	}
	if graceDue {
		if err := ownevent.PublishGraceEnded(ctx, n.cfg.Ingest, h.owner, until, now); err != nil {
			return 0, 0, err
		}
		*h.previous, *h.previousUntilMS = "", 0
		graceEnded = 1
	}
	if expiringDue {
		if err := ownevent.PublishSecretExpiring(ctx, n.cfg.Ingest, h.owner, h.expiresMS, threshold, now); err != nil {
			return 0, 0, err
		}
		*h.notified = threshold
		notified = 1
	}
	if err := n.write(ctx, coll, h); err != nil {
		if store.Conflict(err) {
			return 0, 0, nil // changed meanwhile: the next tick sees it again
		}
		return 0, 0, fmt.Errorf("record secret duties of %s: %w", h.owner.ID, err)
	}
	return graceEnded, notified, nil
}

// write replaces h's document with the revision it was read with, its
// secret-duty fields set from the rest. A webhook is written through
// store.WebhookWrites, which tells this process's table and bumps the
// revision for the tables of others (a failed bump is logged: the write is
// done, and other tables see it at the next bump).
func (n *Notifier) write(ctx context.Context, coll *docstore.Collection, h *holder) error {
	if h.webhook != nil {
		ww := store.WebhookWrites{Coll: coll, Table: n.cfg.Table, Revision: n.cfg.Revision, Logger: n.cfg.Logger}
		return ww.Replace(ctx, h.webhook)
	}
	h.derive()
	return coll.Replace(ctx, h.doc)
}

// rederive writes h's secret-duty fields when they are not what its other
// fields say; a document changed meanwhile is left for the next tick.
func (n *Notifier) rederive(ctx context.Context, coll *docstore.Collection, h *holder) error {
	before := *h.dutyMS
	h.derive()
	if *h.dutyMS == before {
		return nil
	}
	if err := n.write(ctx, coll, h); err != nil && !store.Conflict(err) {
		return fmt.Errorf("set secret duty of %s: %w", h.owner.ID, err)
	}
	return nil
}

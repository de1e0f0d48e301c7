package expiry

import (
	"context"
	"fmt"
	"io"
	"time"

	"gocloud.dev/docstore"
	"gocloud.dev/gcerrors"
	"gocloud.dev/pubsub"

	"github.com/heraldhq/herald/pkg/herald"
)

// holder is a webhook or an application as the secret duties see it: what the
// events say about it, and pointers to the fields the duties change in the
// document it was read into.
type holder struct {
	doc   docstore.Document // *herald.Webhook or *herald.Application
	kind  *holderKind
	id    string
	name  string
	scope [2]string // tenant id, partner id

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

// holderKind is what differs between a webhook's and an application's events.
type holderKind struct {
	// idPrefix starts every event_id, so a webhook and an application with
	// the same id cannot share one.
	idPrefix             string
	graceEnded, expiring string // event types
	idKey, graceNameKey  string // data keys
}

var (
	webhookKind = &holderKind{idPrefix: "evt_", graceEnded: herald.EventSecretGraceEnded,
		expiring: herald.EventSecretExpiring, idKey: "webhook_id", graceNameKey: "webhook_name"}
	applicationKind = &holderKind{idPrefix: "evt_app_", graceEnded: herald.EventAppSecretGraceEnded,
		expiring: herald.EventAppSecretExpiring, idKey: "application_id", graceNameKey: "name"}
)

func webhookHolder(w *herald.Webhook) *holder {
	return &holder{doc: w, kind: webhookKind, id: w.ID, name: w.Name, scope: [2]string{w.TenantID, w.PartnerID},
		previous: &w.PreviousSealedSecret, previousUntilMS: &w.PreviousSecretUntilMS,
		expiresMS: w.SecretExpiresMS, notified: &w.SecretExpiryNotified,
		derive: w.DeriveSecretDuty, dutyMS: &w.SecretDutyMS}
}

func applicationHolder(a *herald.Application) *holder {
	return &holder{doc: a, kind: applicationKind, id: a.ID, name: a.Name, scope: [2]string{a.TenantID, a.PartnerID},
		previous: &a.PreviousSecretHash, previousUntilMS: &a.PreviousSecretUntilMS,
		expiresMS: a.SecretExpiresMS, notified: &a.SecretExpiryNotified,
		derive: a.DeriveSecretDuty, dutyMS: &a.SecretDutyMS}
}

// secretDuties ends the grace periods that are over and warns of secrets
// nearing expiry, for the webhooks and, when configured, the applications
// with a duty due: those the sparse, sharded secret-duty index
// (secret_duty_shard, secret_duty_ms) holds with a due time passed. Each is
// read whole by key.
func (n *Notifier) secretDuties(ctx context.Context, now time.Time) (graceEnded, notified int, err error) {
	colls := []struct {
		coll *docstore.Collection
		what string
		read func(context.Context, *docstore.Collection, string) (*holder, error)
	}{{n.cfg.Webhooks, "webhooks", readWebhook}, {n.cfg.Applications, "applications", readApplication}}
	for _, c := range colls {
		if c.coll == nil {
			continue
		}
		ids, err := dueIDs(ctx, c.coll, now)
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

// dueIDs returns the ids of the documents of coll whose secret duty is due
// by now, reading every shard of the secret-duty index. It reads them all
// before any is written, so no write can disturb the query.
func dueIDs(ctx context.Context, coll *docstore.Collection, now time.Time) ([]string, error) {
	var ids []string
	for shard := 1; shard <= herald.Shards; shard++ {
		iter := coll.Query().
			Where("secret_duty_shard", "=", shard).
			Where("secret_duty_ms", "<=", herald.Millis(now)).
			Get(ctx, "id")
		for {
			var doc struct {
				ID string `docstore:"id"`
			}
			err := iter.Next(ctx, &doc)
			if err == io.EOF {
				break
			}
			if err != nil {
				iter.Stop()
				return nil, err
			}
			ids = append(ids, doc.ID)
		}
		iter.Stop()
	}
	return ids, nil
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
	case gcerrors.Code(err) == gcerrors.NotFound:
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
	grace, graceDue := graceEndedEvent(h, now)
	expiring, threshold, expiringDue := expiringEvent(h, now)
	if !graceDue && !expiringDue {
		// Listed as due but nothing is: a document written before its
		// duty fields were kept (or by a writer that did not set them).
		// Set them, so it leaves the index or waits for its real time.
		return 0, 0, n.rederive(ctx, coll, h)
	}
	if graceDue {
		if err := publish(ctx, n.cfg.Ingest, grace); err != nil {
			return 0, 0, err
		}
		*h.previous, *h.previousUntilMS = "", 0
		graceEnded = 1
	}
	if expiringDue {
		if err := publish(ctx, n.cfg.Ingest, expiring); err != nil {
			return 0, 0, err
		}
		*h.notified = threshold
		notified = 1
	}
	if err := n.write(ctx, coll, h); err != nil {
		if gcerrors.Code(err) == gcerrors.FailedPrecondition {
			return 0, 0, nil // changed meanwhile: the next tick sees it again
		}
		return 0, 0, fmt.Errorf("record secret duties of %s: %w", h.id, err)
	}
	return graceEnded, notified, nil
}

// write replaces h's document, with its secret-duty fields set from the
// rest, and tells the webhook tables of a webhook written. The write is
// done when the revision's bump fails: that is logged, and other processes'
// tables see the write at the next bump.
func (n *Notifier) write(ctx context.Context, coll *docstore.Collection, h *holder) error {
	h.derive()
	err := coll.Replace(ctx, h.doc)
	if coll != n.cfg.Webhooks {
		return err
	}
	n.cfg.Table.Changed(h.id)
	if err != nil {
		return err
	}
	if err := n.cfg.Revision.Bump(ctx); err != nil {
		n.cfg.Logger.Error("webhooks revision not bumped", "webhook_id", h.id, "error", err)
	}
	return nil
}

// rederive writes h's secret-duty fields when they are not what its other
// fields say; a document changed meanwhile is left for the next tick.
func (n *Notifier) rederive(ctx context.Context, coll *docstore.Collection, h *holder) error {
	before := *h.dutyMS
	h.derive()
	if *h.dutyMS == before {
		return nil
	}
	if err := n.write(ctx, coll, h); err != nil && gcerrors.Code(err) != gcerrors.FailedPrecondition {
		return fmt.Errorf("set secret duty of %s: %w", h.id, err)
	}
	return nil
}

// publish sends one of Herald's own events to the ingest topic.
func publish(ctx context.Context, ingest *pubsub.Topic, ev herald.OwnEvent) error {
	body, err := ev.Encode()
	if err != nil {
		return fmt.Errorf("encode %s event: %w", ev.EventType, err)
	}
	if err := ingest.Send(ctx, &pubsub.Message{Body: body}); err != nil {
		return fmt.Errorf("publish %s event: %w", ev.EventType, err)
	}
	return nil
}

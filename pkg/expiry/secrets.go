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
		expiresMS: w.SecretExpiresMS, notified: &w.SecretExpiryNotified}
}

func applicationHolder(a *herald.Application) *holder {
	return &holder{doc: a, kind: applicationKind, id: a.ID, name: a.Name, scope: [2]string{a.TenantID, a.PartnerID},
		previous: &a.PreviousSecretHash, previousUntilMS: &a.PreviousSecretUntilMS,
		expiresMS: a.SecretExpiresMS, notified: &a.SecretExpiryNotified}
}

// secretDuties ends the grace periods that are over and warns of secrets
// nearing expiry, for every webhook and, when configured, every application.
// Both collections are small next to deliveries: scanning them each tick is
// the design.
func (n *Notifier) secretDuties(ctx context.Context, now time.Time) (graceEnded, notified int, err error) {
	colls := []struct {
		coll *docstore.Collection
		what string
		scan func(context.Context, *docstore.Collection) ([]*holder, error)
	}{{n.cfg.Webhooks, "webhooks", scanWebhooks}, {n.cfg.Applications, "applications", scanApplications}}
	for _, c := range colls {
		if c.coll == nil {
			continue
		}
		holders, err := c.scan(ctx, c.coll)
		if err != nil {
			return graceEnded, notified, fmt.Errorf("scan %s: %w", c.what, err)
		}
		for _, h := range holders {
			g, e, err := n.secretDuty(ctx, c.coll, h, now)
			graceEnded, notified = graceEnded+g, notified+e
			if err != nil {
				return graceEnded, notified, err
			}
		}
	}
	return graceEnded, notified, nil
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
		return 0, 0, nil
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
	err = coll.Replace(ctx, h.doc)
	if coll == n.cfg.Webhooks {
		n.cfg.Table.Changed(h.id)
	}
	if err != nil {
		if gcerrors.Code(err) == gcerrors.FailedPrecondition {
			return 0, 0, nil // changed meanwhile: the next tick sees it again
		}
		return 0, 0, fmt.Errorf("record secret duties of %s: %w", h.id, err)
	}
	return graceEnded, notified, nil
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

// scanWebhooks reads every webhook. It reads them all before any is written,
// so no write can disturb the scan.
func scanWebhooks(ctx context.Context, coll *docstore.Collection) ([]*holder, error) {
	var out []*holder
	err := scan(ctx, coll, func() docstore.Document { return new(herald.Webhook) }, func(d docstore.Document) {
		out = append(out, webhookHolder(d.(*herald.Webhook)))
	})
	return out, err
}

// scanApplications reads every application, as scanWebhooks.
func scanApplications(ctx context.Context, coll *docstore.Collection) ([]*holder, error) {
	var out []*holder
	err := scan(ctx, coll, func() docstore.Document { return new(herald.Application) }, func(d docstore.Document) {
		out = append(out, applicationHolder(d.(*herald.Application)))
	})
	return out, err
}

// scan calls add with every document of coll.
func scan(ctx context.Context, coll *docstore.Collection, newDoc func() docstore.Document, add func(docstore.Document)) error {
	iter := coll.Query().Get(ctx)
	defer iter.Stop()
	for {
		d := newDoc()
		err := iter.Next(ctx, d)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		add(d)
	}
}

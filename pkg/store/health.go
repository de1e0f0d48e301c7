package store

import (
	"context"
	"errors"
	"fmt"

	"gocloud.dev/docstore"

	"github.com/heraldhq/herald/pkg/herald"
)

// healthTries bounds the revision-checked writes of one attempt's health:
// each conflict is another attempt's result (or an admin write) written
// first, so it takes a burst of that many results for one endpoint at once
// to exhaust them. The attempt is then not recorded, and tried again.
const healthTries = 100

// RecordHealth records an attempt's result in webhook id's health with one
// revision-checked write of the webhook as it is: apply changes its health
// fields (ConsecutiveFailures, FailingSinceMS, HealthRunMS, Unhealthy) and
// sets HealthEvent to the endpoint event the change calls for, and reports
// whether it changed anything. So the count, the unhealthy mark and the
// decision to announce are made together, against every result recorded
// before; of concurrent results each applies to what the others wrote, and
// an event is decided once, by the write that makes its change.
//
// An event the webhook still carries (its publish failed, or has not been
// cleared yet) is handed to publish before the write replaces it; the
// write's own event is published after it, then cleared (ClearHealthEvent).
// publish must be idempotent: event ids derive from the run. A webhook
// whose health apply leaves alone (a success to a healthy endpoint) costs
// one read of its health fields and no write. It returns the webhook as
// written (then only its health fields when nothing was written), nil when
// it is gone.
func (s WebhookWrites) RecordHealth(ctx context.Context, id string, publish func(*herald.Webhook) error,
	apply func(*herald.Webhook) bool) (*herald.Webhook, error) {
	if w, err := s.healthOnly(ctx, id); err != nil || w == nil || w.HealthEvent == nil && !apply(w) {
		return w, err
	}
	for try := 1; ; try++ {
		w, err := s.Get(ctx, id)
		if errors.Is(err, herald.ErrNotFound) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		pending := w.HealthEvent
		if pending != nil {
			if err := publish(w); err != nil {
				return nil, err
			}
			w.HealthEvent = nil
		}
		if !apply(w) && pending == nil {
			return w, nil
		}
		err = s.update(ctx, w, healthMods(w))
		switch {
		case err == nil:
			return w, s.announce(ctx, w, publish)
		case NotFound(err):
			return nil, nil
		case !Conflict(err) || try == healthTries:
			return nil, fmt.Errorf("record health of webhook %s: %w", id, err)
		}
	}
}

// healthFields are the fields a result's health depends on.
var healthFields = []docstore.FieldPath{fieldFailures, fieldFailingSinceMS, fieldHealthRunMS, fieldUnhealthy, fieldHealthEvent}

// healthOnly reads webhook id's health fields (strongly consistent, as every
// read): nil when it is gone.
func (s WebhookWrites) healthOnly(ctx context.Context, id string) (*herald.Webhook, error) {
	w := &herald.Webhook{ID: id}
	if err := s.Coll.Get(ctx, w, healthFields...); err != nil {
		if NotFound(err) {
			return nil, nil
		}
		return nil, fmt.Errorf("read health of webhook %s: %w", id, err)
	}
	return w, nil
}

// announce publishes the event w was written with, if any, then clears it
// (see ClearHealthEvent). A failed publish is returned: the event stays on
// the webhook, and the next write of its health publishes it.
func (s WebhookWrites) announce(ctx context.Context, w *herald.Webhook, publish func(*herald.Webhook) error) error {
	if w.HealthEvent == nil {
		return nil
	}
	if err := publish(w); err != nil {
		return err
	}
	return s.ClearHealthEvent(ctx, w)
}

// ClearHealthEvent removes w's HealthEvent, published, if the webhook still
// carries that one: a revision-checked update, read again after each
// conflict (other results' writes), that leaves a later event alone. After
// ModifyTries conflicts it gives up quietly: the event is published again,
// under the same id, by the next write of the health.
func (s WebhookWrites) ClearHealthEvent(ctx context.Context, w *herald.Webhook) error {
	ev := *w.HealthEvent
	return s.markWhile(ctx, w, docstore.Mods{fieldHealthEvent: nil}, ModifyTries, "health event published",
		func(w *herald.Webhook) bool { return w.HealthEvent != nil && *w.HealthEvent == ev })
}

// healthMods are the field updates that write w's health. The event is
// written as a map of its stored field names: a struct in a field update
// reaches DynamoDB encoded by the SDK, which knows no docstore tags.
func healthMods(w *herald.Webhook) docstore.Mods {
	var ev any // nil removes it
	if e := w.HealthEvent; e != nil {
		ev = map[string]any{fieldType: e.Type, fieldRunMS: e.RunMS, fieldEventFailures: e.Failures,
			fieldStatusCode: e.StatusCode, fieldError: e.Error, fieldAtMS: e.AtMS}
	}
	return docstore.Mods{fieldFailures: w.ConsecutiveFailures, fieldFailingSinceMS: w.FailingSinceMS,
		fieldHealthRunMS: w.HealthRunMS, fieldUnhealthy: w.Unhealthy, fieldHealthEvent: ev}
}

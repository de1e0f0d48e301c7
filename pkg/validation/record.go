package validation

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gocloud.dev/pubsub"

	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/ownevent"
	"github.com/heraldhq/herald/pkg/store"
)

// Recorder records validations on webhooks and announces each run of
// failed re-validations once.
type Recorder struct {
	// Writes writes the webhooks. Required.
	Writes store.WebhookWrites
	// OwnEvents is where webhook.endpoint.validation_failed is published.
	// Required for Revalidate.
	OwnEvents *pubsub.Topic
	// Now returns the current time. Defaults to time.Now.
	Now func() time.Time
}

// now returns the current time by r's clock.
func (r Recorder) now() time.Time {
	if r.Now == nil {
		return time.Now()
	}
	return r.Now()
}

// Record records res on wh with a revision-checked write; when the webhook
// changed meanwhile it is read again and res recorded on it, unless its URL
// changed (res was for a URL it no longer has): wh then shows it as it is.
// A success ends a run of failed re-validations; when revalidation is set,
// a failure begins one unless one is under way. Record reports whether it
// began one.
func (r Recorder) Record(ctx context.Context, wh *herald.Webhook, res Result, revalidation bool) (bool, error) {
	url, now := wh.URL, r.now().UTC()
	began := false
	err := r.Writes.Save(ctx, wh, func(wh *herald.Webhook) error {
		if wh.URL != url {
			return store.ErrStale
		}
		wh.Validated, wh.ValidatedAt, wh.ValidationError = res.OK, now, res.Reason
		began = false
		switch {
		case res.OK:
			wh.ValidationFailingSinceMS = 0
		case revalidation && wh.ValidationFailingSinceMS == 0:
			wh.ValidationFailingSinceMS, began = herald.Millis(now), true
		}
		return nil
	})
	if errors.Is(err, store.ErrStale) {
		return false, nil
	}
	return began, err
}

// Revalidate validates wh with c and records the outcome; a failure that
// begins a run of failures publishes webhook.endpoint.validation_failed.
// It reports the outcome.
func (r Recorder) Revalidate(ctx context.Context, c Caller, wh *herald.Webhook) (Result, error) {
	res, err := c.Validate(ctx, wh)
	if err != nil {
		return Result{}, err
	}
	began, err := r.Record(ctx, wh, res, true)
	if err != nil {
		return res, fmt.Errorf("record validation of %s: %w", wh.ID, err)
	}
	if began {
		if err := ownevent.PublishValidationFailed(ctx, r.OwnEvents, wh, res.Reason, res.StatusCode, r.now()); err != nil {
			return res, err
		}
	}
	return res, nil
}

package admin

import (
	"time"

	"github.com/heraldhq/herald/pkg/herald"
)

// apply copies the fields present in in onto wh.
func (in *webhookInput) apply(wh *herald.Webhook, now time.Time) {
	set(&wh.Name, in.Name)
	set(&wh.URL, in.URL)
	set(&wh.Description, in.Description)
	set(&wh.Events, in.Events)
	set(&wh.Categories, in.Categories)
	set(&wh.Filters, in.Filters)
	set(&wh.Headers, in.Headers)
	set(&wh.Enabled, in.Enabled)
	set(&wh.Paused, in.Paused)
	set(&wh.TenantID, in.TenantID)
	set(&wh.PartnerID, in.PartnerID)
	set(&wh.RetrySchedule, in.RetrySchedule)
	set(&wh.PauseQueueLimit, in.PauseQueueLimit)
	wh.UpdatedAt = now
}

func set[T any](dst *T, src *T) {
	if src != nil {
		*dst = *src
	}
}

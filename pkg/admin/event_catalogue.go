package admin

import (
	"net/http"

	catalogue "github.com/heraldhq/herald/events"
)

// eventTypeList is the answer of GET /api/v1/admin/webhooks/events.
type eventTypeList struct {
	EventTypes []catalogue.EventType `json:"event_types"`
	Categories []string              `json:"categories"`
}

// listEventTypes lists the event types a webhook can subscribe to: the
// catalogue of known upstream events and Herald's own.
func (a *API) listEventTypes(w http.ResponseWriter, r *http.Request) {
	c, err := catalogue.Load()
	if err != nil {
		a.storeFailed(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, eventTypeList{EventTypes: nonNil(c.EventTypes), Categories: nonNil(c.Categories)})
}

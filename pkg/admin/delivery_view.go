package admin

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/heraldhq/herald/pkg/herald"
)

// deliveryView is a delivery as the API shows it. Payload is set on the
// single-delivery read. URL and Match are absent on deliveries created
// before Herald recorded them.
type deliveryView struct {
	ID            int64           `json:"id"`
	WebhookID     string          `json:"webhook_id"`
	EventID       string          `json:"event_id"`
	EventType     string          `json:"event_type"`
	Status        herald.Status   `json:"status"`
	URL           string          `json:"url,omitempty"`
	Match         *herald.Match   `json:"match,omitempty"`
	Attempts      []attemptView   `json:"attempts"`
	NextAttemptAt *time.Time      `json:"next_attempt_at"`
	CreatedAt     time.Time       `json:"created_at"`
	Payload       json.RawMessage `json:"payload,omitempty"`
}

type attemptView struct {
	herald.Attempt
	At time.Time `json:"at"`
	// ResponseBodyHidden says the body was left out: the answer came from
	// a private target and the caller is bound (see forCaller).
	ResponseBodyHidden bool `json:"response_body_hidden"`
}

// viewDelivery shows d to the caller of r.
func viewDelivery(d *herald.Delivery, r *http.Request) deliveryView {
	v := deliveryView{
		ID: d.ID, WebhookID: d.WebhookID, EventID: d.EventID, EventType: d.EventType,
		Status: d.Status, URL: d.URL, Match: d.Match, Attempts: make([]attemptView, 0, len(d.Attempts)),
		CreatedAt: herald.FromMillis(d.CreatedMS),
	}
	for _, a := range d.Attempts {
		shown, hidden := forCaller(a, r)
		v.Attempts = append(v.Attempts, attemptView{Attempt: shown, At: herald.FromMillis(a.AtMS), ResponseBodyHidden: hidden})
	}
	if d.Status == herald.StatusPending && d.NextAttemptMS != 0 {
		t := herald.FromMillis(d.NextAttemptMS)
		v.NextAttemptAt = &t
	}
	return v
}

package deliver_test

import (
	"context"
	"testing"

	"github.com/heraldhq/herald/pkg/deliver"
	"github.com/heraldhq/herald/pkg/herald"
)

func TestHandleUnsendableDelivery(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		change     func(w *herald.Webhook) *herald.Webhook // returns nil: no webhook stored
		dropEvent  bool
		wantStatus herald.Status
		wantError  string // the error of the attempt recorded; "" for none
	}{
		{"webhook deleted", func(*herald.Webhook) *herald.Webhook { return nil }, false,
			herald.StatusFailed, "not sent: webhook deleted"},
		{"webhook disabled", func(w *herald.Webhook) *herald.Webhook { w.Enabled = false; return w }, false,
			herald.StatusFailed, "not sent: webhook disabled"},
		{"event gone", func(w *herald.Webhook) *herald.Webhook { return w }, true,
			herald.StatusFailed, "not sent: event no longer stored"},
		{"webhook paused", func(w *herald.Webhook) *herald.Webhook { w.Paused = true; return w }, false,
			herald.StatusPaused, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, deliver.Config{})
			r := newReceiver(t, nil)
			f.seed(t, tt.change(newWebhook(r.URL)), newDelivery())
			if tt.dropEvent {
				if err := f.events.Delete(context.Background(), &herald.Event{ID: testEventID}); err != nil {
					t.Fatal(err)
				}
			}

			if err := f.handle(herald.Job{DeliveryID: testDeliveryID, Attempt: 1}); err != nil {
				t.Fatal(err)
			}
			if n := r.hits.Load(); n != 0 {
				t.Errorf("receiver hits = %d, want 0", n)
			}
			if e := f.enq.Got(); len(e) != 0 {
				t.Errorf("enqueued %+v", e)
			}
			d := f.delivery(t, testDeliveryID)
			if d.Status != tt.wantStatus || d.NextAttemptMS != 0 || d.LeaseUntilMS != 0 {
				t.Errorf("delivery status %q, next %d, lease %d; want %q, 0, 0",
					d.Status, d.NextAttemptMS, d.LeaseUntilMS, tt.wantStatus)
			}
			switch {
			case tt.wantError == "" && len(d.Attempts) != 0:
				t.Errorf("attempts = %+v, want none", d.Attempts)
			case tt.wantError != "" && (len(d.Attempts) != 1 || d.Attempts[0].Attempt != 1 ||
				d.Attempts[0].Error != tt.wantError || d.Attempts[0].StatusCode != 0):
				t.Errorf("attempts = %+v, want attempt 1 with error %q", d.Attempts, tt.wantError)
			}
		})
	}
}

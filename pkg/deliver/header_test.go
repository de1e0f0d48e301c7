package deliver_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/heraldhq/herald/pkg/deliver"
	"github.com/heraldhq/herald/pkg/herald"
)

// Custom header values are stored sealed: the receiver gets them opened.
func TestSealedHeaderValuesAreOpenedToSend(t *testing.T) {
	t.Parallel()
	f := newFixture(t, deliver.Config{})
	r := newReceiver(t, func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) })
	wh := newWebhook(r.URL)
	sealed, err := testSealer.Seal(context.Background(), "Bearer sealed-token")
	if err != nil {
		t.Fatal(err)
	}
	wh.Headers = map[string]string{"Authorization": sealed, "X-Team": "plain-from-an-earlier-release"}
	f.seed(t, wh, newDelivery())
	if err := f.handle(herald.Job{DeliveryID: testDeliveryID, Attempt: 1}); err != nil {
		t.Fatal(err)
	}
	got := r.Got()
	if len(got) != 1 || got[0].Header.Get("Authorization") != "Bearer sealed-token" ||
		got[0].Header.Get("X-Team") != "plain-from-an-earlier-release" {
		t.Fatalf("receiver got %d requests, headers %v", len(got), got)
	}
}

// A header value that looks sealed but can never be opened fails the
// attempt, recorded, and nothing is sent without it.
func TestUnusableHeaderIsRecordedNotSent(t *testing.T) {
	t.Parallel()
	f := newFixture(t, deliver.Config{})
	r := newReceiver(t, func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) })
	wh := newWebhook(r.URL)
	wh.Headers = map[string]string{"Authorization": "sealed:v1:not base64!"}
	f.seed(t, wh, newDelivery())
	if err := f.handle(herald.Job{DeliveryID: testDeliveryID, Attempt: 1}); err != nil {
		t.Fatal(err)
	}
	d := f.delivery(t, testDeliveryID)
	if len(r.Got()) != 0 || len(d.Attempts) != 1 || d.Attempts[0].Error != "custom header unusable" {
		t.Fatalf("receiver got %d requests; attempts %+v", len(r.Got()), d.Attempts)
	}
}

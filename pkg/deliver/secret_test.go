package deliver_test

import (
	"net/http"
	"testing"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"github.com/heraldhq/herald/pkg/deliver"
	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/signature"
)

// A stored secret that is not sealed at all is a permanent failure of the
// attempt: recorded, nothing sent.
func TestUnsealedGarbageSecretIsRecordedNotSent(t *testing.T) {
	t.Parallel()
	f := newFixture(t, deliver.Config{})
	r := newReceiver(t, func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) })
	wh := newWebhook(r.URL)
	wh.SealedSecret = "not-a-secret"
	f.seed(t, wh, newDelivery())
	if err := f.handle(herald.Job{DeliveryID: testDeliveryID, Attempt: 1}); err != nil {
		t.Fatal(err)
	}
	d := f.delivery(t, testDeliveryID)
	if len(r.Got()) != 0 || len(d.Attempts) != 1 || d.Attempts[0].Error != "signing secret unusable" {
		t.Fatalf("receiver got %d requests; attempts %+v", len(r.Got()), d.Attempts)
	}
}

// A keeper that cannot open a sealed secret (here: the deployment's key is
// not the one it was sealed with, as after losing secrets.key; on AWS: KMS
// unreachable) fails the job for a retry and costs no attempt.
func TestKeeperFailureCostsNoAttempt(t *testing.T) {
	t.Parallel()
	f := newFixture(t, deliver.Config{})
	r := newReceiver(t, func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) })
	wh := newWebhook(r.URL)
	wh.SealedSecret = unopenableSecret(t)
	f.seed(t, wh, newDelivery())
	if err := f.handle(herald.Job{DeliveryID: testDeliveryID, Attempt: 1}); err == nil {
		t.Fatal("handled a job whose secret could not be opened")
	}
	d := f.delivery(t, testDeliveryID)
	if len(r.Got()) != 0 || d.AttemptCount != 0 || len(d.Attempts) != 0 || d.Status != herald.StatusPending {
		t.Fatalf("receiver got %d requests; delivery %+v", len(r.Got()), d)
	}
}

// A secret stored in the clear by a release before sealing still signs.
func TestPlainSecretOfAnEarlierReleaseStillSigns(t *testing.T) {
	t.Parallel()
	f := newFixture(t, deliver.Config{})
	r := newReceiver(t, func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) })
	wh := newWebhook(r.URL)
	plain := signature.NewSecret()
	wh.SealedSecret = plain
	f.seed(t, wh, newDelivery())
	if err := f.handle(herald.Job{DeliveryID: testDeliveryID, Attempt: 1}); err != nil {
		t.Fatal(err)
	}
	got := r.Got()
	if len(got) != 1 {
		t.Fatalf("receiver got %d requests", len(got))
	}
	v, err := standardwebhooks.NewWebhook(plain)
	if err != nil {
		t.Fatal(err)
	}
	if err := v.VerifyIgnoringTimestamp(got[0].Body, got[0].Header); err != nil {
		t.Fatalf("verify: %v", err)
	}
}

package deliver_test

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"gocloud.dev/secrets/localsecrets"

	"github.com/heraldhq/herald/pkg/deliver"
	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/seal"
	"github.com/heraldhq/herald/pkg/signature"
	"github.com/heraldhq/herald/pkg/store"
)

// preclaimTimeout is the deployment's delivery timeout in these tests.
const preclaimTimeout = 10 * time.Second

// newPreclaimFixture is a fixture whose Handler takes the first attempts
// that ingest of the same process claimed (store.Preclaims).
func newPreclaimFixture(t *testing.T) (*fixture, *store.Preclaims) {
	t.Helper()
	p := store.NewPreclaims(preclaimTimeout)
	return newFixture(t, deliver.Config{Preclaims: p, Timeout: preclaimTimeout}), p
}

// seedPreclaimed stores w and a new delivery to it with its first attempt
// claimed in the write that creates it, as ingest does, and returns the
// delivery's revision as written.
func (f *fixture) seedPreclaimed(t *testing.T, p *store.Preclaims, w *herald.Webhook) any {
	t.Helper()
	d := newDelivery()
	if !p.Claim(d, w, f.clock.Now()) {
		t.Fatal("Preclaims.Claim refused a new pending delivery")
	}
	f.seed(t, w, d) // d as written, with its revision
	p.Put(d)
	return d.DocstoreRevision
}

// TestPreclaimedAttemptIsSentWithoutAClaimWrite: a first attempt claimed
// when its delivery was created is sent, and the delivery is written once
// more (its record), not twice (a claim, then the record).
func TestPreclaimedAttemptIsSentWithoutAClaimWrite(t *testing.T) {
	t.Parallel()
	f, p := newPreclaimFixture(t)
	r := newReceiver(t, nil)
	wh := newWebhook(r.URL)
	created := f.seedPreclaimed(t, p, wh)
	if d := f.delivery(t, testDeliveryID); d.AttemptCount != 1 ||
		d.LeaseUntilMS != herald.Millis(t0.Add(preclaimTimeout+store.LeaseMargin)) {
		t.Fatalf("preclaimed delivery = %+v, want attempt 1 leased for the timeout and margin", d)
	}
	if err := f.handle(herald.Job{DeliveryID: testDeliveryID, Attempt: 1}); err != nil {
		t.Fatal(err)
	}
	d := f.delivery(t, testDeliveryID)
	if r.hits.Load() != 1 || d.Status != herald.StatusSucceeded || d.AttemptCount != 1 ||
		len(d.Attempts) != 1 || d.Attempts[0].StatusCode != http.StatusOK {
		t.Fatalf("hits %d, delivery %+v", r.hits.Load(), d)
	}
	if writes := d.DocstoreRevision.(int64) - created.(int64); writes != 1 {
		t.Errorf("the delivery was written %d times after its creation, want 1 (the record)", writes)
	}
	if got := r.Got()[0].Header.Get("webhook-id"); got != testEventID {
		t.Errorf("webhook-id = %q", got)
	}
}

// TestPreclaimSendsOnceOfManyCopies: of many copies of a preclaimed job
// handled at once only the one that takes the preclaim sends; the others
// find the attempt claimed. A copy handled afterwards sends nothing either.
func TestPreclaimSendsOnceOfManyCopies(t *testing.T) {
	t.Parallel()
	f, p := newPreclaimFixture(t)
	release := make(chan struct{})
	r := newReceiver(t, func(w http.ResponseWriter, _ *http.Request) {
		<-release
		w.WriteHeader(http.StatusOK)
	})
	f.seedPreclaimed(t, p, newWebhook(r.URL))
	job := herald.Job{DeliveryID: testDeliveryID, Attempt: 1}
	var wg sync.WaitGroup
	errs := make(chan error, 10)
	for range 10 {
		wg.Go(func() { errs <- f.handle(job) })
	}
	// The nine that find the preclaim taken return at once; the tenth
	// waits for its answer.
	for range 9 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	close(release)
	wg.Wait()
	if err := <-errs; err != nil {
		t.Fatal(err)
	}
	if err := f.handle(job); err != nil {
		t.Fatal(err)
	}
	if n := r.hits.Load(); n != 1 {
		t.Errorf("receiver hits = %d, want 1", n)
	}
	if d := f.delivery(t, testDeliveryID); d.Status != herald.StatusSucceeded || len(d.Attempts) != 1 {
		t.Errorf("delivery = %+v", d)
	}
}

// TestPreclaimGivenBackWhenTheJobFails: a job that fails before its attempt
// (the keeper cannot open the secret) gives the preclaim back, so its
// message, coming again, makes attempt 1 — not an attempt 2 after an
// "interrupted" one, once the lease ran out.
func TestPreclaimGivenBackWhenTheJobFails(t *testing.T) {
	t.Parallel()
	f, p := newPreclaimFixture(t)
	r := newReceiver(t, nil)
	wh := newWebhook(r.URL)
	good := wh.SealedSecret
	wh.SealedSecret = unopenableSecret(t)
	f.seedPreclaimed(t, p, wh)
	job := herald.Job{DeliveryID: testDeliveryID, Attempt: 1}
	if err := f.handle(job); err == nil {
		t.Fatal("handled a job whose secret could not be opened")
	}
	if r.hits.Load() != 0 {
		t.Fatal("sent with a secret that could not be opened")
	}
	// The keeper works again (the secret is one it opens).
	w := f.webhook(t, wh.ID)
	w.SealedSecret = good
	if err := f.webhooks.Replace(context.Background(), w); err != nil {
		t.Fatal(err)
	}
	if err := f.handle(job); err != nil {
		t.Fatal(err)
	}
	d := f.delivery(t, testDeliveryID)
	if r.hits.Load() != 1 || d.Status != herald.StatusSucceeded || len(d.Attempts) != 1 || d.Attempts[0].Attempt != 1 {
		t.Fatalf("hits %d, delivery %+v: want attempt 1 sent and succeeded", r.hits.Load(), d)
	}
}

// TestPreclaimUndoneWhenTheAttemptIsNotMade: a preclaimed job that does not
// make its attempt writes the delivery as unclaimed — put back (the
// webhook at its in-flight cap), held (paused since) — so the attempt the
// delivery gets later is attempt 1, and the sweep does not wait for a lease.
func TestPreclaimUndoneWhenTheAttemptIsNotMade(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name   string
		change func(*herald.Webhook)
		status herald.Status
	}{
		{"paused", func(w *herald.Webhook) { w.Paused, w.PauseEpoch = true, 1 }, herald.StatusPaused},
		{"in-flight cap", func(w *herald.Webhook) { w.MaxInFlight = 1 }, herald.StatusPending},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f, p := newPreclaimFixture(t)
			entered, release := make(chan struct{}, 1), make(chan struct{})
			r := newReceiver(t, func(w http.ResponseWriter, _ *http.Request) {
				entered <- struct{}{}
				<-release
				w.WriteHeader(http.StatusOK)
			})
			wh := newWebhook(r.URL)
			tt.change(wh)
			f.seedPreclaimed(t, p, wh)
			done := make(chan error, 1)
			if wh.MaxInFlight == 1 {
				// Another delivery's attempt takes the webhook's one slot.
				f.addDelivery(t, 7, wh.ID)
				go func() { done <- f.handle(herald.Job{DeliveryID: 7, Attempt: 1}) }()
				<-entered
			}
			if err := f.handle(herald.Job{DeliveryID: testDeliveryID, Attempt: 1}); err != nil {
				t.Fatal(err)
			}
			d := f.delivery(t, testDeliveryID)
			if d.Status != tt.status || d.AttemptCount != 0 || d.LeaseUntilMS != 0 || len(d.Attempts) != 0 {
				t.Errorf("delivery = %+v, want %s with no attempt claimed", d, tt.status)
			}
			close(release)
			if wh.MaxInFlight == 1 {
				if err := <-done; err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}

// TestLatePreclaimedJobRenewsTheLease: a preclaimed job that waited in the
// queue for more than half the lease margin renews the lease before its
// request; one that waited past its lease, its delivery written over by
// the sweep meanwhile, sends nothing.
func TestLatePreclaimedJobRenewsTheLease(t *testing.T) {
	t.Parallel()
	f, p := newPreclaimFixture(t)
	var during *herald.Delivery
	r := newReceiver(t, func(w http.ResponseWriter, _ *http.Request) {
		during = f.delivery(t, testDeliveryID)
		w.WriteHeader(http.StatusOK)
	})
	wh := newWebhook(r.URL)
	f.seedPreclaimed(t, p, wh)
	f.clock.Advance(store.LeaseMargin/2 + time.Millisecond)
	if err := f.handle(herald.Job{DeliveryID: testDeliveryID, Attempt: 1}); err != nil {
		t.Fatal(err)
	}
	want := herald.Millis(f.clock.Now().Add(preclaimTimeout + store.LeaseMargin))
	if r.hits.Load() != 1 || during == nil || during.LeaseUntilMS != want || during.AttemptCount != 1 {
		t.Fatalf("hits %d; during the request %+v, want attempt 1 leased until %d", r.hits.Load(), during, want)
	}

	// A job that waited past its lease, while the sweep took the delivery
	// for lost and wrote it over: its renewal loses, and it sends nothing.
	d := newDelivery()
	d.ID = 77
	if !p.Claim(d, wh, f.clock.Now()) {
		t.Fatal("Preclaims.Claim refused")
	}
	if err := f.deliveries.Create(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	p.Put(d)
	f.clock.Advance(preclaimTimeout + store.LeaseMargin + time.Second)
	life := store.Lifecycle{Deliveries: f.deliveries}
	if err := life.Reschedule(context.Background(), f.delivery(t, 77), f.clock.Now()); err != nil {
		t.Fatal(err)
	}
	if err := f.handle(herald.Job{DeliveryID: 77, Attempt: 1}); err != nil {
		t.Fatal(err)
	}
	if r.hits.Load() != 1 {
		t.Errorf("a job whose delivery the sweep took while it waited sent it")
	}
}

// unopenableSecret returns a signing secret sealed with a key other than
// the deployment's (as after losing secrets.key; on AWS: KMS unreachable),
// which the fixtures' keeper fails to open.
func unopenableSecret(t *testing.T) string {
	t.Helper()
	other := seal.New(localsecrets.NewKeeper([32]byte{9, 9, 9}))
	sealed, err := other.Seal(context.Background(), signature.NewSecret())
	if err != nil {
		t.Fatal(err)
	}
	return sealed
}

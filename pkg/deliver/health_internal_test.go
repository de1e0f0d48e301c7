package deliver

import "testing"

// TestHealthyIsNotMarkedByAReadAFailureMayPrecede: a read of a webhook's
// health may mark it healthy only when no failure of it was being recorded
// as the read began (settled), and marks it only when none began before
// the mark: either may have been written after what the read saw.
func TestHealthyIsNotMarkedByAReadAFailureMayPrecede(t *testing.T) {
	t.Parallel()
	k := &healthy{of: map[string]healthState{}}
	known := func() bool { st, _ := k.state("wh"); return st.healthy }

	st, settled := k.state("wh")
	if !settled {
		t.Fatal("a webhook with no failure begun is not settled")
	}
	k.mark("wh", st.epoch)
	if !known() {
		t.Fatal("a settled read did not mark the webhook healthy")
	}

	// A failure begins: no longer known healthy; a read begun while it is
	// being recorded cannot mark.
	recorded := k.failure("wh")
	if known() {
		t.Fatal("known healthy while a failure is recorded")
	}
	if _, settled := k.state("wh"); settled {
		t.Fatal("settled while a failure is being recorded")
	}
	recorded()

	// A read begun before a failure, marking after it began.
	st, settled = k.state("wh")
	if !settled {
		t.Fatal("not settled once the failure was recorded")
	}
	recorded = k.failure("wh")
	recorded()
	k.mark("wh", st.epoch)
	if known() {
		t.Fatal("marked healthy by a read a failure began during")
	}

	// A nil healthy knows nothing and is never settled.
	var none *healthy
	if st, settled := none.state("wh"); st.healthy || settled {
		t.Fatal("a nil healthy knows a webhook, or is settled")
	}
	none.failure("wh")()
}

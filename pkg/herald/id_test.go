package herald

import (
	"testing"
	"time"
)

func TestDeliveryIDForIsStableOrderedAndJSONSafe(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	id := DeliveryIDFor(`evt_1 "tnt_a" ""`, "wh_a", at, 0)
	if again := DeliveryIDFor(`evt_1 "tnt_a" ""`, "wh_a", at, 0); again != id {
		t.Fatalf("ids %d and %d for one event and webhook", id, again)
	}
	if got := DeliveryIDTime(id); !got.Equal(at) {
		t.Errorf("DeliveryIDTime = %v, want the event's time %v", got, at)
	}
	if next := DeliveryIDFor(`evt_1 "tnt_a" ""`, "wh_a", at, 1); DeliveryIDTime(next) != at.Add(time.Millisecond) {
		t.Errorf("probe 1 at %v, want a millisecond on", DeliveryIDTime(next))
	}
	if later := DeliveryIDFor("evt_2", "wh_a", at.Add(time.Millisecond), 0); later <= id {
		t.Errorf("a later event's id %d is not above %d", later, id)
	}
	if far := DeliveryIDFor("evt_3", "wh_a", time.Date(2093, 1, 1, 0, 0, 0, 0, time.UTC), 9); far >= 1<<53 {
		t.Errorf("id %d exceeds 2^53", far)
	}
	// Over many webhooks of one event, the sequences spread: few share one.
	seen := map[int64]bool{}
	for i := range 1000 {
		seen[DeliveryIDFor("evt_1", "wh_"+string(rune('a'+i%26))+string(rune('a'+i/26)), at, 0)] = true
	}
	if len(seen) < 850 {
		t.Errorf("1000 webhooks share %d ids, want them spread over the sequence", len(seen))
	}
}

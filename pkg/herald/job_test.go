package herald

import "testing"

func TestJobRoundTrip(t *testing.T) {
	t.Parallel()
	j := Job{DeliveryID: 373830248620294, Attempt: 3}
	got, err := DecodeJob(j.Encode())
	if err != nil || got != j {
		t.Fatalf("DecodeJob(Encode()) = %+v, %v", got, err)
	}
	for _, bad := range []string{"", "nope", "[]", `{"delivery_id":0,"attempt":1}`, `{"delivery_id":1,"attempt":0}`, `{"delivery_id":"1","attempt":1}`} {
		if _, err := DecodeJob([]byte(bad)); !IsMalformed(err) {
			t.Errorf("DecodeJob(%q) = %v, want a malformed error", bad, err)
		}
	}
}

// FuzzDecodeJob: any deliver-topic body decodes to a valid job or a
// malformed error, never a panic.
func FuzzDecodeJob(f *testing.F) {
	for _, s := range []string{`{"delivery_id":1,"attempt":1}`, `{}`, `null`, `{"delivery_id":-1}`, "\xff"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		j, err := DecodeJob(body)
		if err != nil && !IsMalformed(err) {
			t.Fatalf("error %v is not malformed", err)
		}
		if err == nil && (j.DeliveryID <= 0 || j.Attempt <= 0) {
			t.Fatalf("accepted invalid job %+v", j)
		}
	})
}

package boltdoc

import (
	"bytes"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"gocloud.dev/docstore/driver"
)

// TestKeyOrderNumbers checks the number encoding against driver.CompareNumbers
// (exact, via big.Float) on values chosen to straddle float64 rounding.
func TestKeyOrderNumbers(t *testing.T) {
	t.Parallel()
	edges := []any{
		int64(0), int64(1), int64(-1), math.MaxInt64, math.MinInt64, int64(math.MaxInt64 - 1),
		int64(1 << 53), int64(1<<53 + 1), int64(-(1 << 53) - 1), int64(1<<62 + 511), int64(1<<62 + 512),
		0.0, math.Copysign(0, -1), 0.5, -0.5, 1.0, float64(1 << 53), float64(1<<53) + 2, 9.223372036854775807e18,
		-9.223372036854775807e18, math.Inf(1), math.Inf(-1), math.SmallestNonzeroFloat64, math.MaxFloat64,
	}
	for i := range edges {
		if v, ok := edges[i].(int); ok {
			edges[i] = int64(v)
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		i := r.Int64() >> r.IntN(64)
		if r.IntN(2) == 0 {
			i = -i
		}
		edges = append(edges, i, float64(i), math.Nextafter(float64(i), math.Inf(1)), r.NormFloat64()*1e6)
	}
	for range 20000 {
		a, b := edges[r.IntN(len(edges))], edges[r.IntN(len(edges))]
		want, err := driver.CompareNumbers(a, b)
		if err != nil {
			t.Fatal(err)
		}
		if got := bytes.Compare(appendKey(nil, a), appendKey(nil, b)); got != want {
			t.Fatalf("encoded %v (%T) vs %v (%T): got %d, want %d", a, a, b, b, got, want)
		}
		if got, _ := compareValues(a, b); got != want {
			t.Fatalf("compareValues(%v, %v) = %d, want %d", a, b, got, want)
		}
	}
}

func TestKeyOrderStringsAndTimes(t *testing.T) {
	t.Parallel()
	strs := []string{"", "\x00", "\x00\x00", "\x00\x01", "\x01", "a", "a\x00", "a\x00b", "ab", "b", "\xff", "\xff\xff", "é"}
	for _, a := range strs {
		for _, b := range strs {
			if got, want := bytes.Compare(appendKey(nil, a), appendKey(nil, b)), strings.Compare(a, b); got != want {
				t.Errorf("%q vs %q: got %d, want %d", a, b, got, want)
			}
			// Prefix-free: a key followed by more fields still orders by a first.
			ka := appendKey(appendKey(nil, a), "zzz")
			kb := appendKey(appendKey(nil, b), "")
			if a != b && bytes.Compare(ka, kb) != strings.Compare(a, b) {
				t.Errorf("composite %q vs %q out of order", a, b)
			}
		}
	}
	base := time.Date(2026, 1, 2, 3, 4, 5, 6, time.UTC)
	times := []time.Time{base.Add(-time.Hour), base, base.Add(1), base.In(time.FixedZone("x", 3600)), time.Unix(-5, 0), time.Unix(0, 0)}
	for _, a := range times {
		for _, b := range times {
			if got, want := bytes.Compare(appendKey(nil, a), appendKey(nil, b)), a.Compare(b); got != want {
				t.Errorf("%v vs %v: got %d, want %d", a, b, got, want)
			}
		}
	}
}

func TestKeyOrderTypes(t *testing.T) {
	t.Parallel()
	ordered := []any{nil, false, true, math.Inf(-1), int64(0), "", "a", time.Unix(0, 0), []byte{}, []any{}}
	for i := 1; i < len(ordered); i++ {
		if bytes.Compare(appendKey(nil, ordered[i-1]), appendKey(nil, ordered[i])) >= 0 {
			t.Errorf("%#v does not sort before %#v", ordered[i-1], ordered[i])
		}
	}
}

func TestBinaryRejectsCorruption(t *testing.T) {
	t.Parallel()
	doc := map[string]any{"s": "x", "n": int64(-5), "f": 1.5, "l": []any{true, nil, []byte{1}}, "m": map[string]any{"t": time.Unix(7, 8)}}
	raw, err := marshalDoc(nil, doc, true)
	if err != nil {
		t.Fatal(err)
	}
	setStoredRev(raw, 42)
	got, err := unmarshalDoc(raw, "rev")
	if err != nil || got["rev"] != int64(42) || got["s"] != "x" {
		t.Fatalf("round trip: %v, %v", got, err)
	}
	for n := range len(raw) - 1 { // every truncation fails cleanly
		if _, err := unmarshalDoc(raw[:n], "rev"); err == nil {
			t.Fatalf("truncated to %d bytes: no error", n)
		}
	}
}

package signature_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/heraldhq/herald/pkg/signature"
)

// referenceSign is Sign as first written: hmac.New per signature and h.Set
// per header. The pooled, allocation-free Sign must match it byte for byte.
func referenceSign(s signature.Signer, h http.Header, m signature.Message, keys ...[]byte) {
	prefix := s.Prefix
	if prefix == "" {
		prefix = signature.DefaultPrefix
	}
	ts := strconv.FormatInt(m.Timestamp.Unix(), 10)
	sigs := make([]string, 0, len(keys))
	for _, k := range keys {
		sigs = append(sigs, referenceV1(k, m.ID, ts, m.Body))
	}
	h.Set(signature.HeaderID, m.ID)
	h.Set(signature.HeaderTimestamp, ts)
	h.Set(signature.HeaderSignature, strings.Join(sigs, " "))
	h.Set(prefix+"Event", m.EventType)
	h.Set(prefix+"Delivery-Id", strconv.FormatInt(m.DeliveryID, 10))
	if len(keys) > 0 {
		h.Set(prefix+"Signature", referenceHex(keys[0], m.Body))
	}
}

func referenceV1(key []byte, id, ts string, body []byte) string {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(id + "." + ts + "."))
	mac.Write(body)
	return "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

func referenceHex(key, body []byte) string {
	mac := hmac.New(sha256.New, key)
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// prefixes include non-canonical ones, one that collides with
// webhook-signature, and ones textproto leaves as they are.
var prefixes = []string{"", "X-Herald-", "X-ScaiDrive-", "x-acme-", "webhook-", "X_Herald_", "X Herald ", "Ünï-", "-x--", "A1-b2-"}

type signCase struct {
	s    signature.Signer
	m    signature.Message
	keys [][]byte
}

func randomBytes(r *rand.Rand, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// randomCase draws a message and 0 to 3 keys, each either new (24 to 64
// random bytes, or rarely a short or empty one) or one of shared.
func randomCase(r *rand.Rand, shared [][]byte) signCase {
	keys := make([][]byte, r.IntN(4))
	for i := range keys {
		switch n := r.IntN(10); {
		case n < 4 && len(shared) > 0:
			keys[i] = shared[r.IntN(len(shared))]
		case n == 4:
			keys[i] = randomBytes(r, r.IntN(24))
		default:
			keys[i] = randomBytes(r, 24+r.IntN(41))
		}
	}
	return signCase{
		s: signature.Signer{Prefix: prefixes[r.IntN(len(prefixes))]},
		m: signature.Message{
			ID: "evt_" + strconv.FormatUint(r.Uint64(), 36), EventType: "type." + strconv.Itoa(r.IntN(100)),
			DeliveryID: r.Int64() - r.Int64(), Timestamp: time.Unix(r.Int64N(1<<40)-1<<39, 0),
			Body: randomBytes(r, r.IntN(4097)),
		},
		keys: keys,
	}
}

// check signs c into a fresh header and into reused (which earlier calls
// filled), and compares both with the reference, and the V1 and Hex
// functions with theirs.
func check(c signCase, reused http.Header) error {
	for _, h := range []http.Header{{}, reused} {
		want := h.Clone()
		referenceSign(c.s, want, c.m, c.keys...)
		c.s.Sign(h, c.m, c.keys...)
		if !reflect.DeepEqual(h, want) {
			return fmt.Errorf("Sign(prefix %q, %d keys) =\n%v\nwant\n%v", c.s.Prefix, len(c.keys), h, want)
		}
		for k, v := range h {
			if cap(v) != len(v) { // an append to one value must not reach another
				return fmt.Errorf("header %q has cap %d, len %d", k, cap(v), len(v))
			}
		}
	}
	ts := strconv.FormatInt(c.m.Timestamp.Unix(), 10)
	for _, k := range c.keys {
		want := referenceV1(k, c.m.ID, ts, c.m.Body)
		if got := signature.V1(k, c.m.ID, ts, c.m.Body); got != want {
			return fmt.Errorf("V1 = %q, want %q", got, want)
		}
		if got := string(signature.AppendV1([]byte("x"), k, c.m.ID, ts, c.m.Body)); got != "x"+want {
			return fmt.Errorf("AppendV1 = %q, want %q", got, "x"+want)
		}
		want = referenceHex(k, c.m.Body)
		if got := signature.Hex(k, c.m.Body); got != want {
			return fmt.Errorf("Hex = %q, want %q", got, want)
		}
		if !signature.VerifyHex(k, c.m.Body, want) || signature.VerifyHex(k, c.m.Body, want[:len(want)-1]) {
			return fmt.Errorf("VerifyHex disagrees with the reference on %q", want)
		}
	}
	return nil
}

// Many more keys than the pool keeps, so eviction is exercised too.
func TestSignMatchesPlainHMAC(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(1, 2))
	shared := [][]byte{randomBytes(r, 32), randomBytes(r, 24), randomBytes(r, 64)}
	reused := http.Header{}
	for range 3000 {
		if err := check(randomCase(r, shared), reused); err != nil {
			t.Fatal(err)
		}
	}
}

func TestSignConcurrent(t *testing.T) {
	t.Parallel()
	shared := [][]byte{make([]byte, 32), []byte("0123456789abcdef0123456789abcdef")}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(g), 3))
			reused := http.Header{}
			for range 200 {
				if err := check(randomCase(r, shared), reused); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
}

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
func referenceSign(s signature.Signer, h http.Header, m signature.Message, secrets ...signature.Secret) {
	prefix := s.Prefix
	if prefix == "" {
		prefix = signature.DefaultPrefix
	}
	ts := strconv.FormatInt(m.Timestamp.Unix(), 10)
	sigs := make([]string, 0, len(secrets))
	for _, sec := range secrets {
		sigs = append(sigs, referenceV1(sec.Key, m.ID, ts, m.Body))
	}
	h.Set(signature.HeaderID, m.ID)
	h.Set(signature.HeaderTimestamp, ts)
	h.Set(signature.HeaderSignature, strings.Join(sigs, " "))
	h.Set(prefix+"Event", m.EventType)
	h.Set(prefix+"Delivery-Id", strconv.FormatInt(m.DeliveryID, 10))
	switch {
	case len(secrets) == 0:
	case s.Hex == signature.HexSHA256:
		h.Set(prefix+"Signature", referenceHex(secrets[0].Key, m.Body))
	case s.Hex == signature.HexPlain && secrets[0].Text != "":
		h.Set(prefix+"Signature", referencePlainHex(secrets[0].Text, m.Body))
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

func referencePlainHex(secret string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return hex.EncodeToString(mac.Sum(nil))
}

var hexModes = []signature.HexMode{signature.HexSHA256, signature.HexPlain, signature.HexOff}

// prefixes include non-canonical ones, one that collides with
// webhook-signature, and ones textproto leaves as they are.
var prefixes = []string{"", "X-Herald-", "X-ScaiDrive-", "x-acme-", "webhook-", "X_Herald_", "X Herald ", "Ünï-", "-x--", "A1-b2-"}

type signCase struct {
	s       signature.Signer
	m       signature.Message
	secrets []signature.Secret
}

func randomBytes(r *rand.Rand, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// randomCase draws a hex mode, a message and 0 to 3 secrets, each either
// new (a key of 24 to 64 random bytes, or rarely a short or empty one, with
// its text, or rarely none) or one of shared.
func randomCase(r *rand.Rand, shared []signature.Secret) signCase {
	secrets := make([]signature.Secret, r.IntN(4))
	for i := range secrets {
		switch n := r.IntN(10); {
		case n < 4 && len(shared) > 0:
			secrets[i] = shared[r.IntN(len(shared))]
		case n == 4:
			secrets[i] = secretOf(randomBytes(r, r.IntN(24)))
		case n == 5:
			secrets[i] = signature.Secret{Key: randomBytes(r, 32)}
		default:
			secrets[i] = secretOf(randomBytes(r, 24+r.IntN(41)))
		}
	}
	return signCase{
		s: signature.Signer{Prefix: prefixes[r.IntN(len(prefixes))], Hex: hexModes[r.IntN(len(hexModes))]},
		m: signature.Message{
			ID: "evt_" + strconv.FormatUint(r.Uint64(), 36), EventType: "type." + strconv.Itoa(r.IntN(100)),
			DeliveryID: r.Int64() - r.Int64(), Timestamp: time.Unix(r.Int64N(1<<40)-1<<39, 0),
			Body: randomBytes(r, r.IntN(4097)),
		},
		secrets: secrets,
	}
}

// secretOf returns key with its text, as the API would show it.
func secretOf(key []byte) signature.Secret {
	return signature.Secret{Text: signature.SecretPrefix + base64.StdEncoding.EncodeToString(key), Key: key}
}

// check signs c into a fresh header and into reused (which earlier calls
// filled), and compares both with the reference, and the V1, Hex and
// PlainHex functions with theirs.
func check(c signCase, reused http.Header) error {
	for _, h := range []http.Header{{}, reused} {
		want := h.Clone()
		referenceSign(c.s, want, c.m, c.secrets...)
		c.s.Sign(h, c.m, c.secrets...)
		if !reflect.DeepEqual(h, want) {
			return fmt.Errorf("Sign(prefix %q, hex %s, %d secrets) =\n%v\nwant\n%v", c.s.Prefix, c.s.Hex, len(c.secrets), h, want)
		}
		for k, v := range h {
			if cap(v) != len(v) { // an append to one value must not reach another
				return fmt.Errorf("header %q has cap %d, len %d", k, cap(v), len(v))
			}
		}
	}
	ts := strconv.FormatInt(c.m.Timestamp.Unix(), 10)
	for _, sec := range c.secrets {
		k := sec.Key
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
		want = referencePlainHex(sec.Text, c.m.Body)
		if got := string(signature.AppendPlainHex([]byte("x"), sec.Text, c.m.Body)); got != "x"+want {
			return fmt.Errorf("AppendPlainHex = %q, want %q", got, "x"+want)
		}
		if !signature.VerifyPlainHex(sec.Text, c.m.Body, want) || signature.VerifyPlainHex(sec.Text, c.m.Body, "sha256="+want) {
			return fmt.Errorf("VerifyPlainHex disagrees with the reference on %q", want)
		}
	}
	return nil
}

// Many more keys than the pool keeps, so eviction is exercised too.
func TestSignMatchesPlainHMAC(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(1, 2))
	shared := []signature.Secret{secretOf(randomBytes(r, 32)), secretOf(randomBytes(r, 24)), secretOf(randomBytes(r, 64))}
	reused := http.Header{}
	for range 3000 {
		if err := check(randomCase(r, shared), reused); err != nil {
			t.Fatal(err)
		}
	}
}

func TestSignConcurrent(t *testing.T) {
	t.Parallel()
	shared := []signature.Secret{secretOf(make([]byte, 32)), secretOf([]byte("0123456789abcdef0123456789abcdef"))}
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

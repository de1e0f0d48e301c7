package signature_test

import (
	"bytes"
	"encoding/base64"
	"net/http"
	"testing"
	"time"

	"github.com/heraldhq/herald/pkg/signature"
)

// BenchmarkSign signs one attempt of a 1 KiB body with one secret: the
// Standard Webhooks and hex signatures and the five headers, into a header
// map that is reused as the sender reuses its request's. Its sub-benchmarks
// are the hex modes.
func BenchmarkSign(b *testing.B) {
	key := bytes.Repeat([]byte{7}, 32)
	sec := signature.Secret{Text: signature.SecretPrefix + base64.StdEncoding.EncodeToString(key), Key: key}
	m := signature.Message{ID: "evt_01a2024426647", EventType: "secret.rotated", DeliveryID: 373830248620294,
		Timestamp: time.Unix(1_795_000_000, 0), Body: bytes.Repeat([]byte{'x'}, 1024)}
	for _, mode := range []signature.HexMode{signature.HexSHA256, signature.HexPlain, signature.HexOff} {
		b.Run(mode.String(), func(b *testing.B) {
			h := http.Header{}
			s := signature.Signer{Hex: mode}
			b.SetBytes(int64(len(m.Body)))
			b.ReportAllocs()
			for b.Loop() {
				s.Sign(h, m, sec)
			}
		})
	}
}

// BenchmarkV1 is the Standard Webhooks signature of a 1 KiB body alone.
func BenchmarkV1(b *testing.B) {
	key := bytes.Repeat([]byte{7}, 32)
	body := bytes.Repeat([]byte{'x'}, 1024)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		_ = signature.V1(key, "evt_01a2024426647", "1795000000", body)
	}
}

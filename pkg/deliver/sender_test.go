package deliver_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"github.com/heraldhq/herald/pkg/outbound"
	"github.com/heraldhq/herald/pkg/signature"
)

// TestSenderSignsWithEveryKey sends with the current and a previous key: a
// receiver verifies with either secret alone (official library), and the
// hex header is made with the current key only.
func TestSenderSignsWithEveryKey(t *testing.T) {
	t.Parallel()
	current, previous := signature.NewSecret(), signature.NewSecret()
	parse := func(s string) signature.Secret {
		sec, err := signature.ParseSecret(s)
		if err != nil {
			t.Fatal(err)
		}
		return sec
	}
	r := newReceiver(t, status(http.StatusCreated))
	s := outbound.Sender{Client: outbound.NewClient(outbound.ClientConfig{AllowPrivate: true}),
		Signer: signature.Signer{Prefix: "X-Acme-"}}
	body := []byte(`{"event_id":"evt_1","event_type":"order.created"}`)
	a := s.Send(context.Background(), outbound.Request{
		URL: r.URL, Headers: map[string]string{"X-Custom": "yes"},
		Secrets: []signature.Secret{parse(current), parse(previous)},
		Message: signature.Message{ID: "evt_1", EventType: "order.created", DeliveryID: 7, Timestamp: time.Now(), Body: body},
	})
	if !a.Succeeded() || a.StatusCode != http.StatusCreated || a.Error != "" || a.AtMS == 0 {
		t.Fatalf("attempt = %+v", a)
	}
	got := r.Got()[0]
	for _, secret := range []string{current, previous} {
		wh, err := standardwebhooks.NewWebhook(secret)
		if err != nil {
			t.Fatal(err)
		}
		if err := wh.Verify(got.Body, got.Header); err != nil {
			t.Errorf("does not verify with one of the secrets: %v", err)
		}
	}
	if n := len(strings.Fields(got.Header.Get("webhook-signature"))); n != 2 {
		t.Errorf("webhook-signature has %d entries", n)
	}
	if !signature.VerifyHex(parse(current).Key, got.Body, got.Header.Get("X-Acme-Signature")) {
		t.Error("hex signature not made with the current key")
	}
	for h, want := range map[string]string{"X-Custom": "yes", "X-Acme-Event": "order.created",
		"X-Acme-Delivery-Id": "7", "Content-Type": "application/json"} {
		if got.Header.Get(h) != want {
			t.Errorf("%s = %q, want %q", h, got.Header.Get(h), want)
		}
	}
}

func TestSenderDescribesFailures(t *testing.T) {
	t.Parallel()
	r := newReceiver(t, status(http.StatusServiceUnavailable))
	s := outbound.Sender{Client: outbound.NewClient(outbound.ClientConfig{AllowPrivate: true})}
	a := s.Send(context.Background(), outbound.Request{URL: r.URL, Message: signature.Message{ID: "evt_1", Body: []byte(`{}`)}})
	if a.Succeeded() || a.StatusCode != http.StatusServiceUnavailable || a.Error != "HTTP 503" {
		t.Errorf("attempt = %+v", a)
	}
	if a := s.Send(context.Background(), outbound.Request{URL: "://bad"}); a.Error != "invalid url" {
		t.Errorf("bad url: %+v", a)
	}
}

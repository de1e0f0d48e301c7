// Command receiver is a webhook receiver for trying Herald locally: it
// verifies every request with the official Standard Webhooks library and the
// hex signature header, prints what arrived, and answers 200.
//
//	go run ./scripts/receiver -addr 127.0.0.1:9000 -secret whsec_...
package main

import (
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"strings"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"github.com/heraldhq/herald/pkg/signature"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:9000", "address to listen on")
	secret := flag.String("secret", "", "the webhook's signing secret (whsec_...); empty skips verification")
	prefix := flag.String("prefix", signature.DefaultPrefix, "the deployment's header prefix")
	status := flag.Int("status", http.StatusOK, "status to answer with")
	flag.Parse()

	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		verdict := "not verified (no -secret)"
		if *secret != "" {
			verdict = verify(*secret, *prefix, body, r.Header)
		}
		fmt.Printf("%s %s  %s=%s  %sDelivery-Id=%s  webhook-id=%s\n  %s\n  %s\n\n",
			r.Method, r.URL.Path, *prefix+"Event", r.Header.Get(*prefix+"Event"), *prefix,
			r.Header.Get(*prefix+"Delivery-Id"), r.Header.Get("webhook-id"), verdict, body)
		w.WriteHeader(*status)
	})
	log.Printf("receiver listening on http://%s", *addr)
	log.Fatal(http.ListenAndServe(*addr, nil))
}

// verify checks both signatures a Herald delivery carries.
func verify(secret, prefix string, body []byte, h http.Header) string {
	wh, err := standardwebhooks.NewWebhook(secret)
	if err != nil {
		return "bad -secret: " + err.Error()
	}
	std := "standard-webhooks signature OK"
	if err := wh.Verify(body, h); err != nil {
		std = "standard-webhooks signature FAILED: " + err.Error()
	}
	key, err := signature.Key(secret)
	hexSig := h.Get(prefix + "Signature")
	switch {
	case err != nil:
		return std
	case hexSig == "":
		return std + "; no hex signature (HERALD_HEX_SIGNATURE=off)"
	case strings.HasPrefix(hexSig, "sha256=") && signature.VerifyHex(key, body, hexSig),
		signature.VerifyPlainHex(secret, body, hexSig): // HERALD_HEX_SIGNATURE=plain
		return std + "; hex signature OK"
	}
	return std + "; hex signature FAILED"
}

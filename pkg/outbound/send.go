package outbound

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/textproto"
	"os"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/netguard"
	"github.com/heraldhq/herald/pkg/signature"
)

// Response bodies are kept up to maxKeptBody bytes; up to maxDrainedBody more
// are read and discarded so the connection can be reused.
const (
	maxKeptBody    = 4 << 10
	maxDrainedBody = 64 << 10
)

// userAgent identifies Herald to receivers.
const userAgent = "Herald-Webhooks/1"

// Request is one signed POST to make.
type Request struct {
	// URL is the endpoint. Required.
	URL string
	// Headers are the webhook's custom headers, set before Herald's own.
	Headers map[string]string
	// Secrets are the secrets to sign with: the current one first (see
	// SigningSecrets). Required.
	Secrets []signature.Secret
	// Message is what is signed and sent.
	Message signature.Message
	// Timeout bounds the attempt, response body included, with a context
	// deadline (the shared client is left alone). Defaults to the client's
	// own timeout only.
	Timeout time.Duration
	// Sent, when set, receives the headers sent, names as they went out
	// (for a test call's answer).
	Sent *http.Header
}

// Sender POSTs signed requests and classifies the outcome. It is shared by
// the deliver function and the admin API's test and validation calls. It
// never retries or sleeps; the caller decides what a failure means.
type Sender struct {
	// Client sends the requests; it should not follow redirects (see
	// NewClient). Required.
	Client *http.Client
	// Signer writes the signature headers. The zero value uses the default
	// header prefix.
	Signer signature.Signer
	// Now returns the current time. Defaults to time.Now.
	Now func() time.Time
}

// Send makes one attempt and describes its outcome: the status code and the
// first 4 KiB of the response body, or a short error text for a transport
// failure, a redirect or a non-2xx status. A 429 or 503 answer's Retry-After
// is returned as Attempt.RetryAfterMS, for the retry policy to weigh; an
// answer from a non-public address is marked Attempt.PrivateTarget.
// Attempt.Attempt is left zero.
func (s Sender) Send(ctx context.Context, r Request) herald.Attempt {
	now := s.Now
	if now == nil {
		now = time.Now
	}
	if r.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, r.Timeout)
		defer cancel()
	}
	start := now()
	a := herald.Attempt{AtMS: herald.Millis(start)}
	var private atomic.Bool
	req, err := http.NewRequestWithContext(tracePrivate(ctx, &private), http.MethodPost, r.URL, bytes.NewReader(r.Message.Body))
	if err != nil {
		a.Error = "invalid url"
		return a
	}
	s.writeHeaders(req.Header, r)
	if r.Sent != nil {
		*r.Sent = req.Header.Clone()
	}

	resp, err := s.Client.Do(req)
	if err != nil {
		a.DurationMS = now().Sub(start).Milliseconds()
		a.Error = describe(err)
		if a.Error == "timeout" && r.Timeout > 0 && errors.Is(ctx.Err(), context.DeadlineExceeded) {
			a.Error = "timeout after " + r.Timeout.String()
		}
		return a
	}
	defer resp.Body.Close()
	// The status decides the outcome; a body that breaks off is kept as far
	// as it came.
	kept, _ := io.ReadAll(io.LimitReader(resp.Body, maxKeptBody))
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxDrainedBody))
	a.DurationMS = now().Sub(start).Milliseconds()
	a.StatusCode = resp.StatusCode
	a.PrivateTarget = private.Load()
	a.ResponseBody = string(bytes.ToValidUTF8(kept, []byte("\uFFFD")))
	switch {
	case resp.StatusCode >= 300 && resp.StatusCode < 400:
		a.Error = fmt.Sprintf("redirect to %q not followed", resp.Header.Get("Location"))
	case resp.StatusCode >= 400:
		a.Error = fmt.Sprintf("HTTP %d", resp.StatusCode)
	}
	if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
		if at, ok := RetryAfter(resp.Header.Get("Retry-After"), now()); ok {
			a.RetryAfterMS = herald.Millis(at)
		}
	}
	return a
}

// writeHeaders sets the custom headers, then Herald's own over them, every
// name with the case it was written in (custom names as the webhook has
// them, the signature headers with the signer's prefix as configured).
func (s Sender) writeHeaders(h http.Header, r Request) {
	for k, v := range r.Headers {
		setExact(h, k, v)
	}
	setExact(h, "Content-Type", "application/json")
	setExact(h, "User-Agent", userAgent)
	s.Signer.Sign(h, r.Message, r.Secrets...)
	prefix := s.Signer.Prefix
	if prefix == "" {
		prefix = signature.DefaultPrefix
	}
	prefixAsWritten(h, prefix)
}

// describe turns a transport error into a short, specific text for the
// attempt record: no URLs, no internal detail.
func describe(err error) string {
	var netErr net.Error
	var dnsErr *net.DNSError
	var certErr *tls.CertificateVerificationError
	var unknownAuth x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var recErr tls.RecordHeaderError
	var protoErr textproto.ProtocolError
	var refused *netguard.RefusedError
	switch {
	case errors.As(err, &refused):
		return "refused: target resolves to a " + string(refused.Reason) + " address"
	case errors.Is(err, netguard.ErrNotPublic):
		return "refused: target resolves to a non-public address"
	case errors.Is(err, netguard.ErrPlainHTTP):
		return "refused: https required for a public address"
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, os.ErrDeadlineExceeded),
		errors.As(err, &netErr) && netErr.Timeout():
		return "timeout"
	case errors.As(err, &dnsErr):
		if dnsErr.IsNotFound {
			return "dns: host not found"
		}
		return "dns: lookup failed"
	case errors.As(err, &certErr), errors.As(err, &unknownAuth), errors.As(err, &hostErr):
		return "tls: certificate not trusted"
	case errors.As(err, &recErr):
		return "tls: handshake failed (is the server speaking TLS?)"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused"
	case errors.Is(err, syscall.ECONNRESET):
		return "connection reset"
	case errors.Is(err, io.ErrUnexpectedEOF), errors.As(err, &protoErr),
		strings.Contains(err.Error(), "transport connection broken"):
		return "connection broken mid-response"
	case errors.Is(err, io.EOF):
		return "connection closed before a response"
	case errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH):
		return "host unreachable"
	}
	return "request failed"
}

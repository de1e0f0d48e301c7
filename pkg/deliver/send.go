package deliver

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
	"os"
	"syscall"

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

// request is one signed POST to make.
type request struct {
	url     string
	headers map[string]string
	msg     signature.Message
	keys    [][]byte
}

// send makes one attempt and describes its outcome. It never retries or
// sleeps; the caller decides what a failure means.
func (h *Handler) send(ctx context.Context, r request) herald.Attempt {
	start := h.cfg.Now()
	a := herald.Attempt{AtMS: herald.Millis(start)}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, r.url, bytes.NewReader(r.msg.Body))
	if err != nil {
		a.Error = "invalid url"
		return a
	}
	for k, v := range r.headers {
		req.Header.Set(k, v)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", userAgent)
	h.signer.Sign(req.Header, r.msg, r.keys...)

	resp, err := h.cfg.Client.Do(req)
	if err != nil {
		a.DurationMS = h.cfg.Now().Sub(start).Milliseconds()
		a.Error = describe(err)
		return a
	}
	defer resp.Body.Close()
	// The status decides the outcome; a body that breaks off is kept as far
	// as it came.
	kept, _ := io.ReadAll(io.LimitReader(resp.Body, maxKeptBody))
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxDrainedBody))
	a.DurationMS = h.cfg.Now().Sub(start).Milliseconds()
	a.StatusCode = resp.StatusCode
	a.ResponseBody = string(bytes.ToValidUTF8(kept, []byte("\uFFFD")))
	switch {
	case resp.StatusCode >= 300 && resp.StatusCode < 400:
		a.Error = fmt.Sprintf("redirect to %q not followed", resp.Header.Get("Location"))
	case resp.StatusCode >= 400:
		a.Error = fmt.Sprintf("HTTP %d", resp.StatusCode)
	}
	return a
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
	switch {
	case errors.Is(err, netguard.ErrNotPublic):
		return "refused: target resolves to a non-public address"
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
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return "connection reset"
	case errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH):
		return "host unreachable"
	}
	return "request failed"
}

package admin

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/heraldhq/herald/pkg/envelope"
	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/validation"
)

// testMessage is the data.message of the default test event.
const testMessage = "Test event from Herald"

// testOrigin is the envelope's origin on a test call.
const testOrigin = "test"

// testInput is the optional body of POST …/test: custom data for the
// webhook.test event.
type testInput struct {
	// EventType may only be "webhook.test": a test call never sends a signed
	// event of another type (that is publishing, with its own scope).
	EventType *string `json:"event_type"`
	// Data must be a JSON object. Defaults to {"webhook_id", "message"}.
	Data *map[string]json.RawMessage `json:"data"`
}

// testResult is the receiver's answer to a test event.
type testResult struct {
	Success      bool   `json:"success"`
	StatusCode   *int   `json:"status_code"`
	DurationMS   int64  `json:"duration_ms"`
	ResponseBody string `json:"response_body"`
	// ResponseBodyHidden says the body was left out: the answer came from
	// a private target and the caller is bound (see forCaller).
	ResponseBodyHidden bool   `json:"response_body_hidden"`
	Error              string `json:"error"`
	// Request is what was sent, signature headers included: the caller
	// holds write scope on the webhook, which lets it rotate the secret.
	Request *sentRequest `json:"request,omitempty"`
}

// sentRequest is the request a test call sent: its headers, names as they
// went out, and its body.
type sentRequest struct {
	Headers map[string]string `json:"headers"`
	Body    json.RawMessage   `json:"body"`
}

// newSentRequest describes s; a header sent twice shows its values joined
// as a receiver would read them.
func newSentRequest(s validation.Sent) *sentRequest {
	if s.Headers == nil {
		return nil // nothing went out: the URL was unusable
	}
	out := &sentRequest{Headers: make(map[string]string, len(s.Headers)), Body: s.Body}
	for name, values := range s.Headers {
		out.Headers[name] = strings.Join(values, ", ")
	}
	return out
}

// testWebhook sends a signed test event to the webhook now and answers with
// what the receiver answered, a failure included. Nothing is stored: no
// event, no delivery, no attempt.
func (a *API) testWebhook(w http.ResponseWriter, r *http.Request) {
	var in testInput
	v := &validationError{}
	decodeOptionalBody(r, &in, v)
	if v.empty() && in.EventType != nil && *in.EventType != herald.EventTest {
		v.add("a test sends webhook.test only; publish other events with POST /api/v1/events",
			"value_error", "body", "event_type")
	}
	wh, ok := a.loadValidWebhook(w, r, v)
	if !ok {
		return
	}
	c := a.caller()
	ev := c.NewEnvelope(wh, herald.EventTest, map[string]string{"webhook_id": wh.ID, "message": testMessage})
	ev.Origin = testOrigin
	if in.Data != nil {
		ev.Data = *in.Data
	}
	if v := a.checkCall(ev); !v.empty() {
		writeValidation(w, v)
		return
	}
	at, sent, err := c.Call(r.Context(), wh, ev)
	if err != nil {
		a.storeFailed(w, r, err)
		return
	}
	a.cfg.Logger.Info("test event sent", "webhook_id", wh.ID, "status_code", at.StatusCode, "error", at.Error)
	at, hidden := forCaller(at, r)
	res := testResult{Success: at.Succeeded(), DurationMS: at.DurationMS, ResponseBody: at.ResponseBody,
		ResponseBodyHidden: hidden, Error: at.Error, Request: newSentRequest(sent)}
	if at.StatusCode != 0 {
		res.StatusCode = &at.StatusCode
	}
	writeJSON(w, http.StatusOK, res)
}

// checkCall validates a custom test event as ingest would validate it.
func (a *API) checkCall(ev validation.Envelope) *validationError {
	v := &validationError{}
	body, err := json.Marshal(ev)
	if err == nil {
		_, err = a.cfg.Parser.Parse(body)
	}
	var ve *envelope.ValidationError
	switch {
	case err == nil:
	case errors.As(err, &ve):
		for _, p := range ve.Problems {
			loc := []any{"body"}
			if p.Field != "" {
				loc = append(loc, p.Field)
			}
			v.add(p.Reason, p.Type, loc...)
		}
	default:
		v.add("invalid event", "value_error", "body")
	}
	return v
}

package local_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"
)

// nativeHit is one delivery a native-payload receiver got.
type nativeHit struct {
	path   string
	header http.Header
	body   []byte
}

// nativeReceiver records every request, answering 201 as Scalekit's
// receivers do.
func nativeReceiver(t *testing.T) (*httptest.Server, chan nativeHit) {
	t.Helper()
	hits := make(chan nativeHit, 32)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		hits <- nativeHit{path: r.URL.Path, header: r.Header.Clone(), body: body}
		w.WriteHeader(http.StatusCreated)
	}))
	t.Cleanup(srv.Close)
	return srv, hits
}

// adminCall sends a JSON request to the admin API of s and decodes its
// answer into out (when not nil), returning the status and the raw answer.
func adminCall(t *testing.T, s *running, method, path string, body []byte, out any) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, s.BaseURL+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+s.Token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, raw)
		}
	}
	return resp.StatusCode, raw
}

// nativeWebhook creates a webhook for every event, delivered to url with
// payload_format format, and returns its secret.
func nativeWebhook(t *testing.T, s *running, url, format string) string {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"name": format, "url": url, "events": []string{"**"},
		"payload_format": format, "validate": false})
	var view struct {
		Secret        string `json:"secret"`
		PayloadFormat string `json:"payload_format"`
	}
	if status, raw := adminCall(t, s, "POST", "/api/v1/admin/webhooks/", body, &view); status != http.StatusCreated ||
		view.PayloadFormat != format {
		t.Fatalf("create %s webhook: %d %s", format, status, raw)
	}
	return view.Secret
}

// nextHits waits for one delivery to each of paths and returns them by path.
func nextHits(t *testing.T, hits chan nativeHit, paths ...string) map[string]nativeHit {
	t.Helper()
	got := map[string]nativeHit{}
	deadline := time.After(10 * time.Second)
	for len(got) < len(paths) {
		select {
		case h := <-hits:
			got[h.path] = h
		case <-deadline:
			t.Fatalf("deliveries: got %d of %v", len(got), paths)
		}
	}
	return got
}

func TestNativePayloadsAreTypedAndDeliveredAsPublished(t *testing.T) {
	t.Parallel()
	cfg := memConfig(t, t.TempDir())
	cfg.EventTypeFields = []string{"event_type", "type", "action"}
	s, err := startLocal(t, cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv, hits := nativeReceiver(t)
	envelopeSecret := nativeWebhook(t, s, srv.URL+"/envelope", "envelope")
	publishedSecret := nativeWebhook(t, s, srv.URL+"/published", "as_published")

	// A ScaiDrive audit event (typed by action), odd whitespace and key
	// order, no event_id or timestamp: published on the ingest topic.
	scaiDrive := []byte("{ \"user_id\" :\"usr_1\",\n\t\"action\":  \"share.member_added\", \"resource_id\":\"shr_1\",\r\n" +
		"  \"payload\": { \"role\" : \"contributor\", \"principal_id\":\"usr_2\" } ,\"note\":\"caf\\u00e9 \u00e9\"  }\n")
	// A Scalekit event (typed by type), published through the admin API.
	scalekit := []byte(`{"data":{"email":"ada@example.com","organization_id":"org_1"},` +
		`"type":"organization.directory.user_created",   "spec_version":"1","occurred_at":"2026-04-23T14:00:00Z"}`)

	for _, tc := range []struct {
		name, wantType string
		body           []byte
		viaAPI         bool
	}{
		{"action on the ingest topic", "share.member_added", scaiDrive, false},
		{"type through the admin API", "organization.directory.user_created", scalekit, true},
	} {
		if tc.viaAPI {
			if status, raw := adminCall(t, s, "POST", "/api/v1/events", tc.body, nil); status != http.StatusAccepted {
				t.Fatalf("%s: publish: %d %s", tc.name, status, raw)
			}
		} else if err := s.Publish(context.Background(), tc.body); err != nil {
			t.Fatal(err)
		}
		got := nextHits(t, hits, "/envelope", "/published")

		published := got["/published"]
		if !bytes.Equal(published.body, tc.body) {
			t.Errorf("%s: as_published body\n%q\nwant the published bytes\n%q", tc.name, published.body, tc.body)
		}
		if err := verify(publishedSecret, published); err != nil {
			t.Errorf("%s: as_published delivery does not verify: %v", tc.name, err)
		}
		if published.header.Get("webhook-id") == "" {
			t.Errorf("%s: as_published delivery has no webhook-id", tc.name)
		}

		env := got["/envelope"]
		if err := verify(envelopeSecret, env); err != nil {
			t.Errorf("%s: envelope delivery does not verify: %v", tc.name, err)
		}
		var fields map[string]any
		if err := json.Unmarshal(env.body, &fields); err != nil {
			t.Fatalf("%s: envelope %q: %v", tc.name, env.body, err)
		}
		if fields["event_type"] != tc.wantType || fields["event_id"] != env.header.Get("webhook-id") ||
			fields["timestamp"] == nil {
			t.Errorf("%s: envelope = %s, want event_type %s and the identity inserted", tc.name, env.body, tc.wantType)
		}
		// The envelope is the published object with Herald's members in front.
		if !bytes.HasSuffix(env.body, tc.body[bytes.IndexByte(tc.body, '{')+1:]) {
			t.Errorf("%s: envelope %q does not end with the published members", tc.name, env.body)
		}
	}

	// No type field and no default type: refused on both paths.
	untyped := []byte(`{"file_name":"report.pdf","folder":"inbox"}`)
	status, raw := adminCall(t, s, "POST", "/api/v1/events", untyped, nil)
	if status != http.StatusUnprocessableEntity || !strings.Contains(string(raw), `["body","event_type"]`) ||
		!strings.Contains(string(raw), "event_type, type, action") {
		t.Fatalf("untyped event through the API: %d %s", status, raw)
	}
	_, malformed := s.IngestCounts()
	if err := s.Publish(context.Background(), untyped); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if _, m := s.IngestCounts(); m > malformed {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the untyped event on the ingest topic was not refused as malformed")
		}
	}
	select {
	case h := <-hits:
		t.Fatalf("an untyped event was delivered: %s %q", h.path, h.body)
	case <-time.After(200 * time.Millisecond):
	}
}

func TestDefaultEventTypeTypesBodiesWithoutOne(t *testing.T) {
	t.Parallel()
	cfg := memConfig(t, t.TempDir())
	cfg.DefaultEventType = "file.available"
	s, err := startLocal(t, cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv, hits := nativeReceiver(t)
	envelopeSecret := nativeWebhook(t, s, srv.URL+"/envelope", "envelope")
	publishedSecret := nativeWebhook(t, s, srv.URL+"/published", "as_published")

	// A scoopa body: no type at all, published through the admin API and
	// on the ingest topic.
	for _, body := range [][]byte{
		[]byte(`{"file_name":"report.pdf","folder":"inbox","size":1024}`),
		[]byte("{\n  \"folder\": \"outbox\",\n  \"file_name\": \"scan 01.png\"\n}"),
	} {
		viaAPI := bytes.Contains(body, []byte("inbox"))
		if viaAPI {
			if status, raw := adminCall(t, s, "POST", "/api/v1/events", body, nil); status != http.StatusAccepted {
				t.Fatalf("publish: %d %s", status, raw)
			}
		} else if err := s.Publish(context.Background(), body); err != nil {
			t.Fatal(err)
		}
		got := nextHits(t, hits, "/envelope", "/published")
		if p := got["/published"]; !bytes.Equal(p.body, body) || verify(publishedSecret, p) != nil {
			t.Errorf("as_published body %q (verifies: %v), want %q", p.body, verify(publishedSecret, p), body)
		}
		env := got["/envelope"]
		var fields map[string]any
		if err := json.Unmarshal(env.body, &fields); err != nil || fields["event_type"] != "file.available" ||
			verify(envelopeSecret, env) != nil {
			t.Errorf("envelope %q: want event_type file.available, verified", env.body)
		}
		if got := env.header.Get("X-Herald-Event"); got != "file.available" {
			t.Errorf("event header = %q, want the default type", got)
		}
	}
}

// verify checks a delivery with the official Standard Webhooks library.
func verify(secret string, h nativeHit) error {
	wh, err := standardwebhooks.NewWebhook(secret)
	if err != nil {
		return err
	}
	return wh.Verify(h.body, h.header)
}

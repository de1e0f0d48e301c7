package admin_test

import (
	"net/http"
	"testing"

	"github.com/heraldhq/herald/pkg/admin"
	"github.com/heraldhq/herald/pkg/herald"
)

func TestListEventTypes(t *testing.T) {
	t.Parallel()
	f := newFixture(t, admin.Config{})
	var out struct {
		EventTypes []struct {
			Type, Description, Source, Category string
		} `json:"event_types"`
		Categories []string `json:"categories"`
	}
	if status, raw := f.do(t, adminToken, "GET", "/api/v1/admin/webhooks/events", nil, &out); status != http.StatusOK {
		t.Fatalf("list event types: %d %s", status, raw)
	}
	if len(out.Categories) != len(herald.Categories) {
		t.Errorf("categories = %v", out.Categories)
	}
	bySource := map[string]int{}
	types := map[string]string{}
	for _, e := range out.EventTypes {
		if e.Type == "" || e.Description == "" || e.Source == "" {
			t.Errorf("incomplete entry %+v", e)
		}
		bySource[e.Source]++
		types[e.Type] = e.Source
	}
	if bySource["scaivault"] == 0 || bySource["herald"] == 0 {
		t.Errorf("entries by source = %v", bySource)
	}
	for _, want := range []string{herald.EventTest, herald.EventEndpointPaused, herald.EventSecretRotated} {
		if types[want] != "herald" {
			t.Errorf("%s listed with source %q", want, types[want])
		}
	}
	if status, _ := f.do(t, "", "GET", "/api/v1/admin/webhooks/events", nil, nil); status != http.StatusUnauthorized {
		t.Errorf("without a token: %d", status)
	}
}

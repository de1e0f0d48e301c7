// Package catalogue holds the catalogue of event types Herald knows of
// (catalogue.json); its folder, events/, also holds the sample events the
// SAM template's functions are invoked with. It is not named after its
// folder: aws-lambda-go's events package, which the Lambda adapters import,
// has that name.
package catalogue

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"sync"
)

//go:embed catalogue.json
var catalogueJSON []byte

// EventType is one entry of the catalogue.
type EventType struct {
	// Type is the event_type ("secret.rotated").
	Type string `json:"type"`
	// Description says when the event is emitted.
	Description string `json:"description"`
	// Source names the emitter: "scaivault", "herald", ….
	Source string `json:"source"`
	// Category is the audit category the event carries, when it always
	// carries the same one.
	Category string `json:"category,omitempty"`
}

// Catalogue is the event type catalogue: what GET
// /api/v1/admin/webhooks/events lists.
type Catalogue struct {
	Description string      `json:"description"`
	Categories  []string    `json:"categories"`
	EventTypes  []EventType `json:"event_types"`
}

var parsed = sync.OnceValues(func() (Catalogue, error) {
	var c Catalogue
	if err := json.Unmarshal(catalogueJSON, &c); err != nil {
		return Catalogue{}, fmt.Errorf("parse events/catalogue.json: %w", err)
	}
	return c, nil
})

// Load returns the catalogue, parsed once from the embedded catalogue.json.
// The slices are the caller's own.
func Load() (Catalogue, error) {
	c, err := parsed()
	if err != nil {
		return Catalogue{}, err
	}
	c.Categories = append([]string(nil), c.Categories...)
	c.EventTypes = append([]EventType(nil), c.EventTypes...)
	return c, nil
}

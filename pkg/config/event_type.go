package config

import (
	"strings"

	"github.com/heraldhq/herald/pkg/envelope"
)

// typeFields reads a comma-separated list of envelope type fields (see
// envelope.Config.TypeFields).
func (p *parser) typeFields(name string) []string {
	v := p.get(name)
	var out []string
	for f := range strings.SplitSeq(v, ",") {
		f = strings.TrimSpace(f)
		if !envelope.CheckTypeField(f) {
			p.fail(name, v, "comma-separated top-level field names, none of them another well-known envelope field (event_id, timestamp, tenant_id…)")
			return nil
		}
		out = append(out, f)
	}
	return out
}

// eventType reads an event type, "" when unset.
func (p *parser) eventType(name string) string {
	v := p.get(name)
	if v != "" && !envelope.ValidEventType(v) {
		p.fail(name, v, "an event type: lower-case dotted segments of a-z, 0-9, _ and -")
	}
	return v
}

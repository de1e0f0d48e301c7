package probe

import (
	"encoding/json"
	"fmt"
)

// scope is a tenant and partner pair.
type scope struct{ tenant, partner string }

func (s scope) String() string { return fmt.Sprintf("(tenant %q, partner %q)", s.tenant, s.partner) }

// hook is the model of one webhook, kept from the API's answers.
type hook struct {
	key     string // its receiver path: /hook/<key>
	id      string
	scope   scope   // its tenant and partner now
	history []scope // every scope it has had
	secrets []string
	deleted bool
	// deliveries are the delivery ids the API listed for it.
	deliveries []int64
}

// move records a new scope of the webhook.
func (h *hook) move(s scope) {
	h.scope = s
	h.history = append(h.history, s)
}

// reaches reports whether an event of scope ev may reach the webhook: some
// scope it has had names no other tenant and no other partner.
func (h *hook) reaches(ev scope) bool {
	for _, s := range h.history {
		if (s.tenant == "" || s.tenant == ev.tenant) && (s.partner == "" || s.partner == ev.partner) {
			return true
		}
	}
	return false
}

// model is what the property test knows of the system.
type model struct {
	hooks  []*hook
	byID   map[string]*hook
	byKey  map[string]*hook
	events []string // event ids published, for reuse
	// seen counts the receiver's receipts already checked.
	seen int
}

func newModel() *model {
	return &model{byID: map[string]*hook{}, byKey: map[string]*hook{}}
}

func (m *model) add(h *hook) {
	m.hooks = append(m.hooks, h)
	m.byID[h.id] = h
	m.byKey[h.key] = h
}

// webhookView is the part of a webhook answer the oracle reads.
type webhookView struct {
	ID        string  `json:"id"`
	TenantID  *string `json:"tenant_id"`
	PartnerID *string `json:"partner_id"`
	Secret    string  `json:"secret"`
}

func (v webhookView) scope() scope {
	var s scope
	if v.TenantID != nil {
		s.tenant = *v.TenantID
	}
	if v.PartnerID != nil {
		s.partner = *v.PartnerID
	}
	return s
}

// eventScope reads the tenant and partner of an event's JSON.
func eventScope(body []byte) (scope, error) {
	var ev struct {
		TenantID  string `json:"tenant_id"`
		PartnerID string `json:"partner_id"`
	}
	err := json.Unmarshal(body, &ev)
	return scope{ev.TenantID, ev.PartnerID}, err
}

// violation is one thing the oracle found.
type violation struct {
	step   int
	kind   string
	detail string
}

func (v violation) String() string { return fmt.Sprintf("step %d: %s: %s", v.step, v.kind, v.detail) }

package herald

import "time"

// Application is an OAuth client of the admin API: it exchanges
// its client_id and client_secret at POST /oauth/token for a short-lived
// bearer token carrying its scopes and its tenant or partner binding. It is
// stored in the applications collection under ID, which is also its
// client_id.
type Application struct {
	ID          string   `docstore:"id"`
	Name        string   `docstore:"name"`
	Description string   `docstore:"description"`
	Scopes      []string `docstore:"scopes"`
	// TenantID and PartnerID bind the application: its tokens see and change
	// only that tenant's (partner's) webhooks and deliveries.
	TenantID  string `docstore:"tenant_id"`
	PartnerID string `docstore:"partner_id"`
	// Scope: as on Webhook.
	Scope string `docstore:"scope,omitempty"`
	// TokenLifetime is how long an issued token is valid.
	TokenLifetime time.Duration `docstore:"token_lifetime"`

	// SecretHash is a slow, salted hash of the client secret (PHC string
	// format); the secret itself is shown once and never stored.
	SecretHash string `docstore:"secret_hash"`
	// PreviousSecretHash is the hash of the secret a rotation replaced; it
	// is accepted until PreviousSecretUntilMS.
	PreviousSecretHash    string `docstore:"previous_secret_hash"`
	PreviousSecretUntilMS int64  `docstore:"previous_secret_until_ms"`
	// TokenGeneration is carried by every token issued to the application;
	// a token of another generation is refused. A rotation with no grace
	// period (the answer to a leaked secret) bumps it, so every token minted
	// before — even within the same second — stops at once.
	TokenGeneration int64 `docstore:"token_generation"`
	// TokensNotBeforeMS refuses the tokens issued (by whole seconds) before
	// it. Rotations set it before TokenGeneration existed; it is kept so
	// that stored records still decode and their revocations still hold.
	TokensNotBeforeMS int64 `docstore:"tokens_not_before_ms"`
	// SecretExpiresMS and SecretExpiryNotified: as on Webhook.
	SecretExpiresMS      int64         `docstore:"secret_expires_ms"`
	SecretExpiryNotified time.Duration `docstore:"secret_expiry_notified"`
	// SecretDutyShard and SecretDutyMS: as on Webhook.
	SecretDutyShard int   `docstore:"secret_duty_shard,omitempty"`
	SecretDutyMS    int64 `docstore:"secret_duty_ms,omitempty"`

	CreatedAt time.Time `docstore:"created_at"`
	UpdatedAt time.Time `docstore:"updated_at"`

	DocstoreRevision any
}

// DefaultTokenLifetime is an application's token lifetime unless it says
// otherwise.
const DefaultTokenLifetime = time.Hour

// Scopes of the admin API.
const (
	ScopeWebhooksRead  = "webhooks:read"
	ScopeWebhooksWrite = "webhooks:write"
	ScopeEventsPublish = "events:publish"
	// ScopeAdminRead lists and reads applications; admin:write implies it.
	ScopeAdminRead  = "admin:read"
	ScopeAdminWrite = "admin:write"
)

// AllScopes lists every scope.
var AllScopes = []string{ScopeWebhooksRead, ScopeWebhooksWrite, ScopeEventsPublish, ScopeAdminRead, ScopeAdminWrite}

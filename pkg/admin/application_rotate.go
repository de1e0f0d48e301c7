package admin

import (
	"net/http"

	"time"

	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/store"
)

// rotateApplicationSecret is POST …/applications/{id}/rotate-secret: a new
// client secret, shown once; the old one keeps working for the grace
// period. A grace period leaves issued tokens valid until they expire; 0
// stops the old secret and every token issued so far at once. Rotating
// hands out a credential with the application's scopes, so the caller must
// hold them all.
func (a *API) rotateApplicationSecret(w http.ResponseWriter, r *http.Request) {
	app, ok := a.loadApplication(w, r)
	if !ok {
		return
	}
	var in appRotateInput
	v := &validationError{}
	now := a.cfg.Now().UTC()
	decodeOptionalBody(r, &in, v)
	if !v.empty() {
		writeValidation(w, v)
		return
	}
	grace, expires, v := in.check(now)
	if !v.empty() {
		writeValidation(w, v)
		return
	}
	p := principal(r)
	if !manageable(w, p, app) {
		return
	}
	secret, hash, ok := a.newSecret(w, r)
	if !ok {
		return
	}
	rot := appRotation{hash: hash, grace: grace, expires: expires, now: now}
	// Re-applied to the application read again when it changed meanwhile
	// (the expiry-notifier marks its notices, another rotation): unless the
	// caller may no longer manage it.
	id := app.ID
	err := store.Modify(r.Context(), a.cfg.Applications, app, func() *herald.Application { return &herald.Application{ID: id} },
		func(app *herald.Application) error {
			if manageProblem(p, app) != "" {
				return store.ErrStale
			}
			rot.apply(app)
			return nil
		})
	if err != nil {
		a.applicationWriteFailed(w, r, err)
		return
	}
	a.cfg.Logger.Info("application secret rotated", "application_id", app.ID, "grace", grace.String())
	a.audit(r.Context(), r, herald.EventAppSecretRotated, app.TenantID, app.PartnerID,
		auditData{ApplicationID: app.ID, Name: app.Name})
	view := a.viewApplication(app)
	view.ClientSecret = secret
	writeJSON(w, http.StatusOK, view)
}

// appRotation is a checked rotation of an application's secret.
type appRotation struct {
	hash    string        // the new secret's hash
	grace   time.Duration // how long the old secret keeps working
	expires time.Time     // when the new secret should be rotated; zero for never
	now     time.Time
}

// apply puts the new secret's hash on app and keeps the old one for the
// grace period; a zero grace drops it and revokes every token issued so far.
func (rot appRotation) apply(app *herald.Application) {
	app.PreviousSecretHash, app.PreviousSecretUntilMS = app.SecretHash, herald.Millis(rot.now.Add(rot.grace))
	if rot.grace == 0 {
		// Revoke every token issued so far: they carry the old generation.
		app.PreviousSecretHash, app.PreviousSecretUntilMS = "", 0
		app.TokenGeneration++
	}
	app.SecretHash = rot.hash
	app.SecretExpiresMS, app.SecretExpiryNotified = 0, 0
	if !rot.expires.IsZero() {
		app.SecretExpiresMS = herald.Millis(rot.expires)
	}
	app.UpdatedAt = rot.now
	app.Derive()
}

package admin

import (
	"net/http"

	"gocloud.dev/gcerrors"

	"github.com/heraldhq/herald/pkg/herald"
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
	if !manageable(w, principal(r), app) {
		return
	}
	app.PreviousSecretHash, app.PreviousSecretUntilMS = app.SecretHash, herald.Millis(now.Add(grace))
	if grace == 0 {
		// Revoke every token issued so far: they carry the old generation.
		app.PreviousSecretHash, app.PreviousSecretUntilMS = "", 0
		app.TokenGeneration++
	}
	secret, ok := a.newSecret(w, r, app)
	if !ok {
		return
	}
	app.SecretExpiresMS, app.SecretExpiryNotified = 0, 0
	if !expires.IsZero() {
		app.SecretExpiresMS = herald.Millis(expires)
	}
	app.UpdatedAt = now
	app.DeriveSecretDuty()
	if err := a.cfg.Applications.Replace(r.Context(), app); err != nil {
		if gcerrors.Code(err) == gcerrors.FailedPrecondition || gcerrors.Code(err) == gcerrors.NotFound {
			writeDetail(w, http.StatusConflict, "the application changed meanwhile; read it and try again")
			return
		}
		a.storeFailed(w, r, err)
		return
	}
	a.cfg.Logger.Info("application secret rotated", "application_id", app.ID, "grace", grace.String())
	a.audit(r.Context(), r, herald.EventAppSecretRotated, app.TenantID, app.PartnerID,
		auditData{ApplicationID: app.ID, Name: app.Name})
	view := a.viewApplication(app)
	view.ClientSecret = secret
	writeJSON(w, http.StatusOK, view)
}

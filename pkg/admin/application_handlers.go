package admin

import (
	"net/http"
	"time"

	"github.com/heraldhq/herald/pkg/auth"
	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/store"
)

func (a *API) listApplications(w http.ResponseWriter, r *http.Request) {
	listOwned(a, w, r, a.cfg.Applications, func(app *herald.Application) (string, string, string) {
		return app.ID, app.TenantID, app.PartnerID
	}, a.viewApplication)
}

func (a *API) createApplication(w http.ResponseWriter, r *http.Request) {
	var in applicationInput
	v := &validationError{}
	now := a.cfg.Now().UTC()
	var expires time.Time
	if decodeBody(r, &in, v); v.empty() {
		expires, v = in.check(now)
	}
	if !v.empty() {
		writeValidation(w, v)
		return
	}
	// A bound caller's applications have exactly its binding: one bound on
	// another dimension too could reach scopes the caller cannot see.
	p := principal(r)
	tenant, partner, ok := bindScope(w, p, in.TenantID, in.PartnerID)
	if !ok || !grantable(w, p, in.Scopes) {
		return
	}
	app := &herald.Application{
		ID: auth.NewApplicationID(), Name: *in.Name, Description: in.Description, Scopes: in.Scopes,
		TenantID: tenant, PartnerID: partner, TokenLifetime: herald.DefaultTokenLifetime,
		CreatedAt: now, UpdatedAt: now,
	}
	if in.TokenLifetime != nil {
		app.TokenLifetime = time.Duration(*in.TokenLifetime) * time.Second
	}
	if !expires.IsZero() {
		app.SecretExpiresMS = herald.Millis(expires)
	}
	secret, hash, ok := a.newSecret(w, r)
	if !ok {
		return
	}
	app.SecretHash = hash
	app.Derive()
	if err := a.cfg.Applications.Create(r.Context(), app); err != nil {
		a.storeFailed(w, r, err)
		return
	}
	a.cfg.Logger.Info("application created", "application_id", app.ID)
	a.audit(r.Context(), r, herald.EventApplicationCreated, app.TenantID, app.PartnerID,
		auditData{ApplicationID: app.ID, Name: app.Name})
	view := a.viewApplication(app)
	view.ClientSecret = secret
	writeJSON(w, http.StatusCreated, view)
}

func (a *API) getApplication(w http.ResponseWriter, r *http.Request) {
	if app, ok := a.loadApplication(w, r); ok {
		writeJSON(w, http.StatusOK, a.viewApplication(app))
	}
}

func (a *API) deleteApplication(w http.ResponseWriter, r *http.Request) {
	app, ok := a.loadApplication(w, r)
	if !ok || !manageable(w, principal(r), app) {
		return
	}
	if err := a.cfg.Applications.Delete(r.Context(), app); err != nil && !store.NotFound(err) {
		a.storeFailed(w, r, err)
		return
	}
	a.cfg.Logger.Info("application deleted", "application_id", app.ID)
	a.audit(r.Context(), r, herald.EventApplicationDeleted, app.TenantID, app.PartnerID,
		auditData{ApplicationID: app.ID, Name: app.Name})
	w.WriteHeader(http.StatusNoContent)
}

// grantable reports whether the caller holds every scope it grants; it
// answers 403 when not, so no token can mint a more powerful one.
func grantable(w http.ResponseWriter, p *auth.Principal, scopes []string) bool {
	for _, s := range scopes {
		if !p.Has(s) {
			writeDetail(w, http.StatusForbidden, "this token cannot grant the "+s+" scope")
			return false
		}
	}
	return true
}

// manageable reports whether the caller may change or delete app: app must
// lie inside the caller's binding and hold no scope the caller lacks, so no
// token can remove or take over a more powerful one. It answers 403 when
// not.
func manageable(w http.ResponseWriter, p *auth.Principal, app *herald.Application) bool {
	if msg := manageProblem(p, app); msg != "" {
		writeDetail(w, http.StatusForbidden, msg)
		return false
	}
	return true
}

// manageProblem says why the caller may not change or delete app (see
// manageable); "" when it may.
func manageProblem(p *auth.Principal, app *herald.Application) string {
	if !p.Sees(app.TenantID, app.PartnerID) {
		return "this token is bound to another tenant or partner"
	}
	for _, s := range app.Scopes {
		if !p.Has(s) {
			return "this token cannot manage an application with the " + s + " scope"
		}
	}
	return ""
}

// newSecret returns a new client secret and its hash.
func (a *API) newSecret(w http.ResponseWriter, r *http.Request) (secret, hash string, ok bool) {
	secret = auth.NewSecret()
	hash, err := auth.HashSecret(secret)
	if err != nil {
		a.storeFailed(w, r, err)
		return "", "", false
	}
	return secret, hash, true
}

// loadApplication reads the application named in the path (see load).
func (a *API) loadApplication(w http.ResponseWriter, r *http.Request) (*herald.Application, bool) {
	app := &herald.Application{ID: r.PathValue("application_id")}
	ok := a.load(w, r, a.cfg.Applications, app, app.ID, "application",
		func() (string, string) { return app.TenantID, app.PartnerID })
	return app, ok
}

package admin

import (
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/go-playground/validator/v10"

	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/store"
)

// applicationPatch is the body of PATCH …/applications/{id}: the fields to
// change, nil when unchanged. An application's binding and secret are not
// patched: the binding is fixed at create, the secret rotated.
type applicationPatch struct {
	Name        *string   `json:"name" validate:"omitnil,min=1,max=200"`
	Description *string   `json:"description" validate:"omitnil,max=2000"`
	Scopes      *[]string `json:"scopes" validate:"omitnil,min=1,max=5,unique"`
	// TokenLifetime is in seconds; it applies to tokens issued afterwards.
	TokenLifetime *int `json:"token_lifetime" validate:"omitnil,min=60,max=86400"`
}

// check validates a patch body, each problem with its field.
func (in *applicationPatch) check() *validationError {
	v := &validationError{}
	if err := validate().Struct(in); err != nil {
		var errs validator.ValidationErrors
		if errors.As(err, &errs) {
			for _, fe := range errs {
				msg, typ := applicationMessage(fe)
				v.add(msg, typ, namespaceLoc(fe.Namespace())...)
			}
		}
	}
	if in.Scopes != nil {
		for i, sc := range *in.Scopes {
			if !slices.Contains(herald.AllScopes, sc) {
				v.add("must be one of "+strings.Join(herald.AllScopes, ", "), "enum", "body", "scopes", i)
			}
		}
	}
	return v
}

// changed names the fields the patch sets, for the audit event.
func (in *applicationPatch) changed() []string {
	var out []string
	for _, f := range []struct {
		name string
		set  bool
	}{{"name", in.Name != nil}, {"description", in.Description != nil},
		{"scopes", in.Scopes != nil}, {"token_lifetime", in.TokenLifetime != nil}} {
		if f.set {
			out = append(out, f.name)
		}
	}
	return out
}

// apply sets the patched fields on app as of now.
func (in *applicationPatch) apply(app *herald.Application, now time.Time) {
	if in.Name != nil {
		app.Name = *in.Name
	}
	if in.Description != nil {
		app.Description = *in.Description
	}
	if in.Scopes != nil {
		app.Scopes = slices.Clone(*in.Scopes)
	}
	if in.TokenLifetime != nil {
		app.TokenLifetime = time.Duration(*in.TokenLifetime) * time.Second
	}
	app.UpdatedAt = now
	app.Derive()
}

// patchApplication is PATCH …/applications/{id}: a partial update of name,
// description, scopes and token_lifetime. The caller must be able to
// manage the application (see manageable) and hold every scope it sets, so
// no token can widen an application past its own reach. Narrowed scopes
// take effect at once for tokens already issued: each request resolves its
// token's scopes against the application's current ones (see package
// auth), so a dropped scope is gone from every token on its next request.
func (a *API) patchApplication(w http.ResponseWriter, r *http.Request) {
	app, ok := a.loadApplication(w, r)
	if !ok {
		return
	}
	var in applicationPatch
	v := &validationError{}
	if decodeBody(r, &in, v); v.empty() {
		v = in.check()
	}
	if !v.empty() {
		writeValidation(w, v)
		return
	}
	p := principal(r)
	if !manageable(w, p, app) || (in.Scopes != nil && !grantable(w, p, *in.Scopes)) {
		return
	}
	now := a.cfg.Now().UTC()
	// Re-applied to the application read again when it changed meanwhile
	// (a rotation, the expiry-notifier's marks), unless the caller may no
	// longer manage it.
	id := app.ID
	err := store.Modify(r.Context(), a.cfg.Applications, app, func() *herald.Application { return &herald.Application{ID: id} },
		func(app *herald.Application) error {
			if manageProblem(p, app) != "" {
				return store.ErrStale
			}
			in.apply(app, now)
			return nil
		})
	if err != nil {
		a.applicationWriteFailed(w, r, err)
		return
	}
	a.cfg.Logger.Info("application updated", "application_id", app.ID)
	a.audit(r.Context(), r, herald.EventApplicationUpdated, app.TenantID, app.PartnerID,
		auditData{ApplicationID: app.ID, Name: app.Name, Changed: in.changed()})
	writeJSON(w, http.StatusOK, a.viewApplication(app))
}

// applicationWriteFailed answers a failed revision-checked write of an
// application: 409 when it changed or went away meanwhile, else the store's
// failure.
func (a *API) applicationWriteFailed(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, store.ErrStale) || store.Conflict(err) || store.NotFound(err) {
		writeDetail(w, http.StatusConflict, "the application changed meanwhile; read it and try again")
		return
	}
	a.storeFailed(w, r, err)
}

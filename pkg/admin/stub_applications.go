package admin

import "net/http"

// Placeholders until applications and OAuth tokens land.

func (a *API) token(w http.ResponseWriter, r *http.Request)                   { notYet(w) }
func (a *API) listApplications(w http.ResponseWriter, r *http.Request)        { notYet(w) }
func (a *API) createApplication(w http.ResponseWriter, r *http.Request)       { notYet(w) }
func (a *API) getApplication(w http.ResponseWriter, r *http.Request)          { notYet(w) }
func (a *API) deleteApplication(w http.ResponseWriter, r *http.Request)       { notYet(w) }
func (a *API) rotateApplicationSecret(w http.ResponseWriter, r *http.Request) { notYet(w) }

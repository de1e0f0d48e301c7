package admin

import "net/http"

// Placeholder until the OpenAPI document lands.

func (a *API) openAPI(w http.ResponseWriter, r *http.Request) { notYet(w) }

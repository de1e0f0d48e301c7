package admin

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"net/http"
	"time"
)

// openAPIDocument is the OpenAPI 3.1 description of this API. Keep it in
// step with routes: TestOpenAPIRoutes fails when a route is missing from it
// or it names a route that does not exist.
//
//go:embed openapi.json
var openAPIDocument []byte

// openAPIETag identifies this build's document, so clients can revalidate.
var openAPIETag = func() string {
	sum := sha256.Sum256(openAPIDocument)
	return `"` + hex.EncodeToString(sum[:8]) + `"`
}()

// OpenAPI returns the API's OpenAPI 3.1 document (JSON). The slice is a copy.
func OpenAPI() []byte { return bytes.Clone(openAPIDocument) }

// openAPI serves the document: no auth, cacheable, revalidated by ETag.
func (a *API) openAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "public, max-age=300")
	w.Header().Set("ETag", openAPIETag)
	http.ServeContent(w, r, "openapi.json", time.Time{}, bytes.NewReader(openAPIDocument))
}

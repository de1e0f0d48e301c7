package admin

import "net/http"

// unmatchedAsJSON serves mux, answering the requests no route takes in the
// API's error style: 404 {"detail": "Not Found"} for an unknown path, and
// 405 {"detail": "Method Not Allowed"} with the mux's Allow header for a
// known path asked with another method. A catch-all route cannot do this:
// it would match every method of every path and hide the 405.
func unmatchedAsJSON(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h, pattern := mux.Handler(r)
		if pattern != "" {
			// A route, or the mux's redirect to a route's canonical path.
			mux.ServeHTTP(w, r)
			return
		}
		// The mux's own 404 or 405 handler: keep its status and Allow
		// header, replace its text body.
		rec := &statusRecorder{header: http.Header{}, status: http.StatusNotFound}
		h.ServeHTTP(rec, r)
		if allow := rec.header.Values("Allow"); len(allow) > 0 {
			w.Header()["Allow"] = allow
		}
		writeDetail(w, rec.status, http.StatusText(rec.status))
	})
}

// statusRecorder is a ResponseWriter that keeps the header and status
// written to it and discards the body.
type statusRecorder struct {
	header http.Header
	status int
}

func (s *statusRecorder) Header() http.Header { return s.header }

func (s *statusRecorder) Write(b []byte) (int, error) { return len(b), nil }

func (s *statusRecorder) WriteHeader(status int) { s.status = status }

package lambdart

import (
	"encoding/json"
	"io"
	"net/http"
)

// FunctionURL returns an http.Handler that plays a Function URL in front of
// fn (AuthType NONE, InvokeMode RESPONSE_STREAM): each request becomes a
// Function URL event, and the function's streamed response (or buffered
// API Gateway-style JSON) is written back. A function error answers 502, as
// a Function URL does.
func FunctionURL(fn Invoker) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		payload, err := json.Marshal(FunctionURLRequest(r, body))
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		res, err := fn.Invoke(r.Context(), payload)
		if err != nil {
			http.Error(w, "invoke: "+err.Error(), http.StatusBadGateway)
			return
		}
		if res.Error != nil {
			w.Header().Set("X-Amzn-Errortype", res.Error.Type)
			http.Error(w, `{"Message":"Internal Server Error"}`, http.StatusBadGateway)
			return
		}
		resp := res.HTTP
		if resp == nil {
			resp = bufferedHTTP(res.Payload)
		}
		for k, v := range resp.Header {
			w.Header()[k] = v
		}
		for _, c := range resp.Cookies {
			w.Header().Add("Set-Cookie", c)
		}
		w.WriteHeader(resp.StatusCode)
		_, _ = w.Write(resp.Body)
	})
}

// bufferedHTTP reads a buffered Function URL answer: a JSON object with
// statusCode, headers and body, or any other payload as a 200 JSON body.
func bufferedHTTP(payload []byte) *HTTPResponse {
	var v struct {
		StatusCode int               `json:"statusCode"`
		Headers    map[string]string `json:"headers"`
		Body       string            `json:"body"`
		Cookies    []string          `json:"cookies"`
	}
	if json.Unmarshal(payload, &v) == nil && v.StatusCode != 0 {
		h := http.Header{}
		for k, val := range v.Headers {
			h.Set(k, val)
		}
		return &HTTPResponse{StatusCode: v.StatusCode, Header: h, Cookies: v.Cookies, Body: []byte(v.Body)}
	}
	return &HTTPResponse{StatusCode: http.StatusOK, Header: http.Header{"Content-Type": {"application/json"}}, Body: payload}
}

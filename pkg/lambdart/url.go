package lambdart

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-lambda-go/events"
)

// FunctionURLRequest is the event a Function URL (payload format 2.0) sends
// for req: method, raw path and query, headers (lower-cased, repeated ones
// joined with commas, cookies apart), the body (base64 unless UTF-8 text),
// and the request context. The domain is taken from req.Host, or
// "localhost" when empty.
func FunctionURLRequest(req *http.Request, body []byte) events.LambdaFunctionURLRequest {
	host := req.Host
	if host == "" {
		host = "localhost"
	}
	ev := events.LambdaFunctionURLRequest{Version: "2.0", RawPath: req.URL.Path, RawQueryString: req.URL.RawQuery,
		Headers: map[string]string{}, QueryStringParameters: map[string]string{}}
	for k, v := range req.Header {
		k = strings.ToLower(k)
		if k == "cookie" {
			for _, c := range v {
				ev.Cookies = append(ev.Cookies, strings.Split(c, "; ")...)
			}
			continue
		}
		ev.Headers[k] = strings.Join(v, ",")
	}
	ev.Headers["host"] = host
	for k, v := range req.URL.Query() {
		ev.QueryStringParameters[k] = strings.Join(v, ",")
	}
	if utf8.Valid(body) {
		ev.Body = string(body)
	} else {
		ev.Body, ev.IsBase64Encoded = base64.StdEncoding.EncodeToString(body), true
	}
	now := time.Now()
	prefix, _, _ := strings.Cut(host, ".")
	ev.RequestContext = events.LambdaFunctionURLRequestContext{AccountID: "anonymous", RequestID: requestID(),
		APIID: prefix, DomainName: host, DomainPrefix: prefix, Time: now.Format("02/Jan/2006:15:04:05 -0700"),
		TimeEpoch: now.UnixMilli(), HTTP: events.LambdaFunctionURLRequestContextHTTPDescription{
			Method: req.Method, Path: req.URL.Path, Protocol: "HTTP/1.1", SourceIP: "127.0.0.1",
			UserAgent: req.UserAgent()}}
	return ev
}

// NewURLRequest builds the request FunctionURLRequest takes: method and a
// path with its query on host, with the given headers.
func NewURLRequest(method, pathAndQuery string, header http.Header) *http.Request {
	u, err := url.ParseRequestURI(pathAndQuery)
	if err != nil {
		u = &url.URL{Path: pathAndQuery}
	}
	req := &http.Request{Method: method, URL: u, Header: header, Host: "herald.lambda-url.us-east-1.on.aws"}
	if req.Header == nil {
		req.Header = http.Header{}
	}
	return req
}

// Package console is Herald's admin console: a single-page application of
// hand-written HTML, CSS and ES modules, embedded in the binary and served by
// the admin function at /console/ (HERALD_CONSOLE=false turns it off).
//
// The console is just another client of the admin API. Its scripts call the
// documented endpoints from the browser with the user's bearer token (held in
// sessionStorage, never in a URL or a cookie), so scopes and tenant binding
// apply to it exactly as to any client: the package holds no data access and
// no logic of its own, only the files and the headers they are served with
// (a strict Content-Security-Policy: no inline script or style, no framing).
//
// Its tests run one flow through the console in headless Chromium (over the
// DevTools protocol, with chromedp) and in headless Firefox (over WebDriver
// BiDi, with the small client in internal/bidi), against a real local mode.
package console

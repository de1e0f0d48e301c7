package iamcheck

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"hash/crc32"
	"io"
	"net/http"
	"net/http/httputil"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// Principal is who a granted access key acts as.
type Principal struct {
	// Name labels the principal in counts and denials (e.g. "deliver").
	Name string
	// ARN is the caller's ARN, for messages (an assumed-role session ARN).
	ARN string
	// Statements are the statements of every identity-based policy of the
	// principal.
	Statements []Statement
}

// Denial is a call no statement allowed.
type Denial struct {
	Principal string
	Action    string
	Resource  string
	Decision  Decision
}

func (d Denial) String() string {
	return fmt.Sprintf("%s: %s on %s (%s)", d.Principal, d.Action, d.Resource, d.Decision)
}

// Config configures a Proxy.
type Config struct {
	// Upstream is the emulator's endpoint URL. Required.
	Upstream string
	// Scope names resources: region, account, names to ARNs. Region
	// defaults to "us-east-1", Account to moto's "123456789012".
	Scope Scope
	// AuditOnly forwards denied calls too (still recorded as denials), to
	// see every call a policy misses in one run instead of the first.
	AuditOnly bool
	// OnDenial, when set, is called with each denial as it happens.
	OnDenial func(Denial)
}

// Proxy is an http.Handler that checks and forwards AWS API requests.
type Proxy struct {
	cfg   Config
	proxy *httputil.ReverseProxy

	mu      sync.Mutex
	keys    map[string]*Principal
	denials []Denial
	counts  map[string]map[string]int // principal → action → calls
}

// New returns a Proxy forwarding to cfg.Upstream.
func New(cfg Config) (*Proxy, error) {
	u, err := url.Parse(cfg.Upstream)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("upstream %q: not a URL", cfg.Upstream)
	}
	if cfg.Scope.Region == "" {
		cfg.Scope.Region = "us-east-1"
	}
	if cfg.Scope.Account == "" {
		cfg.Scope.Account = "123456789012"
	}
	p := &Proxy{cfg: cfg, proxy: httputil.NewSingleHostReverseProxy(u), keys: map[string]*Principal{},
		counts: map[string]map[string]int{}}
	return p, nil
}

// Grant makes requests signed with accessKey act as p.
func (p *Proxy) Grant(accessKey string, pr Principal) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.keys[accessKey] = &pr
}

// Denials returns the denials so far, in order.
func (p *Proxy) Denials() []Denial {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Denial(nil), p.denials...)
}

// Counts returns the checked requests of principal name so far, by API
// operation ("dynamodb:UpdateItem", "sqs:DeleteMessageBatch"), allowed and
// denied alike: what the calls cost, where Denials name IAM actions.
func (p *Proxy) Counts(name string) map[string]int {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := map[string]int{}
	for a, n := range p.counts[name] {
		out[a] = n
	}
	return out
}

// Principals returns the names of the principals that made checked calls,
// sorted.
func (p *Proxy) Principals() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []string
	for n := range p.counts {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// ServeHTTP checks the request when its key is granted, then forwards it or
// answers AccessDenied.
func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	call := ParseRequest(r, body, p.cfg.Scope)
	if call != nil {
		if d, denied := p.check(call); denied && !p.cfg.AuditOnly {
			p.refuse(w, r, call, d)
			return
		}
	}
	p.proxy.ServeHTTP(w, r)
}

// check evaluates every check of call and records it; it returns the first
// denial.
func (p *Proxy) check(call *Call) (*Denial, bool) {
	p.mu.Lock()
	pr := p.keys[call.AccessKey]
	if pr == nil {
		p.mu.Unlock()
		return nil, false
	}
	var first *Denial
	var found []Denial
	if p.counts[pr.Name] == nil {
		p.counts[pr.Name] = map[string]int{}
	}
	p.counts[pr.Name][call.Service+":"+call.Operation]++
	for _, c := range call.Checks {
		if c.Action == "sts:GetCallerIdentity" {
			continue // always allowed
		}
		if d := Evaluate(pr.Statements, c.Action, c.Resource); d != Allow {
			den := Denial{Principal: pr.Name, Action: c.Action, Resource: c.Resource, Decision: d}
			p.denials = append(p.denials, den)
			found = append(found, den)
			if first == nil {
				first = &den
			}
		}
	}
	p.mu.Unlock()
	if p.cfg.OnDenial != nil {
		for _, d := range found {
			p.cfg.OnDenial(d)
		}
	}
	return first, first != nil
}

// refuse answers as AWS does: JSON protocols an AccessDeniedException (400),
// query protocols an AccessDenied ErrorResponse (403).
func (p *Proxy) refuse(w http.ResponseWriter, r *http.Request, call *Call, d *Denial) {
	p.mu.Lock()
	who := p.keys[call.AccessKey].ARN
	p.mu.Unlock()
	if who == "" {
		who = d.Principal
	}
	why := "no identity-based policy allows the " + d.Action + " action"
	if d.Decision == ExplicitDeny {
		why = "an explicit deny in an identity-based policy"
	}
	msg := fmt.Sprintf("User: %s is not authorized to perform: %s on resource: %s because %s",
		who, d.Action, d.Resource, why)
	w.Header().Set("X-Amzn-Requestid", "iamcheck-denied")
	if r.Header.Get("X-Amz-Target") != "" {
		w.Header().Set("Content-Type", "application/x-amz-json-1.0")
		// SQS's JSON protocol reads the query-compatible code from here.
		w.Header().Set("X-Amzn-Query-Error", "AccessDenied;Sender")
		b, _ := json.Marshal(map[string]string{"__type": "AccessDeniedException", "message": msg, "Message": msg})
		// DynamoDB clients check the body against this.
		w.Header().Set("X-Amz-Crc32", strconv.FormatUint(uint64(crc32.ChecksumIEEE(b)), 10))
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write(b)
		return
	}
	w.Header().Set("Content-Type", "text/xml")
	w.WriteHeader(http.StatusForbidden)
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(msg))
	fmt.Fprintf(w, `<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>%s</Message></Error><RequestId>iamcheck-denied</RequestId></ErrorResponse>`, b.String())
}

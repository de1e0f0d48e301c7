// Package config reads Herald's configuration from environment variables:
// gocloud URLs for every topic, subscription and collection, and the
// deployment's settings. Every variable and its default is listed in the
// README; Vars below is the single list the README's table is checked against.
package config

import (
	"fmt"
	"net/netip"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/netguard"
	"github.com/heraldhq/herald/pkg/retry"
	"github.com/heraldhq/herald/pkg/signature"
	"github.com/heraldhq/herald/pkg/store"
)

// Config is everything a Herald function may need. Each function reads the
// fields it uses.
type Config struct {
	Addr       string // HERALD_ADDR
	AdminToken string // HERALD_ADMIN_TOKEN
	// AdminTokenURL, when set, names where the admin function reads
	// AdminToken from at start (HERALD_ADMIN_TOKEN_URL).
	AdminTokenURL string
	DataDir       string // HERALD_DATA_DIR

	HeaderPrefix string // HERALD_HEADER_PREFIX
	// HexSignature is what the <prefix>Signature header carries
	// (HERALD_HEX_SIGNATURE).
	HexSignature        signature.HexMode
	RetrySchedule       retry.Schedule // HERALD_RETRY_SCHEDULE
	AllowPrivateTargets bool           // HERALD_ALLOW_PRIVATE_TARGETS
	AllowedTargetCIDRs  []netip.Prefix // HERALD_ALLOWED_TARGET_CIDRS
	RequireHTTPS        bool           // HERALD_REQUIRE_HTTPS
	DeliveryTimeout     time.Duration  // HERALD_DELIVERY_TIMEOUT
	MaxEventBytes       int            // HERALD_MAX_EVENT_BYTES
	// EventTypeFields are the top-level fields an event's type is read
	// from, first present first (HERALD_EVENT_TYPE_FIELDS); DefaultEventType
	// is the type of an event with none of them, "" refusing it
	// (HERALD_DEFAULT_EVENT_TYPE).
	EventTypeFields    []string
	DefaultEventType   string
	Retention          time.Duration // HERALD_RETENTION
	PauseHold          time.Duration // HERALD_PAUSE_HOLD
	IngestConcurrency  int           // HERALD_INGEST_CONCURRENCY
	DeliverConcurrency int           // HERALD_DELIVER_CONCURRENCY
	SweepGrace         time.Duration // HERALD_SWEEP_GRACE
	SweepInterval      time.Duration // HERALD_SWEEP_INTERVAL
	ExpiryInterval     time.Duration // HERALD_EXPIRY_INTERVAL
	ValidationOrigin   string        // HERALD_VALIDATION_ORIGIN
	// RevalidateInterval is how often the expiry-notifier validates every
	// enabled webhook again; 0: never (HERALD_REVALIDATE_INTERVAL).
	RevalidateInterval time.Duration
	WebhookCache       time.Duration // HERALD_WEBHOOK_CACHE
	ShutdownTimeout    time.Duration // HERALD_SHUTDOWN_TIMEOUT
	// HeapFloorMiB is the heap, in MiB, below which local mode's garbage
	// collector does not run (pkg/heapfloor); 0: Go's own pacing
	// (HERALD_HEAP_FLOOR_MIB).
	HeapFloorMiB     int
	LogLevel         string // HERALD_LOG_LEVEL
	MetricsAddr      string // HERALD_METRICS_ADDR
	MetricsNamespace string // HERALD_METRICS_NAMESPACE

	// AdminMaxConns bounds the admin API server's open connections
	// (HERALD_ADMIN_MAX_CONNS); AdminReadTimeout bounds reading one
	// request, body included (HERALD_ADMIN_READ_TIMEOUT).
	AdminMaxConns    int
	AdminReadTimeout time.Duration
	// Console serves the admin console at /console/ (HERALD_CONSOLE).
	Console bool

	SecretsKeeper   string // HERALD_SECRETS_KEEPER
	TokenSigningKey string // HERALD_TOKEN_SIGNING_KEY
	// TokenSigningKeyURL, when set, names where the admin function reads
	// TokenSigningKey from at start (HERALD_TOKEN_SIGNING_KEY_URL).
	TokenSigningKeyURL string
	JWKSURL            string // HERALD_JWKS_URL
	JWTIssuer          string // HERALD_JWT_ISSUER
	JWTAudience        string // HERALD_JWT_AUDIENCE

	IngestTopic            string // HERALD_INGEST_TOPIC
	IngestSubscription     string // HERALD_INGEST_SUBSCRIPTION
	OwnEventsTopic         string // HERALD_OWN_EVENTS_TOPIC
	OwnEventsSubscription  string // HERALD_OWN_EVENTS_SUBSCRIPTION
	DeliverTopic           string // HERALD_DELIVER_TOPIC
	DeliverSubscription    string // HERALD_DELIVER_SUBSCRIPTION
	WebhooksCollection     string // HERALD_WEBHOOKS_COLLECTION
	EventsCollection       string // HERALD_EVENTS_COLLECTION
	DeliveriesCollection   string // HERALD_DELIVERIES_COLLECTION
	ScheduleCollection     string // HERALD_SCHEDULE_COLLECTION
	ApplicationsCollection string // HERALD_APPLICATIONS_COLLECTION
}

// Var is one environment variable with its default.
type Var struct {
	Name    string
	Default string // the default outside local mode
	Local   string // the default in local mode, where it differs
	Doc     string
}

// Vars lists every variable Herald reads.
var Vars = []Var{
	{"HERALD_ADDR", "127.0.0.1:8080", "", "address the admin API listens on (long-running mode)"},
	{"HERALD_ADMIN_MAX_CONNS", "512", "", "admin API's own server (long-running mode): connections open at once; more wait in the listen backlog until one closes"},
	{"HERALD_ADMIN_READ_TIMEOUT", "10s", "", "admin API's own server: how long reading one request may take, headers and body; a slower client is cut off"},
	{"HERALD_CONSOLE", "true", "", "admin function: serve the browser console at `/console/` (a client of the admin API with the user's token; `false` turns it off)"},
	{"HERALD_ADMIN_TOKEN", "", "", "bootstrap bearer token with every scope; local mode generates and prints one when unset"},
	{"HERALD_ADMIN_TOKEN_URL", "", "", "admin function: gocloud runtimevar URL the admin token is read from at start, instead of HERALD_ADMIN_TOKEN (on AWS `awssecretsmanager://<secret>?region=<region>&decoder=string`; also `file://`)"},
	{"HERALD_DATA_DIR", "./data", "", "local mode: where the store (`herald.db`), the ingest journal (`queue.db`) and the keys are kept"},
	{"HERALD_HEADER_PREFIX", signature.DefaultPrefix, "", "prefix of the Event, Delivery-Id and Signature headers"},
	{"HERALD_HEX_SIGNATURE", "sha256", "", "what the `<prefix>Signature` header carries, in deliveries, test and validation calls: `sha256` is `sha256=<hex HMAC-SHA256>` keyed with the secret's decoded bytes (the Standard Webhooks key); `plain` is the bare lowercase hex of HMAC-SHA256 keyed with the secret's text exactly as the API showed it, `whsec_` included (for receivers told \"HMAC-SHA256 over the body, using the webhook secret\"); `off` sends none (the Standard Webhooks headers only). During a rotation it uses the current secret only"},
	{"HERALD_RETRY_SCHEDULE", "30s,1m,5m,15m,1h,6h,24h", "", "delays before each retry, comma-separated Go durations, each at least 1s (the API's rule for a webhook's `retry_schedule` too)"},
	{"HERALD_ALLOW_PRIVATE_TARGETS", "false", "true", "allow webhook URLs on loopback, private and link-local addresses"},
	{"HERALD_ALLOWED_TARGET_CIDRS", "", "", "comma-separated CIDRs webhooks may reach even when private targets are not allowed, and over plain http (e.g. an internal receiver at `10.1.2.0/24`); unset: none"},
	{"HERALD_REQUIRE_HTTPS", "true", "false", "webhook URLs must be https unless their host is a private or loopback literal (where private targets are allowed) or allow-listed; also enforced when sending"},
	{"HERALD_DELIVERY_TIMEOUT", "10s", "", "timeout of one delivery attempt"},
	{"HERALD_MAX_EVENT_BYTES", strconv.Itoa(herald.DefaultMaxEventBytes), "", "largest accepted event envelope"},
	{"HERALD_EVENT_TYPE_FIELDS", "event_type", "", "comma-separated top-level fields an event's type is read from, the first present one winning (e.g. `event_type,type,action` for native payloads); `event_type`, when present, is always the type, and Herald inserts it into the envelope when the type came from another field"},
	{"HERALD_DEFAULT_EVENT_TYPE", "", "", "event type of an event with none of those fields; unset: such an event is refused (`422`, or dropped as malformed from the ingest topic)"},
	{"HERALD_RETENTION", "720h", "", "how long events and finished deliveries are kept"},
	{"HERALD_PAUSE_HOLD", "168h", "", "how long a paused webhook holds a delivery before it is given up"},
	{"HERALD_INGEST_CONCURRENCY", "16", "", "events ingested at once per process"},
	{"HERALD_DELIVER_CONCURRENCY", "64", "", "requests in flight at once per process; the long-running deliver consumer handles four times as many jobs at once, so jobs waiting for their claim or record to commit hold no request slot"},
	{"HERALD_SWEEP_GRACE", "1m", "", "how long a pending delivery may be overdue before its job is published again"},
	{"HERALD_SWEEP_INTERVAL", "1m", "", "how often the retry-scheduler sweeps for lost jobs (long-running mode; on Lambda, every run)"},
	{"HERALD_WEBHOOK_CACHE", "1s", "", "local mode: how often ingest and deliver read their in-memory table of webhooks again whole (every write in the process updates it at once); ingest on its own (Lambda, emulator): how often it reads the webhooks revision at the least (it also reads it once for the messages it begins handling together, so an event published after a webhook was written is matched against it), reading the webhooks again only when it moved; 0: no table, every event and attempt reads the store"},
	{"HERALD_EXPIRY_INTERVAL", "5m", "", "how often the expiry-notifier runs (long-running mode)"},
	{"HERALD_VALIDATION_ORIGIN", "validation", "", "the top-level `origin` value of the validation call's body, by which receivers tell it from an event (e.g. `scoopa - endpoint validation test`)"},
	{"HERALD_REVALIDATE_INTERVAL", "0", "", "how often the expiry-notifier validates every enabled webhook again (at least 1m; spread over the interval, a bounded number per run); a failure sets `validated: false` with `validation_error` and emits `webhook.endpoint.validation_failed` once per run of failures; 0: never"},
	{"HERALD_SHUTDOWN_TIMEOUT", "10s", "", "local mode: how long SIGTERM or Ctrl-C lets deliveries in flight finish; those cut off stay pending for the next start"},
	{"HERALD_HEAP_FLOOR_MIB", "128", "", "local mode: the heap, in MiB, the garbage collector lets grow before it runs however little is live (it raises GOGC while the live heap is below it; GOMEMLIMIT still applies); 0: Go's own pacing"},
	{"HERALD_LOG_LEVEL", "info", "", "debug, info, warn or error"},
	{"HERALD_METRICS_ADDR", "", "", "ingest, deliver, retry-scheduler and expiry-notifier binaries: address to serve GET /metrics on; unset: not served"},
	{"HERALD_METRICS_NAMESPACE", "Herald", "", "on Lambda: the CloudWatch namespace of the metrics written as EMF log lines (the SAM template makes it unique per stack)"},
	{"HERALD_SECRETS_KEEPER", "", "", "gocloud secrets URL that encrypts signing secrets and custom header values at rest; required by admin and deliver outside local mode"},
	{"HERALD_TOKEN_SIGNING_KEY", "", "", "HMAC key (at least 32 bytes) of the tokens `POST /oauth/token` issues; derived from a HERALD_ADMIN_TOKEN of at least 32 bytes when unset; local mode keeps one in the data dir"},
	{"HERALD_TOKEN_SIGNING_KEY_URL", "", "", "admin function: gocloud runtimevar URL HERALD_TOKEN_SIGNING_KEY is read from at start (as HERALD_ADMIN_TOKEN_URL)"},
	{"HERALD_JWKS_URL", "", "", "JWKS of an external identity provider whose JWTs the admin API accepts; unset: none"},
	{"HERALD_JWT_ISSUER", "", "", "the `iss` external JWTs must carry (required with `HERALD_JWKS_URL`)"},
	{"HERALD_JWT_AUDIENCE", "", "", "the `aud` external JWTs must carry (required with `HERALD_JWKS_URL`)"},
	{"HERALD_INGEST_TOPIC", "mem://herald-ingest", "memq://herald-ingest", "gocloud URL of the ingest topic; in local mode a `memq://` URL without `journal=` gets `journal=$HERALD_DATA_DIR/queue.db`"},
	{"HERALD_INGEST_SUBSCRIPTION", "mem://herald-ingest", "memq://herald-ingest", "gocloud URL of the ingest function's subscription"},
	{"HERALD_OWN_EVENTS_TOPIC", "", "", "gocloud URL where admin, deliver and expiry-notifier publish Herald's own events (`webhook.*`, `application.*`); unset: the ingest topic. On AWS a queue only Herald's roles may send to, so upstream publishers cannot forge them"},
	{"HERALD_OWN_EVENTS_SUBSCRIPTION", "", "", "ingest: gocloud URL of that channel's subscription; when set, reserved event types arriving through the ingest subscription are refused (acknowledged, logged, counted as malformed)"},
	{"HERALD_DELIVER_TOPIC", "mem://herald-deliver", "memq://herald-deliver", "gocloud URL of the deliver topic"},
	{"HERALD_DELIVER_SUBSCRIPTION", "mem://herald-deliver", "memq://herald-deliver", "gocloud URL of the deliver function's subscription"},
	{"HERALD_WEBHOOKS_COLLECTION", "mem://webhooks/id", store.BoltURL(store.Webhooks), "gocloud URL of the webhooks collection; in local mode a `bolt://` URL without `file=` gets `file=$HERALD_DATA_DIR/herald.db`, a `mem://` one `filename=$HERALD_DATA_DIR/<name>.gob`"},
	{"HERALD_EVENTS_COLLECTION", "mem://events/id", store.BoltURL(store.Events), "gocloud URL of the events collection"},
	{"HERALD_DELIVERIES_COLLECTION", "mem://deliveries/id", store.BoltURL(store.Deliveries), "gocloud URL of the deliveries collection"},
	{"HERALD_SCHEDULE_COLLECTION", "mem://schedule/id", store.BoltURL(store.Schedule), "gocloud URL of the schedule (due-time) collection"},
	{"HERALD_APPLICATIONS_COLLECTION", "mem://applications/id", store.BoltURL(store.Applications), "gocloud URL of the applications (OAuth clients) collection"},
}

// Mode says which defaults FromEnv applies.
type Mode int

const (
	// Deployed: each function on its own, on AWS or against emulators —
	// the Default of each variable.
	Deployed Mode = iota
	// Local: all five functions in one process on embedded drivers — the
	// Local default of each variable where it has one.
	Local
)

// FromEnv reads the configuration through getenv (os.Getenv in production),
// with the defaults of mode. In local mode private targets are allowed and
// https is not required by default, and mem:// collections keep a snapshot
// file under the data dir.
func FromEnv(getenv func(string) string, mode Mode) (Config, error) {
	get := func(name string) string {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			return v
		}
		for _, v := range Vars {
			if v.Name == name {
				if mode == Local && v.Local != "" {
					return v.Local
				}
				return v.Default
			}
		}
		panic("config: unknown variable " + name)
	}
	p := parser{get: get}
	c := Config{
		Addr:                   get("HERALD_ADDR"),
		AdminMaxConns:          p.integer("HERALD_ADMIN_MAX_CONNS"),
		AdminReadTimeout:       p.duration("HERALD_ADMIN_READ_TIMEOUT"),
		Console:                p.boolean("HERALD_CONSOLE"),
		AdminToken:             get("HERALD_ADMIN_TOKEN"),
		AdminTokenURL:          get("HERALD_ADMIN_TOKEN_URL"),
		DataDir:                get("HERALD_DATA_DIR"),
		HeaderPrefix:           get("HERALD_HEADER_PREFIX"),
		HexSignature:           p.hexMode("HERALD_HEX_SIGNATURE"),
		RetrySchedule:          p.schedule("HERALD_RETRY_SCHEDULE"),
		AllowPrivateTargets:    p.boolean("HERALD_ALLOW_PRIVATE_TARGETS"),
		AllowedTargetCIDRs:     p.prefixes("HERALD_ALLOWED_TARGET_CIDRS"),
		RequireHTTPS:           p.boolean("HERALD_REQUIRE_HTTPS"),
		DeliveryTimeout:        p.duration("HERALD_DELIVERY_TIMEOUT"),
		MaxEventBytes:          p.integer("HERALD_MAX_EVENT_BYTES"),
		EventTypeFields:        p.typeFields("HERALD_EVENT_TYPE_FIELDS"),
		DefaultEventType:       p.eventType("HERALD_DEFAULT_EVENT_TYPE"),
		Retention:              p.duration("HERALD_RETENTION"),
		PauseHold:              p.duration("HERALD_PAUSE_HOLD"),
		IngestConcurrency:      p.integer("HERALD_INGEST_CONCURRENCY"),
		DeliverConcurrency:     p.integer("HERALD_DELIVER_CONCURRENCY"),
		SweepGrace:             p.duration("HERALD_SWEEP_GRACE"),
		SweepInterval:          p.duration("HERALD_SWEEP_INTERVAL"),
		ExpiryInterval:         p.duration("HERALD_EXPIRY_INTERVAL"),
		ValidationOrigin:       get("HERALD_VALIDATION_ORIGIN"),
		RevalidateInterval:     p.revalidateInterval("HERALD_REVALIDATE_INTERVAL"),
		WebhookCache:           p.durationOrZero("HERALD_WEBHOOK_CACHE"),
		ShutdownTimeout:        p.duration("HERALD_SHUTDOWN_TIMEOUT"),
		HeapFloorMiB:           p.heapFloor("HERALD_HEAP_FLOOR_MIB"),
		LogLevel:               get("HERALD_LOG_LEVEL"),
		MetricsAddr:            get("HERALD_METRICS_ADDR"),
		MetricsNamespace:       get("HERALD_METRICS_NAMESPACE"),
		SecretsKeeper:          get("HERALD_SECRETS_KEEPER"),
		TokenSigningKey:        get("HERALD_TOKEN_SIGNING_KEY"),
		TokenSigningKeyURL:     get("HERALD_TOKEN_SIGNING_KEY_URL"),
		JWKSURL:                get("HERALD_JWKS_URL"),
		JWTIssuer:              get("HERALD_JWT_ISSUER"),
		JWTAudience:            get("HERALD_JWT_AUDIENCE"),
		IngestTopic:            get("HERALD_INGEST_TOPIC"),
		IngestSubscription:     get("HERALD_INGEST_SUBSCRIPTION"),
		OwnEventsTopic:         get("HERALD_OWN_EVENTS_TOPIC"),
		OwnEventsSubscription:  get("HERALD_OWN_EVENTS_SUBSCRIPTION"),
		DeliverTopic:           get("HERALD_DELIVER_TOPIC"),
		DeliverSubscription:    get("HERALD_DELIVER_SUBSCRIPTION"),
		WebhooksCollection:     get("HERALD_WEBHOOKS_COLLECTION"),
		EventsCollection:       get("HERALD_EVENTS_COLLECTION"),
		DeliveriesCollection:   get("HERALD_DELIVERIES_COLLECTION"),
		ScheduleCollection:     get("HERALD_SCHEDULE_COLLECTION"),
		ApplicationsCollection: get("HERALD_APPLICATIONS_COLLECTION"),
	}
	if p.err != nil {
		return Config{}, p.err
	}
	if c.JWKSURL != "" && (c.JWTIssuer == "" || c.JWTAudience == "") {
		return Config{}, fmt.Errorf("HERALD_JWKS_URL needs HERALD_JWT_ISSUER and HERALD_JWT_AUDIENCE")
	}
	if mode == Local {
		for _, u := range []*string{&c.WebhooksCollection, &c.EventsCollection, &c.DeliveriesCollection,
			&c.ScheduleCollection, &c.ApplicationsCollection} {
			*u = withSnapshot(*u, c.DataDir)
			*u = withParam(*u, "bolt://", "file", filepath.Join(c.DataDir, StoreFile), c.DataDir)
		}
		c.IngestTopic = withParam(c.IngestTopic, "memq://", "journal", filepath.Join(c.DataDir, JournalFile), c.DataDir)
		c.IngestSubscription = withParam(c.IngestSubscription, "memq://", "journal", filepath.Join(c.DataDir, JournalFile), c.DataDir)
	}
	return c, nil
}

// TTL reports whether the events and deliveries collections are DynamoDB
// tables, whose TTL (on expires_at, declared in template.yaml) deletes
// expired items: the expiry-notifier then leaves them to it.
func (c Config) TTL() bool {
	return strings.HasPrefix(c.EventsCollection, "dynamodb://") && strings.HasPrefix(c.DeliveriesCollection, "dynamodb://")
}

// The files local mode keeps its state in, under HERALD_DATA_DIR.
const (
	StoreFile   = "herald.db" // every bolt:// collection
	JournalFile = "queue.db"  // the memq:// ingest topic's journal
)

// withParam adds param=value to a URL of scheme that has no param, when dir
// is set.
func withParam(u, scheme, param, value, dir string) string {
	if !strings.HasPrefix(u, scheme) || dir == "" {
		return u
	}
	p, err := url.Parse(u)
	if err != nil || p.Query().Has(param) {
		return u // a malformed URL fails when opened, with the driver's error
	}
	sep := "?"
	if p.RawQuery != "" {
		sep = "&"
	}
	return u + sep + param + "=" + url.QueryEscape(value)
}

// withSnapshot adds a filename under dir to a mem:// collection URL without
// one, so memdocstore loads it at open and writes it on close.
func withSnapshot(u, dir string) string {
	if !strings.HasPrefix(u, "mem://") || strings.Contains(u, "filename=") || dir == "" {
		return u
	}
	name := strings.SplitN(strings.TrimPrefix(u, "mem://"), "/", 2)[0]
	sep := "?"
	if strings.Contains(u, "?") {
		sep = "&"
	}
	return u + sep + "filename=" + filepath.Join(dir, name+".gob")
}

// parser reads variables through get and parses them, keeping the first
// failure so FromEnv reports one error after reading them all.
type parser struct {
	get func(name string) string
	err error
}

func (p *parser) fail(name, value, want string) {
	if p.err == nil {
		p.err = fmt.Errorf("%s=%q: want %s", name, value, want)
	}
}

func (p *parser) duration(name string) time.Duration {
	v := p.get(name)
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		p.fail(name, v, "a positive Go duration like 30s")
	}
	return d
}

func (p *parser) durationOrZero(name string) time.Duration {
	v := p.get(name)
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 {
		p.fail(name, v, "a Go duration like 1s, or 0")
	}
	return d
}

// MinRevalidateInterval is the shortest HERALD_REVALIDATE_INTERVAL: a
// validation call is a request to the receiver, not a health probe.
const MinRevalidateInterval = time.Minute

func (p *parser) revalidateInterval(name string) time.Duration {
	d := p.durationOrZero(name)
	if d > 0 && d < MinRevalidateInterval {
		p.fail(name, p.get(name), "a Go duration of at least 1m, or 0")
	}
	return d
}

func (p *parser) integer(name string) int {
	v := p.get(name)
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		p.fail(name, v, "a positive integer")
	}
	return n
}

// maxHeapFloorMiB bounds HERALD_HEAP_FLOOR_MIB: 1 TiB.
const maxHeapFloorMiB = 1 << 20

func (p *parser) heapFloor(name string) int {
	v := p.get(name)
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || n > maxHeapFloorMiB {
		p.fail(name, v, fmt.Sprintf("an integer from 0 to %d (MiB)", maxHeapFloorMiB))
	}
	return n
}

func (p *parser) boolean(name string) bool {
	v := p.get(name)
	b, err := strconv.ParseBool(v)
	if err != nil {
		p.fail(name, v, "true or false")
	}
	return b
}

func (p *parser) hexMode(name string) signature.HexMode {
	v := p.get(name)
	m, err := signature.ParseHexMode(v)
	if err != nil {
		p.fail(name, v, signature.HexModeNames)
	}
	return m
}

func (p *parser) prefixes(name string) []netip.Prefix {
	v := p.get(name)
	list, err := netguard.ParsePrefixes(v)
	if err != nil {
		p.fail(name, v, "comma-separated CIDRs ("+err.Error()+")")
	}
	return list
}

func (p *parser) schedule(name string) retry.Schedule {
	v := p.get(name)
	s, err := retry.ParseList(v)
	if err != nil {
		p.fail(name, v, "comma-separated positive durations ("+err.Error()+")")
	}
	return s
}

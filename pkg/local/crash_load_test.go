package local_test

import (
	"bytes"
	"encoding/json"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// ledger is what the crash tests count: the events a child answered 202 for,
// and the requests the receiver took.
type ledger struct {
	mu        sync.Mutex
	accepted  map[string]int // event id → the run that accepted it
	delivered map[string]int // event id → requests answered 2xx
	failed    int            // requests answered 500 on purpose
	refused   int            // publish requests that got no 202
}

func newLedger() *ledger {
	return &ledger{accepted: map[string]int{}, delivered: map[string]int{}}
}

func (l *ledger) accept(id string, run int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.accepted[id] = run
}

func (l *ledger) refuse() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.refused++
}

func (l *ledger) deliver(id string, ok bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if ok {
		l.delivered[id]++
	} else {
		l.failed++
	}
}

// tally counts the accepted events: delivered (at least once), missing, and
// missing by the run that accepted them; the duplicate requests; and the
// events delivered that no 202 answered (the child died before answering).
func (l *ledger) tally() (t tally) {
	l.mu.Lock()
	defer l.mu.Unlock()
	t.missingByRun = map[int]int{}
	t.acceptedByRun = map[int]int{}
	for id, run := range l.accepted {
		t.acceptedByRun[run]++
		if l.delivered[id] == 0 {
			t.missing++
			t.missingByRun[run]++
		}
	}
	for id, n := range l.delivered {
		t.duplicates += n - 1
		if _, ok := l.accepted[id]; !ok {
			t.unanswered++
		}
	}
	t.accepted, t.delivered = len(l.accepted), len(l.accepted)-t.missing
	t.failed, t.refused = l.failed, l.refused
	return t
}

type tally struct {
	accepted, delivered, missing, duplicates, unanswered, failed, refused int
	acceptedByRun, missingByRun                                           map[int]int
}

// newCrashReceiver is the endpoint of the crash tests: it answers most
// requests 200 at once, 3% with 500 (so retries are pending across the
// crashes) and 0.5% after a second (so attempts are in flight), chosen by a
// generator seeded with seed. A request the sender gave up on is not counted.
func newCrashReceiver(t *testing.T, l *ledger, seed uint64) *httptest.Server {
	var mu sync.Mutex
	rng := rand.New(rand.NewPCG(seed, 1))
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		mu.Lock()
		roll := rng.Float64()
		mu.Unlock()
		switch {
		case roll < 0.03:
			l.deliver(r.Header.Get("webhook-id"), false)
			w.WriteHeader(http.StatusInternalServerError)
			return
		case roll < 0.035:
			select {
			case <-time.After(time.Second):
			case <-r.Context().Done():
				return
			}
		}
		l.deliver(r.Header.Get("webhook-id"), true)
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(s.Close)
	return s
}

// publisher publishes events over the admin API at a steady rate from a few
// goroutines to the child it follows, recording each event answered 202.
type publisher struct {
	l      *ledger
	target atomic.Pointer[target]
	client *http.Client
	quit   chan struct{}
	wg     sync.WaitGroup
}

// target is the child the publisher sends to.
type target struct {
	addr string
	run  int
}

func startPublisher(l *ledger, workers, perSecond int) *publisher {
	p := &publisher{l: l, quit: make(chan struct{}), client: &http.Client{Timeout: 5 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: workers}}}
	interval := time.Duration(workers) * time.Second / time.Duration(perSecond)
	for range workers {
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			p.work(interval)
		}()
	}
	return p
}

func (p *publisher) work(interval time.Duration) {
	next := time.Now()
	for {
		select {
		case <-p.quit:
			return
		default:
		}
		if tg := p.target.Load(); tg == nil {
			time.Sleep(5 * time.Millisecond)
			continue
		} else if id, ok := p.publish(tg.addr); ok {
			p.l.accept(id, tg.run)
		} else {
			p.l.refuse()
			time.Sleep(5 * time.Millisecond)
		}
		next = next.Add(interval)
		if d := time.Until(next); d > 0 {
			time.Sleep(d)
		} else if d < -time.Second {
			next = time.Now() // fell behind (a restart): no burst to catch up
		}
	}
}

// publish sends one event; ok is whether it was answered 202.
func (p *publisher) publish(addr string) (id string, ok bool) {
	req, err := http.NewRequest(http.MethodPost, "http://"+addr+"/api/v1/events",
		bytes.NewReader([]byte(`{"event_type":"crash.tick","data":{"load":true}}`)))
	if err != nil {
		return "", false
	}
	req.Header.Set("Authorization", "Bearer "+crashToken)
	req.Header.Set("Content-Type", "application/json")
	resp, err := p.client.Do(req)
	if err != nil {
		return "", false
	}
	defer resp.Body.Close()
	var out struct {
		EventID string `json:"event_id"`
	}
	if resp.StatusCode != http.StatusAccepted || json.NewDecoder(resp.Body).Decode(&out) != nil || out.EventID == "" {
		return "", false
	}
	return out.EventID, true
}

// follow makes the publisher send to the child at addr, run n; pause stops
// it sending until the next follow.
func (p *publisher) follow(addr string, n int) { p.target.Store(&target{addr: addr, run: n}) }
func (p *publisher) pause()                    { p.target.Store(nil) }

// stop stops the publisher and waits for its requests in flight.
func (p *publisher) stop() {
	select {
	case <-p.quit:
	default:
		close(p.quit)
	}
	p.wg.Wait()
}

package profile_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/heraldhq/herald/pkg/contract"
	"github.com/heraldhq/herald/pkg/herald/heraldtest"
)

// scoopaValidation is the origin by which scoopa tells its partners to
// recognise its validation calls.
const scoopaValidation = "scoopa - endpoint validation test"

// scoopaReceiver is a partner's endpoint as scoopa's documentation has it
// written: it answers 200 to every POST, ignores the calls whose origin is
// scoopaValidation, and takes in the files of the others (their body,
// which carries file_name, file_size_in_bytes and download_url). It answers
// the scripted statuses to file calls (none: 200).
type scoopaReceiver struct {
	*httptest.Server
	mu       sync.Mutex
	statuses []int
	files    []map[string]any
	raw      [][]byte
	ignored  int
	headers  []http.Header
}

func newScoopaReceiver(t *testing.T, statuses ...int) *scoopaReceiver {
	r := &scoopaReceiver{statuses: statuses}
	r.Server = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(r.Close)
	return r
}

func (r *scoopaReceiver) serve(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	var call map[string]any
	if err := json.Unmarshal(body, &call); err != nil {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if call["origin"] == scoopaValidation {
		r.ignored++
		return
	}
	status := http.StatusOK
	if n := len(r.files); n < len(r.statuses) {
		status = r.statuses[n]
	}
	r.files, r.raw, r.headers = append(r.files, call), append(r.raw, body), append(r.headers, req.Header.Clone())
	w.WriteHeader(status)
}

// state returns the files taken in and how many validation calls were
// ignored.
func (r *scoopaReceiver) state() ([]map[string]any, int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]map[string]any(nil), r.files...), r.ignored
}

// scoopaFile is scoopa's webhook body for a new file, as its documentation
// shows it (no event type: the deployment gives it one).
func scoopaFile(id, name string, folder int) string {
	b, _ := json.Marshal(map[string]any{"origin": "scoopa", "platform": "mediapool", "file_id": id,
		"file_name": name, "file_type": "image/svg+xml", "file_size_in_bytes": 5007, "folder_id": folder,
		"folder_name": "Test Webhook", "download_url": "https://cdn.scoopa.example/dl/" + name})
	return string(b)
}

func TestScoopa(t *testing.T) {
	t.Parallel()
	p := readProduct(t, "scoopa")
	clock := heraldtest.NewClock(time.Now())
	// The expiry-notifier runs every second here (five minutes by default),
	// so the periodic validation is seen once the clock is moved on.
	d := start(t, p, clock.Now, map[string]string{"HERALD_EXPIRY_INTERVAL": "1s"})
	r := newScoopaReceiver(t, http.StatusBadGateway)

	// Saved: the URL is tested at once; a 200 is the checkmark.
	created := d.create(t, p.webhook(t, "partner-dam", r.URL))
	if _, ignored := r.state(); !created.Validated || ignored != 1 {
		t.Fatalf("on save: validated %v after %d validation calls, want validated by the one", created.Validated, ignored)
	}
	if strings.Join(created.RetrySchedule, ",") != p.env["HERALD_RETRY_SCHEDULE"] {
		t.Errorf("retry schedule %v, want scoopa's 1min, 10min, 20min", created.RetrySchedule)
	}

	// Other folders and names without the filter value call nothing; a new
	// .svg in an assigned folder does, as scoopa sent it, with the
	// partner's header. Its first call fails and is retried 1 min later.
	d.publish(t, scoopaFile("535985", "server_push.svg", 70000))
	d.publish(t, scoopaFile("535987", "clip.mov", 62251))
	first := scoopaFile("535986", "server_push.svg", 62251)
	d.publish(t, first)
	ds := d.waitDeliveries(t, created.ID, "a failed first call", func(ds []contract.Delivery) bool {
		return len(ds) == 1 && len(ds[0].Attempts) == 1
	})
	if a := ds[0].Attempts[0]; ds[0].Status != "pending" || a.StatusCode != http.StatusBadGateway || a.Error != "HTTP 502" ||
		!nextAfter(ds[0], time.Minute) {
		t.Errorf("call log after a 502: %s, %+v, next at %v: want the error and a retry 1 min later", ds[0].Status, a, ds[0].NextAttemptAt)
	}
	// The second file, in the other assigned folder, is taken in.
	second := scoopaFile("535988", "logo.svg", 62252)
	d.publish(t, second)
	heraldtest.Eventually(t, wait, func() bool { files, _ := r.state(); return len(files) == 2 }, "both files called")
	r.mu.Lock()
	raw, headers := r.raw, r.headers
	r.mu.Unlock()
	if !bytes.Equal(raw[0], []byte(first)) || !bytes.Equal(raw[1], []byte(second)) {
		t.Errorf("partner got %s and %s, want scoopa's bodies as sent", raw[0], raw[1])
	}
	if headers[1].Get("X-Api-Key") != "partner-credential" {
		t.Errorf("partner header X-Api-Key = %q", headers[1].Get("X-Api-Key"))
	}
	if files, _ := r.state(); files[1]["download_url"] != "https://cdn.scoopa.example/dl/logo.svg" {
		t.Errorf("file call %v", files[1])
	}
	if n := len(d.deliveries(t, created.ID)); n != 2 {
		t.Errorf("%d calls logged, want the two files'", n)
	}

	// Re-Validate Webhook: one more validation call, ignored by the partner.
	var revalidated hook
	if status := d.Do("POST", webhooksPath+created.ID+"/validate", nil, &revalidated); status != http.StatusOK || !revalidated.Validated {
		t.Fatalf("re-validate: %d %+v", status, revalidated)
	}
	// From time to time: a day on, the expiry-notifier validates it again.
	clock.Advance(24*time.Hour + time.Minute)
	heraldtest.Eventually(t, wait, func() bool { _, ignored := r.state(); return ignored >= 3 },
		"the periodic validation call")
	files, ignored := r.state()
	if ignored != 3 {
		t.Errorf("partner ignored %d validation calls, want 3", ignored)
	}
	for _, f := range files {
		if f["origin"] != "scoopa" {
			t.Errorf("partner took in %v as a file", f)
		}
	}
}

package console_test

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/heraldhq/herald/pkg/herald/heraldtest"
)

// update rewrites the README's screenshots (screenshots/*.png) from the
// Chromium test: go test ./pkg/console -run TestConsoleInChromium -update.
var update = flag.Bool("update", false, "write the README screenshots to screenshots/")

// enter is the Enter key in the keys a step types.
const enter = "\r"

// A page is a browser tab the console's flow drives: Chromium through
// chromedp (the DevTools protocol), Firefox through the bidi client
// (WebDriver BiDi). Clicks and keys are real input events.
type page interface {
	navigate(url string) error
	// eval returns the value of a JavaScript expression: a string, a
	// float64, a bool, or nil for null.
	eval(expr string) (any, error)
	// click clicks the middle of the element at sel with the mouse.
	click(sel string) error
	// sendKeys focuses the element at sel and types keys into it.
	sendKeys(sel, keys string) error
	// screenshot returns the whole page as a PNG.
	screenshot() ([]byte, error)
}

// browser is a headless browser's tab and the problems its page reported.
type browser struct {
	t    *testing.T
	name string // chromium or firefox
	page page

	mu       sync.Mutex
	problems []string
}

// newBrowser returns a browser of page, whose problems fail the test when
// it ends (after the cleanups registered later, which stop the browser).
func newBrowser(t *testing.T, name string) *browser {
	b := &browser{t: t, name: name}
	t.Cleanup(func() {
		b.mu.Lock()
		defer b.mu.Unlock()
		for _, p := range b.problems {
			t.Errorf("the page reported: %s", p)
		}
	})
	return b
}

// problem records a script error or CSP violation the page reported.
func (b *browser) problem(p string) {
	b.mu.Lock()
	b.problems = append(b.problems, p)
	b.mu.Unlock()
}

// browserPath returns the path of the first of names installed. Without
// one the test skips, unless CI is set: CI installs the browser (with
// Debian's package pkg), and a missing one is a failure.
func browserPath(t *testing.T, pkg string, names ...string) string {
	t.Helper()
	for _, name := range names {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("%s is not installed and CI is set: the console's browser tests must run (apt-get install %s)", pkg, pkg)
	}
	t.Skipf("%s is not installed: skipping the console's browser tests (apt-get install %s to run them)", pkg, pkg)
	return ""
}

// An action is one thing a step does in the page.
type action func(p page) error

// run runs actions, failing the test with step's name if one fails.
func (b *browser) run(step string, actions ...action) {
	b.t.Helper()
	for _, a := range actions {
		if err := a(b.page); err != nil {
			b.t.Fatalf("%s (%s): %v", step, b.name, err)
		}
	}
}

func navigate(url string) action { return func(p page) error { return p.navigate(url) } }

// until waits for a JavaScript expression to be true.
func until(expr string) action {
	return func(p page) error {
		var last error
		if heraldtest.Poll(30*time.Second, func() bool {
			v, err := p.eval(expr)
			last = err
			return v == true
		}) {
			return nil
		}
		return errors.Join(fmt.Errorf("waiting for %s: timed out", expr), last)
	}
}

// visible waits for the element at sel to be there and visible.
func visible(sel string) action {
	return until(`((e) => e !== null && e.checkVisibility())(document.querySelector(` + quote(sel) + `))`)
}

// absent waits for no element to match sel.
func absent(sel string) action { return until(`document.querySelector(` + quote(sel) + `) === null`) }

// fill sets the value of the control at sel, once it is there.
func fill(sel, value string) action {
	return until(`((e) => e !== null && (e.value = ` + quote(value) + `, true))(document.querySelector(` + quote(sel) + `))`)
}

// click clicks the element at sel once it is visible.
func click(sel string) action {
	return func(p page) error {
		if err := visible(sel)(p); err != nil {
			return err
		}
		return p.click(sel)
	}
}

// keys types keys into the element at sel once it is visible.
func keys(sel, keys string) action {
	return func(p page) error {
		if err := visible(sel)(p); err != nil {
			return err
		}
		return p.sendKeys(sel, keys)
	}
}

// eval returns the value of a JavaScript expression that is a string.
func (b *browser) eval(expr string) string {
	b.t.Helper()
	v, err := b.page.eval(expr)
	if err != nil {
		b.t.Fatalf("evaluate %s (%s): %v", expr, b.name, err)
	}
	s, ok := v.(string)
	if !ok {
		b.t.Fatalf("evaluate %s (%s): %v (%T), want a string", expr, b.name, v, v)
	}
	return s
}

// text is a JavaScript expression: the text of the element at sel ("" without one).
func text(sel string) string {
	return `((document.querySelector(` + quote(sel) + `) || {}).textContent || "")`
}

// quote returns s as a JavaScript string literal.
func quote(s string) string {
	q, _ := json.Marshal(s)
	return string(q)
}

// shot saves a screenshot of the page as a test artifact (go test
// -artifacts keeps them), and in Chromium as the README's screenshot name
// with -update.
func (b *browser) shot(name, readmeName string) {
	b.t.Helper()
	png, err := b.page.screenshot()
	if err != nil {
		b.t.Fatalf("screenshot %s (%s): %v", name, b.name, err)
	}
	if err := os.WriteFile(filepath.Join(b.t.ArtifactDir(), name+".png"), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
	if *update && readmeName != "" && b.name == "chromium" {
		if err := os.WriteFile(filepath.Join("screenshots", readmeName+".png"), png, 0o644); err != nil {
			b.t.Fatal(err)
		}
	}
}

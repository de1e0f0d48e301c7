package moto

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fakeServer writes an executable that stands in for moto_server: it
// writes stderr to its standard error and ends.
func fakeServer(t *testing.T, stderr string) string {
	t.Helper()
	dir := t.TempDir()
	out, bin := filepath.Join(dir, "stderr"), filepath.Join(dir, "moto_server")
	if err := os.WriteFile(out, []byte(stderr), 0o644); err != nil {
		t.Fatal(err)
	}
	body := "#!/bin/sh\ncat '" + out + "' >&2\n"
	if err := os.WriteFile(bin, []byte(body), 0o755); err != nil {
		t.Fatal(err)
	}
	return bin
}

// TestRunTakesTheAnnouncedAddress: with port 0 the endpoint is the one the
// server announces, not one picked beforehand. Its later output (a line per
// request, here more than a pipe holds) is read on: a server blocked on a
// full pipe would stop answering, and this one would never end.
func TestRunTakesTheAnnouncedAddress(t *testing.T) {
	answering := httptest.NewServer(http.NotFoundHandler())
	defer answering.Close()
	out := "WARNING: This is a development server.\n * Running on " + answering.URL + " (Press CTRL+C to quit)\n" +
		strings.Repeat(`127.0.0.1 - - "POST / HTTP/1.1" 200 -`+"\n", 2000)
	cmd, endpoint, err := Run(fakeServer(t, out), "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if endpoint != answering.URL {
		t.Errorf("endpoint %s, want the announced %s", endpoint, answering.URL)
	}
	if err := cmd.Wait(); err != nil {
		t.Errorf("the server did not end well after writing its output: %v", err)
	}
}

// TestRunFailsWhenTheServerEndsUnannounced: a server that cannot bind ends
// without announcing; Run says so at once.
func TestRunFailsWhenTheServerEndsUnannounced(t *testing.T) {
	if _, _, err := Run(fakeServer(t, ""), "127.0.0.1:0"); err == nil || !strings.Contains(err.Error(), "without saying") {
		t.Fatalf("Run of a server that ended: %v", err)
	}
}

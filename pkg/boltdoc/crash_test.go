package boltdoc

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"

	bolt "go.etcd.io/bbolt"
	"gocloud.dev/docstore"

	"github.com/heraldhq/herald/pkg/herald"
)

// crashChildEnv makes the test binary act as the writer that gets killed.
const crashChildEnv = "BOLTDOC_CRASH_CHILD"

// TestCrashKeepsAcknowledgedWrites runs a writer process that creates and
// then updates deliveries from several goroutines, printing each write once
// it is acknowledged, and SIGKILLs it at a random moment. Reopened, the file
// must pass bbolt's consistency check and hold every acknowledged write, in
// its documents and its indexes. Three rounds run on the same file, so each
// writer starts from a file recovered from a kill.
func TestCrashKeepsAcknowledgedWrites(t *testing.T) {
	if path := os.Getenv(crashChildEnv); path != "" {
		crashChild(path)
		return
	}
	if testing.Short() {
		t.Skip("spawns processes")
	}
	t.Parallel()
	path := filepath.Join(t.TempDir(), "crash.db")
	created, updated := map[int64]bool{}, map[int64]bool{}
	for round := range 3 {
		killAfter := 20 + rand.IntN(300) // acknowledged writes before the kill
		crashRound(t, path, round, killAfter, created, updated)
		verifyAfterCrash(t, path, created, updated)
		t.Logf("round %d: killed after %d acknowledged writes; %d creates and %d updates verified", round, killAfter, len(created), len(updated))
	}
}

// crashRound runs one writer until it has acknowledged killAfter writes, kills
// it, and records every write it acknowledged before dying.
func crashRound(t *testing.T, path string, round, killAfter int, created, updated map[int64]bool) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashKeepsAcknowledgedWrites$")
	cmd.Env = append(os.Environ(), crashChildEnv+"="+path, "BOLTDOC_CRASH_ROUND="+strconv.Itoa(round))
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(out)
	acks := 0
	for sc.Scan() { // after the kill, read what was printed before it
		kind, idText, ok := strings.Cut(sc.Text(), " ")
		id, err := strconv.ParseInt(idText, 10, 64)
		if !ok || err != nil {
			t.Fatalf("writer printed %q", sc.Text())
		}
		switch kind {
		case "created":
			created[id] = true
		case "updated":
			updated[id] = true
		}
		if acks++; acks == killAfter {
			if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
		}
	}
	err = cmd.Wait()
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("round %d: writer ended with %v before the kill (%d acks)", round, err, acks)
	}
}

func verifyAfterCrash(t *testing.T, path string, created, updated map[int64]bool) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	err = db.View(func(tx *bolt.Tx) error {
		for err := range tx.Check() {
			return err
		}
		return nil
	})
	if cerr := db.Close(); err != nil || cerr != nil {
		t.Fatalf("consistency check: %v, %v", err, cerr)
	}

	ctx := context.Background()
	coll, err := OpenCollectionFile(path, "deliveries", "id", &Options{Indexes: crashIndexes})
	if err != nil {
		t.Fatal(err)
	}
	defer coll.Close()
	for id := range created {
		d := &herald.Delivery{ID: id}
		if err := coll.Get(ctx, d); err != nil {
			t.Fatalf("acknowledged delivery %d: %v", id, err)
		}
		if updated[id] && d.Status != herald.StatusSucceeded {
			t.Fatalf("acknowledged update of %d lost: status %q", id, d.Status)
		}
	}
	// The index holds every acknowledged update.
	seen := map[int64]bool{}
	it := coll.Query().Where("status", "=", herald.StatusSucceeded).Get(ctx, "id")
	defer it.Stop()
	for d := new(herald.Delivery); it.Next(ctx, d) == nil; d = new(herald.Delivery) {
		seen[d.ID] = true
	}
	for id := range updated {
		if !seen[id] {
			t.Fatalf("acknowledged update of %d missing from the status index", id)
		}
	}
}

var crashIndexes = [][]string{{"status", "created_ms"}, {"webhook_id", "id"}}

// crashChild writes until killed: four goroutines each create a delivery,
// print "created ID", update its status, print "updated ID".
func crashChild(path string) {
	coll, err := OpenCollectionFile(path, "deliveries", "id", &Options{Indexes: crashIndexes})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	round, _ := strconv.ParseInt(os.Getenv("BOLTDOC_CRASH_ROUND"), 10, 64)
	var mu sync.Mutex
	ack := func(kind string, id int64) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(os.Stdout, "%s %d\n", kind, id) // one write(2); unbuffered
	}
	ctx := context.Background()
	var wg sync.WaitGroup
	for g := range int64(4) {
		wg.Go(func() {
			for n := int64(0); ; n++ {
				id := round<<40 | g<<32 | (n + 1)
				d := &herald.Delivery{ID: id, WebhookID: "wh", Status: herald.StatusPending, CreatedMS: n}
				if err := coll.Create(ctx, d); err != nil {
					fmt.Fprintln(os.Stderr, err)
					os.Exit(2)
				}
				ack("created", id)
				if err := coll.Update(ctx, d, docstore.Mods{"status": herald.StatusSucceeded}); err != nil {
					fmt.Fprintln(os.Stderr, err)
					os.Exit(2)
				}
				ack("updated", id)
			}
		})
	}
	wg.Wait()
}

package memq

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// TestJournalSurvivesSIGKILL runs a sender in a child process (this test
// binary again, as TestJournalCrashSender) that prints each message's id
// once Send returned nil, kills it at a random moment, and checks that the
// journal holds every message it printed.
func TestJournalSurvivesSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	t.Parallel()
	path := filepath.Join(t.TempDir(), "queue.db")
	cmd := exec.Command(os.Args[0], "-test.run=^TestJournalCrashSender$")
	cmd.Env = append(os.Environ(), "GO_WANT_HELPER_PROCESS=1", "MEMQ_JOURNAL="+path)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	killAfter := 50 + rand.IntN(400) // sent messages
	printed := map[string]bool{}
	r := bufio.NewReader(out)
	for {
		// A line cut short by the kill has no newline: its Send may not
		// have returned, so it does not count.
		line, err := r.ReadString('\n')
		if err != nil {
			break
		}
		printed[strings.TrimSuffix(line, "\n")] = true
		if len(printed) == killAfter {
			time.Sleep(time.Duration(rand.IntN(2000)) * time.Microsecond) // land anywhere in a commit
			if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
		}
	}
	_ = cmd.Wait()
	if len(printed) < killAfter {
		t.Fatalf("the sender printed %d ids and stopped before it was killed", len(printed))
	}

	b := journaledBroker(t, &fakeClock{now: time.Now()}, "crash", path, nil)
	got := map[string]int{}
	msgs, _, _ := b.Topic("crash").subscription("crash").q.take(farFuture, 1<<20, time.Hour)
	for _, m := range msgs {
		got[string(m.Body)]++
	}
	var lost, dup int
	for id := range printed {
		if got[id] == 0 {
			lost++
		}
	}
	for _, n := range got {
		dup += n - 1
	}
	t.Logf("killed after %d sends: %d printed, %d journaled, %d duplicates", killAfter, len(printed), len(got), dup)
	if lost > 0 {
		t.Errorf("%d of %d messages whose Send returned are not in the journal", lost, len(printed))
	}
}

// TestJournalCrashSender is the child of TestJournalSurvivesSIGKILL: it
// sends from several goroutines until killed, some messages delayed,
// printing each id once its Send returned nil.
func TestJournalCrashSender(t *testing.T) {
	if os.Getenv("GO_WANT_HELPER_PROCESS") != "1" {
		t.Skip("run by TestJournalSurvivesSIGKILL")
	}
	b := NewBroker(BrokerOptions{})
	if err := b.OpenJournal("crash", os.Getenv("MEMQ_JOURNAL")); err != nil {
		t.Fatal(err)
	}
	topic := b.OpenTopic("crash")
	var mu sync.Mutex
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := 0; ; i++ {
				id := fmt.Sprintf("%d-%d", g, i)
				d := time.Duration(0)
				if i%3 == 0 {
					d = time.Hour
				}
				if err := topic.Send(context.Background(), delayed(id, d)); err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				fmt.Fprintln(os.Stdout, id)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
}

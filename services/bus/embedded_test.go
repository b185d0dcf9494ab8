package bus

import (
	"errors"
	"net"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A second run on the same port fails at once and says why, where the
// server would have logged its failed listen and timed out after 30 s.
func TestStartEmbeddedPortTaken(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	start := time.Now()
	ns, err := StartEmbedded(EmbeddedConfig{DataDir: t.TempDir(), Listen: ln.Addr().String()})
	if err == nil {
		ns.Shutdown()
		t.Fatal("started on a port in use")
	}
	if !errors.Is(err, syscall.EADDRINUSE) || !strings.Contains(err.Error(), "--nats-listen") {
		t.Errorf("err = %v, want the address in use and what to do", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v to fail", d)
	}
	// A free port given explicitly still starts.
	free, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := free.Addr().String()
	free.Close()
	ns, err = StartEmbedded(EmbeddedConfig{DataDir: t.TempDir(), Listen: addr})
	if err != nil {
		t.Fatal(err)
	}
	ns.Shutdown()
}

package bus

import (
	"fmt"
	"net"
	"path/filepath"
	"strconv"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// EmbeddedConfig configures the in-process nats-server of the all-in-one mode.
type EmbeddedConfig struct {
	DataDir string // JetStream state goes to DataDir/jetstream
	Listen  string // host:port for clients; port 0 picks a free one
}

// MaxPayload is raised above NATS's 1 MB default: whole HTML pages travel
// in one message.
const MaxPayload = 8 << 20

// StartEmbedded starts a nats-server with JetStream inside this process.
func StartEmbedded(cfg EmbeddedConfig) (*server.Server, error) {
	host, portStr, err := net.SplitHostPort(cfg.Listen)
	if err != nil {
		return nil, fmt.Errorf("nats listen address %q: %w", cfg.Listen, err)
	}
	port, err := strconv.Atoi(portStr)
	if err != nil {
		return nil, fmt.Errorf("nats listen port %q: %w", portStr, err)
	}
	if port == 0 {
		port = server.RANDOM_PORT
	} else {
		// The server only logs a failed listen, and its start then times
		// out: a port taken (by another run, say) is told at once instead.
		ln, err := net.Listen("tcp", cfg.Listen)
		if err != nil {
			return nil, fmt.Errorf("embedded nats-server cannot listen on %s (another newsdedup run? give --nats-listen another address, or --nats to use a running server): %w", cfg.Listen, err)
		}
		ln.Close()
	}
	opts := &server.Options{
		ServerName: "newsdedup-embedded",
		Host:       host,
		Port:       port,
		JetStream:  true,
		StoreDir:   filepath.Join(cfg.DataDir, "nats"),
		MaxPayload: MaxPayload,
		NoSigs:     true,
	}
	ns, err := server.NewServer(opts)
	if err != nil {
		return nil, fmt.Errorf("create embedded nats-server: %w", err)
	}
	go ns.Start()
	if !ns.ReadyForConnections(30 * time.Second) {
		ns.Shutdown()
		return nil, fmt.Errorf("embedded nats-server on %s did not become ready", cfg.Listen)
	}
	return ns, nil
}

// Package deploy holds NATS and deployment configuration; this test checks
// what can be checked without a container engine.
package deploy

import (
	"path/filepath"
	"testing"

	"github.com/nats-io/nats-server/v2/server"
)

// TestNATSConfigs parses every NATS configuration the way `nats-server -t` does.
func TestNATSConfigs(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("nats", "*.conf"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no NATS configs found: %v", err)
	}
	for _, f := range files {
		opts, err := server.ProcessConfigFile(f)
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		if !opts.JetStream {
			t.Errorf("%s: JetStream is not enabled", f)
		}
		if opts.MaxPayload < 8<<20 {
			t.Errorf("%s: max_payload %d is below the 8 MB pages need", f, opts.MaxPayload)
		}
	}
}

package main

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/newsdedup/newsdedup/pkg/sample"
)

// sampleAddrFile keeps, in the data directory, where the sample site
// listened the last time.
const sampleAddrFile = "sample-site.addr"

// serveSample starts the built-in sample site and returns its base URL. With
// no address given it listens where it did the last time this data
// directory was used, else on a free loopback port: the site's page URLs are
// its articles' identity, so a new port at every start made every sample
// article new again, a near-duplicate of itself for each restart, and its
// feed a new source. When the remembered port is taken it takes another
// and says so.
func serveSample(ctx context.Context, dataDir, addr string, log *slog.Logger) (string, error) {
	if addr != "" {
		return sample.Serve(ctx, addr)
	}
	path := filepath.Join(dataDir, sampleAddrFile)
	prev, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		log.Warn("sample site: remembered address not read", "file", path, "err", err)
	}
	if last := strings.TrimSpace(string(prev)); last != "" {
		u, err := sample.Serve(ctx, last)
		if err == nil {
			return u, nil
		}
		log.Warn("sample site: its last address is taken, so its articles come again under new addresses", "addr", last, "err", err)
	}
	u, err := sample.Serve(ctx, "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	if err := os.WriteFile(path, []byte(strings.TrimPrefix(u, "http://")+"\n"), 0o644); err != nil {
		log.Warn("sample site: address not remembered for the next start", "file", path, "err", err)
	}
	return u, nil
}

// sampleListenUsage is the --sample-listen flag's help.
const sampleListenUsage = "address of the sample site (default: its address the last time with this --data, kept in " +
	sampleAddrFile + ", else a free loopback port)"

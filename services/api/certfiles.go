package api

import (
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"
)

// CertFiles serves the API over HTTPS from a certificate and key in files.
// Both are read again when either changes, so a renewed certificate is
// served from the next connection without a restart. A pair that does not
// load (the renewal has written one file and not yet the other, or a
// broken file) leaves the last good pair in use, with a warning: unlike
// the editors file, which fails closed, a server without a certificate
// would refuse every reader.
type CertFiles struct {
	certPath, keyPath string
	log               *slog.Logger
	checkEvery        time.Duration

	mu      sync.Mutex
	cert    *tls.Certificate
	stamps  [2]fileStamp // of the pair cert holds
	failed  [2]fileStamp // of the last pair that did not load, warned once
	checked time.Time
}

type fileStamp struct {
	size  int64
	mtime time.Time
}

// certCheckEvery bounds how often the files are looked at: a burst of new
// connections costs one pair of stats a second.
const certCheckEvery = time.Second

// OpenCertFiles loads the pair, failing when it does not load now.
func OpenCertFiles(certPath, keyPath string, log *slog.Logger) (*CertFiles, error) {
	if certPath == "" || keyPath == "" {
		return nil, errors.New("tls: give both a certificate and a key file")
	}
	c := &CertFiles{certPath: certPath, keyPath: keyPath, log: log, checkEvery: certCheckEvery}
	stamps, err := c.stat()
	if err != nil {
		return nil, err
	}
	cert, err := tls.LoadX509KeyPair(certPath, keyPath)
	if err != nil {
		return nil, fmt.Errorf("tls: load %s and %s: %w", certPath, keyPath, err)
	}
	c.cert, c.stamps, c.checked = &cert, stamps, time.Now()
	return c, nil
}

// TLSConfig is a server configuration that serves the files' certificate.
func (c *CertFiles) TLSConfig() *tls.Config {
	return &tls.Config{MinVersion: tls.VersionTLS12, GetCertificate: c.GetCertificate}
}

// GetCertificate gives the current certificate, reloading the pair when
// either file changed since it was loaded.
func (c *CertFiles) GetCertificate(*tls.ClientHelloInfo) (*tls.Certificate, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if time.Since(c.checked) < c.checkEvery {
		return c.cert, nil
	}
	c.checked = time.Now()
	stamps, err := c.stat()
	if err != nil {
		c.warnOnce(stamps, err)
		return c.cert, nil
	}
	if stamps == c.stamps {
		return c.cert, nil
	}
	cert, err := tls.LoadX509KeyPair(c.certPath, c.keyPath)
	if err != nil {
		c.warnOnce(stamps, err)
		return c.cert, nil
	}
	c.cert, c.stamps = &cert, stamps
	c.log.Info("tls: certificate reloaded", "cert", c.certPath)
	return c.cert, nil
}

func (c *CertFiles) warnOnce(stamps [2]fileStamp, err error) {
	if stamps == c.failed {
		return
	}
	c.failed = stamps
	c.log.Warn("tls: certificate files do not load; serving the previous certificate", "cert", c.certPath, "key", c.keyPath, "err", err)
}

func (c *CertFiles) stat() ([2]fileStamp, error) {
	var out [2]fileStamp
	for i, p := range []string{c.certPath, c.keyPath} {
		fi, err := os.Stat(p)
		if err != nil {
			return out, fmt.Errorf("tls: %w", err)
		}
		out[i] = fileStamp{fi.Size(), fi.ModTime()}
	}
	return out, nil
}

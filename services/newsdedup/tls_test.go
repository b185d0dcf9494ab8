package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// testCertFiles writes a certificate for 127.0.0.1 and its key to dir, and
// returns their paths and a pool that trusts the certificate. The pair is
// the one net/http/httptest serves.
func testCertFiles(t *testing.T, dir string) (certPath, keyPath string, roots *x509.CertPool) {
	t.Helper()
	ts := httptest.NewTLSServer(http.NotFoundHandler())
	defer ts.Close()
	pair := ts.TLS.Certificates[0]
	key, err := x509.MarshalPKCS8PrivateKey(pair.PrivateKey)
	if err != nil {
		t.Fatal(err)
	}
	certPath, keyPath = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certPath, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: pair.Certificate[0]}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyPath, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: key}), 0o600); err != nil {
		t.Fatal(err)
	}
	roots = x509.NewCertPool()
	roots.AddCert(ts.Certificate())
	return certPath, keyPath, roots
}

// TestAPIServesHTTPS runs the api stage with --tls-cert and --tls-key
// against a real NATS server: it announces an https address, answers a
// client that trusts the certificate, and refuses plain HTTP.
func TestAPIServesHTTPS(t *testing.T) {
	dir := t.TempDir()
	url := embeddedNATS(t, dir)
	certPath, keyPath, roots := testCertFiles(t, dir)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pf := pipelineFlags{dataDir: dir, httpAddr: freeAddr(t), replicas: 1, tlsCert: certPath, tlsKey: keyPath}
	if err := pf.check(); err != nil {
		t.Fatal(err)
	}
	announced := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- runStages(ctx, url, []string{"api"}, pf, testLog(t), func(what string) { announced <- what })
	}()
	var base string
	select {
	case base = <-announced:
	case err := <-done:
		t.Fatalf("api stopped: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("api did not start")
	}
	if want := "https://" + pf.httpAddr + "/"; base != want {
		t.Fatalf("announced %q, want %q", base, want)
	}
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots}}}
	waitFor(t, "the search page over HTTPS", 20*time.Second, func() (bool, string) {
		resp, err := client.Get(base)
		if err != nil {
			return false, err.Error()
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode == http.StatusOK && strings.Contains(string(b), "<html"), resp.Status
	})
	// Plain HTTP to the same port is not served.
	resp, err := http.Get("http://" + pf.httpAddr + "/api/stories")
	if err == nil {
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			t.Errorf("plain HTTP answered %s", resp.Status)
		}
	}
	stopPipeline(t, "api", cancel, done)
}

func TestTLSFlagsGoTogether(t *testing.T) {
	for _, pf := range []pipelineFlags{{tlsCert: "c.pem"}, {tlsKey: "k.pem"}} {
		if err := pf.check(); err == nil {
			t.Errorf("%+v: want a usage error", pf)
		}
	}
}

func TestIsLoopback(t *testing.T) {
	for _, tc := range []struct {
		addr string
		want bool
	}{{"127.0.0.1:8080", true}, {"[::1]:8080", true}, {"0.0.0.0:8080", false}, {"192.168.1.5:80", false}} {
		a, err := net.ResolveTCPAddr("tcp", tc.addr)
		if err != nil {
			t.Fatal(err)
		}
		if got := isLoopback(a); got != tc.want {
			t.Errorf("isLoopback(%s) = %v, want %v", tc.addr, got, tc.want)
		}
	}
}

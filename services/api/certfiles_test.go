package api

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	stdlog "log"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// selfSigned returns a PEM certificate for 127.0.0.1 and localhost, named
// cn, and its PEM key.
func selfSigned(t testing.TB, cn string) (certPEM, keyPEM []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: cn},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		DNSNames:     []string{"localhost"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kd, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kd})
}

// writeAt writes data to path with the modification time given, so that a
// rewrite within the same clock tick still reads as a change.
func writeAt(t testing.TB, path string, data []byte, mtime time.Time) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(path, mtime, mtime); err != nil {
		t.Fatal(err)
	}
}

func servedName(t *testing.T, c *CertFiles) string {
	t.Helper()
	cert, err := c.GetCertificate(nil)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(cert.Certificate[0])
	if err != nil {
		t.Fatal(err)
	}
	return leaf.Subject.CommonName
}

// TestCertFilesReload checks that a renewed pair is served without a
// restart, and that a pair that does not load (half written, broken) keeps
// the last good certificate in use, with one warning.
func TestCertFilesReload(t *testing.T) {
	dir := t.TempDir()
	certPath, keyPath := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	base := time.Now().Add(-time.Minute)

	if _, err := OpenCertFiles(certPath, keyPath, log); err == nil {
		t.Fatal("missing files: want an error")
	}
	c1, k1 := selfSigned(t, "first")
	c2, k2 := selfSigned(t, "second")
	writeAt(t, certPath, c1, base)
	writeAt(t, keyPath, k2, base)
	if _, err := OpenCertFiles(certPath, keyPath, log); err == nil {
		t.Fatal("a certificate with another's key: want an error")
	}
	if _, err := OpenCertFiles(certPath, "", log); err == nil {
		t.Fatal("no key file: want an error")
	}
	writeAt(t, keyPath, k1, base)
	c, err := OpenCertFiles(certPath, keyPath, log)
	if err != nil {
		t.Fatal(err)
	}
	c.checkEvery = 0
	if got := servedName(t, c); got != "first" {
		t.Fatalf("served %q, want first", got)
	}

	// A renewal half done: the new certificate, the old key.
	writeAt(t, certPath, c2, base.Add(time.Second))
	for range 3 {
		if got := servedName(t, c); got != "first" {
			t.Fatalf("half-renewed pair: served %q, want the previous, first", got)
		}
	}
	if n := strings.Count(logs.String(), "do not load"); n != 1 {
		t.Errorf("%d warnings for the half-renewed pair, want 1:\n%s", n, logs.String())
	}
	writeAt(t, keyPath, k2, base.Add(time.Second))
	if got := servedName(t, c); got != "second" {
		t.Fatalf("renewed pair: served %q, want second", got)
	}
	if !strings.Contains(logs.String(), "certificate reloaded") {
		t.Errorf("no reload logged:\n%s", logs.String())
	}

	// Files gone: the last certificate stays.
	os.Remove(certPath)
	if got := servedName(t, c); got != "second" {
		t.Fatalf("files gone: served %q, want second", got)
	}

	// A client that trusts the renewed certificate connects through
	// TLSConfig; one that trusts only the first does not.
	ln, err := tls.Listen("tcp", "127.0.0.1:0", c.TLSConfig())
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{
		Handler:  http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") }),
		ErrorLog: stdlog.New(io.Discard, "", 0), // the refused handshake
	}
	go srv.Serve(ln)
	defer srv.Close()
	for _, tc := range []struct {
		trust []byte
		ok    bool
	}{{c2, true}, {c1, false}} {
		roots := x509.NewCertPool()
		roots.AppendCertsFromPEM(tc.trust)
		client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots}}}
		resp, err := client.Get("https://" + ln.Addr().String() + "/")
		if err == nil {
			resp.Body.Close()
		}
		if (err == nil) != tc.ok {
			t.Errorf("client trusting %s: err %v, want success %v", servedNameOf(t, tc.trust), err, tc.ok)
		}
	}
}

func servedNameOf(t *testing.T, certPEM []byte) string {
	b, _ := pem.Decode(certPEM)
	leaf, err := x509.ParseCertificate(b.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return leaf.Subject.CommonName
}

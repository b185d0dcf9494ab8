// Package fetchtest holds a real forward proxy for tests of fetching
// through one.
package fetchtest

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

// Proxy is a real HTTP proxy: requests in absolute form are forwarded,
// CONNECT is tunnelled. Its own DNS is Routes: the site names a test uses,
// mapped to its servers' loopback addresses, as a proxy's resolver would.
type Proxy struct {
	*httptest.Server
	routes map[string]string // host:port → address

	mu   sync.Mutex
	seen []string
}

// NewProxy starts a proxy with these routes (host:port → address), closed
// when the test ends.
func NewProxy(t testing.TB, routes map[string]string) *Proxy {
	t.Helper()
	p := &Proxy{routes: routes}
	p.Server = httptest.NewServer(p)
	t.Cleanup(p.Close)
	return p
}

// Asked lists the host:port of every request the proxy had, in order.
func (p *Proxy) Asked() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.seen...)
}

func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hostPort := r.Host
	if _, _, err := net.SplitHostPort(hostPort); err != nil {
		hostPort = net.JoinHostPort(hostPort, "80")
	}
	p.mu.Lock()
	p.seen = append(p.seen, hostPort)
	p.mu.Unlock()
	to, ok := p.routes[hostPort]
	if !ok {
		http.Error(w, "proxy: no route to "+hostPort, http.StatusBadGateway)
		return
	}
	if r.Method == http.MethodConnect {
		p.tunnel(w, to)
		return
	}
	out := r.Clone(r.Context())
	out.RequestURI = ""
	out.URL.Host = to
	resp, err := (&http.Transport{}).RoundTrip(out)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	for k, vs := range resp.Header {
		w.Header()[k] = vs
	}
	w.WriteHeader(resp.StatusCode)
	io.Copy(w, resp.Body)
}

func (p *Proxy) tunnel(w http.ResponseWriter, to string) {
	dst, err := net.Dial("tcp", to)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	conn, buf, err := w.(http.Hijacker).Hijack()
	if err != nil {
		dst.Close()
		return
	}
	io.WriteString(conn, "HTTP/1.1 200 Connection established\r\n\r\n")
	go func() { io.Copy(dst, buf); dst.Close() }()
	io.Copy(conn, dst)
	conn.Close()
}

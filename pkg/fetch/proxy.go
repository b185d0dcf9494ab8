package fetch

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"

	"golang.org/x/net/idna"
)

// ParseProxy reads a proxy setting as an operator writes it: "" for none,
// "env" for the HTTPS_PROXY, HTTP_PROXY and NO_PROXY variables (as
// http.ProxyFromEnvironment reads them), or the proxy's URL (http, https,
// socks5 or socks5h; user and password in the URL if it needs them). The
// result goes in Config.Proxy. A fixed proxy is not used for loopback
// addresses, as the environment's never is: the sample site and local
// tests run there.
func ParseProxy(s string) (func(*http.Request) (*url.URL, error), error) {
	s = strings.TrimSpace(s)
	switch s {
	case "":
		return nil, nil
	case "env":
		return http.ProxyFromEnvironment, nil
	}
	u, err := url.Parse(s)
	if err != nil {
		// url.Error quotes the whole URL, password included.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, fmt.Errorf("%w: proxy: %v", ErrURL, err)
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https", "socks5", "socks5h":
	default:
		return nil, fmt.Errorf("%w: proxy %q: give an http, https, socks5 or socks5h URL, or \"env\"", ErrURL, u.Redacted())
	}
	if u.Hostname() == "" {
		return nil, fmt.Errorf("%w: proxy %q has no host", ErrURL, u.Redacted())
	}
	return func(req *http.Request) (*url.URL, error) {
		if loopbackHost(req.URL.Hostname()) {
			return nil, nil
		}
		return u, nil
	}, nil
}

// RedactedProxy is a proxy setting, as ParseProxy reads it, fit for a
// log: its password hidden.
func RedactedProxy(s string) string {
	s = strings.TrimSpace(s)
	if s == "" || s == "env" {
		return s
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return "(unparsable)"
	}
	return u.Redacted()
}

func loopbackHost(host string) bool {
	if localhostName(host) {
		return true
	}
	a, err := netip.ParseAddr(strings.Trim(host, "[]"))
	return err == nil && a.Unmap().IsLoopback()
}

// proxyFor is the transport's Proxy when Config.Proxy is set. Through a
// proxy the dialer only sees the proxy's address, so the site's name is
// resolved here and refused when any of its addresses is not public,
// before the request leaves. The proxy resolves the name again itself: a
// name re-pointed between the two look-ups is the proxy's to refuse.
func (f *Fetcher) proxyFor(req *http.Request) (*url.URL, error) {
	p, err := f.cfg.Proxy(req)
	if err != nil {
		return nil, fmt.Errorf("fetch: choose a proxy for %s: %w", req.URL.Redacted(), err)
	}
	if p == nil {
		return nil, nil // direct: the dialer checks the address
	}
	if err := f.checkProxied(req.Context(), req.URL); err != nil {
		return nil, err
	}
	f.proxyMu.Lock()
	f.proxyAddrs[proxyAddr(p)] = true
	f.proxyMu.Unlock()
	return p, nil
}

// checkProxied refuses a proxied request to a name that resolves to a
// non-public address. Literal addresses were checked by checkURL. A name
// this host cannot resolve cannot be checked, so it is refused: where only
// the proxy resolves names, let the proxy enforce the policy and set
// AllowPrivate.
func (f *Fetcher) checkProxied(ctx context.Context, u *url.URL) error {
	if f.blocked == nil {
		return nil
	}
	host := u.Hostname()
	if _, err := netip.ParseAddr(strings.Trim(host, "[]")); err == nil {
		return nil
	}
	addrs, err := f.lookup(ctx, host)
	if err != nil || len(addrs) == 0 {
		return fmt.Errorf("%w: cannot check where %s leads before sending it to the proxy: %v", ErrBlocked, host, err)
	}
	for _, a := range addrs {
		if f.blocked(netip.AddrPortFrom(a, portOf(u))) {
			return fmt.Errorf("%w: %s resolves to %s", ErrBlocked, host, a)
		}
	}
	return nil
}

// dialProxied dials the proxies proxyFor handed out without the address
// check (the operator chose them, and they are often on a private
// network), and everything else through the checking dialer: requests the
// proxy setting sends direct.
func (f *Fetcher) dialProxied(checked, direct *net.Dialer) func(context.Context, string, string) (net.Conn, error) {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		f.proxyMu.Lock()
		isProxy := f.proxyAddrs[addr]
		f.proxyMu.Unlock()
		if isProxy {
			return direct.DialContext(ctx, network, addr)
		}
		return checked.DialContext(ctx, network, addr)
	}
}

// proxyAddr is the host:port the transport dials for proxy p.
func proxyAddr(p *url.URL) string {
	port := p.Port()
	if port == "" {
		switch strings.ToLower(p.Scheme) {
		case "https":
			port = "443"
		case "socks5", "socks5h":
			port = "1080"
		default:
			port = "80"
		}
	}
	host := p.Hostname()
	for _, r := range host {
		if r >= 0x80 { // the transport dials a non-ASCII name in its ASCII form
			if a, err := idna.Lookup.ToASCII(host); err == nil {
				host = a
			}
			break
		}
	}
	return net.JoinHostPort(host, port)
}

func lookupHost(ctx context.Context, host string) ([]netip.Addr, error) {
	return net.DefaultResolver.LookupNetIP(ctx, "ip", host)
}

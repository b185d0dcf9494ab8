package fetch

import (
	"fmt"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"syscall"
)

// blockedPrefixes are ranges that are not the public internet beyond what
// netip's own predicates (loopback, private, link-local, multicast,
// unspecified) cover. Fetching them would let a feed reach the fetcher's
// own network: SSRF.
var blockedPrefixes = func() []netip.Prefix {
	var out []netip.Prefix
	for _, s := range []string{
		"0.0.0.0/8",       // "this network"
		"100.64.0.0/10",   // carrier-grade NAT, also some clouds' metadata
		"192.0.0.0/24",    // IETF protocol assignments
		"192.0.2.0/24",    // documentation
		"198.18.0.0/15",   // benchmarking
		"198.51.100.0/24", // documentation
		"203.0.113.0/24",  // documentation
		"240.0.0.0/4",     // reserved, and the broadcast address
		"64:ff9b::/96",    // NAT64: may embed any IPv4 address
		"64:ff9b:1::/48",  // local-use NAT64
		"100::/64",        // discard
		"2001:db8::/32",   // documentation
		"2002::/16",       // 6to4: may embed any IPv4 address
	} {
		out = append(out, netip.MustParsePrefix(s))
	}
	return out
}()

// blockedAddr tells whether a is outside the public internet.
func blockedAddr(a netip.Addr) bool {
	a = a.Unmap()
	if !a.IsValid() || a.IsUnspecified() || a.IsLoopback() || a.IsPrivate() ||
		a.IsLinkLocalUnicast() || a.IsLinkLocalMulticast() || a.IsInterfaceLocalMulticast() || a.IsMulticast() {
		return true
	}
	for _, p := range blockedPrefixes {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// checkURL refuses what can be refused before any DNS look-up: schemes
// other than http(s), no host, and hosts that are literal non-public
// addresses or localhost names. Names that resolve to such addresses are
// refused at dial time by dialControl.
func (f *Fetcher) checkURL(u *url.URL) error {
	if !httpScheme(strings.ToLower(u.Scheme)) {
		return fmt.Errorf("%w: %q", ErrScheme, u.Redacted())
	}
	host := u.Hostname()
	if host == "" {
		return fmt.Errorf("%w: %q has no host", ErrURL, u.Redacted())
	}
	if f.blocked == nil {
		return nil
	}
	if localhostName(host) {
		return fmt.Errorf("%w: %s is a loopback name", ErrBlocked, host)
	}
	a, err := netip.ParseAddr(strings.Trim(host, "[]"))
	if err != nil {
		return nil // a name: checked after resolution
	}
	if f.blocked(netip.AddrPortFrom(a, portOf(u))) {
		return fmt.Errorf("%w: %s", ErrBlocked, a)
	}
	return nil
}

func portOf(u *url.URL) uint16 {
	if p, err := strconv.ParseUint(u.Port(), 10, 16); err == nil {
		return uint16(p)
	}
	if strings.EqualFold(u.Scheme, "https") {
		return 443
	}
	return 80
}

// dialControl runs for every address the dialer is about to connect to,
// after DNS resolution, so that a public name pointing at a private address
// (or re-pointed there between look-ups) is still refused.
func (f *Fetcher) dialControl(network, address string, _ syscall.RawConn) error {
	if f.blocked == nil {
		return nil
	}
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("%w: unparsable dial address %q", ErrBlocked, address)
	}
	if f.blocked(ap) {
		return fmt.Errorf("%w: %s resolves to %s", ErrBlocked, network, ap.Addr())
	}
	return nil
}

// localhostName tells whether host is localhost or a name under it, which
// resolve to loopback without asking DNS.
func localhostName(host string) bool {
	h := strings.ToLower(strings.TrimSuffix(host, "."))
	return h == "localhost" || strings.HasSuffix(h, ".localhost")
}

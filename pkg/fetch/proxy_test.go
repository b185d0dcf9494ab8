package fetch

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"testing"

	"github.com/newsdedup/newsdedup/pkg/fetch/fetchtest"
)

// proxiedSite serves one article page; "/elsewhere" redirects to where.
func proxiedSite(where string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/robots.txt":
			http.NotFound(w, r)
		case "/elsewhere":
			http.Redirect(w, r, where, http.StatusFound)
		default:
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, `<html><head><title>Harbour ferries back on time</title></head><body><article><p>`+
				strings.Repeat("The crossings ran on time again on Tuesday after a week of delays. ", 12)+`</p></article></body></html>`)
		}
	}
}

// lookupTable resolves names as the tests say, and fails for the rest.
func lookupTable(names map[string]string) func(context.Context, string) ([]netip.Addr, error) {
	return func(_ context.Context, host string) ([]netip.Addr, error) {
		a, ok := names[host]
		if !ok {
			return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
		}
		return []netip.Addr{netip.MustParseAddr(a)}, nil
	}
}

func TestFetchThroughProxy(t *testing.T) {
	site := httptest.NewServer(proxiedSite("http://intranet.example/secret"))
	t.Cleanup(site.Close)
	tlsSite := httptest.NewTLSServer(proxiedSite("/"))
	t.Cleanup(tlsSite.Close)
	intranet, intranetHits := countingServer(t, proxiedSite("/"))
	siteAddr := strings.TrimPrefix(site.URL, "http://")
	proxy := fetchtest.NewProxy(t, map[string]string{
		"news.example:80":     siteAddr,
		"example.com:443":     strings.TrimPrefix(tlsSite.URL, "https://"), // the name httptest's certificate holds
		"intranet.example:80": strings.TrimPrefix(intranet.URL, "http://"),
	})
	names := map[string]string{
		"news.example":     "93.184.215.14",
		"example.com":      "93.184.215.15",
		"intranet.example": "10.1.2.3",
	}
	proxyURL := proxy.URL
	// With the default address policy: the proxy is on loopback, and is
	// reached because it is the proxy.
	newProxied := func(t *testing.T, cfg Config) *Fetcher {
		t.Helper()
		choose, err := ParseProxy(proxyURL)
		if err != nil {
			t.Fatal(err)
		}
		cfg.Proxy, cfg.HostRate, cfg.Retries = choose, -1, -1
		f := New(cfg)
		f.lookup = lookupTable(names)
		roots := x509.NewCertPool()
		roots.AddCert(tlsSite.Certificate())
		f.client.Transport.(*http.Transport).TLSClientConfig = &tls.Config{RootCAs: roots}
		return f
	}
	ctx := context.Background()

	tests := []struct {
		name      string
		url       string
		cfg       Config
		lookup    map[string]string // replaces names when set
		wantErr   error
		wantAsked string // the proxy's last request, when it must have had one
	}{
		{name: "http page", url: "http://news.example/story.html", wantAsked: "news.example:80"},
		{name: "https page, tunnelled", url: "https://example.com/story.html", wantAsked: "example.com:443"},
		{name: "name resolving to a private address", url: "http://intranet.example/secret", wantErr: ErrBlocked},
		{name: "redirect to a private name", url: "http://news.example/elsewhere", wantErr: ErrBlocked, wantAsked: "news.example:80"},
		{name: "literal private address", url: "http://10.1.2.3/secret", wantErr: ErrBlocked},
		{name: "name this host cannot resolve", url: "http://news.example/story.html", lookup: map[string]string{}, wantErr: ErrBlocked},
		{name: "AllowPrivate trusts the proxy", url: "http://intranet.example/secret", cfg: Config{AllowPrivate: true},
			lookup: map[string]string{}, wantAsked: "intranet.example:80"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newProxied(t, tt.cfg)
			if tt.lookup != nil {
				f.lookup = lookupTable(tt.lookup)
			}
			before := len(proxy.Asked())
			arts, _, err := f.Fetch(ctx, tt.url)
			asked := proxy.Asked()[before:]
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
			} else if err != nil || len(arts) != 1 || arts[0].Title != "Harbour ferries back on time" {
				t.Fatalf("arts %+v, err %v", arts, err)
			}
			for _, a := range asked {
				if strings.HasPrefix(a, "intranet.example") && !tt.cfg.AllowPrivate {
					t.Errorf("the proxy was asked for %s", a)
				}
			}
			switch {
			case tt.wantAsked == "" && len(asked) > 0:
				t.Errorf("the proxy was asked for %v, want nothing", asked)
			case tt.wantAsked != "" && (len(asked) == 0 || asked[len(asked)-1] != tt.wantAsked):
				t.Errorf("the proxy was asked for %v, want %s last", asked, tt.wantAsked)
			}
		})
	}
	if n := intranetHits.Load(); n != 1 {
		t.Errorf("the intranet site served %d pages, want 1 (AllowPrivate's)", n)
	}

	t.Run("loopback sites are not proxied", func(t *testing.T) {
		f := newProxied(t, Config{AllowPrivate: true})
		before := len(proxy.Asked())
		if arts, _, err := f.Fetch(ctx, site.URL+"/story.html"); err != nil || len(arts) != 1 {
			t.Fatalf("arts %d, err %v", len(arts), err)
		}
		if asked := proxy.Asked()[before:]; len(asked) > 0 {
			t.Errorf("the proxy was asked for %v", asked)
		}
	})
	t.Run("the direct path keeps its dial check", func(t *testing.T) {
		// A proxy setting that sends this name direct: the name resolves to
		// loopback, which the dialer refuses.
		f := New(Config{HostRate: -1, Retries: -1, Proxy: func(*http.Request) (*url.URL, error) { return nil, nil }})
		_, port, _ := net.SplitHostPort(siteAddr)
		if _, err := f.client.Get("http://localhost:" + port + "/story.html"); !errors.Is(err, ErrBlocked) {
			t.Fatalf("err = %v, want ErrBlocked from the dialer", err)
		}
	})
}

func TestProxyRefusedByProxy(t *testing.T) {
	// A proxy that refuses the tunnel: the fetch fails with the proxy's
	// answer, and nothing is fetched direct.
	refusing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "denied by policy", http.StatusForbidden)
	}))
	t.Cleanup(refusing.Close)
	choose, err := ParseProxy(refusing.URL)
	if err != nil {
		t.Fatal(err)
	}
	f := New(Config{HostRate: -1, Retries: -1, Proxy: choose})
	f.lookup = lookupTable(map[string]string{"example.com": "93.184.215.15"})
	_, _, err = f.Fetch(context.Background(), "https://example.com/story.html")
	if err == nil || !strings.Contains(err.Error(), "Forbidden") {
		t.Fatalf("err = %v, want the proxy's refusal", err)
	}
}

func TestParseProxy(t *testing.T) {
	req := func(raw string) *http.Request {
		r, err := http.NewRequest(http.MethodGet, raw, nil)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	tests := []struct {
		in      string
		wantNil bool   // no proxy function
		wantErr bool   // refused
		via     string // the proxy a public site goes through
	}{
		{in: "", wantNil: true},
		{in: "  ", wantNil: true},
		{in: "http://proxy.corp:3128", via: "http://proxy.corp:3128"},
		{in: "http://user:secret@proxy.corp:3128", via: "http://user:secret@proxy.corp:3128"},
		{in: "socks5h://10.0.0.8:1080", via: "socks5h://10.0.0.8:1080"},
		{in: "HTTPS://proxy.corp", via: "https://proxy.corp"},
		{in: "ftp://proxy.corp", wantErr: true},
		{in: "proxy.corp:3128", wantErr: true},
		{in: "http://", wantErr: true},
		{in: "http://user:secret@proxy.corp:3128/%zz", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			choose, err := ParseProxy(tt.in)
			if tt.wantErr {
				if err == nil || !errors.Is(err, ErrURL) {
					t.Fatalf("err = %v, want ErrURL", err)
				}
				if strings.Contains(err.Error(), "secret") {
					t.Errorf("the error shows the password: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tt.wantNil {
				if choose != nil {
					t.Fatal("a proxy function for no proxy")
				}
				return
			}
			got, err := choose(req("https://news.example/a"))
			if err != nil || got == nil || got.String() != tt.via {
				t.Fatalf("proxy %v, err %v, want %s", got, err, tt.via)
			}
			for _, local := range []string{"http://127.0.0.1:8080/feed.xml", "http://localhost:9/", "http://[::1]:9/", "http://sample.localhost/"} {
				if got, _ := choose(req(local)); got != nil {
					t.Errorf("%s goes through %v, want direct", local, got)
				}
			}
		})
	}
	if choose, err := ParseProxy("env"); err != nil || choose == nil {
		t.Fatalf("env: %v", err)
	}
	for in, want := range map[string]string{"http://user:secret@proxy.corp:3128": "http://user:xxxxx@proxy.corp:3128",
		"env": "env", "socks5h://10.0.0.8:1080": "socks5h://10.0.0.8:1080", "http://": "(unparsable)"} {
		if got := RedactedProxy(in); got != want {
			t.Errorf("RedactedProxy(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestProxyAddr(t *testing.T) {
	tests := []struct{ in, want string }{
		{"http://proxy.corp", "proxy.corp:80"},
		{"https://proxy.corp", "proxy.corp:443"},
		{"socks5://proxy.corp", "proxy.corp:1080"},
		{"http://10.0.0.8:3128", "10.0.0.8:3128"},
		{"http://[fd00::8]:3128", "[fd00::8]:3128"},
		{"http://prøxy.corp:3128", "xn--prxy-hra.corp:3128"},
	}
	for _, tt := range tests {
		u, err := url.Parse(tt.in)
		if err != nil {
			t.Fatal(err)
		}
		if got := proxyAddr(u); got != tt.want {
			t.Errorf("proxyAddr(%s) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

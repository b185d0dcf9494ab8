package fetch

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strconv"
	"sync/atomic"
	"testing"
	"time"
)

func TestBlockedAddr(t *testing.T) {
	tests := []struct {
		addr    string
		blocked bool
	}{
		{"127.0.0.1", true}, {"127.8.9.10", true}, {"::1", true},
		{"10.1.2.3", true}, {"172.16.0.1", true}, {"172.31.255.255", true}, {"192.168.1.1", true},
		{"169.254.169.254", true}, {"fe80::1", true}, {"fd00:ec2::254", true},
		{"0.0.0.0", true}, {"::", true}, {"100.64.0.1", true}, {"100.100.100.200", true},
		{"255.255.255.255", true}, {"224.0.0.1", true}, {"ff02::1", true},
		{"::ffff:127.0.0.1", true}, {"::ffff:10.0.0.1", true}, {"64:ff9b::a00:1", true},
		{"93.184.215.14", false}, {"172.32.0.1", false}, {"8.8.8.8", false},
		{"2606:4700:4700::1111", false}, {"::ffff:8.8.8.8", false},
	}
	for _, tt := range tests {
		if got := blockedAddr(netip.MustParseAddr(tt.addr)); got != tt.blocked {
			t.Errorf("blockedAddr(%s) = %v, want %v", tt.addr, got, tt.blocked)
		}
	}
}

// countingServer counts its requests.
func countingServer(t *testing.T, h http.HandlerFunc) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/robots.txt" {
			n.Add(1)
		}
		h(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func port(t *testing.T, raw string) uint16 {
	t.Helper()
	u, _ := url.Parse(raw)
	p, err := strconv.Atoi(u.Port())
	if err != nil {
		t.Fatal(err)
	}
	return uint16(p)
}

// newSafeFetcher has the default address policy except that the given
// loopback port counts as a public site: httptest only listens on loopback.
func newSafeFetcher(t *testing.T, public uint16) *Fetcher {
	t.Helper()
	f := New(Config{HostRate: -1, Retries: -1})
	f.blocked = func(ap netip.AddrPort) bool {
		if ap.Port() == public && ap.Addr().IsLoopback() {
			return false
		}
		return blockedAddr(ap.Addr())
	}
	return f
}

func TestPrivateAddressesRefused(t *testing.T) {
	internal, hits := countingServer(t, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("<html><head><title>internal</title></head></html>"))
	})
	ip := internal.URL                                                 // http://127.0.0.1:port
	host := "http://localhost:" + strconv.Itoa(int(port(t, ip))) + "/" // a name for it
	public, _ := countingServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/to-ip":
			http.Redirect(w, r, ip+"/secret", http.StatusFound)
		case "/to-name":
			http.Redirect(w, r, host+"secret", http.StatusFound)
		case "/to-metadata":
			http.Redirect(w, r, "http://169.254.169.254/latest/meta-data/", http.StatusFound)
		default:
			http.NotFound(w, r)
		}
	})
	f := newSafeFetcher(t, port(t, public.URL))
	ctx := context.Background()

	t.Run("default config refuses loopback", func(t *testing.T) {
		_, _, err := New(Config{}).Fetch(ctx, ip+"/page")
		if !errors.Is(err, ErrBlocked) {
			t.Fatalf("err = %v, want ErrBlocked", err)
		}
	})
	for _, tt := range []struct{ name, url string }{
		{"redirect to 127.0.0.1", public.URL + "/to-ip"},
		{"redirect to localhost", public.URL + "/to-name"},
		{"redirect to the metadata service", public.URL + "/to-metadata"},
		{"metadata service", "http://169.254.169.254/latest/meta-data/"},
		{"private network", "http://10.0.0.1/feed.xml"},
		{"unspecified", "http://0.0.0.0:" + strconv.Itoa(int(port(t, ip))) + "/"},
		{"IPv6 loopback", "http://[::1]:" + strconv.Itoa(int(port(t, ip))) + "/"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := f.Fetch(ctx, tt.url)
			if !errors.Is(err, ErrBlocked) {
				t.Fatalf("err = %v, want ErrBlocked", err)
			}
		})
	}
	// A name is checked after resolution, at dial time, whatever the URL
	// check before it let through.
	t.Run("name resolving to loopback, at dial", func(t *testing.T) {
		_, err := f.client.Get(host)
		if !errors.Is(err, ErrBlocked) {
			t.Fatalf("err = %v, want ErrBlocked from the dialer", err)
		}
	})
	if n := hits.Load(); n != 0 {
		t.Errorf("the internal server was reached %d times", n)
	}
	t.Run("AllowPrivate reaches it", func(t *testing.T) {
		arts, _, err := New(Config{AllowPrivate: true}).Fetch(ctx, ip+"/page")
		if err != nil || len(arts) != 1 {
			t.Fatalf("arts %d, err %v", len(arts), err)
		}
	})
}

func TestRedirectLimits(t *testing.T) {
	srv, hits := countingServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/loop":
			http.Redirect(w, r, "/loop2", http.StatusFound)
		case "/loop2":
			http.Redirect(w, r, "/loop", http.StatusFound)
		case "/file":
			http.Redirect(w, r, "file:///etc/passwd", http.StatusFound)
		}
	})
	f := newTestFetcher(Config{MaxRedirects: 3})
	if _, _, err := f.Fetch(context.Background(), srv.URL+"/loop"); !errors.Is(err, ErrTooManyRedirects) {
		t.Errorf("loop: err = %v", err)
	}
	if n := hits.Load(); n != 4 {
		t.Errorf("%d requests for a loop with 3 redirects allowed, want 4", n)
	}
	if _, _, err := f.Fetch(context.Background(), srv.URL+"/file"); !errors.Is(err, ErrScheme) {
		t.Errorf("file: err = %v", err)
	}
}

func TestSchemesRefused(t *testing.T) {
	f := newTestFetcher(Config{})
	for _, u := range []string{"file:///etc/passwd", "gopher://x.example/", "javascript:alert(1)", "//x.example/feed"} {
		if _, _, err := f.Fetch(context.Background(), u); !errors.Is(err, ErrScheme) {
			t.Errorf("%s: err = %v, want ErrScheme", u, err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, _, err := f.Fetch(ctx, "http:///nohost"); !errors.Is(err, ErrURL) {
		t.Errorf("no host: err = %v", err)
	}
}

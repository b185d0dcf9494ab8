package fetch

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// hostLimits keeps each host's concurrency and request rate, so that a feed
// of fifty entries on one site does not hit it with fifty requests at once.
type hostLimits struct {
	mu    sync.Mutex
	hosts map[string]*hostSlot
	conc  int
	rate  rate.Limit
	burst int
}

type hostSlot struct {
	sem   chan struct{}
	lim   *rate.Limiter
	delay time.Duration // the crawl delay in force on lim
	users int
}

// maxIdleHosts bounds the table; idle hosts are dropped past it (they only
// lose their token bucket, which a fresh one replaces).
const maxIdleHosts = 1024

func newHostLimits(conc int, perSecond float64, burst int) *hostLimits {
	r := rate.Inf
	if perSecond > 0 {
		r = rate.Limit(perSecond)
	}
	return &hostLimits{hosts: map[string]*hostSlot{}, conc: conc, rate: r, burst: burst}
}

// acquire waits for a free slot and a token for host. delay, the site's
// crawl delay, slows the host down when it asks for less than our rate.
func (h *hostLimits) acquire(ctx context.Context, host string, delay time.Duration) (release func(), err error) {
	host = strings.ToLower(host)
	h.mu.Lock()
	s, ok := h.hosts[host]
	if !ok {
		if len(h.hosts) >= maxIdleHosts {
			for k, old := range h.hosts {
				if old.users == 0 {
					delete(h.hosts, k)
				}
			}
		}
		s = &hostSlot{sem: make(chan struct{}, h.conc), lim: rate.NewLimiter(h.rate, h.burst)}
		h.hosts[host] = s
	}
	if delay != s.delay {
		s.delay = delay
		if lim := rate.Every(delay); delay > 0 && lim < h.rate {
			s.lim.SetLimit(lim)
			s.lim.SetBurst(1)
		} else {
			s.lim.SetLimit(h.rate)
			s.lim.SetBurst(h.burst)
		}
	}
	s.users++
	h.mu.Unlock()
	done := func() {
		h.mu.Lock()
		s.users--
		h.mu.Unlock()
	}
	select {
	case s.sem <- struct{}{}:
	case <-ctx.Done():
		done()
		return nil, fmt.Errorf("fetch: waiting for a slot on %s: %w", host, ctx.Err())
	}
	if err := s.lim.Wait(ctx); err != nil {
		<-s.sem
		done()
		if ctx.Err() != nil {
			return nil, fmt.Errorf("fetch: rate limit of %s: %w: %w", host, errInterrupted, ctx.Err())
		}
		// Wait fails at once when the token would come after the deadline.
		return nil, fmt.Errorf("fetch: rate limit of %s: %w: %w (%v)", host, errInterrupted, context.DeadlineExceeded, err)
	}
	return func() {
		<-s.sem
		done()
	}, nil
}

package intake

import (
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// keyedLimiter is a token bucket per key (a credential or a client address).
// Idle buckets are dropped once they would have refilled completely, which
// forgets nothing: a full bucket and a new one are the same.
type keyedLimiter struct {
	limit rate.Limit
	burst int

	mu        sync.Mutex
	buckets   map[string]*bucket
	lastSweep time.Time
	now       func() time.Time
}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

// newKeyedLimiter returns nil (no limit) for a rate <= 0.
func newKeyedLimiter(perSecond float64, burst int) *keyedLimiter {
	if perSecond <= 0 {
		return nil
	}
	if burst < 1 {
		burst = 1
	}
	return &keyedLimiter{limit: rate.Limit(perSecond), burst: burst, buckets: map[string]*bucket{}, now: time.Now}
}

// allow takes a token for key, or says how long to wait for one.
func (k *keyedLimiter) allow(key string) (bool, time.Duration) {
	if k == nil {
		return true, 0
	}
	now := k.now()
	k.mu.Lock()
	defer k.mu.Unlock()
	k.sweep(now)
	b := k.buckets[key]
	if b == nil {
		b = &bucket{lim: rate.NewLimiter(k.limit, k.burst)}
		k.buckets[key] = b
	}
	b.seen = now
	r := b.lim.ReserveN(now, 1)
	if !r.OK() {
		return false, time.Minute
	}
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return false, d
	}
	return true, 0
}

func (k *keyedLimiter) sweep(now time.Time) {
	if now.Sub(k.lastSweep) < time.Minute {
		return
	}
	k.lastSweep = now
	refill := time.Duration(float64(k.burst) / float64(k.limit) * float64(time.Second))
	for key, b := range k.buckets {
		if now.Sub(b.seen) > refill {
			delete(k.buckets, key)
		}
	}
}

// clientAddress is the client's address for rate limiting: the TCP peer, or
// with trustForwardedFor the last X-Forwarded-For entry (what the one trusted
// proxy in front saw). IPv6 clients are grouped by /64, the block one
// subscriber usually holds. It is never logged.
func clientAddress(r *http.Request, trustForwardedFor bool) string {
	addr := r.RemoteAddr
	if host, _, err := net.SplitHostPort(addr); err == nil {
		addr = host
	}
	if trustForwardedFor {
		if xff := r.Header.Values("X-Forwarded-For"); len(xff) > 0 {
			parts := strings.Split(xff[len(xff)-1], ",")
			addr = strings.TrimSpace(parts[len(parts)-1])
		}
	}
	ip := net.ParseIP(addr)
	if ip == nil {
		return addr
	}
	if ip.To4() == nil {
		return ip.Mask(net.CIDRMask(64, 128)).String() + "/64"
	}
	return ip.String()
}

package intake

import (
	"net/http"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"
)

func TestRequestsAreCountedByRouteAndCode(t *testing.T) {
	h := newHarness(t)
	before := testutil.ToFloat64(requestsTotal.WithLabelValues("/", "404"))
	resp, err := http.Get(h.base + "/no/such/place")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := testutil.ToFloat64(requestsTotal.WithLabelValues("/", "404")) - before; got != 1 {
		t.Fatalf("counted %v requests, want 1", got)
	}
}

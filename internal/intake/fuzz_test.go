package intake

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"
)

// The fuzz targets drive the JSON and form decoders and the validation
// after them: nothing may panic, every rejection must be a 4xx problem that
// serialises, and whatever passes must build a Complaint plan. The seed
// corpus is in testdata/fuzz/; `go test` runs it, `go test -fuzz` explores.

func FuzzDecodeJSON(f *testing.F) {
	for _, s := range []string{
		`{"channel":"Email","summary":"s","description":"d","complainant":{"name":"n","email":"a@b.c"}}`,
		`{"summary":1,"Summary":"x","x":{"y":[1,{"z":null}]},"complainant":"n"}`,
		`{"a":1,"a":2}`, `[]`, `null`, `{`, `{"peopleInvolved":["a","a",3]}`, "\xff\xfe", `{"summary":"\u0000"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) { checkDecoded(t, mediaJSON, body) })
}

func FuzzDecodeForm(f *testing.F) {
	for _, s := range []string{
		"channel=Letter&summary=s&description=d&complainant.name=n&peopleInvolved=a%0Ab&confidential=on",
		"summary=a&summary=b&x=1", "a=%zz", "a=1;b=2", "complainant.email=%FF", "representative.consentRecorded=maybe",
		"website=spam&idempotencyKey=%00",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) { checkDecoded(t, mediaForm, body) })
}

func checkDecoded(t *testing.T, media string, body []byte) {
	for _, anonymous := range []bool{false, true} {
		req, p := parseRequest(media, body, time.Now(), anonymous)
		if p != nil {
			checkProblem(t, p)
			continue
		}
		s := &Server{cfg: &config{Options: Options{DefaultPolicy: "standard"}}}
		key := []byte("0123456789abcdef0123456789abcdef")
		s.trackingKey.Store(&key)
		pl, p := s.plan(principal{namespace: "ns", mode: modeBearer}, "key", req)
		if p != nil || pl.complaint == nil || pl.complaint.Spec.Summary == "" || pl.complaint.Spec.Channel == "" {
			t.Fatalf("a valid request made no plan: %+v", p)
		}
		if _, err := json.Marshal(pl.complaint); err != nil {
			t.Fatal(err)
		}
	}
}

func checkProblem(t *testing.T, p *problem) {
	if p.Status < 400 || p.Status > 499 {
		t.Fatalf("rejected with %d", p.Status)
	}
	if p.Status != http.StatusBadRequest && p.Status != http.StatusUnsupportedMediaType {
		t.Fatalf("unexpected status %d", p.Status)
	}
	for _, e := range p.Errors {
		if e.Field == "" && e.Pointer != "#" || e.Code == "" || e.Detail == "" {
			t.Fatalf("incomplete field error %+v", e)
		}
	}
	if _, err := json.Marshal(p); err != nil {
		t.Fatal(err)
	}
}

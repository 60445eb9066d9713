package intake

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

func errFields(errs []fieldError) []string {
	var out []string
	for _, e := range errs {
		out = append(out, e.Field)
	}
	return out
}

func TestRequestMediaType(t *testing.T) {
	for ct, want := range map[string]int{
		"application/json": 0, "application/json; charset=utf-8": 0, "Application/JSON; charset=UTF-8": 0,
		"application/x-www-form-urlencoded": 0, "application/x-www-form-urlencoded; charset=utf-8": 0,
		"": 415, "text/plain": 415, "application/json; charset=iso-8859-1": 415, "multipart/form-data; boundary=x": 415,
		"application/merge-patch+json": 415, "application/json;;": 415,
	} {
		_, p := requestMediaType(ct)
		if got := 0; p != nil {
			got = p.Status
			if got != want {
				t.Errorf("%q: %d, want %d", ct, got, want)
			}
		} else if want != 0 {
			t.Errorf("%q accepted, want %d", ct, want)
		}
	}
}

func TestDecodeJSON(t *testing.T) {
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	full := `{"policyName":"standard","channel":"Email","category":"c","severity":"Minor",
		"summary":"s","description":"d","incidentDate":"2026-01-02","desiredOutcome":"o",
		"complainant":{"name":"n","email":"e@example.org","phone":"+1 555 0100"},
		"representative":{"relationship":"Parent","consentRecorded":true},"confidential":true,
		"peopleInvolved":["a","b"],"language":"zh"`
	r, p := parseRequest(mediaJSON, []byte(full+"}"), now, false)
	if p != nil {
		t.Fatalf("%+v", p)
	}
	if r.PolicyName != "standard" || r.Channel != "Email" || r.Complainant.Email != "e@example.org" || !r.Representative.ConsentRecorded ||
		!r.Confidential || !slices.Equal(r.PeopleInvolved, []string{"a", "b"}) || r.Language != "zh" {
		t.Errorf("%+v", r)
	}
	for _, dup := range []string{`,"category":null}`, `,"representative":null}`} {
		want := []string{strings.Split(dup, `"`)[1]}
		if _, p := parseRequest(mediaJSON, []byte(full+dup), now, false); p == nil || !slices.Equal(errFields(p.Errors), want) {
			t.Errorf("%s: %+v", dup, p)
		}
	}

	// decoding errors only (the rest of each body is valid)
	base := `"channel":"Email","summary":"s","description":"d","complainant":{"name":"n"}`
	for body, want := range map[string][]string{
		`{"idempotencyKey":"x","website":"",` + base + `}`:                                       {"idempotencyKey", "website"}, // form-only fields
		`{"channel":"Email","summary":"s","description":"d","complainant":{"name":"n","age":3}}`: {"complainant.age"},
		`{"complainant.name":"n",` + base + `}`:                                                  {"complainant.name"}, // dotted keys are not JSON fields
		`{"confidential":"yes","peopleInvolved":"a",` + base + `}`:                               {"confidential", "peopleInvolved"},
		`{"representative":[],` + base + `}`:                                                     {"representative"},
	} {
		_, p := parseRequest(mediaJSON, []byte(body), now, false)
		if p == nil || p.Status != http.StatusBadRequest || !slices.Equal(errFields(p.Errors), want) {
			t.Errorf("%s: %+v, want fields %v", body, p, want)
		}
	}
	// decoding and validation errors together; a mistyped field is not also "required"
	_, p = parseRequest(mediaJSON, []byte(`{"summary":5,"complainant":"Jane","peopleInvolved":["x",1,"x"],"colour":"red"}`), now, false)
	if want := []string{"channel", "colour", "complainant", "description", "peopleInvolved.1", "summary"}; p == nil || !slices.Equal(errFields(p.Errors), want) {
		t.Errorf("fields %v, want %v", p, want)
	}
	for _, body := range []string{"", "null", "[]", `"x"`, "{", "{}{}", "\xff{}", `{"summary":1e400}`} {
		if r, p := parseRequest(mediaJSON, []byte(body), now, false); p == nil || p.Status != http.StatusBadRequest || r != nil {
			t.Errorf("%q: %+v", body, p)
		}
	}
	// null is absent
	if r, _, p := decodeRequest(mediaJSON, []byte(`{"summary":null,"complainant":null}`)); p != nil || r.Complainant != nil {
		t.Errorf("%+v %+v", r, p)
	}
}

func TestDecodeForm(t *testing.T) {
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	r, p := parseRequest(mediaForm, []byte("channel=Letter&summary=s&description=d%0Ae&complainant.name=n&"+
		"peopleInvolved=a%0D%0Ab&peopleInvolved=c&confidential=on&representative.consentRecorded=&website=&idempotencyKey=k1"), now, false)
	if p != nil {
		t.Fatalf("%+v", p)
	}
	if !slices.Equal(r.PeopleInvolved, []string{"a", "b", "c"}) || !r.Confidential || r.Representative != nil ||
		r.IdempotencyKey != "k1" || r.Description != "d\ne" || r.Complainant.Name != "n" {
		t.Errorf("%+v", r)
	}
	if r, _, _ := decodeRequest(mediaForm, []byte("representative.consentRecorded=true")); r.Representative == nil {
		t.Error("a ticked consent box alone should make a representative (and fail validation for its relationship)")
	}
	for body, want := range map[string][]string{
		"summary=a&summary=b":         {"summary"},
		"unknown=1&complainant.age=3": {"complainant.age", "unknown"},
		"confidential=maybe":          {"confidential"},
		"complainant=Jane":            {"complainant"},
		"summary=%FF":                 {"summary"},
	} {
		_, errs, p := decodeRequest(mediaForm, []byte(body))
		if p != nil || !slices.Equal(errFields(fieldErrors(errs).sorted()), want) {
			t.Errorf("%s: %+v, want %v", body, p, want)
		}
	}
	for _, body := range []string{"", "a=%zz", "a=1;b=2"} {
		if _, _, p := decodeRequest(mediaForm, []byte(body)); p == nil || p.Status != http.StatusBadRequest {
			t.Errorf("%q: %+v", body, p)
		}
	}
}

func TestValidate(t *testing.T) {
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	r := &complaintRequest{
		Channel: " Email ", Summary: "  A summary  ", Description: " \n ", IncidentDate: "2026-06-03",
		Complainant:    &complainantData{Name: " Jane ", Email: "Jane <jane@example.org>", Phone: "12"},
		PeopleInvolved: []string{"a", " a ", ""}, Severity: "Normal", Category: strings.Repeat("c", 65),
		Representative: &representativeData{}, DesiredOutcome: "ok\x00",
	}
	errs := r.validate(now, false)
	want := []string{"category", "complainant.email", "complainant.phone", "description", "desiredOutcome",
		"incidentDate", "peopleInvolved.1", "peopleInvolved.2", "representative.relationship"}
	if !slices.Equal(errFields(errs), want) {
		t.Errorf("fields %v, want %v", errFields(errs), want)
	}
	if r.Summary != "A summary" || r.Complainant.Name != "Jane" || r.Channel != "Email" {
		t.Errorf("not normalised: %+v", r)
	}
	// a name with a line break could become an email header: refused
	r = &complaintRequest{Channel: "Email", Summary: "s", Description: "d", Complainant: &complainantData{Name: "Jane\r\nBcc: x@y"}}
	if f := errFields(r.validate(now, false)); !slices.Equal(f, []string{"complainant.name"}) {
		t.Errorf("fields %v", f)
	}
	// the public form is always WebForm
	r = &complaintRequest{Summary: "s", Description: "d", Complainant: &complainantData{Name: "n"}}
	if errs := r.validate(now, true); len(errs) != 0 || r.Channel != "WebForm" {
		t.Errorf("%v %q", errs, r.Channel)
	}
	r = &complaintRequest{Channel: "Phone", Summary: "s", Description: "d", Complainant: &complainantData{Name: "n"}}
	if f := errFields(r.validate(now, true)); !slices.Equal(f, []string{"channel"}) {
		t.Errorf("fields %v", f)
	}
	// lengths are characters, not bytes
	r = &complaintRequest{Channel: "Email", Summary: strings.Repeat("投", 256), Description: "d", Complainant: &complainantData{Name: "n"}}
	if errs := r.validate(now, false); len(errs) != 0 {
		t.Errorf("256 Chinese characters refused: %v", errs)
	}
}

func TestPointer(t *testing.T) {
	for in, want := range map[string]string{"": "#", "summary": "#/summary", "complainant.email": "#/complainant/email",
		"peopleInvolved.2": "#/peopleInvolved/2", "a/b~c": "#/a~1b~0c", "a b": "#/a%20b"} {
		if got := pointer(in); got != want {
			t.Errorf("pointer(%q) = %q, want %q", in, got, want)
		}
	}
}

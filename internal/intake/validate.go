package intake

import (
	"net/mail"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	v1 "github.com/redress-operator/redress/api/v1alpha1"
)

// Limits mirror the Complaint CRD's schema, so a request that passes here is
// never refused by the API server.
var (
	policyNamePattern = regexp.MustCompile(`^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$`)
	datePattern       = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`)
	phonePattern      = regexp.MustCompile(`^\+?[0-9 ().\-/]+$`)
)

var channels = map[string]bool{
	"Phone": true, "InPerson": true, "Letter": true, "Email": true, "WebForm": true, "ComplaintBox": true,
}

var severities = map[string]bool{
	string(v1.SeverityMinor): true, string(v1.SeverityNormal): true, string(v1.SeveritySerious): true,
}

// validate normalises the request (trims single-line fields, applies the
// public form's channel) and reports every failing field. anonymous is true
// for unauthenticated posts to a public namespace, which always come from the
// web form.
func (r *complaintRequest) validate(now time.Time, anonymous bool) []fieldError {
	var errs fieldErrors
	// check normalises one free-text field and records what is wrong with it:
	// a single-line field loses surrounding space, a multi-line field is only
	// emptied when it is nothing but space.
	check := func(field string, v *string, max int, required, multiline bool) {
		if multiline && strings.TrimSpace(*v) == "" {
			*v = ""
		} else if !multiline {
			*v = strings.TrimSpace(*v)
		}
		switch {
		case *v == "":
			if required {
				errs.add(field, "required", "is required")
			}
		case utf8.RuneCountInString(*v) > max:
			errs.add(field, "too-long", "must be at most "+strconv.Itoa(max)+" characters")
		case hasControl(*v, multiline):
			msg := "must be a single line without control characters"
			if multiline {
				msg = "must not contain control characters"
			}
			errs.add(field, "control-characters", msg)
		}
	}
	line := func(field string, v *string, max int, required bool) { check(field, v, max, required, false) }
	text := func(field string, v *string, max int, required bool) { check(field, v, max, required, true) }

	line("policyName", &r.PolicyName, 253, false)
	if r.PolicyName != "" && !policyNamePattern.MatchString(r.PolicyName) {
		errs.add("policyName", "invalid", "must be a Policy name (lower-case letters, digits, '-' and '.')")
	}

	r.Channel = strings.TrimSpace(r.Channel)
	switch {
	case anonymous && (r.Channel == "" || r.Channel == "WebForm"):
		r.Channel = "WebForm"
	case anonymous:
		errs.add("channel", "invalid", "must be WebForm for the public form")
	case r.Channel == "":
		errs.add("channel", "required", "is required")
	case !channels[r.Channel]:
		errs.add("channel", "invalid", "must be one of Phone, InPerson, Letter, Email, WebForm, ComplaintBox")
	}

	line("category", &r.Category, 64, false)
	r.Severity = strings.TrimSpace(r.Severity)
	if r.Severity != "" && !severities[r.Severity] {
		errs.add("severity", "invalid", "must be one of Minor, Normal, Serious")
	}
	line("summary", &r.Summary, 256, true)
	text("description", &r.Description, 16384, true)
	text("desiredOutcome", &r.DesiredOutcome, 2048, false)

	r.IncidentDate = strings.TrimSpace(r.IncidentDate)
	if r.IncidentDate != "" {
		d, err := time.Parse(time.DateOnly, r.IncidentDate)
		switch {
		case !datePattern.MatchString(r.IncidentDate) || err != nil:
			errs.add("incidentDate", "invalid", "must be a date, YYYY-MM-DD")
		case d.After(now.Add(24 * time.Hour)):
			errs.add("incidentDate", "invalid", "must not be in the future")
		}
	}

	who := r.Complainant
	if who == nil {
		who = &complainantData{}
	}
	line("complainant.name", &who.Name, 256, true)
	line("complainant.email", &who.Email, 254, false)
	if who.Email != "" && !validEmail(who.Email) {
		errs.add("complainant.email", "invalid", "must be an email address")
	}
	line("complainant.phone", &who.Phone, 32, false)
	if who.Phone != "" && !validPhone(who.Phone) {
		errs.add("complainant.phone", "invalid", "must be a telephone number")
	}
	if r.Complainant != nil {
		r.Complainant = who
	}

	if rep := r.Representative; rep != nil {
		line("representative.relationship", &rep.Relationship, 64, true)
	}

	if len(r.PeopleInvolved) > 32 {
		errs.add("peopleInvolved", "too-many", "must list at most 32 people or roles")
	}
	seen := map[string]bool{}
	for i := range r.PeopleInvolved {
		field := "peopleInvolved." + strconv.Itoa(i)
		line(field, &r.PeopleInvolved[i], 128, true)
		if p := r.PeopleInvolved[i]; p != "" {
			if seen[p] {
				errs.add(field, "duplicate", "is listed twice")
			}
			seen[p] = true
		}
	}

	r.Language = strings.TrimSpace(r.Language)
	if r.Language != "" && r.Language != "en" && r.Language != "zh" {
		errs.add("language", "invalid", "must be en or zh")
	}

	if r.Honeypot != "" {
		errs.add(fieldHoneypot, "honeypot", "must be left empty")
	}
	if r.IdempotencyKey != "" && !validIdempotencyKey(r.IdempotencyKey) {
		errs.add(fieldIdempotencyKey, "invalid", "must be 1 to 255 printable ASCII characters")
	}
	return errs.sorted()
}

// hasControl reports control characters (and line/paragraph separators);
// multiline allows tab, CR and LF.
func hasControl(s string, multiline bool) bool {
	for _, c := range s {
		if multiline && (c == '\n' || c == '\r' || c == '\t') {
			continue
		}
		if unicode.IsControl(c) || c == '\u2028' || c == '\u2029' {
			return true
		}
	}
	return false
}

func validEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Name == "" && a.Address == s && strings.Contains(s, "@")
}

func validPhone(s string) bool {
	if !phonePattern.MatchString(s) {
		return false
	}
	digits := 0
	for _, c := range s {
		if c >= '0' && c <= '9' {
			digits++
		}
	}
	return digits >= 5 && digits <= 20
}

// validIdempotencyKey accepts 1 to 255 printable ASCII characters.
func validIdempotencyKey(k string) bool {
	if k == "" || len(k) > 255 {
		return false
	}
	for i := 0; i < len(k); i++ {
		if k[i] < 0x20 || k[i] > 0x7e {
			return false
		}
	}
	return true
}

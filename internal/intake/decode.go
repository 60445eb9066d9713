package intake

import (
	"mime"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	sigjson "sigs.k8s.io/json"
)

// Accepted request media types.
const (
	mediaJSON = "application/json"
	mediaForm = "application/x-www-form-urlencoded"
)

// complaintRequest is the intake request body (api.md, "Intake"). Decoding
// walks a generic document against fieldSpecs so that every unknown, repeated
// or mistyped field is reported at once. The JSON tags define the canonical
// form a request digest is computed over.
type complaintRequest struct {
	PolicyName     string              `json:"policyName,omitempty"`
	Channel        string              `json:"channel,omitempty"`
	Category       string              `json:"category,omitempty"`
	Severity       string              `json:"severity,omitempty"`
	Summary        string              `json:"summary,omitempty"`
	Description    string              `json:"description,omitempty"`
	IncidentDate   string              `json:"incidentDate,omitempty"`
	DesiredOutcome string              `json:"desiredOutcome,omitempty"`
	Complainant    *complainantData    `json:"complainant,omitempty"`
	Representative *representativeData `json:"representative,omitempty"`
	Confidential   bool                `json:"confidential,omitempty"`
	PeopleInvolved []string            `json:"peopleInvolved,omitempty"`
	Language       string              `json:"language,omitempty"`

	// Form-only fields, not part of the digest: the public form's hidden
	// idempotency key and its honeypot.
	IdempotencyKey string `json:"-"`
	Honeypot       string `json:"-"`
}

// complainantData is the personal data that only ever goes into the Secret.
type complainantData struct {
	Name  string `json:"name,omitempty"`
	Email string `json:"email,omitempty"`
	Phone string `json:"phone,omitempty"`
}

type representativeData struct {
	Relationship    string `json:"relationship,omitempty"`
	ConsentRecorded bool   `json:"consentRecorded,omitempty"`
}

// Form-only field names.
const (
	fieldIdempotencyKey = "idempotencyKey"
	fieldHoneypot       = "website"
)

type fieldKind int

const (
	kindString fieldKind = iota
	kindBool
	kindList
)

type fieldSpec struct {
	kind     fieldKind
	formOnly bool
	setStr   func(r *complaintRequest, v string)
	setBool  func(r *complaintRequest, v bool)
	setList  func(r *complaintRequest, v []string)
}

func (r *complaintRequest) who() *complainantData {
	if r.Complainant == nil {
		r.Complainant = &complainantData{}
	}
	return r.Complainant
}

func (r *complaintRequest) rep() *representativeData {
	if r.Representative == nil {
		r.Representative = &representativeData{}
	}
	return r.Representative
}

func str(set func(r *complaintRequest, v string)) fieldSpec {
	return fieldSpec{kind: kindString, setStr: set}
}

// fieldSpecs are the request's leaf fields by dotted name (which is also the
// HTML form field name).
var fieldSpecs = map[string]fieldSpec{
	"policyName":                     str(func(r *complaintRequest, v string) { r.PolicyName = v }),
	"channel":                        str(func(r *complaintRequest, v string) { r.Channel = v }),
	"category":                       str(func(r *complaintRequest, v string) { r.Category = v }),
	"severity":                       str(func(r *complaintRequest, v string) { r.Severity = v }),
	"summary":                        str(func(r *complaintRequest, v string) { r.Summary = v }),
	"description":                    str(func(r *complaintRequest, v string) { r.Description = v }),
	"incidentDate":                   str(func(r *complaintRequest, v string) { r.IncidentDate = v }),
	"desiredOutcome":                 str(func(r *complaintRequest, v string) { r.DesiredOutcome = v }),
	"language":                       str(func(r *complaintRequest, v string) { r.Language = v }),
	"complainant.name":               str(func(r *complaintRequest, v string) { r.who().Name = v }),
	"complainant.email":              str(func(r *complaintRequest, v string) { r.who().Email = v }),
	"complainant.phone":              str(func(r *complaintRequest, v string) { r.who().Phone = v }),
	"representative.relationship":    str(func(r *complaintRequest, v string) { r.rep().Relationship = v }),
	"representative.consentRecorded": {kind: kindBool, setBool: func(r *complaintRequest, v bool) { r.rep().ConsentRecorded = v }},
	"confidential":                   {kind: kindBool, setBool: func(r *complaintRequest, v bool) { r.Confidential = v }},
	"peopleInvolved":                 {kind: kindList, setList: func(r *complaintRequest, v []string) { r.PeopleInvolved = v }},
	fieldIdempotencyKey:              {kind: kindString, formOnly: true, setStr: func(r *complaintRequest, v string) { r.IdempotencyKey = v }},
	fieldHoneypot:                    {kind: kindString, formOnly: true, setStr: func(r *complaintRequest, v string) { r.Honeypot = v }},
}

// objectFields are the request's nested objects.
var objectFields = map[string]func(r *complaintRequest){
	"complainant":    func(r *complaintRequest) { r.who() },
	"representative": func(r *complaintRequest) { r.rep() },
}

// requestMediaType checks Content-Type: JSON or form, UTF-8 only.
func requestMediaType(contentType string) (string, *problem) {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil || (mt != mediaJSON && mt != mediaForm) {
		return "", unsupportedMediaType()
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		return "", unsupportedMediaType()
	}
	return mt, nil
}

// parseRequest decodes and validates a body of the given media type (from
// requestMediaType): one 400 problem lists every failing field, decoding
// errors (unknown, repeated, mistyped) and validation errors together. A
// request is returned whenever the body decoded at all, so a form can be
// shown again with what was typed. anonymous marks public form posts.
func parseRequest(media string, body []byte, now time.Time, anonymous bool) (*complaintRequest, *problem) {
	req, errs, p := decodeRequest(media, body)
	if p != nil {
		return nil, p
	}
	for _, e := range req.validate(now, anonymous) {
		if !coveredBy(e.Field, errs) {
			errs = append(errs, e)
		}
	}
	if len(errs) > 0 {
		return req, badRequest("The complaint is not valid; see errors.", fieldErrors(errs).sorted()...)
	}
	return req, nil
}

// coveredBy is true when a decoding error already reports field (or the
// object it is in): a mistyped summary is not also "required".
func coveredBy(field string, decodeErrs []fieldError) bool {
	for _, d := range decodeErrs {
		if d.Code == "unknown" || d.Code == "duplicate" {
			continue
		}
		if d.Field == field || strings.HasPrefix(field, d.Field+".") {
			return true
		}
	}
	return false
}

// decodeRequest decodes a body into a request and the field-level errors
// met on the way; the problem is set only when the body cannot be decoded
// at all (not JSON, not an object, not form encoding, not UTF-8).
func decodeRequest(media string, body []byte) (*complaintRequest, []fieldError, *problem) {
	if len(body) == 0 {
		return nil, nil, badRequest("The request body is empty.")
	}
	switch media {
	case mediaJSON:
		return decodeJSON(body)
	case mediaForm:
		return decodeForm(body)
	default:
		return nil, nil, unsupportedMediaType()
	}
}

func decodeJSON(body []byte) (*complaintRequest, []fieldError, *problem) {
	if !utf8.Valid(body) {
		return nil, nil, badRequest("The body must be UTF-8.")
	}
	var doc any
	dups, err := sigjson.UnmarshalStrict(body, &doc, sigjson.DisallowDuplicateFields)
	if err != nil {
		return nil, nil, badRequest("The body is not valid JSON.")
	}
	obj, ok := doc.(map[string]any)
	if !ok {
		return nil, nil, badRequest("The body must be a JSON object.")
	}
	r := &complaintRequest{}
	var errs fieldErrors
	for _, d := range dups {
		if fe, ok := d.(sigjson.FieldError); ok {
			errs.add(strings.TrimPrefix(fe.FieldPath(), "."), "duplicate", "appears more than once")
		}
	}
	walkJSON(r, "", obj, &errs)
	return r, errs, nil
}

func walkJSON(r *complaintRequest, prefix string, obj map[string]any, errs *fieldErrors) {
	for _, k := range sortedKeys(obj) {
		name := prefix + k
		v := obj[k]
		if prefix == "" {
			if alloc, ok := objectFields[k]; ok {
				switch child := v.(type) {
				case nil:
				case map[string]any:
					alloc(r)
					walkJSON(r, name+".", child, errs)
				default:
					errs.add(name, "type", "must be an object")
				}
				continue
			}
		}
		spec, ok := fieldSpecs[name]
		if !ok || spec.formOnly || strings.Contains(k, ".") {
			errs.add(name, "unknown", "is not a known field")
			continue
		}
		if v == nil {
			continue // null is the same as absent
		}
		switch spec.kind {
		case kindString:
			s, ok := v.(string)
			if !ok {
				errs.add(name, "type", "must be a string")
				continue
			}
			spec.setStr(r, s)
		case kindBool:
			b, ok := v.(bool)
			if !ok {
				errs.add(name, "type", "must be true or false")
				continue
			}
			spec.setBool(r, b)
		case kindList:
			items, ok := v.([]any)
			if !ok {
				errs.add(name, "type", "must be an array of strings")
				continue
			}
			list := make([]string, 0, len(items))
			for i, item := range items {
				if s, ok := item.(string); ok {
					list = append(list, s)
				} else {
					errs.add(name+"."+strconv.Itoa(i), "type", "must be a string")
				}
			}
			if len(list) == len(items) {
				spec.setList(r, list)
			}
		}
	}
}

func decodeForm(body []byte) (*complaintRequest, []fieldError, *problem) {
	if !utf8.Valid(body) {
		return nil, nil, badRequest("The body must be UTF-8.")
	}
	values, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, nil, badRequest("The body is not valid form encoding.")
	}
	r := &complaintRequest{}
	var errs fieldErrors
	for _, k := range sortedKeys(values) {
		vs := values[k]
		spec, ok := fieldSpecs[k]
		if !ok {
			errs.add(k, "unknown", "is not a known field")
			continue
		}
		for _, v := range vs {
			if !utf8.ValidString(v) {
				errs.add(k, "encoding", "must be UTF-8 text")
				vs = nil
				break
			}
		}
		if vs == nil {
			continue
		}
		switch spec.kind {
		case kindString:
			if len(vs) > 1 {
				errs.add(k, "duplicate", "appears more than once")
				continue
			}
			if vs[0] != "" || spec.formOnly {
				spec.setStr(r, vs[0])
			}
		case kindBool:
			if len(vs) > 1 {
				errs.add(k, "duplicate", "appears more than once")
				continue
			}
			switch strings.ToLower(strings.TrimSpace(vs[0])) {
			case "true", "on", "yes", "1":
				spec.setBool(r, true)
			case "false", "off", "no", "0", "":
				if strings.HasPrefix(k, "representative.") {
					// an unticked consent box alone does not make a representative
					if r.Representative != nil {
						spec.setBool(r, false)
					}
				} else {
					spec.setBool(r, false)
				}
			default:
				errs.add(k, "type", "must be true or false")
			}
		case kindList:
			// Repeated fields, and one item per line (a textarea), both work.
			var list []string
			for _, v := range vs {
				for _, line := range strings.Split(v, "\n") {
					if line = strings.TrimSpace(line); line != "" {
						list = append(list, line)
					}
				}
			}
			if len(list) > 0 {
				spec.setList(r, list)
			}
		}
	}
	return r, errs, nil
}

// fieldErrors collects failing fields.
type fieldErrors []fieldError

// maxFieldErrors bounds a problem's error list (a body of 10,000 unknown
// fields gets the first 100 listed, not a megabyte of answer).
const maxFieldErrors = 100

func (e *fieldErrors) add(field, code, detail string) {
	if len(field) > 128 {
		field = strings.ToValidUTF8(field[:128], "") + "..."
	}
	*e = append(*e, fieldError{Pointer: pointer(field), Field: field, Code: code, Detail: detail})
}

func (e fieldErrors) sorted() []fieldError {
	out := append([]fieldError(nil), e...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Field < out[j].Field })
	if len(out) > maxFieldErrors {
		out = out[:maxFieldErrors]
	}
	return out
}

// pointer turns a dotted field name into a JSON Pointer URI fragment.
func pointer(field string) string {
	if field == "" {
		return "#"
	}
	parts := strings.Split(field, ".")
	for i, p := range parts {
		p = strings.ReplaceAll(p, "~", "~0")
		parts[i] = url.PathEscape(strings.ReplaceAll(p, "/", "~1"))
	}
	return "#/" + strings.Join(parts, "/")
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

package intake

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed assets/form.css
var stylesheet []byte

var stylesheetETag = func() string {
	sum := sha256.Sum256(stylesheet)
	return `"` + hex.EncodeToString(sum[:8]) + `"`
}()

// pages are the HTML pages, each the layout plus its content.
var pages = func() map[string]*template.Template {
	base := template.Must(template.New("layout").Funcs(template.FuncMap{"field": newFieldView}).
		ParseFS(templateFS, "templates/layout.html"))
	out := map[string]*template.Template{}
	for _, name := range []string{"form", "accepted", "track", "error"} {
		out[name] = template.Must(template.Must(base.Clone()).ParseFS(templateFS, "templates/"+name+".html"))
	}
	return out
}()

// contentSecurityPolicy allows the pages nothing but their own stylesheet
// and posting the form to this server: no scripts at all.
const contentSecurityPolicy = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// page is what the templates see.
type page struct {
	Lang, HTMLLang string
	T              map[string]string
	// Base is the relative path from the page up to /intake/v1/, so the pages
	// work under any path prefix an ingress adds.
	Base           string
	Title          string
	LanguageSwitch bool

	// form
	Values         map[string]string
	FieldErrors    map[string]string
	Errors         []pageError
	IdempotencyKey string
	// accepted
	TrackingToken string
	// track
	Track     *trackStatus
	PhaseText string
	NextDue   string
	// error
	Message string
	FormURL string
}

type pageError struct{ ID, Label, Message string }

// fieldView is one form control for the "input" and "checkbox" templates.
type fieldView struct {
	ID, Name, Label, Type, Hint, Autocomplete, Value, Error string
	RequiredText, OptionalText, DescribedBy                 string
	Required, Checked                                       bool
	Rows, MaxLength                                         int
}

func fieldID(name string) string { return strings.ReplaceAll(name, ".", "-") }

// fieldLabels maps form fields to their label's message key.
var fieldLabels = map[string]string{
	"complainant.name": "name", "complainant.email": "email", "complainant.phone": "phone",
	"summary": "summary", "description": "description", "incidentDate": "incidentDate",
	"desiredOutcome": "desiredOutcome", "peopleInvolved": "peopleInvolved",
	"representative.relationship": "relationship", "representative.consentRecorded": "consent",
	"confidential": "confidential", fieldHoneypot: "honeypot",
}

var maxLengths = map[string]int{
	"complainant.name": 256, "complainant.email": 254, "complainant.phone": 32, "summary": 256,
	"description": 16384, "desiredOutcome": 2048, "representative.relationship": 64,
}

func newFieldView(p *page, name, labelKey, typ string, required bool, hintKey, autocomplete string) fieldView {
	f := fieldView{
		ID: fieldID(name), Name: name, Label: p.T[labelKey], Type: typ, Required: required,
		Autocomplete: autocomplete, Value: p.Values[name], Error: p.FieldErrors[name],
		RequiredText: p.T["required"], OptionalText: p.T["optional"], MaxLength: maxLengths[name], Rows: 3,
	}
	if name == "description" {
		f.Rows = 8
	}
	if hintKey != "" {
		f.Hint = p.T[hintKey]
	}
	var described []string
	if f.Hint != "" {
		described = append(described, f.ID+"-hint")
	}
	if f.Error != "" {
		described = append(described, f.ID+"-error")
	}
	f.DescribedBy = strings.Join(described, " ")
	f.Checked = p.Values[name] == "true"
	return f
}

func newPage(r *http.Request, lang, base, titleKey string) *page {
	return &page{Lang: lang, HTMLLang: htmlLang(lang), T: messages[lang], Base: base, Title: messages[lang][titleKey]}
}

// render writes an HTML page.
func render(w http.ResponseWriter, status int, name string, p *page) {
	var buf bytes.Buffer
	if err := pages[name].ExecuteTemplate(&buf, "layout", p); err != nil {
		writeProblem(w, internalError())
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Language", p.HTMLLang)
	h.Set("Content-Security-Policy", contentSecurityPolicy)
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// handleForm is GET /intake/v1/namespaces/{namespace}/form, the public form
// of a namespace listed in --intake-public-namespaces.
func (s *Server) handleForm(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		s.writeError(w, r, methodNotAllowed(http.MethodGet, http.MethodHead))
		return
	}
	ns := r.PathValue("namespace")
	if len(validation.IsDNS1123Label(ns)) > 0 || !s.cfg.public[ns] {
		s.writeError(w, r, notFound("There is no public complaint form here."))
		return
	}
	p := newPage(r, pickLanguage(r, ""), "../../", "formTitle")
	p.LanguageSwitch = true
	p.Values = map[string]string{}
	p.IdempotencyKey = randomTrackingToken()
	render(w, http.StatusOK, "form", p)
}

func (s *Server) handleStylesheet(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		s.writeError(w, r, methodNotAllowed(http.MethodGet, http.MethodHead))
		return
	}
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	w.Header().Set("ETag", stylesheetETag)
	if r.Header.Get("If-None-Match") == stylesheetETag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	_, _ = w.Write(stylesheet)
}

// renderAccepted is the page after a successful form post: the tracking
// code and a link to the tracking page.
func (s *Server) renderAccepted(w http.ResponseWriter, r *http.Request, req *complaintRequest, res *accepted) {
	p := newPage(r, pickLanguage(r, req.Language), "../../", "acceptedTitle")
	p.TrackingToken = res.TrackingToken
	render(w, http.StatusAccepted, "accepted", p)
}

// writeError answers a problem: an HTML page for browsers, problem+json
// for everyone else.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, p *problem) {
	if !htmlClient(r) {
		writeProblem(w, p)
		return
	}
	lang := pickLanguage(r, "")
	base := "../../"
	if strings.HasPrefix(r.URL.Path, "/intake/v1/track/") {
		base = "../"
	}
	pg := newPage(r, lang, base, "errorTitle")
	pg.Message = pg.T["error.other"]
	if m, ok := pg.T["error."+strconv.Itoa(p.Status)]; ok {
		pg.Message = m
	}
	if ns := r.PathValue("namespace"); ns != "" && s.cfg.public[ns] && r.Method == http.MethodPost {
		pg.FormURL = "form?lang=" + lang
	}
	for k, vs := range p.header {
		w.Header()[k] = vs
	}
	if p.retryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(retryAfterSeconds(p.retryAfter)))
	}
	render(w, p.Status, "error", pg)
}

// writeFormError answers a 400 on a browser's form post by showing the form
// again with the submitted values and every error next to its field, and an
// error summary linking to them. Everything else goes to writeError.
func (s *Server) writeFormError(w http.ResponseWriter, r *http.Request, ns string, req *complaintRequest, p *problem) {
	if !htmlClient(r) || p.Status != http.StatusBadRequest || !strings.HasPrefix(r.Header.Get("Content-Type"), mediaForm) {
		s.writeError(w, r, p)
		return
	}
	fromForm := ""
	if req != nil {
		fromForm = req.Language
	}
	lang := pickLanguage(r, fromForm)
	pg := newPage(r, lang, "../../", "formTitle")
	pg.Values, pg.FieldErrors = map[string]string{}, map[string]string{}
	if req != nil {
		pg.Values = formValues(req)
		pg.IdempotencyKey = req.IdempotencyKey
	}
	if pg.IdempotencyKey == "" {
		pg.IdempotencyKey = randomTrackingToken()
	}
	for _, e := range p.Errors {
		field := e.Field
		if strings.HasPrefix(field, "peopleInvolved.") {
			field = "peopleInvolved"
		}
		msg, ok := pg.T["err."+e.Code]
		if !ok {
			msg = e.Detail
		}
		if _, dup := pg.FieldErrors[field]; dup {
			continue
		}
		pg.FieldErrors[field] = msg
		label := pg.T[fieldLabels[field]]
		if label == "" {
			label = field
		}
		pg.Errors = append(pg.Errors, pageError{ID: fieldID(field), Label: label, Message: msg})
	}
	if len(pg.Errors) == 0 {
		pg.Errors = append(pg.Errors, pageError{ID: "main", Label: pg.T["errorSummary"], Message: pg.T["error.other"]})
	}
	render(w, http.StatusBadRequest, "form", pg)
}

// formValues are a request's values for showing the form again.
func formValues(r *complaintRequest) map[string]string {
	v := map[string]string{
		"summary": r.Summary, "description": r.Description, "incidentDate": r.IncidentDate,
		"desiredOutcome": r.DesiredOutcome, "peopleInvolved": strings.Join(r.PeopleInvolved, "\n"),
	}
	if c := r.Complainant; c != nil {
		v["complainant.name"], v["complainant.email"], v["complainant.phone"] = c.Name, c.Email, c.Phone
	}
	if rep := r.Representative; rep != nil {
		v["representative.relationship"] = rep.Relationship
		v["representative.consentRecorded"] = strconv.FormatBool(rep.ConsentRecorded)
	}
	v["confidential"] = strconv.FormatBool(r.Confidential)
	return v
}

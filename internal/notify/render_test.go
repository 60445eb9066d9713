package notify

import (
	"strings"
	"testing"
)

func TestTemplateKey(t *testing.T) {
	for _, tc := range []struct{ event, lang, want string }{
		{EventReceived, "en", "received.en"},
		{EventExtended, "zh", "extended.zh"},
		{EventAwaitingComplainant, "zh", "awaitingComplainant.zh"},
		{EventResponded, "en", "responded.en"},
		{EventStageAdvanced, "en", "stageAdvanced.en"},
		{EventClosed, "zh", "closed.zh"},
		{EventFollowUp, "en", "followUp.en"},
		{"", "en", ".en"},
	} {
		if got := TemplateKey(tc.event, tc.lang); got != tc.want {
			t.Errorf("TemplateKey(%q, %q) = %q, want %q", tc.event, tc.lang, got, tc.want)
		}
	}
}

func TestRenderSplitsSubjectAndBody(t *testing.T) {
	templates := map[string]string{
		"received.en": "Subject: Complaint {{.Reference}} received\r\n\r\nDear {{.ComplainantName}},  \r\n\r\nWe received it on {{.ReceivedAt}}.\r\n\r\n\r\n",
	}
	l, err := Render(templates, EventReceived, "en", Fields{Reference: "MKACT-2026-000123", ComplainantName: "Jane", ReceivedAt: "Friday 20 November 2026"}, "<uid-1@redress.dev>")
	if err != nil {
		t.Fatal(err)
	}
	want := Letter{
		MessageID: "<uid-1@redress.dev>",
		Event:     EventReceived,
		Subject:   "Complaint MKACT-2026-000123 received",
		Body:      "Dear Jane,\n\nWe received it on Friday 20 November 2026.\n",
	}
	if l != want {
		t.Errorf("got %#v\nwant %#v", l, want)
	}
}

func TestRenderCollapsesBlankLinesLeftByConditionals(t *testing.T) {
	templates := map[string]string{"responded.en": `Subject: Our response

Dear {{with .ComplainantName}}{{.}}{{else}}Sir or Madam{{end}},

Decision: {{.Outcome}}.
{{if .Remedies}}
We will:{{range .Remedies}}
  - {{.}}{{end}}
{{end}}
{{if .EscalateBy}}
You can escalate by {{.EscalateBy}}.
{{end}}

Yours faithfully,
`}
	l, err := Render(templates, EventResponded, "en", Fields{Outcome: "Upheld", Remedies: []string{"Apology", "Training"}}, "<x@y>")
	if err != nil {
		t.Fatal(err)
	}
	want := "Dear Sir or Madam,\n\nDecision: Upheld.\n\nWe will:\n  - Apology\n  - Training\n\nYours faithfully,\n"
	if l.Body != want {
		t.Errorf("body:\n%s\nwant:\n%s", l.Body, want)
	}
}

func TestRenderSetsEventAndLanguage(t *testing.T) {
	templates := map[string]string{"closed.zh": "Subject: {{.Event}} {{.Language}}\n\n{{.Event}}/{{.Language}}/{{join .ExternalRoutes \"、\"}}"}
	l, err := Render(templates, EventClosed, "zh", Fields{Event: "Wrong", Language: "en", ExternalRoutes: []string{"教育局", "人民法院"}}, "<x@y>")
	if err != nil {
		t.Fatal(err)
	}
	if l.Subject != "Closed zh" || l.Body != "Closed/zh/教育局、人民法院\n" {
		t.Errorf("got %#v", l)
	}
}

func TestRenderErrorsNameTheKey(t *testing.T) {
	for name, tc := range map[string]struct {
		templates map[string]string
		want      string
	}{
		"missing key":        {map[string]string{"received.zh": "Subject: x\n\nx"}, `"received.en" not found`},
		"no templates":       {nil, `"received.en" not found`},
		"does not parse":     {map[string]string{"received.en": "Subject: {{.Reference}\n\nbody"}, `"received.en"`},
		"unknown field":      {map[string]string{"received.en": "Subject: x\n\n{{.Nope}}"}, "Nope"},
		"unknown function":   {map[string]string{"received.en": "Subject: x\n\n{{upper .Reference}}"}, "upper"},
		"no subject line":    {map[string]string{"received.en": "Dear Jane,\n\nbody"}, `"Subject: ..."`},
		"empty subject":      {map[string]string{"received.en": "Subject: {{.Owner}}\n\nbody"}, "subject is empty"},
		"no blank line":      {map[string]string{"received.en": "Subject: x\nDear Jane"}, "blank line"},
		"empty body":         {map[string]string{"received.en": "Subject: x\n\n{{.Owner}}\n"}, "body is empty"},
		"execution failure":  {map[string]string{"received.en": "Subject: x\n\n{{index .Remedies 3}}"}, "index out of range"},
		"range over nothing": {map[string]string{"received.en": "Subject: x\n\n{{range .Reference}}{{end}}"}, "range"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Render(tc.templates, EventReceived, "en", Fields{Reference: "R-1"}, "<x@y>")
			if err == nil {
				t.Fatal("want an error")
			}
			if !strings.Contains(err.Error(), `"received.en"`) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q should name the key and mention %s", err, tc.want)
			}
		})
	}
}

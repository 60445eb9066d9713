package notify

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"
)

// repoFile is a path from the repository root (tests run in the package directory).
func repoFile(parts ...string) string {
	return filepath.Join(append([]string{"..", ".."}, parts...)...)
}

func sampleLetters(t *testing.T) map[string]string {
	t.Helper()
	data, err := os.ReadFile(repoFile("config", "samples", "letters_configmap.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var cm corev1.ConfigMap
	if err := yaml.UnmarshalStrict(data, &cm); err != nil {
		t.Fatal(err)
	}
	if cm.APIVersion != "v1" || cm.Kind != "ConfigMap" || cm.Name != "letters" {
		t.Fatalf("want ConfigMap letters, got %s %s %s", cm.APIVersion, cm.Kind, cm.Name)
	}
	return cm.Data
}

// fullFields is a case with every field set, dated in each language as the
// controller formats them.
func fullFields(lang string) Fields {
	f := Fields{
		Reference: "MKACT-2026-000123", Stage: "formal", Phase: "Investigating", Owner: "Head of Service",
		ComplainantName: "Jane Example",
		ReceivedAt:      "Friday 20 November 2026", AcknowledgeBy: "Friday 27 November 2026",
		RespondBy: "Friday 4 December 2026", EscalateBy: "Friday 18 December 2026", FollowUpBy: "Thursday 14 January 2027",
		NewDueDate: "Friday 18 December 2026", ExtensionReason: "A key witness is on leave until 7 December.",
		Question: "Which day did you visit the front desk, and who else was there?",
		Outcome:  "PartlyUpheld", Summary: "The reply you received fell short of our standards.",
		Remedies:       []string{"A written apology", "Customer-care training for the team"},
		NextStage:      "appeal",
		ExternalRoutes: []string{"Charity Commission", "Local Government Ombudsman"},
	}
	if lang == "zh" {
		f.Owner, f.ComplainantName = "医疗纠纷处理办公室", "王芳"
		f.ReceivedAt, f.AcknowledgeBy = "2026年11月20日（星期五）", "2026年11月27日（星期五）"
		f.RespondBy, f.EscalateBy, f.FollowUpBy = "2026年12月4日（星期五）", "2026年12月18日（星期五）", "2027年1月14日（星期四）"
		f.NewDueDate, f.ExtensionReason = "2026年12月18日（星期五）", "关键证人休假至12月7日。"
		f.Question = "请问您是哪一天到前台办理业务的？当时还有谁在场？"
		f.Summary = "您收到的答复未达到我们的服务标准。"
		f.Remedies = []string{"书面道歉", "对相关员工进行服务培训"}
		f.ExternalRoutes = []string{"医疗纠纷人民调解委员会", "卫生健康行政部门"}
	}
	return f
}

// wantIn is what each event's letter must say, beyond the reference.
func wantIn(event string, f Fields) []string {
	switch event {
	case EventReceived:
		return []string{f.ReceivedAt, f.AcknowledgeBy, f.RespondBy, f.Owner}
	case EventExtended:
		return []string{f.NewDueDate, f.ExtensionReason}
	case EventAwaitingComplainant:
		return []string{f.Question}
	case EventResponded:
		return append([]string{f.Summary, f.EscalateBy}, f.Remedies...)
	case EventStageAdvanced:
		return []string{f.Owner, f.AcknowledgeBy, f.RespondBy}
	case EventClosed:
		return append([]string{f.FollowUpBy}, f.ExternalRoutes...)
	case EventFollowUp:
		return nil
	}
	panic(event)
}

var han = regexp.MustCompile(`\p{Han}`)

func TestSampleLettersCoverEveryEventAndLanguage(t *testing.T) {
	templates := sampleLetters(t)
	var want, got []string
	for _, e := range Events {
		for _, lang := range Languages {
			want = append(want, TemplateKey(e, lang))
		}
	}
	for k := range templates {
		got = append(got, k)
	}
	sort.Strings(want)
	sort.Strings(got)
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("keys\n%v\nwant\n%v", got, want)
	}
}

func TestSampleLettersRenderWithEveryField(t *testing.T) {
	templates := sampleLetters(t)
	for _, e := range Events {
		for _, lang := range Languages {
			key := TemplateKey(e, lang)
			t.Run(key, func(t *testing.T) {
				f := fullFields(lang)
				l, err := Render(templates, e, lang, f, "<uid-1@redress.dev>")
				if err != nil {
					t.Fatal(err)
				}
				if !strings.Contains(l.Subject, f.Reference) {
					t.Errorf("subject %q lacks the reference", l.Subject)
				}
				want := append([]string{f.Reference, f.ComplainantName}, wantIn(e, f)...)
				if lang == "en" {
					// English letters name the stages; Chinese ones do not
					// print the Latin identifiers.
					switch e {
					case EventReceived, EventStageAdvanced:
						want = append(want, `"`+f.Stage+`"`)
					case EventResponded:
						want = append(want, `"`+f.NextStage+`"`)
					}
				}
				for _, w := range want {
					if !strings.Contains(l.Body, w) {
						t.Errorf("body lacks %q:\n%s", w, l.Body)
					}
				}
				if lang == "zh" && (strings.Contains(l.Subject+l.Body, f.Stage) || strings.Contains(l.Body, f.NextStage)) {
					t.Errorf("Chinese letter prints a stage identifier:\n%s", l.Body)
				}
				checkLanguage(t, lang, l)
			})
		}
	}
}

// checkLanguage makes sure a letter is written in its language throughout.
func checkLanguage(t *testing.T, lang string, l Letter) {
	t.Helper()
	text := l.Subject + "\n" + l.Body
	for _, bad := range []string{"<no value>", "{{", "}}", "%!"} {
		if strings.Contains(text, bad) {
			t.Errorf("letter contains %q:\n%s", bad, text)
		}
	}
	switch lang {
	case "zh":
		if !han.MatchString(l.Subject) || !strings.Contains(l.Body, "此致") {
			t.Errorf("not a Chinese letter:\n%s", text)
		}
		for _, en := range []string{"Dear", "Yours", "complaint", "Upheld", "PartlyUpheld"} {
			if strings.Contains(text, en) {
				t.Errorf("Chinese letter contains %q:\n%s", en, text)
			}
		}
	case "en":
		if han.MatchString(text) {
			t.Errorf("English letter contains Chinese:\n%s", text)
		}
		if !strings.Contains(l.Body, "Dear ") || !strings.Contains(l.Body, "Yours ") {
			t.Errorf("not an English letter:\n%s", text)
		}
	}
}

func TestSampleLettersRenderWithOnlyTheEssentials(t *testing.T) {
	// Only what the controller always sets (and what the event itself
	// needs): no name, no optional dates, no remedies, no next stage. Every
	// letter still reads properly, with no gaps where a value would go.
	templates := sampleLetters(t)
	for _, e := range Events {
		for _, lang := range Languages {
			t.Run(TemplateKey(e, lang), func(t *testing.T) {
				full := fullFields(lang)
				f := Fields{Reference: "SCH-2026-000007", Stage: "handling", Phase: "Received", Owner: full.Owner, ReceivedAt: full.ReceivedAt}
				switch e {
				case EventExtended:
					f.NewDueDate = full.NewDueDate
				case EventAwaitingComplainant:
					f.Question = full.Question
				case EventResponded:
					f.Outcome = "NotUpheld"
				}
				l, err := Render(templates, e, lang, f, "<uid-2@redress.dev>")
				if err != nil {
					t.Fatal(err)
				}
				if !strings.Contains(l.Subject, f.Reference) || !strings.Contains(l.Body, f.Reference) {
					t.Errorf("letter lacks the reference:\n%s\n%s", l.Subject, l.Body)
				}
				greeting := map[string]string{"en": "Dear Sir or Madam,", "zh": "尊敬的投诉人："}[lang]
				if !strings.Contains(l.Body, greeting) {
					t.Errorf("body lacks %q:\n%s", greeting, l.Body)
				}
				if lang == "en" && !strings.Contains(l.Body, "Yours faithfully,") {
					t.Errorf("an unnamed letter ends Yours faithfully:\n%s", l.Body)
				}
				if strings.Contains(l.Body, "\n\n\n") {
					t.Errorf("body has a run of blank lines:\n%s", l.Body)
				}
				for _, gap := range []string{"  ", " ,", " .", "“”", "（）", "于前", "于提出"} {
					for _, line := range strings.Split(l.Body, "\n") {
						if strings.Contains(strings.TrimLeft(line, " "), gap) {
							t.Errorf("line %q has a gap (%q)", line, gap)
						}
					}
				}
				checkLanguage(t, lang, l)
			})
		}
	}
}

func TestSampleResponseLetters(t *testing.T) {
	templates := sampleLetters(t)
	outcomes := map[string]map[string]string{
		"Upheld":       {"en": "we have upheld your complaint", "zh": "投诉成立"},
		"PartlyUpheld": {"en": "we have partly upheld your complaint", "zh": "投诉部分成立"},
		"NotUpheld":    {"en": "we have not upheld your complaint", "zh": "投诉不成立"},
	}
	for outcome, want := range outcomes {
		for _, lang := range Languages {
			f := fullFields(lang)
			f.Outcome = outcome
			l, err := Render(templates, EventResponded, lang, f, "<x@y>")
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(l.Body, want[lang]) {
				t.Errorf("%s %s: body lacks %q:\n%s", outcome, lang, want[lang], l.Body)
			}
		}
	}
	// At the final stage there is no escalation: the letter says so.
	final := map[string]string{"en": "This is our final response", "zh": "最终答复"}
	escalate := map[string]string{"en": "reviewed at the next stage", "zh": "转入下一阶段"}
	for _, lang := range Languages {
		f := fullFields(lang)
		f.EscalateBy, f.NextStage = "", ""
		l, err := Render(templates, EventResponded, lang, f, "<x@y>")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(l.Body, final[lang]) || strings.Contains(l.Body, escalate[lang]) {
			t.Errorf("%s final response:\n%s", lang, l.Body)
		}
		f = fullFields(lang)
		l, err = Render(templates, EventResponded, lang, f, "<x@y>")
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(l.Body, final[lang]) || !strings.Contains(l.Body, escalate[lang]) {
			t.Errorf("%s response with escalation:\n%s", lang, l.Body)
		}
	}
}

// The sample letters in docs/notifications.md are what the templates render.
func TestDocsShowTheRenderedSampleLetters(t *testing.T) {
	doc, err := os.ReadFile(repoFile("docs", "notifications.md"))
	if err != nil {
		t.Fatal(err)
	}
	templates := sampleLetters(t)
	for _, lang := range Languages {
		l, err := Render(templates, EventResponded, lang, fullFields(lang), "<uid-1@redress.dev>")
		if err != nil {
			t.Fatal(err)
		}
		want := "Subject: " + l.Subject + "\n\n" + l.Body
		if !strings.Contains(string(doc), want) {
			t.Errorf("docs/notifications.md should show the rendered responded.%s letter:\n\n%s", lang, want)
		}
	}
}

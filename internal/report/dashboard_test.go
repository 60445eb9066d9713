package report

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/redress-operator/redress/internal/testenv"
)

// The Grafana dashboard shipped in the chart shows the same ground as this
// report, live, from the manager's metrics; this test keeps it in step with
// the metric names the manager exports.

// dashboardMetrics are the metrics the dashboard may query, with the labels
// each has.
var dashboardMetrics = map[string][]string{
	"redress_open_cases":                         {"namespace", "policy", "stage", "phase"},
	"redress_deadlines_total":                    {"namespace", "policy", "stage", "deadline", "result"},
	"redress_time_to_acknowledge_seconds_bucket": {"namespace", "policy", "stage", "le"},
	"redress_time_to_respond_seconds_bucket":     {"namespace", "policy", "stage", "le"},
	"redress_rejected_actions_total":             {"namespace", "policy", "reason"},
	"redress_intake_requests_total":              {"code"},
}

type dashboardPanel struct {
	ID         int    `json:"id"`
	Type       string `json:"type"`
	Title      string `json:"title"`
	Datasource *struct {
		UID string `json:"uid"`
	} `json:"datasource"`
	GridPos struct{ X, Y, W, H int } `json:"gridPos"`
	Targets []struct {
		Expr       string `json:"expr"`
		RefID      string `json:"refId"`
		Datasource struct {
			UID string `json:"uid"`
		} `json:"datasource"`
	} `json:"targets"`
}

func TestGrafanaDashboard(t *testing.T) {
	path := filepath.Join(testenv.RepoRoot(), "charts", "redress", "dashboards", "redress.json")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var d struct {
		UID        string           `json:"uid"`
		Title      string           `json:"title"`
		Panels     []dashboardPanel `json:"panels"`
		Templating struct {
			List []struct {
				Name, Type string
			} `json:"list"`
		} `json:"templating"`
	}
	if err := json.Unmarshal(data, &d); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if d.UID == "" || d.Title == "" {
		t.Errorf("uid %q, title %q", d.UID, d.Title)
	}
	var vars []string
	for _, v := range d.Templating.List {
		vars = append(vars, v.Name)
	}
	if !slices.Equal(vars, []string{"datasource", "namespace", "policy", "window"}) {
		t.Errorf("variables %v", vars)
	}

	metricName := regexp.MustCompile(`\bredress_[a-z_]+`)
	labelMatcher := regexp.MustCompile(`([a-z_]+)\s*(=~|!~|!=|=)\s*"`)
	used := map[string]bool{}
	ids := map[int]bool{}
	occupied := map[[2]int]string{}
	for _, p := range d.Panels {
		if ids[p.ID] {
			t.Errorf("panel id %d used twice", p.ID)
		}
		ids[p.ID] = true
		for x := p.GridPos.X; x < p.GridPos.X+p.GridPos.W; x++ {
			for y := p.GridPos.Y; y < p.GridPos.Y+p.GridPos.H; y++ {
				if other, ok := occupied[[2]int{x, y}]; ok {
					t.Fatalf("panels %q and %q overlap at %d,%d", other, p.Title, x, y)
				}
				occupied[[2]int{x, y}] = p.Title
			}
		}
		if p.GridPos.X+p.GridPos.W > 24 {
			t.Errorf("panel %q is wider than the grid", p.Title)
		}
		if p.Type == "row" {
			continue
		}
		if p.Datasource == nil || p.Datasource.UID != "${datasource}" || len(p.Targets) == 0 {
			t.Errorf("panel %q: datasource %+v, %d targets; want ${datasource} and a query", p.Title, p.Datasource, len(p.Targets))
		}
		for _, tg := range p.Targets {
			if tg.Datasource.UID != "${datasource}" || tg.RefID == "" {
				t.Errorf("panel %q: target %+v", p.Title, tg)
			}
			if strings.Count(tg.Expr, "(") != strings.Count(tg.Expr, ")") || strings.Count(tg.Expr, "{") != strings.Count(tg.Expr, "}") {
				t.Errorf("panel %q: unbalanced query %s", p.Title, tg.Expr)
			}
			metrics := metricName.FindAllString(tg.Expr, -1)
			if len(metrics) == 0 {
				t.Errorf("panel %q: query names no Redress metric: %s", p.Title, tg.Expr)
			}
			for _, m := range metrics {
				labels, ok := dashboardMetrics[m]
				if !ok {
					t.Errorf("panel %q: unknown metric %s", p.Title, m)
					continue
				}
				used[m] = true
				for _, lm := range labelMatcher.FindAllStringSubmatch(tg.Expr, -1) {
					if !slices.Contains(labels, lm[1]) && lm[1] != "__name__" {
						t.Errorf("panel %q: %s has no label %s", p.Title, m, lm[1])
					}
				}
			}
		}
	}
	for m := range dashboardMetrics {
		if !used[m] {
			t.Errorf("no panel shows %s", m)
		}
	}
}

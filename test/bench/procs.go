package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// clockTicks is USER_HZ, the unit of utime/stime in /proc/<pid>/stat; 100 on
// every Linux architecture Go supports.
const clockTicks = 100

// proc is one process whose CPU time the benchmark reports.
type proc struct {
	name string
	pid  int
}

// cpuSeconds is the user+system CPU time of a process so far, or NaN when it
// cannot be read (the process exited).
func cpuSeconds(pid int) float64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return math.NaN()
	}
	// The command name (field 2) may hold spaces; fields after it are plain.
	s := string(data)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return math.NaN()
	}
	f := strings.Fields(s[i+1:])
	// f[0] is field 3 (state); utime and stime are fields 14 and 15.
	if len(f) < 13 {
		return math.NaN()
	}
	ut, _ := strconv.ParseFloat(f[11], 64)
	st, _ := strconv.ParseFloat(f[12], 64)
	return (ut + st) / clockTicks
}

// childProcs finds this process's children named etcd and kube-apiserver
// (envtest starts them). Only our own children are considered.
func childProcs() []proc {
	self := os.Getpid()
	var out []proc
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		data, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		s := string(data)
		open, close := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
		if open < 0 || close < open {
			continue
		}
		comm := s[open+1 : close]
		f := strings.Fields(s[close+1:])
		if len(f) < 2 {
			continue
		}
		if ppid, _ := strconv.Atoi(f[1]); ppid != self {
			continue
		}
		switch comm {
		case "etcd", "kube-apiserver":
			out = append(out, proc{name: comm, pid: pid})
		}
	}
	return out
}

// cpuSnapshot is the CPU seconds of each tracked process at one instant.
type cpuSnapshot struct {
	at  time.Time
	cpu map[string]float64
}

func snapshot(procs []proc) cpuSnapshot {
	s := cpuSnapshot{at: time.Now(), cpu: map[string]float64{}}
	for _, p := range procs {
		s.cpu[p.name] = cpuSeconds(p.pid)
	}
	return s
}

// loadAverage is the first three fields of /proc/loadavg.
func loadAverage() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(data))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

// metrics is a parsed Prometheus text exposition: name -> samples.
type metrics map[string][]metricSample

type metricSample struct {
	labels map[string]string
	value  float64
}

// sum adds the samples of name whose labels satisfy keep (nil keeps all).
func (m metrics) sum(name string, keep func(map[string]string) bool) float64 {
	var total float64
	for _, s := range m[name] {
		if keep == nil || keep(s.labels) {
			total += s.value
		}
	}
	return total
}

// value is the single sample of an unlabelled metric, NaN when absent.
func (m metrics) value(name string) float64 {
	if s := m[name]; len(s) > 0 {
		return s[0].value
	}
	return math.NaN()
}

// parseMetrics reads the Prometheus text format (version 0.0.4): enough of
// it for counters and gauges; histogram and summary lines are kept by their
// full sample names.
func parseMetrics(r io.Reader) (metrics, error) {
	m := metrics{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		var name, rest string
		labels := map[string]string{}
		if i := strings.IndexAny(line, "{ "); i < 0 {
			continue
		} else if line[i] == '{' {
			name = line[:i]
			j, err := parseLabels(line[i+1:], labels)
			if err != nil {
				return nil, fmt.Errorf("metrics line %q: %w", line, err)
			}
			rest = line[i+1+j:]
		} else {
			name, rest = line[:i], line[i:]
		}
		f := strings.Fields(rest)
		if len(f) == 0 {
			continue
		}
		v, err := strconv.ParseFloat(f[0], 64)
		if err != nil {
			continue
		}
		m[name] = append(m[name], metricSample{labels: labels, value: v})
	}
	return m, sc.Err()
}

// parseLabels parses `k="v",...}` and returns the bytes consumed including
// the closing brace.
func parseLabels(s string, into map[string]string) (int, error) {
	i := 0
	for {
		for i < len(s) && (s[i] == ',' || s[i] == ' ') {
			i++
		}
		if i < len(s) && s[i] == '}' {
			return i + 1, nil
		}
		eq := strings.IndexByte(s[i:], '=')
		if eq < 0 || i+eq+1 >= len(s) || s[i+eq+1] != '"' {
			return 0, fmt.Errorf("bad label at %d", i)
		}
		key := s[i : i+eq]
		i += eq + 2
		var val strings.Builder
		for ; i < len(s) && s[i] != '"'; i++ {
			if s[i] == '\\' && i+1 < len(s) {
				i++
				switch s[i] {
				case 'n':
					val.WriteByte('\n')
				default:
					val.WriteByte(s[i])
				}
				continue
			}
			val.WriteByte(s[i])
		}
		if i >= len(s) {
			return 0, fmt.Errorf("unterminated label value")
		}
		i++ // closing quote
		into[key] = val.String()
	}
}

// scrape fetches and parses a metrics endpoint, returning how long it took.
func scrape(ctx context.Context, hc *http.Client, url string) (metrics, time.Duration, error) {
	start := time.Now()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, 0, err
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, 0, fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	m, err := parseMetrics(resp.Body)
	return m, time.Since(start), err
}

// isWrite is true for the client-go/apiserver verbs that change state.
func isWrite(method string) bool {
	switch strings.ToUpper(method) {
	case "POST", "PUT", "PATCH", "DELETE", "APPLY", "CREATE", "UPDATE", "DELETECOLLECTION":
		return true
	}
	return false
}

// managerWrites is rest_client_requests_total summed over write methods: every
// request the manager's client-go clients sent that changes state.
func managerWrites(m metrics) float64 {
	return m.sum("rest_client_requests_total", func(l map[string]string) bool { return isWrite(l["method"]) })
}

// apiserverWrites is apiserver_request_total for write verbs on the resources
// the manager writes (the API server's own lease renewals are left out).
func apiserverWrites(m metrics) float64 {
	return m.sum("apiserver_request_total", func(l map[string]string) bool {
		if !isWrite(l["verb"]) {
			return false
		}
		switch l["resource"] {
		case "complaints", "policies", "events", "secrets":
			return true
		}
		return false
	})
}

// gcLine matches the heap figures of a GODEBUG=gctrace=1 line:
// "... 12->13->7 MB, 14 MB goal, ..." (start -> end -> marked live heap).
var gcLine = regexp.MustCompile(`^gc (\d+) @([0-9.]+)s .* (\d+)->(\d+)->(\d+) MB, (\d+) MB goal`)

// gcCycle is one garbage collection as the runtime traced it.
type gcCycle struct {
	n          int
	liveMB     float64 // heap marked live by this cycle
	goalMB     float64
	sinceStart float64
}

// gcCycles reads gctrace lines from the manager's log between two offsets.
func gcCycles(path string, from, to int64) []gcCycle {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	if _, err := f.Seek(from, io.SeekStart); err != nil {
		return nil
	}
	var out []gcCycle
	sc := bufio.NewScanner(io.LimitReader(f, to-from))
	sc.Buffer(make([]byte, 1<<20), 1<<22)
	for sc.Scan() {
		m := gcLine.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		n, _ := strconv.Atoi(m[1])
		at, _ := strconv.ParseFloat(m[2], 64)
		live, _ := strconv.ParseFloat(m[5], 64)
		goal, _ := strconv.ParseFloat(m[6], 64)
		out = append(out, gcCycle{n: n, liveMB: live, goalMB: goal, sinceStart: at})
	}
	return out
}

// fileSize is the current length of a file (the manager's log), 0 if absent.
func fileSize(path string) int64 {
	st, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return st.Size()
}

// residentBytes is a process's resident set size (VmRSS), NaN if unknown.
func residentBytes(pid int) float64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return math.NaN()
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			f := strings.Fields(rest)
			if len(f) >= 1 {
				kb, _ := strconv.ParseFloat(f[0], 64)
				return kb * 1024
			}
		}
	}
	return math.NaN()
}

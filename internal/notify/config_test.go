package notify

import (
	"strings"
	"testing"
)

func secret(kv ...string) map[string][]byte {
	m := map[string][]byte{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = []byte(kv[i+1])
	}
	return m
}

func TestSMTPConfigFromSecret(t *testing.T) {
	for name, tc := range map[string]struct {
		data map[string][]byte
		want SMTPConfig
	}{
		"everything": {
			data: secret("host", "smtp.example.org", "port", "2525", "username", "redress", "password", " pass word ",
				"from", "Complaints Team <complaints@example.org>", "tls", "STARTTLS"),
			want: SMTPConfig{Host: "smtp.example.org", Port: 2525, Username: "redress", Password: " pass word ",
				From: "Complaints Team <complaints@example.org>", TLS: TLSStartTLS},
		},
		"tls defaults to starttls on 587": {
			data: secret("host", "smtp.example.org", "from", "complaints@example.org"),
			want: SMTPConfig{Host: "smtp.example.org", Port: 587, From: "complaints@example.org", TLS: TLSStartTLS},
		},
		"implicit tls defaults to 465": {
			data: secret("host", "smtp.example.org", "from", "complaints@example.org", "tls", "tls"),
			want: SMTPConfig{Host: "smtp.example.org", Port: 465, From: "complaints@example.org", TLS: TLSImplicit},
		},
		"none defaults to 25": {
			data: secret("host", "mail-relay.mail.svc", "from", "complaints@example.org", "tls", "none"),
			want: SMTPConfig{Host: "mail-relay.mail.svc", Port: 25, From: "complaints@example.org", TLS: TLSNone},
		},
		"auth without tls on loopback": {
			data: secret("host", "127.0.0.1", "port", "1025", "from", "complaints@example.org", "tls", "none",
				"username", "u", "password", "p"),
			want: SMTPConfig{Host: "127.0.0.1", Port: 1025, From: "complaints@example.org", TLS: TLSNone, Username: "u", Password: "p"},
		},
	} {
		t.Run(name, func(t *testing.T) {
			got, err := SMTPConfigFromSecret(tc.data)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("got %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func TestSMTPConfigFromSecretErrorsNameTheKey(t *testing.T) {
	const password = "hunter2-very-secret"
	base := func(kv ...string) map[string][]byte {
		m := secret("host", "smtp.example.org", "from", "complaints@example.org", "tls", "starttls",
			"username", "redress", "password", password)
		for k, v := range secret(kv...) {
			if len(v) == 0 {
				delete(m, k)
			} else {
				m[k] = v
			}
		}
		return m
	}
	for name, tc := range map[string]struct {
		data map[string][]byte
		want []string
	}{
		"empty Secret":              {data: nil, want: []string{`"host"`, `"from"`}},
		"no host":                   {data: base("host", ""), want: []string{`"host" is required`}},
		"host with a scheme":        {data: base("host", "smtp://smtp.example.org"), want: []string{`"host"`}},
		"host with a port":          {data: base("host", "smtp.example.org:587"), want: []string{`"host"`}},
		"port not a number":         {data: base("port", "smtp"), want: []string{`"port"`}},
		"port out of range":         {data: base("port", "70000"), want: []string{`"port"`}},
		"unknown tls":               {data: base("tls", "ssl"), want: []string{`"tls"`, "none, starttls, tls"}},
		"no from":                   {data: base("from", ""), want: []string{`"from" is required`}},
		"bad from":                  {data: base("from", "complaints at example.org"), want: []string{`"from"`}},
		"username without password": {data: base("password", ""), want: []string{`"password" is required`}},
		"password without username": {data: base("username", ""), want: []string{`"username" is required`}},
		"password in the clear":     {data: base("tls", "none"), want: []string{`"tls"`, "unencrypted"}},
		"several at once":           {data: base("host", "", "port", "x", "from", ""), want: []string{`"host"`, `"port"`, `"from"`}},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := SMTPConfigFromSecret(tc.data)
			if err == nil {
				t.Fatal("want an error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %s", err, w)
				}
			}
			if strings.Contains(err.Error(), password) {
				t.Errorf("error %q contains the password", err)
			}
		})
	}
}

package iamcheck

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

func TestProxyForwardsAllowedRefusesDenied(t *testing.T) {
	var forwarded atomic.Int64
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		forwarded.Add(1)
		_, _ = w.Write(b) // echo: the body reaches the emulator unchanged
	}))
	defer upstream.Close()
	for _, audit := range []bool{false, true} {
		var seen []Denial
		p, err := New(Config{Upstream: upstream.URL, AuditOnly: audit, OnDenial: func(d Denial) { seen = append(seen, d) }})
		if err != nil {
			t.Fatal(err)
		}
		p.Grant("ASIAKEY", Principal{Name: "deliver", ARN: "arn:aws:sts::123456789012:assumed-role/r/deliver",
			Statements: statements(t, `{"Statement":[{"Effect":"Allow","Action":"dynamodb:GetItem","Resource":"`+table+`W"}]}`)})
		proxy := httptest.NewServer(p)
		send := func(key, op, tbl string) (*http.Response, string) {
			body := `{"TableName":"` + tbl + `"}`
			r := signed("dynamodb", "DynamoDB_20120810."+op, body)
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "ASIAKEY", key, 1))
			r.URL, _ = r.URL.Parse(proxy.URL)
			r.RequestURI = ""
			resp, err := http.DefaultClient.Do(r)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			return resp, string(b)
		}
		forwarded.Store(0)
		if resp, b := send("ASIAKEY", "GetItem", "W"); resp.StatusCode != 200 || b != `{"TableName":"W"}` {
			t.Fatalf("allowed call: %d %s", resp.StatusCode, b)
		}
		resp, b := send("ASIAKEY", "UpdateItem", "W")
		if audit {
			if resp.StatusCode != 200 || forwarded.Load() != 2 {
				t.Fatalf("audit mode: denied call not forwarded: %d %s", resp.StatusCode, b)
			}
		} else {
			var e struct{ Type, Message string }
			_ = json.Unmarshal([]byte(b), &struct {
				Type    *string `json:"__type"`
				Message *string `json:"message"`
			}{&e.Type, &e.Message})
			if resp.StatusCode != 400 || e.Type != "AccessDeniedException" || forwarded.Load() != 1 ||
				!strings.Contains(e.Message, "dynamodb:UpdateItem on resource: "+table+"W") ||
				!strings.Contains(e.Message, "assumed-role/r/deliver") || resp.Header.Get("X-Amz-Crc32") == "" {
				t.Fatalf("denied call: %d %v %s", resp.StatusCode, resp.Header, b)
			}
		}
		if resp, _ := send("OTHERKEY", "DeleteTable", "W"); resp.StatusCode != 200 {
			t.Fatalf("a key not granted is not checked: %d", resp.StatusCode)
		}
		want := Denial{Principal: "deliver", Action: "dynamodb:UpdateItem", Resource: table + "W", Decision: ImplicitDeny}
		if d := p.Denials(); len(d) != 1 || d[0] != want || len(seen) != 1 || seen[0] != want {
			t.Fatalf("denials %v, seen %v; want [%v]", d, seen, want)
		}
		if c := p.Counts("deliver"); c["dynamodb:GetItem"] != 1 || c["dynamodb:UpdateItem"] != 1 || len(c) != 2 {
			t.Fatalf("counts %v", c)
		}
		proxy.Close()
	}
}

func TestProxyRefusesQueryProtocolWithXML(t *testing.T) {
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer upstream.Close()
	p, _ := New(Config{Upstream: upstream.URL})
	p.Grant("ASIAKEY", Principal{Name: "admin"})
	rec := httptest.NewRecorder()
	body := "Action=Publish&TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A123456789012%3At"
	p.ServeHTTP(rec, signed("sns", "", body))
	if rec.Code != http.StatusForbidden || !strings.Contains(rec.Body.String(), "<Code>AccessDenied</Code>") ||
		!strings.Contains(rec.Body.String(), "sns:Publish on resource: arn:aws:sns:us-east-1:123456789012:t") {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
}

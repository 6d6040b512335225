package config

import (
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// token reads a required value that must be one word.
func (r *reader) token(name string) string {
	v := r.required(name)
	if strings.ContainsAny(v, " \t/?#&=") {
		r.fail(name, "%q is not a plain identifier", v)
	}
	return v
}

// host reads a required host name such as acme.sendsafely.com.
func (r *reader) host(name string) string {
	v := r.required(name)
	if v == "" {
		return ""
	}
	u, err := url.Parse("https://" + v)
	if err != nil || u.Host != v || u.Hostname() == "" || strings.Contains(v, "@") {
		r.fail(name, "%q is not a host name; give the host only, such as acme.sendsafely.com", v)
	}
	return strings.ToLower(v)
}

// pageURL reads an absolute https URL (http only on a loopback host, for
// local runs).
func (r *reader) pageURL(name, def string) string {
	v := r.get(name)
	if v == "" {
		return def
	}
	u, err := url.Parse(v)
	if err != nil || u.Host == "" || u.Fragment != "" ||
		!(u.Scheme == "https" || u.Scheme == "http" && isLoopback(u.Hostname())) {
		r.fail(name, "%q is not an absolute https URL", v)
	}
	return v
}

// arn reads an optional ARN whose text holds each of parts.
func (r *reader) arn(name string, parts ...string) string {
	v := r.get(name)
	if v == "" {
		return ""
	}
	ok := strings.HasPrefix(v, "arn:") && !strings.ContainsAny(v, " \t")
	for _, p := range parts {
		ok = ok && strings.Contains(v, p)
	}
	if !ok {
		r.fail(name, "%q is not an ARN such as arn:aws:connect:us-east-1:123456789012:instance/<id>", v)
	}
	return v
}

// isLoopback reports whether host is a loopback IP address (127.0.0.0/8,
// ::1) or localhost; a name that merely starts with "127." is not.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func (r *reader) duration(name string, def time.Duration, zeroOK bool) time.Duration {
	v := r.get(name)
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		r.fail(name, "%q is not a Go duration such as 24h or 90m", v)
		return def
	}
	if d < 0 || d == 0 && !zeroOK {
		r.fail(name, "%q must be positive", v)
	}
	return d
}

func (r *reader) boolean(name string, def bool) bool {
	v := r.get(name)
	if v == "" {
		return def
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		r.fail(name, "%q is not true or false", v)
	}
	return b
}

// origins reads a comma-separated list of origins (scheme://host[:port]),
// or "*" for any.
func (r *reader) origins(name string, def []string) []string {
	v := r.get(name)
	if v == "" {
		return def
	}
	var out []string
	for o := range strings.SplitSeq(v, ",") {
		o = strings.TrimRight(strings.TrimSpace(o), "/")
		if o == "" {
			continue
		}
		if o != "*" {
			u, err := url.Parse(o)
			if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.Path != "" || u.RawQuery != "" {
				r.fail(name, "%q is not an origin such as https://example.com", o)
				return nil
			}
			o = strings.ToLower(o)
		}
		out = append(out, o)
	}
	if len(out) == 0 {
		r.fail(name, "lists no origin")
	}
	return out
}

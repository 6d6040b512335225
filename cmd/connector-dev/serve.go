package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/sendsafely/chatbot-connector/internal/bolt"
	"github.com/sendsafely/chatbot-connector/internal/wiring"
)

// serveOptions are what a dev server is started with.
type serveOptions struct {
	backend  string
	data     string
	port     int // the connector's; 0 picks a free one
	pagePort int // the upload page's; 0 picks a free one
}

// devServer is the connector and the upload page stand-in, each on its own
// listener on 127.0.0.1: two origins, as in production.
type devServer struct {
	// connectorURL and pageURL are the origins, without a trailing slash.
	connectorURL, pageURL string
	backend               *backend
	servers               []*http.Server
	done                  chan error
}

// startServer opens the backend and starts both listeners. Events go to
// e.stdout, request logs to e.stderr.
func startServer(ctx context.Context, o serveOptions, e env) (*devServer, error) {
	connL, err := listen(o.port, "-port", envPort)
	if err != nil {
		return nil, err
	}
	pageL, err := listen(o.pagePort, "-page-port", envPagePort)
	if err != nil {
		connL.Close()
		return nil, err
	}
	d := &devServer{connectorURL: "http://" + connL.Addr().String(), pageURL: "http://" + pageL.Addr().String(), done: make(chan error, 2)}
	d.backend, err = openBackend(ctx, o.backend, o.data, d.pageURL, e.getenv, e.stdout)
	if err != nil {
		connL.Close()
		pageL.Close()
		return nil, err
	}
	h, err := wiring.Handler(d.backend.cfg, d.backend.parts, wiring.Platform{Logs: e.stderr})
	if err != nil {
		connL.Close()
		pageL.Close()
		_ = d.backend.close()
		return nil, err
	}
	page := &standIn{webhookURL: d.connectorURL + "/webhook", key: d.backend.validationKey, now: time.Now,
		log: slog.New(slog.NewJSONHandler(e.stderr, nil))}
	errLog := slog.NewLogLogger(slog.NewJSONHandler(e.stderr, nil), slog.LevelWarn)
	for _, s := range []struct {
		l net.Listener
		h http.Handler
	}{{connL, h.HTTP}, {pageL, page.handler()}} {
		srv := &http.Server{Handler: s.h, ReadHeaderTimeout: 10 * time.Second, ErrorLog: errLog}
		d.servers = append(d.servers, srv)
		go func() { d.done <- srv.Serve(s.l) }()
	}
	return d, nil
}

// listen listens on 127.0.0.1:port. If the port is taken, its error says
// which flag and variable choose another.
func listen(port int, flagName, envName string) (net.Listener, error) {
	l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if errors.Is(err, syscall.EADDRINUSE) {
		return nil, fmt.Errorf("listen: port %d is in use (another connector-dev, or another program): choose another with %s or %s: %w",
			port, flagName, envName, err)
	}
	if err != nil {
		return nil, fmt.Errorf("listen: %w", err)
	}
	return l, nil
}

// Close stops both servers, letting requests in flight finish for up to
// five seconds, and closes the backend.
func (d *devServer) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var errs []error
	for _, s := range d.servers {
		errs = append(errs, s.Shutdown(ctx))
	}
	errs = append(errs, d.backend.close())
	return errors.Join(errs...)
}

// serveCommand is `connector-dev [serve]`: start, tell the user where
// everything is, and run until interrupted.
func serveCommand(ctx context.Context, args []string, e env) error {
	fs := newFlagSet("serve", e)
	var bf backendFlags
	bf.register(fs, e)
	// A malformed port variable is reported after the flags are parsed, so
	// -h still shows the help.
	port, portErr := portDefault(e, envPort, 8080)
	pagePort, pagePortErr := portDefault(e, envPagePort, 8081)
	o := serveOptions{}
	fs.IntVar(&o.port, "port", port, "the connector's port on 127.0.0.1 [$"+envPort+"]")
	fs.IntVar(&o.pagePort, "page-port", pagePort, "the upload page stand-in's port on 127.0.0.1, a second origin [$"+envPagePort+"]")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if portErr != nil || pagePortErr != nil {
		return errors.New(strings.Join(nonNil(portErr, pagePortErr), "; "))
	}
	if fs.NArg() > 0 {
		return usageErrorf("serve takes no arguments, got %q", fs.Args())
	}
	o.backend, o.data = bf.backend, bf.data
	d, err := startServer(ctx, o, e)
	if err != nil {
		return err
	}
	d.banner(e.stderr)
	select {
	case <-ctx.Done():
	case err := <-d.done:
		_ = d.Close()
		return fmt.Errorf("server stopped: %w", err)
	}
	fmt.Fprintln(e.stderr, "connector-dev: stopping")
	return d.Close()
}

// banner prints where everything is. On the embedded backend it prints the
// local validation key: a key for local runs only, and what a tester needs
// to sign notifications of their own.
func (d *devServer) banner(w io.Writer) {
	b := d.backend
	p := func(format string, args ...any) { fmt.Fprintf(w, format+"\n", args...) }
	p("connector-dev: the chatbot connector, %s backend", b.kind)
	p("  connector API    %s/    (POST {\"action\":\"generateId\"} or {\"action\":\"getLink\",…})", d.connectorURL)
	p("  webhook          %s/webhook", d.connectorURL)
	p("  upload page      %s%s    (local stand-in for the Dropzone page; a second origin)", d.pageURL, pagePath)
	p("  SendSafely host  %s    Dropzone id  %s", b.cfg.Service.SendSafelyHost, b.cfg.Service.DropzoneID)
	p("  allowed origins  %v", b.cfg.AllowedOrigins)
	if b.kind == backendEmbedded {
		p("  validation key   %s    (a local development key, kept in %s)", string(b.key), b.keyFile)
		if b.tokenSet {
			p("  API token        required ($%s)", envAPIToken)
		} else {
			p("  API token        none (set $%s to require one)", envAPIToken)
		}
		p("  uploads          kept in %s; events printed to stdout as JSON lines", filepath.Join(b.dataDir, bolt.FileName))
	} else {
		p("  table %s, topic %s; keys from the secret", b.cfg.TableName, b.cfg.TopicARN)
	}
	p("Request logs go to stderr. Try:")
	p(`  curl -s %s/ -d '{"action":"generateId","email":"customer@example.com"}'`, d.connectorURL)
	p("then open the UploadUrl it returns in a browser. Ctrl-C stops.")
}

// nonNil returns the messages of the errors that are not nil.
func nonNil(errs ...error) []string {
	var out []string
	for _, err := range errs {
		if err != nil {
			out = append(out, err.Error())
		}
	}
	return out
}

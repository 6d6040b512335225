package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/sendsafely/chatbot-connector/internal/wiring"
)

// serveOptions are what a dev server is started with.
type serveOptions struct {
	backend  string
	data     string
	port     int // the connector's; 0 picks a free one
	pagePort int // the upload page's; 0 picks a free one
	// verified turns verified mode on with the SendSafely stand-in
	// (embedded backend only), served on ssPort (0 picks a free one).
	verified bool
	ssPort   int
	// sweepEvery is how often the stand-in's packages are swept in
	// verified mode; 0 means never (a getLink still looks its upload up).
	sweepEvery time.Duration
	// now is the download links' clock; nil is time.Now.
	now func() time.Time
}

// devServer is the connector, the upload page stand-in and, in verified
// mode, the SendSafely stand-in, each on its own listener on 127.0.0.1:
// the connector and the page on two origins, as in production.
type devServer struct {
	// connectorURL and pageURL are the origins, without a trailing slash.
	connectorURL, pageURL string
	// sendSafelyURL is the SendSafely stand-in's, in verified mode.
	sendSafelyURL string
	backend       *backend
	servers       []*http.Server
	done          chan error
	errLog        *log.Logger
	// stop ends the sweeps and waits for them and for deliveries.
	stop func()
	// sweep is the handler's sweep, which the ticker calls.
	sweep func(context.Context) error
	// stopping is closed when Close begins, and ends every wait in the
	// handler (getLink's and collect_files'): each waiting client gets
	// its Pending at once instead of holding the stop for up to 25 s.
	stopping chan struct{}
	stopOnce sync.Once
}

// startServer opens the backend and starts the listeners: the connector,
// the upload page and, in verified mode, the SendSafely stand-in; then the
// sweeps, if o.sweepEvery is set. Events go to e.stdout, request logs to
// e.stderr.
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
	verified := o.verified && o.backend == backendEmbedded
	var ssL net.Listener
	if verified {
		if ssL, err = listen(o.ssPort, "-sendsafely-port", envSendSafelyPort); err != nil {
			connL.Close()
			pageL.Close()
			return nil, err
		}
	}
	d := &devServer{connectorURL: "http://" + connL.Addr().String(), pageURL: "http://" + pageL.Addr().String(), done: make(chan error, 3),
		errLog: slog.NewLogLogger(slog.NewJSONHandler(e.stderr, nil), slog.LevelWarn), stop: func() {}, stopping: make(chan struct{})}
	fail := func(err error) (*devServer, error) {
		for _, l := range []net.Listener{connL, pageL, ssL} {
			if l != nil {
				l.Close()
			}
		}
		_ = d.Close()
		return nil, err
	}
	d.backend, err = openBackend(ctx, o.backend, o.data, d.pageURL, e.getenv, e.stdout)
	if err != nil {
		return fail(err)
	}
	if err := d.backend.readSecret(ctx); err != nil {
		return fail(err)
	}
	if verified {
		local, err := startLocalSendSafely(ctx, ssL, d.backend.cfg.Service.SendSafelyHost, o.data, d.serve)
		if err != nil {
			return fail(err)
		}
		d.sendSafelyURL = local.url
		if err := d.backend.useLocalSendSafely(local); err != nil {
			return fail(err)
		}
	}
	// Callbacks, then retrieval (which chains onto the callbacks' hook and
	// gives the handler the directory store to read files from).
	if err := d.backend.deliverCallbacks(e.stderr); err != nil {
		return fail(err)
	}
	now := o.now
	if now == nil {
		now = time.Now
	}
	links, err := newFileLinks(d.connectorURL, now)
	if err != nil {
		return fail(err)
	}
	if err := d.backend.retrieveFiles(e.stderr, links.presign); err != nil {
		return fail(err)
	}
	if d.backend.files != nil {
		links.store = d.backend.files.store
	}
	if err := d.backend.forwardFiles(e.stderr); err != nil {
		return fail(err)
	}
	h, err := wiring.Handler(d.backend.cfg, d.backend.parts, wiring.Platform{Logs: e.stderr, Sleep: d.sleep})
	if err != nil {
		return fail(err)
	}
	page := &standIn{webhookURL: d.connectorURL + "/webhook", key: d.backend.validationKey, now: time.Now,
		log: slog.New(slog.NewJSONHandler(e.stderr, nil))}
	if d.backend.local != nil {
		page.sendSafely = d.backend.local.ss
	}
	d.sweep = h.Sweep
	conn := http.NewServeMux()
	conn.Handle("GET "+filesPath+"{token}", links)
	conn.Handle("/", h.HTTP)
	d.serve(connL, conn)
	d.serve(pageL, page.handler())
	if d.backend.local != nil && o.sweepEvery > 0 {
		t := time.NewTicker(o.sweepEvery)
		sctx, cancel := context.WithCancel(context.Background())
		stopped := make(chan struct{})
		go func() { sweepLoop(sctx, t.C, h.Sweep); close(stopped) }()
		d.stop = func() { t.Stop(); cancel(); <-stopped }
	}
	return d, nil
}

// How long the dev server gives a client to send a request, its body
// included (64 KiB at most is read), and to come back on an idle
// connection. No write timeout: a getLink with wait holds its answer.
const (
	readHeaderTimeout = 10 * time.Second
	readTimeout       = 30 * time.Second
	idleTimeout       = 2 * time.Minute
)

// serve serves h on l until Close.
func (d *devServer) serve(l net.Listener, h http.Handler) {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: readHeaderTimeout, ReadTimeout: readTimeout,
		IdleTimeout: idleTimeout, ErrorLog: d.errLog}
	d.servers = append(d.servers, srv)
	go func() { d.done <- srv.Serve(l) }()
}

// sleep is the handler's pause between two reads of a wait: t, or until
// ctx is done or the server stops, when the wait ends (and answers
// Pending).
func (d *devServer) sleep(ctx context.Context, t time.Duration) error {
	timer := time.NewTimer(t)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-d.stopping:
		return errStopping
	}
}

// errStopping ends a wait when the server stops.
var errStopping = errors.New("connector-dev is stopping")

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

// Close stops the servers, letting requests in flight finish for up to
// five seconds, then the sweeps and the deliveries under way, and closes
// the backend.
func (d *devServer) Close() error {
	d.stopOnce.Do(func() { close(d.stopping) })
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var errs []error
	for _, s := range d.servers {
		errs = append(errs, s.Shutdown(ctx))
	}
	d.stop()
	if d.backend != nil {
		d.backend.events.wait()
		errs = append(errs, d.backend.files.close())
		d.backend.events.wait() // what the last jobs published
		errs = append(errs, d.backend.close())
	}
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
	ssPort, ssPortErr := portDefault(e, envSendSafelyPort, 8082)
	verified, verifiedErr := boolDefault(e, envVerified, true)
	fs.BoolVar(&o.verified, "verified", verified, "verified mode (-verified=false: off): every link checked at a SendSafely stand-in with a local Trusted Browser key; embedded backend only [$"+envVerified+"]")
	fs.IntVar(&o.ssPort, "sendsafely-port", ssPort, "the SendSafely stand-in's port on 127.0.0.1, in verified mode [$"+envSendSafelyPort+"]")
	fs.DurationVar(&o.sweepEvery, "sweep-every", 30*time.Second, "how often verified mode sweeps the stand-in's packages, as the deployed schedule does; 0 never")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if portErr != nil || pagePortErr != nil || ssPortErr != nil || verifiedErr != nil {
		return errors.New(strings.Join(nonNil(portErr, pagePortErr, ssPortErr, verifiedErr), "; "))
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

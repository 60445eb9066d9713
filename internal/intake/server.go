package intake

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"regexp"
	"strings"
	"sync/atomic"
	"time"

	"github.com/go-logr/logr"
	"golang.org/x/sync/singleflight"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/certwatcher"
)

// Server is the intake HTTP server, a manager Runnable.
type Server struct {
	cfg   *config
	log   logr.Logger
	store *store
	now   func() time.Time

	tokens, hmacKeys *credentialSource
	watches          []*secretWatch
	trackingKey      atomic.Pointer[[]byte]

	tokenLimiter, clientLimiter, publicLimiter *keyedLimiter
	flights                                    singleflight.Group

	listener net.Listener
	certs    *certwatcher.CertWatcher
	handler  http.Handler
	inflight atomic.Int64
}

func newServer(cfg *config, d deps, log logr.Logger, certs *certwatcher.CertWatcher) (*Server, error) {
	s := &Server{
		cfg:           cfg,
		log:           log,
		store:         &store{writer: d.writer, reader: d.reader, log: log, secretWait: d.secretWait},
		now:           d.now,
		certs:         certs,
		tokenLimiter:  newKeyedLimiter(cfg.TokenRate, cfg.TokenBurst),
		clientLimiter: newKeyedLimiter(cfg.ClientRate, cfg.ClientBurst),
		publicLimiter: newKeyedLimiter(cfg.PublicRate, cfg.PublicBurst),
	}
	var err error
	if cfg.tokenSecret != nil {
		if s.tokens, err = s.watchCredentials(d, *cfg.tokenSecret); err != nil {
			return nil, err
		}
	}
	if cfg.hmacSecret != nil {
		if s.hmacKeys, err = s.watchCredentials(d, *cfg.hmacSecret); err != nil {
			return nil, err
		}
	}
	s.handler = s.routes()
	return s, nil
}

func (s *Server) watchCredentials(d deps, ref types.NamespacedName) (*credentialSource, error) {
	src := &credentialSource{}
	w, err := newSecretWatch(d.kube, ref, func(sec *corev1.Secret) {
		set := parseCredentials(sec, s.log)
		src.set.Store(set)
		s.log.Info("intake credentials loaded", "secret", ref.String(), "credentials", len(set.all))
	})
	if err != nil {
		return nil, err
	}
	src.synced = w.synced
	s.watches = append(s.watches, w)
	return src, nil
}

// NeedLeaderElection is false: every replica serves intake.
func (s *Server) NeedLeaderElection() bool { return false }

// Addr is the address the server listens on.
func (s *Server) Addr() net.Addr { return s.listener.Addr() }

// Start serves until ctx ends, then lets in-flight requests finish (up to
// --intake-shutdown-timeout).
func (s *Server) Start(ctx context.Context) error {
	for _, w := range s.watches {
		go w.run(ctx)
	}
	go s.keepLoadingTrackingKey(ctx)

	srv := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    32 << 10,
		ErrorLog:          log.New(logWriter{s.log.V(1)}, "", 0),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	serve := func() error { return srv.Serve(s.listener) }
	if s.certs != nil {
		go func() {
			if err := s.certs.Start(ctx); err != nil {
				s.log.Error(err, "intake TLS certificate watcher stopped")
			}
		}()
		srv.TLSConfig = &tls.Config{MinVersion: tls.VersionTLS12, GetCertificate: s.certs.GetCertificate}
		serve = func() error { return srv.ServeTLS(s.listener, "", "") }
	}

	s.log.Info("intake listening", "address", s.listener.Addr().String(), "tls", s.certs != nil)
	errc := make(chan error, 1)
	go func() { errc <- serve() }()
	select {
	case err := <-errc:
		return fmt.Errorf("intake server: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), s.cfg.ShutdownTimeout)
	defer cancel()
	err := srv.Shutdown(sctx)
	if serr := <-errc; !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	s.log.Info("intake stopped")
	return err
}

// readyErr is nil once the credentials and the tracking key are loaded.
func (s *Server) readyErr() error {
	for _, w := range s.watches {
		if !w.synced() {
			return errors.New("intake credentials not loaded yet")
		}
	}
	if s.trackingKey.Load() == nil {
		return errors.New("intake tracking key not loaded yet")
	}
	return nil
}

// logWriter sends net/http's own messages (TLS handshake errors and such) to
// the logger at debug level, without the client addresses they name.
type logWriter struct{ log logr.Logger }

var clientInMessage = regexp.MustCompile(`from \S+`)

func (w logWriter) Write(p []byte) (int, error) {
	w.log.Info(clientInMessage.ReplaceAllString(strings.TrimSpace(string(p)), "from (a client)"))
	return len(p), nil
}

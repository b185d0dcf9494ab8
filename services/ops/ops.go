// Package ops gives every newsdedup process its operational surface:
// Prometheus metrics, /healthz and /readyz.
package ops

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics are one process's collectors, in a registry of its own.
type Metrics struct {
	reg           *prometheus.Registry
	processed     *prometheus.CounterVec
	latency       *prometheus.HistogramVec
	lag           *prometheus.GaugeVec
	waiting       *prometheus.GaugeVec
	ActiveStories prometheus.Gauge
	// HeldArticles counts the articles the clustering engine holds in its
	// active stories; the members it let go are not counted.
	HeldArticles prometheus.Gauge
	Leader       prometheus.Gauge
	// Sources counts the fetcher's sources by state: all, failing, backed_off.
	Sources *prometheus.GaugeVec
	// Clustering state snapshots and restores.
	snapshotSeconds *prometheus.HistogramVec
	snapshots       *prometheus.CounterVec
	snapshotBytes   prometheus.Gauge
	snapshotSeq     prometheus.Gauge
	restoreSeconds  prometheus.Gauge
	restoreReplayed prometheus.Gauge
}

// NewMetrics registers the pipeline's collectors plus Go and process ones.
func NewMetrics() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		processed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newsdedup_messages_total", Help: "Messages handled by a stage, by outcome (ok, retry, dead_letter).",
		}, []string{"stage", "outcome"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "newsdedup_stage_seconds", Help: "Time to handle one message, publish its outputs and ack.",
			Buckets: prometheus.ExponentialBuckets(0.0005, 2, 16),
		}, []string{"stage"}),
		waiting: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "newsdedup_outputs_waiting", Help: "Outputs an in-order stage could not store yet and is sending again, its inputs held (0 normally; alert when it stays above).",
		}, []string{"stage"}),
		lag: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "newsdedup_consumer_pending", Help: "Messages waiting for a stage's durable consumer (consumer lag).",
		}, []string{"stage"}),
		ActiveStories: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: ActiveStoriesMetric, Help: "Stories in the clustering engine's active window.",
		}),
		HeldArticles: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: HeldArticlesMetric, Help: "Articles the clustering engine holds in its active stories (an open story's members let go after the window and retention are not held).",
		}),
		Leader: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "newsdedup_cluster_leader", Help: "1 when this process holds the clustering lease.",
		}),
		Sources: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "newsdedup_fetch_sources", Help: "Sources known to the fetcher, by state (all, failing, backed_off, overdue: no fetcher polled it for a whole interval past its next poll).",
		}, []string{"state"}),
		snapshotSeconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "newsdedup_cluster_snapshot_seconds", Help: "Clustering snapshots: time to encode one (the engine paused) and to store it, by phase (encode, store).",
			Buckets: prometheus.ExponentialBuckets(0.001, 2, 18),
		}, []string{"phase"}),
		snapshots: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newsdedup_cluster_snapshots_total", Help: "Clustering snapshots taken, by outcome (ok, failed).",
		}, []string{"outcome"}),
		snapshotBytes: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "newsdedup_cluster_snapshot_bytes", Help: "Size of the last clustering snapshot stored.",
		}),
		snapshotSeq: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "newsdedup_cluster_snapshot_seq", Help: "Stream sequence of the last articles.detected message in the last clustering snapshot stored.",
		}),
		restoreSeconds: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "newsdedup_cluster_restore_seconds", Help: "Time the last clustering restore took (snapshot and replay).",
		}),
		restoreReplayed: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "newsdedup_cluster_restore_replayed", Help: "Messages the last clustering restore replayed from the article stream.",
		}),
	}
	m.reg.MustRegister(m.processed, m.latency, m.lag, m.waiting, m.ActiveStories, m.HeldArticles, m.Leader, m.Sources,
		m.snapshotSeconds, m.snapshots, m.snapshotBytes, m.snapshotSeq, m.restoreSeconds, m.restoreReplayed,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// ObserveSnapshot records one clustering snapshot: how long it was encoded
// and stored, and on success its size and stream sequence.
func (m *Metrics) ObserveSnapshot(encode, store time.Duration, bytes, seq uint64, err error) {
	m.snapshotSeconds.WithLabelValues("encode").Observe(encode.Seconds())
	if err != nil {
		m.snapshots.WithLabelValues("failed").Inc()
		return
	}
	m.snapshotSeconds.WithLabelValues("store").Observe(store.Seconds())
	m.snapshots.WithLabelValues("ok").Inc()
	m.snapshotBytes.Set(float64(bytes))
	m.snapshotSeq.Set(float64(seq))
}

// ObserveRestore records a clustering restore.
func (m *Metrics) ObserveRestore(d time.Duration, replayed int) {
	m.restoreSeconds.Set(d.Seconds())
	m.restoreReplayed.Set(float64(replayed))
}

// ActiveStoriesMetric is the name of the gauge of the stories in the
// clustering engine's active window.
const ActiveStoriesMetric = "newsdedup_active_stories"

// HeldArticlesMetric is the name of the gauge of the articles the
// clustering engine holds in its active stories.
const HeldArticlesMetric = "newsdedup_held_articles"

// IndexAppliedMetric is the name of the gauge of the last stories-stream
// sequence applied to the search index (see WatchIndex).
const IndexAppliedMetric = "newsdedup_index_applied_seq"

// WatchIndex exports applied, the last stories-stream sequence in the
// search index, read at each scrape: set beside the stream's last sequence
// it is the index's lag. Call it once per process.
func (m *Metrics) WatchIndex(applied func() uint64) {
	m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: IndexAppliedMetric, Help: "Last stories-stream sequence applied to the search index.",
	}, func() float64 { return float64(applied()) }))
}

// Observe records one handled message of a stage.
func (m *Metrics) Observe(stage string, d time.Duration, outcome string) {
	m.processed.WithLabelValues(stage, outcome).Inc()
	m.latency.WithLabelValues(stage).Observe(d.Seconds())
}

// Waiting records how many outputs a stage is waiting to store (0 once
// they are stored).
func (m *Metrics) Waiting(stage string, n int) {
	m.waiting.WithLabelValues(stage).Set(float64(n))
}

// Handler serves the metrics in Prometheus' text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// WatchLag samples the pending count of each named durable consumer until ctx ends.
func (m *Metrics) WatchLag(ctx context.Context, js jetstream.JetStream, stream string, consumers []string, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		for _, c := range consumers {
			if cons, err := js.Consumer(ctx, stream, c); err == nil {
				if info, err := cons.Info(ctx); err == nil {
					m.lag.WithLabelValues(c).Set(float64(info.NumPending + uint64(info.NumAckPending)))
				}
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Mux adds /metrics, /healthz and /readyz to mux. ready reports why the
// process is not ready, or nil.
func Mux(mux *http.ServeMux, m *Metrics, ready func() error) {
	mux.Handle("GET /metrics", m.Handler())
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		if err := ready(); err != nil {
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprintln(w, "not ready:", err)
			return
		}
		fmt.Fprintln(w, "ready")
	})
}

// Serve runs an HTTP server with the ops routes on addr until ctx ends.
// It returns the address it listens on once listening.
func Serve(ctx context.Context, addr string, m *Metrics, ready func() error, log *slog.Logger) (string, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", fmt.Errorf("ops listen %s: %w", addr, err)
	}
	mux := http.NewServeMux()
	Mux(mux, m, ready)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("ops server stopped", "err", err)
		}
	}()
	go func() {
		<-ctx.Done()
		shut, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		srv.Shutdown(shut)
	}()
	return ln.Addr().String(), nil
}

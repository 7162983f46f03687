//! Prometheus metrics on the node's own endpoint (`--prometheus-port`), all prefixed
//! `pmr_worker_`.

use substrate_prometheus_endpoint::{
	register, CounterVec, Gauge, GaugeVec, Histogram, HistogramOpts, Opts, PrometheusError, Registry,
	U64,
};

/// The worker's metrics.
#[derive(Clone)]
pub struct Metrics {
	/// Jobs with work left before they are pinned (queued or encrypted).
	pub queue_depth: Gauge<U64>,
	/// Jobs by state.
	pub jobs: GaugeVec<U64>,
	/// Seconds from acceptance to pinned (anonymize → encrypt → split → pin).
	pub ingest_seconds: Histogram,
	/// Seconds per IPFS add + pin of one job.
	pub pin_seconds: Histogram,
	/// Seconds from pinned to anchored in a finalized block.
	pub anchor_seconds: Histogram,
	/// Failures by reason: refused submissions (`rpc_*`) and failed jobs.
	pub failures: CounterVec<U64>,
	/// Key requests this custodian settled, by outcome (`released`, `refused`, `closed`, ...).
	pub key_answers: CounterVec<U64>,
	/// Finalized blocks not yet scanned (anchors, erasures and key requests not yet applied).
	pub scan_lag: Gauge<U64>,
	/// Erased CIDs whose unpinning failed and is tried again.
	pub unpins_pending: Gauge<U64>,
}

const SECONDS: [f64; 14] =
	[0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0];

impl Metrics {
	/// Registers the metrics.
	pub fn register(registry: &Registry) -> Result<Self, PrometheusError> {
		Ok(Self {
			queue_depth: register(
				Gauge::new("pmr_worker_queue_depth", "Jobs not yet pinned (queued or encrypted)")?,
				registry,
			)?,
			jobs: register(
				GaugeVec::new(Opts::new("pmr_worker_jobs", "Jobs by state"), &["state"])?,
				registry,
			)?,
			ingest_seconds: register(
				Histogram::with_opts(
					HistogramOpts::new(
						"pmr_worker_ingest_seconds",
						"Seconds from acceptance to pinned",
					)
					.buckets(SECONDS.to_vec()),
				)?,
				registry,
			)?,
			pin_seconds: register(
				Histogram::with_opts(
					HistogramOpts::new("pmr_worker_ipfs_pin_seconds", "Seconds per IPFS add and pin of one job")
						.buckets(SECONDS.to_vec()),
				)?,
				registry,
			)?,
			anchor_seconds: register(
				Histogram::with_opts(
					HistogramOpts::new(
						"pmr_worker_anchor_seconds",
						"Seconds from pinned to anchored in a finalized block",
					)
					.buckets(SECONDS.to_vec()),
				)?,
				registry,
			)?,
			failures: register(
				CounterVec::new(
					Opts::new("pmr_worker_failures_total", "Refused submissions and failed jobs by reason"),
					&["reason"],
				)?,
				registry,
			)?,
			key_answers: register(
				CounterVec::new(
					Opts::new("pmr_worker_key_answers_total", "Key requests this custodian settled, by outcome"),
					&["outcome"],
				)?,
				registry,
			)?,
			scan_lag: register(
				Gauge::new("pmr_worker_scan_lag_blocks", "Finalized blocks the worker has not scanned yet")?,
				registry,
			)?,
			unpins_pending: register(
				Gauge::new("pmr_worker_unpins_pending", "Erased CIDs whose unpinning failed and is tried again")?,
				registry,
			)?,
		})
	}

	/// Sets the state gauges from the store's counts.
	pub fn set_counts(&self, counts: &[(&'static str, u64)]) {
		let mut depth = 0;
		for (state, n) in counts {
			self.jobs.with_label_values(&[state]).set(*n);
			if matches!(*state, "queued" | "encrypted") {
				depth += n;
			}
		}
		self.queue_depth.set(depth);
	}

	/// Counts one failure.
	pub fn fail(&self, reason: &str) {
		self.failures.with_label_values(&[reason]).inc();
	}
}

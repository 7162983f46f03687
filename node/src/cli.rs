//! Command-line interface of `pmr-node`.

/// Subcommands besides running the node.
#[derive(Debug, clap::Subcommand)]
#[allow(clippy::large_enum_variant)]
pub enum Subcommand {
	/// Key management: generate, inspect and insert keys (e.g. a validator's Aura and GRANDPA
	/// keys).
	#[command(subcommand)]
	Key(sc_cli::KeySubcommand),

	/// Build a chain specification (deprecated upstream in favour of `export-chain-spec`, kept
	/// for zombienet and existing tooling).
	BuildSpec(sc_cli::BuildSpecCmd),

	/// Export the chain specification.
	ExportChainSpec(sc_cli::ExportChainSpecCmd),

	/// Validate blocks.
	CheckBlock(sc_cli::CheckBlockCmd),

	/// Export blocks.
	ExportBlocks(sc_cli::ExportBlocksCmd),

	/// Export the state of a given block into a chain spec.
	ExportState(sc_cli::ExportStateCmd),

	/// Import blocks.
	ImportBlocks(sc_cli::ImportBlocksCmd),

	/// Remove the whole chain.
	PurgeChain(sc_cli::PurgeChainCmd),

	/// Revert the chain to a previous state.
	Revert(sc_cli::RevertCmd),

	/// Benchmarks: `pallet` (needs a build with `--features runtime-benchmarks`), `storage`,
	/// `overhead`, `extrinsic`, `block` and `machine`.
	#[command(subcommand)]
	Benchmark(frame_benchmarking_cli::BenchmarkCmd),

	/// Database metadata.
	ChainInfo(sc_cli::ChainInfoCmd),

	/// X25519 keys for key release: generate one, or print a secret's public key.
	#[command(subcommand)]
	X25519Key(crate::key_tools::X25519KeyCmd),

	/// The patient's side of a key request: re-wrap the essential share to the requester and
	/// pin it (prints the CID to hand over with `keyRelease.releaseEssentialShare`).
	RewrapEssential(crate::key_tools::RewrapEssentialCmd),

	/// The patient's side of an approval: the essential shares to hand over with
	/// `consent.approveRequest` (prints its `keys` argument).
	ApprovalKeys(crate::key_tools::ApprovalKeysCmd),

	/// The reader's side: recover the key from the released shares (of a key request, or
	/// asked of the custodian nodes directly), fetch, verify against the chain and decrypt.
	ReadRecord(crate::key_tools::ReadRecordCmd),

	/// The patient's export: every piece of the patient's content released to the patient's
	/// own key requests, as one FHIR R4 Bundle.
	ExportRecords(crate::key_tools::ExportRecordsCmd),

	/// The patient's key rotation: register a new X25519 key and re-wrap the essential share of
	/// every piece of the patient's content from the old key to it.
	RotatePatientKey(crate::key_rotation::RotatePatientKeyCmd),

	/// Export the parachain's genesis head (hex), to register the parachain on a relay chain
	/// (`export-genesis-state` is its older name, which zombienet uses).
	#[cfg(feature = "parachain")]
	#[command(alias = "export-genesis-state")]
	ExportGenesisHead(cumulus_client_cli::ExportGenesisHeadCommand),

	/// Export the parachain's genesis runtime (hex), to register it on a relay chain.
	#[cfg(feature = "parachain")]
	ExportGenesisWasm(cumulus_client_cli::ExportGenesisWasmCommand),
}

/// `pmr-node` arguments.
#[derive(Debug, clap::Parser)]
pub struct Cli {
	/// A subcommand; without one the node runs.
	#[command(subcommand)]
	pub subcommand: Option<Subcommand>,

	/// Arguments of a running node.
	#[cfg(not(feature = "parachain"))]
	#[clap(flatten)]
	pub run: sc_cli::RunCmd,

	/// Arguments of a running parachain node (`--collator`, `--relay-chain-rpc-url`, ...).
	#[cfg(feature = "parachain")]
	#[clap(flatten)]
	pub run: cumulus_client_cli::RunCmd,

	/// Parachain build, `--dev`: without a relay chain, the node seals a block this often
	/// (milliseconds).
	#[cfg(feature = "parachain")]
	#[arg(long, value_name = "MILLISECONDS", default_value_t = 6000)]
	pub dev_block_time: u64,

	/// Parachain build: the embedded relay chain node's arguments, after `--` (for example
	/// `-- --chain westend-local.json`).
	#[cfg(feature = "parachain")]
	#[arg(raw = true)]
	pub relay_chain_args: Vec<String>,

	/// The ingest worker (`pmr_` RPC methods, IPFS pinning, anchors).
	#[clap(flatten)]
	pub worker: pmr_worker::WorkerCli,
}

impl Cli {
	/// The arguments of a running node that both builds share.
	pub fn run_cmd(&self) -> &sc_cli::RunCmd {
		#[cfg(not(feature = "parachain"))]
		return &self.run;
		#[cfg(feature = "parachain")]
		return &self.run.base;
	}
}

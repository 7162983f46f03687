//! Helpers for tests that run the real `pmr-node` binary: start it on free loopback ports,
//! talk JSON-RPC over HTTP, stop it when the test ends (even when it fails).

#![allow(dead_code)]

use serde_json::{json, Value};
use std::{
	io::{Read, Write},
	net::{TcpListener, TcpStream},
	path::PathBuf,
	process::{Child, Command, Stdio},
	time::{Duration, Instant},
};

/// A free TCP port on 127.0.0.1, below the kernel's ephemeral range and never handed out
/// twice by this process.
///
/// A port the kernel hands out (`bind(0)`) comes from the ephemeral range, where any outgoing
/// connection (a node dialling its peers, an IPFS client) may take it before the node under
/// test binds it. Test processes that run side by side start at different places (their
/// process IDs) and skip a port that is in use.
pub fn free_port() -> u16 {
	use std::sync::atomic::{AtomicU32, Ordering};
	static NEXT: AtomicU32 = AtomicU32::new(0);
	let ephemeral_low = std::fs::read_to_string("/proc/sys/net/ipv4/ip_local_port_range")
		.ok()
		.and_then(|range| range.split_whitespace().next()?.parse::<u32>().ok())
		.filter(|low| *low > 11_000)
		.unwrap_or(32_768);
	let (low, span) = (10_000, ephemeral_low - 10_000);
	let start = std::process::id().wrapping_mul(7_919);
	for _ in 0..span {
		let n = NEXT.fetch_add(1, Ordering::Relaxed);
		let port = (low + start.wrapping_add(n) % span) as u16;
		if TcpListener::bind(("127.0.0.1", port)).is_ok() {
			return port;
		}
	}
	panic!("no free loopback port between {low} and {ephemeral_low}");
}

/// The arguments of a single-validator test chain: `--dev` on the 1-second-block `dev-fast`
/// chain in the standalone build (docs/build.md); `--dev` in the parachain build, whose dev
/// mode seals blocks itself.
#[cfg(not(feature = "parachain"))]
pub const TEST_DEV: &[&str] = &["--dev", "--chain", "dev-fast"];
/// The arguments of a single-validator test chain (parachain build: manual seal, no relay
/// chain).
#[cfg(feature = "parachain")]
pub const TEST_DEV: &[&str] = &["--dev"];

/// [`TEST_DEV`] followed by `extra`.
pub fn test_dev<'a>(extra: &[&'a str]) -> Vec<&'a str> {
	TEST_DEV.iter().copied().chain(extra.iter().copied()).collect()
}

/// A running `pmr-node`, killed on drop. Its log is kept in a file and printed on failure.
pub struct Node {
	child: Child,
	/// The node's JSON-RPC port.
	pub rpc_port: u16,
	/// The node's p2p port.
	pub p2p_port: u16,
	/// The node's Prometheus port.
	pub prometheus_port: u16,
	log: PathBuf,
	name: String,
}

impl Node {
	/// Starts this build's `pmr-node` with `args` plus free RPC, p2p and Prometheus ports.
	pub fn start(name: &str, args: &[&str]) -> Self {
		Self::start_bin(env!("CARGO_BIN_EXE_pmr-node"), name, args)
	}

	/// [`Node::start`] with another `pmr-node` binary (a benchmark's production build).
	pub fn start_bin(bin: &str, name: &str, args: &[&str]) -> Self {
		let rpc_port = free_port();
		let p2p_port = free_port();
		let prometheus_port = free_port();
		let log = std::env::temp_dir().join(format!("pmr-node-test-{name}-{rpc_port}.log"));
		let log_file = std::fs::File::create(&log).expect("can create the node log file");
		let child = Command::new(bin)
			.args(args)
			.args([
				"--rpc-port",
				&rpc_port.to_string(),
				"--port",
				&p2p_port.to_string(),
				"--prometheus-port",
				&prometheus_port.to_string(),
				"--no-telemetry",
				"--no-mdns",
			])
			.stdout(Stdio::null())
			.stderr(log_file)
			.spawn()
			.expect("pmr-node starts");
		Node { child, rpc_port, p2p_port, prometheus_port, log, name: name.to_string() }
	}

	/// One JSON-RPC call; `Err` on transport errors and on JSON-RPC errors.
	pub fn rpc(&self, method: &str, params: Value) -> Result<Value, String> {
		let body = json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params})
			.to_string();
		self.rpc_raw(method, &body)
	}

	/// One JSON-RPC call whose request body is already serialised.
	pub fn rpc_raw(&self, method: &str, body: &str) -> Result<Value, String> {
		let mut stream = TcpStream::connect(("127.0.0.1", self.rpc_port))
			.map_err(|e| format!("connect: {e}"))?;
		stream.set_read_timeout(Some(Duration::from_secs(30))).map_err(|e| e.to_string())?;
		write!(
			stream,
			"POST / HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Type: application/json\r\n\
			 Content-Length: {}\r\nConnection: close\r\n\r\n{}",
			self.rpc_port,
			body.len(),
			body
		)
		.map_err(|e| format!("send: {e}"))?;
		let mut raw = Vec::new();
		stream.read_to_end(&mut raw).map_err(|e| format!("read: {e}"))?;
		let text = String::from_utf8_lossy(&raw);
		let (head, payload) = text.split_once("\r\n\r\n").ok_or("malformed HTTP response")?;
		let payload = if head.to_ascii_lowercase().contains("transfer-encoding: chunked") {
			dechunk(payload)?
		} else {
			payload.to_string()
		};
		let reply: Value =
			serde_json::from_str(&payload).map_err(|e| format!("bad JSON ({e}): {payload}"))?;
		if let Some(err) = reply.get("error") {
			return Err(format!("{method} failed: {err}"));
		}
		Ok(reply["result"].clone())
	}

	/// Polls `check` once a second until it returns `Some`, or fails the test after `timeout`.
	pub fn wait_for<T>(
		&self,
		what: &str,
		timeout: Duration,
		mut check: impl FnMut(&Node) -> Option<T>,
	) -> T {
		let start = Instant::now();
		loop {
			if let Some(v) = check(self) {
				return v;
			}
			if start.elapsed() > timeout {
				self.fail(&format!("timed out after {timeout:?} waiting for {what}"));
			}
			std::thread::sleep(Duration::from_secs(1));
		}
	}

	/// The best block number, if the node answers.
	pub fn best_number(&self) -> Option<u64> {
		let header = self.rpc("chain_getHeader", json!([])).ok()?;
		hex_number(&header["number"])
	}

	/// The finalized block number, if the node answers.
	pub fn finalized_number(&self) -> Option<u64> {
		let hash = self.rpc("chain_getFinalizedHead", json!([])).ok()?;
		let header = self.rpc("chain_getHeader", json!([hash])).ok()?;
		hex_number(&header["number"])
	}

	/// The node's Prometheus metrics (text format).
	pub fn metrics(&self) -> String {
		let mut stream = TcpStream::connect(("127.0.0.1", self.prometheus_port)).expect("Prometheus endpoint");
		write!(stream, "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
			.expect("request");
		let mut raw = Vec::new();
		stream.read_to_end(&mut raw).expect("response");
		String::from_utf8_lossy(&raw).into_owned()
	}

	/// The node's process id.
	pub fn pid(&self) -> u32 {
		self.child.id()
	}

	/// Fails the test, printing the end of the node's log.
	pub fn fail(&self, msg: &str) -> ! {
		let log = std::fs::read_to_string(&self.log).unwrap_or_default();
		let tail: Vec<&str> = log.lines().rev().take(60).collect();
		let tail: Vec<&str> = tail.into_iter().rev().collect();
		panic!("{msg}\n--- last lines of {} ({}) ---\n{}", self.name, self.log.display(), tail.join("\n"));
	}
}

impl Drop for Node {
	fn drop(&mut self) {
		let _ = self.child.kill();
		let _ = self.child.wait();
	}
}

/// Parses a JSON-RPC hex quantity such as `"0x1a"`.
pub fn hex_number(v: &Value) -> Option<u64> {
	u64::from_str_radix(v.as_str()?.trim_start_matches("0x"), 16).ok()
}

fn dechunk(body: &str) -> Result<String, String> {
	let mut out = String::new();
	let mut rest = body;
	loop {
		let (size, after) = rest.split_once("\r\n").ok_or("bad chunk header")?;
		let size = usize::from_str_radix(size.trim(), 16).map_err(|e| e.to_string())?;
		if size == 0 {
			return Ok(out);
		}
		out.push_str(after.get(..size).ok_or("short chunk")?);
		rest = after.get(size + 2..).ok_or("short chunk trailer")?;
	}
}

pub mod ingest;

/// Signed transactions and runtime-API calls against a running node.
pub mod chain {
	use super::Node;
	use pmr_runtime::RuntimeCall;
	use serde_json::json;
	use sp_core::{bytes, H256};
	use sp_keyring::Sr25519Keyring;
	use sp_runtime::{
		codec::{Decode, Encode},
		generic::Era,
	};
	use std::time::Duration;

	/// The genesis hash.
	pub fn genesis(node: &Node) -> H256 {
		let h = node.rpc("chain_getBlockHash", json!([0])).expect("genesis hash");
		let raw = bytes::from_hex(h.as_str().expect("hash string")).expect("hex");
		H256::from_slice(&raw)
	}

	/// The next nonce of `who`.
	pub fn nonce(node: &Node, who: Sr25519Keyring) -> u32 {
		node.rpc("system_accountNextIndex", json!([who.to_account_id().to_string()]))
			.expect("nonce")
			.as_u64()
			.expect("nonce is a number") as u32
	}

	/// `who` signs `call` (immortal, next nonce) as the node's own benchmarking helper does.
	pub fn signed(node: &Node, who: Sr25519Keyring, call: RuntimeCall) -> String {
		let genesis = genesis(node);
		let xt = pmr_node::signing::create_extrinsic(
			&who.pair(),
			call,
			nonce(node, who),
			genesis,
			Era::Immortal,
			genesis,
		);
		bytes::to_hex(&xt.encode(), false)
	}

	/// Submits a signed extrinsic (hex) and returns the number of the block that includes it.
	pub fn submit_hex(node: &Node, xt_hex: &str) -> u64 {
		let submitted_at = node.best_number().expect("best block");
		node.rpc("author_submitExtrinsic", json!([xt_hex])).expect("transaction accepted by the pool");
		let mut next = submitted_at;
		node.wait_for("the transaction in a block", Duration::from_secs(90), |n| {
			let best = n.best_number()?;
			while next <= best {
				let hash = n.rpc("chain_getBlockHash", json!([next])).ok()?;
				let block = n.rpc("chain_getBlock", json!([hash])).ok()?;
				let found = block["block"]["extrinsics"]
					.as_array()
					.map(|xts| xts.iter().any(|x| x.as_str() == Some(xt_hex)))
					.unwrap_or(false);
				if found {
					return Some(next);
				}
				next += 1;
			}
			None
		})
	}

	/// `who` signs and submits `call`; returns the including block's number.
	pub fn submit(node: &Node, who: Sr25519Keyring, call: RuntimeCall) -> u64 {
		let xt = signed(node, who, call);
		submit_hex(node, &xt)
	}

	/// The chain's slot duration in milliseconds (Aura's runtime API): the block time a latency
	/// measured in blocks ran at.
	pub fn slot_millis(node: &Node) -> u64 {
		runtime_api::<u64>(node, "AuraApi_slot_duration", ())
	}

	/// Calls a runtime API function (`"Api_method"`) at the best block and decodes the answer.
	pub fn runtime_api<R: Decode>(node: &Node, method: &str, args: impl Encode) -> R {
		let data = bytes::to_hex(&args.encode(), false);
		let reply = node.rpc("state_call", json!([method, data])).expect("state_call");
		let raw = bytes::from_hex(reply.as_str().expect("hex reply")).expect("hex");
		R::decode(&mut &raw[..]).expect("the runtime API answer decodes")
	}
}

/// Runs one of the @polkadot/api client scripts in `node/tests/consortium/` (after `npm ci` from
/// its committed `package-lock.json`) against this build's `pmr-node`, in a scratch directory
/// that is kept, with the nodes' logs, when the script fails.
pub fn run_client_script(script: &str) {
	run_client_script_with(script, &[]);
}

/// Installs the client's packages (`npm ci` from the committed `package-lock.json`) unless
/// this lock file's packages are installed already. The end-to-end tests run two at a time, so
/// one installs while the other waits: `npm ci` empties `node_modules` first.
fn client_packages(client: &std::path::Path) {
	let lock = client.join(".npm-ci.lock");
	let started = Instant::now();
	loop {
		match std::fs::create_dir(&lock) {
			Ok(()) => break,
			Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
				// A test killed while installing leaves its lock behind.
				let stale = std::fs::metadata(&lock)
					.and_then(|m| m.modified())
					.is_ok_and(|t| t.elapsed().unwrap_or_default() > Duration::from_secs(600));
				if stale {
					let _ = std::fs::remove_dir(&lock);
				}
				assert!(started.elapsed() < Duration::from_secs(900), "npm ci lock held for 15 minutes");
				std::thread::sleep(Duration::from_millis(200));
			},
			Err(e) => panic!("cannot lock {}: {e}", lock.display()),
		}
	}
	struct Unlock(PathBuf);
	impl Drop for Unlock {
		fn drop(&mut self) {
			let _ = std::fs::remove_dir(&self.0);
		}
	}
	let _unlock = Unlock(lock);
	let wanted = std::fs::read(client.join("package-lock.json")).expect("package-lock.json");
	let stamp = client.join("node_modules/.pmr-package-lock.json");
	if std::fs::read(&stamp).ok().as_ref() == Some(&wanted) {
		return;
	}
	let status = Command::new("npm")
		.args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
		.current_dir(client)
		.status()
		.unwrap_or_else(|e| panic!("npm could not start: {e}"));
	assert!(status.success(), "npm ci (the @polkadot/api client) failed ({status})");
	std::fs::write(&stamp, &wanted).expect("the install stamp");
}

/// [`run_client_script`] with command-line arguments for the script.
pub fn run_client_script_with(script: &str, args: &[&str]) {
	let client = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/consortium");
	client_packages(&client);
	let scratch = tempfile::tempdir().expect("a scratch directory");
	let status = Command::new("node")
		.arg(script)
		.args(args)
		.current_dir(&client)
		.env("PMR_NODE_BIN", env!("CARGO_BIN_EXE_pmr-node"))
		.env("PMR_TEST_DIR", scratch.path())
		.status()
		.unwrap_or_else(|e| panic!("node (Node.js) could not start: {e}"));
	if !status.success() {
		let kept = scratch.keep();
		panic!("{script} failed ({status}); logs in {}", kept.display());
	}
}

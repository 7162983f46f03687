//! The private IPFS network: Kubo nodes started by scripts/ipfs-dev-node.sh share the dev
//! network's swarm key and run with LIBP2P_FORCE_PNET=1. A member connects to another member
//! and fetches its blocks; a node with another key can neither connect nor fetch a block.

use ipfs_api_backend_hyper::{IpfsApi, IpfsClient, TryFromUri};
use pmr_vault::ipfs::Ipfs;
use std::{
	net::TcpListener,
	path::{Path, PathBuf},
	process::Command,
	time::Duration,
};

/// A free loopback port below the ephemeral range, different for each call of this process.
fn free_port() -> u16 {
	use std::sync::atomic::{AtomicU16, Ordering};
	static NEXT: AtomicU16 = AtomicU16::new(0);
	let start = 20_000 + (std::process::id() % 5_000) as u16;
	loop {
		let port = start + NEXT.fetch_add(1, Ordering::Relaxed);
		if TcpListener::bind(("127.0.0.1", port)).is_ok() {
			return port;
		}
	}
}

/// A Kubo node of its own (repo, ports, swarm key), stopped on drop.
struct Kubo {
	env: Vec<(&'static str, String)>,
	api: String,
	swarm_port: u16,
	repo: PathBuf,
}

fn script() -> PathBuf {
	Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/ipfs-dev-node.sh")
}

impl Kubo {
	/// Starts a node in swarm mode under `dir/name`, with the swarm key `key` (`None`: the dev
	/// network's key, as every dev and test node has).
	fn start(dir: &Path, name: &str, key: Option<&Path>) -> Self {
		let (port, swarm_port, gateway_port) = (free_port(), free_port(), free_port());
		let mut env = vec![
			("PMR_IPFS_PORT", port.to_string()),
			("PMR_IPFS_SWARM_PORT", swarm_port.to_string()),
			("PMR_IPFS_GATEWAY_PORT", gateway_port.to_string()),
			("PMR_IPFS_REPO", dir.join(name).display().to_string()),
			("PMR_IPFS_SWARM", "1".to_string()),
		];
		if let Some(key) = key {
			env.push(("PMR_IPFS_SWARM_KEY", key.display().to_string()));
		}
		let node = Kubo { env, api: format!("http://127.0.0.1:{port}"), swarm_port, repo: dir.join(name) };
		assert!(node.script("all"), "{name}: scripts/ipfs-dev-node.sh could not start Kubo");
		node
	}

	fn script(&self, action: &str) -> bool {
		Command::new("bash")
			.arg(script())
			.arg(action)
			.envs(self.env.iter().map(|(k, v)| (*k, v.as_str())))
			.status()
			.map(|s| s.success())
			.unwrap_or(false)
	}

	fn client(&self) -> IpfsClient {
		IpfsClient::from_str(&self.api).expect("API address")
	}

	/// This node's swarm address with its peer ID (from its repository's config: the client
	/// crate's `id` expects a field Kubo no longer sends).
	fn address(&self) -> String {
		let config = std::fs::read(self.repo.join("config")).expect("the repo's config");
		let config: serde_json::Value = serde_json::from_slice(&config).expect("JSON config");
		let id = config["Identity"]["PeerID"].as_str().expect("a peer ID");
		format!("/ip4/127.0.0.1/tcp/{}/p2p/{id}", self.swarm_port)
	}

	/// The number of peers this node is connected to (`swarm/peers`, read as plain JSON: the
	/// client crate's type expects fields Kubo no longer sends).
	fn peers(&self) -> usize {
		use std::io::{Read, Write};
		let port = self.api.rsplit(':').next().expect("a port");
		let mut stream = std::net::TcpStream::connect(format!("127.0.0.1:{port}")).expect("the API");
		write!(
			stream,
			"POST /api/v0/swarm/peers HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
		)
		.expect("request");
		let mut raw = String::new();
		stream.read_to_string(&mut raw).expect("response");
		let (head, body) = raw.split_once("\r\n\r\n").expect("an HTTP response");
		assert!(head.starts_with("HTTP/1.1 200"), "swarm/peers: {head}");
		// A chunked body of one JSON object: its first `{` to its last `}`.
		let json = &body[body.find('{').expect("JSON")..=body.rfind('}').expect("JSON")];
		let peers: serde_json::Value = serde_json::from_str(json).expect("swarm/peers JSON");
		peers["Peers"].as_array().map_or(0, |p| p.len())
	}
}

impl Drop for Kubo {
	fn drop(&mut self) {
		self.script("stop");
	}
}

#[tokio::test(flavor = "multi_thread")]
async fn a_node_without_the_swarm_key_cannot_connect_or_fetch() {
	let dir = tempfile_dir();
	let member = Kubo::start(&dir, "member", None);
	let other_member = Kubo::start(&dir, "other-member", None);
	let outsider_key = dir.join("outsider.key");
	std::fs::write(
		&outsider_key,
		format!(
			"/key/swarm/psk/1.0.0/\n/base16/\n{}\n",
			rand::random::<[u8; 32]>().iter().map(|b| format!("{b:02x}")).collect::<String>()
		),
	)
	.unwrap();
	let outsider = Kubo::start(&dir, "outsider", Some(&outsider_key));

	let data = format!("held by the consortium {:?}", std::time::SystemTime::now()).into_bytes();
	let held = Ipfs::new(&member.api, Duration::from_secs(30)).unwrap();
	let cid = held.add_pinned(std::io::Cursor::new(data.clone())).await.expect("add");
	let address = member.address();

	// A member with the key connects and fetches the block (the control).
	other_member.client().swarm_connect(&address).await.expect("a member connects");
	let fetched = Ipfs::new(&other_member.api, Duration::from_secs(30)).unwrap();
	assert_eq!(fetched.cat(&cid).await.expect("a member fetches"), data);

	// The outsider cannot connect: the private network's handshake fails.
	let connected = outsider.client().swarm_connect(&address).await;
	assert!(connected.is_err(), "the outsider connected: {connected:?}");
	assert_eq!(outsider.peers(), 0, "the outsider has no peer");
	// ... and cannot fetch the block (it has no peer to ask), while the member still has one.
	let denied = Ipfs::new(&outsider.api, Duration::from_secs(10)).unwrap();
	assert!(denied.cat(&cid).await.is_err(), "the outsider fetched a consortium block");
	assert_eq!(member.peers(), 1, "only the other member is the member's peer");
	// Stop the nodes (their pid files are in `dir`) before removing their repositories.
	drop((member, other_member, outsider));
	let _ = std::fs::remove_dir_all(&dir);
}

/// A scratch directory for the nodes' repositories.
fn tempfile_dir() -> PathBuf {
	let dir = std::env::temp_dir().join(format!("pmr-private-ipfs-{}", std::process::id()));
	std::fs::create_dir_all(&dir).unwrap();
	dir
}

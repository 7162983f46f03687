use super::*;
use sp_core::Pair;

/// The peer ID every Substrate tutorial gives for `--node-key 0000…0001`.
const WELL_KNOWN: &str = "12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp";

fn seed_one() -> [u8; 32] {
	let mut seed = [0u8; 32];
	seed[31] = 1;
	seed
}

#[test]
fn the_well_known_peer_id_is_the_public_key_of_its_node_key() {
	let public = sp_core::ed25519::Pair::from_seed(&seed_one()).public().0;
	assert_eq!(text(WELL_KNOWN).ed25519_public_key(), Some(public));
	assert_eq!(NodePeerId::from_ed25519_public_key(public), text(WELL_KNOWN));
	assert_eq!(text(WELL_KNOWN).as_str(), Some(WELL_KNOWN));
}

#[test]
fn peer_ids_round_trip_for_any_key() {
	for n in 0..=255u8 {
		let mut key = [n; 32];
		key[0] = n.wrapping_mul(37);
		let id = NodePeerId::from_ed25519_public_key(key);
		assert_eq!(id.0.len(), 52, "an Ed25519 peer ID is 52 characters");
		assert!(id.as_str().expect("text").starts_with("12D3KooW"));
		assert_eq!(id.ed25519_public_key(), Some(key));
	}
}

#[test]
fn text_that_is_not_an_ed25519_peer_id_is_refused() {
	let cases: Vec<String> = vec![
		String::new(),
		// one character short, one too many
		WELL_KNOWN.chars().take(51).collect(),
		format!("{WELL_KNOWN}1"),
		// characters outside base58 ('0', 'O', 'I', 'l') and whitespace
		WELL_KNOWN.replace('E', "0"),
		WELL_KNOWN.replace('E', "O"),
		WELL_KNOWN.replace('E', "I"),
		WELL_KNOWN.replace('E', "l"),
		format!(" {WELL_KNOWN}"),
		// a secp256k1 peer ID and an RSA (SHA-256 multihash) one: not node keys
		"16Uiu2HAmLhLvBoYaoZfaMUKuibM6ac163GwKY74c5kiSLg5KvLpY".into(),
		"QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N".into(),
		// a multiaddr instead of the peer ID
		"/ip4/127.0.0.1/tcp/30333".into(),
	];
	for bad in &cases {
		assert_eq!(text(bad).ed25519_public_key(), None, "{bad:?} accepted");
	}
}

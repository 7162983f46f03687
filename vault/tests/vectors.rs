//! The vault's test vectors (`tests/vectors/vault-v1.json`): ciphertexts, envelopes, key
//! manifests and released shares made by this crate, which every other implementation of the
//! formats must open to the same bytes. The web app's TypeScript port (`app/src/vault/`)
//! passes the same file in its own test (`app/test/vectors.test.ts`).
//!
//! The file is committed; `cargo test --test vectors -- --ignored` writes a new one (every
//! nonce and key is fresh, so the bytes change while the meaning does not).

use pmr_vault::{
	blake2_256,
	crypto::{self, DataKey},
	envelope::{self, Envelope},
	hex,
	manifest::KeyManifest,
	release::{Binding, ReleasedShare},
};
use serde_json::{json, Value};
use x25519_dalek::{PublicKey, StaticSecret};

const PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/vault-v1.json");

fn h(bytes: &[u8]) -> String {
	hex::encode(bytes)
}

fn unh(v: &Value) -> Vec<u8> {
	hex::decode(v.as_str().expect("a hex string")).expect("valid hex")
}

fn secret(v: &Value) -> StaticSecret {
	StaticSecret::from(<[u8; 32]>::try_from(unh(v)).expect("32 bytes"))
}

fn plaintext(len: usize) -> Vec<u8> {
	(0..len).map(|i| (i * 31 % 251) as u8).collect()
}

#[test]
#[ignore = "writes a new vectors file"]
fn generate() {
	let stream: Vec<Value> = [(0usize, 16u32), (1, 16), (16, 16), (17, 16), (100, 7), (3000, 1024)]
		.into_iter()
		.map(|(len, chunk)| {
			let key = DataKey::generate();
			let plain = plaintext(len);
			let mut sealed = Vec::new();
			let s = crypto::encrypt_with_chunk_size(&key, &plain[..], &mut sealed, chunk).unwrap();
			json!({
				"key": h(key.as_bytes()), "plaintextLen": len, "chunkSize": chunk,
				"ciphertext": h(&sealed), "plaintextHash": h(&s.plaintext_hash), "ciphertextHash": h(&s.ciphertext_hash),
			})
		})
		.collect();

	let (recipient, recipient_public) = envelope::generate_keypair();
	let sealed = envelope::seal(&recipient_public, b"an essential share", b"some context").unwrap();
	let envelope = json!({
		"secret": h(recipient.as_bytes()), "public": h(&recipient_public), "context": h(b"some context"),
		"plaintext": h(b"an essential share"), "compact": h(&sealed.to_bytes()),
	});

	// A record's key, split 2-of-3, released to a reader both ways the fast path does: the
	// patient's approval (essential share) and custodians' answers to a share request.
	let key = DataKey::generate();
	let plain = plaintext(5000);
	let mut ciphertext = Vec::new();
	let summary = crypto::encrypt_with_chunk_size(&key, &plain[..], &mut ciphertext, 2048).unwrap();
	let (patient, patient_public) = envelope::generate_keypair();
	let custodians: Vec<_> = (0..3).map(|_| envelope::generate_keypair()).collect();
	let keys: Vec<_> = custodians.iter().map(|(_, pk)| *pk).collect();
	let manifest = KeyManifest::build(&key, &summary, &patient_public, &keys, 2).unwrap();
	let (reader, reader_public) = envelope::generate_keypair();
	let digest = blake2_256(b"a share request");
	let binding = Binding::ShareRequest(digest);
	let answers: Vec<Value> = custodians
		.iter()
		.map(|(sk, _)| {
			let released = manifest.release_custodian_share(sk, &reader_public, binding).unwrap();
			serde_json::from_slice(&released.to_json()).unwrap()
		})
		.collect();
	let mut tampered = answers[0].clone();
	let mut sealed_share = unh(&tampered["envelope"]["ciphertext"]);
	sealed_share[3] ^= 1;
	tampered["envelope"]["ciphertext"] = json!(h(&sealed_share));
	// The patient rotated the key: the essential share re-wrapped to the new one, and an
	// approval made with the new secret from the re-wrapped entry.
	let (rotated, rotated_public) = envelope::generate_keypair();
	let rewrapped = manifest.rewrap_essential(&patient, &rotated_public).unwrap();
	let rotated_view = manifest.clone().for_patient_key(Some((rotated_public, &rewrapped)), &rotated).unwrap();
	let rotation = json!({
		"newSecret": h(rotated.as_bytes()),
		"newPublic": h(&rotated_public),
		"rewrapped": h(&rewrapped),
		"approval": h(&rotated_view.approve_essential(&rotated, &reader_public).unwrap()),
	});
	let release = json!({
		"key": h(key.as_bytes()),
		"plaintextLen": plain.len(),
		"ciphertext": h(&ciphertext),
		"manifest": serde_json::from_slice::<Value>(&manifest.to_json()).unwrap(),
		"patientSecret": h(patient.as_bytes()),
		"readerSecret": h(reader.as_bytes()),
		"readerPublic": h(&reader_public),
		"requestDigest": h(&digest),
		"approval": h(&manifest.approve_essential(&patient, &reader_public).unwrap()),
		"answers": answers,
		"tamperedAnswer": tampered,
		"rotation": rotation,
	});
	let file = json!({
		"about": "pmr-vault test vectors: vault/tests/vectors.rs writes and checks them; app/test/vectors.test.ts checks them too",
		"plaintext": "byte i is (i * 31) % 251",
		"stream": stream, "envelope": envelope, "release": release,
	});
	std::fs::create_dir_all(std::path::Path::new(PATH).parent().unwrap()).unwrap();
	std::fs::write(PATH, serde_json::to_string_pretty(&file).unwrap() + "\n").unwrap();
}

fn vectors() -> Value {
	serde_json::from_slice(&std::fs::read(PATH).expect("the committed vectors file")).unwrap()
}

#[test]
fn stream_vectors_decrypt_to_their_plaintext() {
	for v in vectors()["stream"].as_array().unwrap() {
		let key = DataKey::from_bytes(unh(&v["key"]).try_into().unwrap());
		let sealed = unh(&v["ciphertext"]);
		assert_eq!(blake2_256(&sealed).to_vec(), unh(&v["ciphertextHash"]));
		let mut opened = Vec::new();
		let hash = crypto::decrypt(&key, &sealed[..], &mut opened).unwrap();
		assert_eq!(opened, plaintext(v["plaintextLen"].as_u64().unwrap() as usize));
		assert_eq!(hash.to_vec(), unh(&v["plaintextHash"]));
	}
}

#[test]
fn the_envelope_vector_opens_with_its_context_only() {
	let v = &vectors()["envelope"];
	let env = Envelope::from_bytes(&unh(&v["compact"])).unwrap();
	let sk = secret(&v["secret"]);
	assert_eq!(PublicKey::from(&sk).to_bytes().to_vec(), unh(&v["public"]));
	assert_eq!(&envelope::open(&sk, &env, &unh(&v["context"])).unwrap()[..], &unh(&v["plaintext"])[..]);
	assert!(envelope::open(&sk, &env, b"another context").is_err());
}

#[test]
fn the_release_vector_recovers_the_key_from_the_approval_and_any_two_answers() {
	let v = &vectors()["release"];
	let manifest = KeyManifest::from_json(&serde_json::to_vec(&v["manifest"]).unwrap()).unwrap();
	let reader = secret(&v["readerSecret"]);
	let reader_public: [u8; 32] = unh(&v["readerPublic"]).try_into().unwrap();
	let essential = ReleasedShare::from_approval(manifest.ciphertext_hash, reader_public, &unh(&v["approval"])).unwrap();
	let binding = Binding::ShareRequest(unh(&v["requestDigest"]).try_into().unwrap());
	let answer = |a: &Value| ReleasedShare::from_json(&serde_json::to_vec(a).unwrap()).unwrap();
	let answers: Vec<_> = v["answers"].as_array().unwrap().iter().map(answer).collect();
	let key = unh(&v["key"]);
	for pair in [[0, 1], [1, 2], [0, 2]] {
		let shares: Vec<_> = pair.iter().map(|&i| answers[i].clone()).collect();
		let got = manifest.recover_released(&reader, (&essential, Binding::PatientApproval), &shares, binding).unwrap();
		assert_eq!(got.as_bytes().to_vec(), key);
	}
	// a tampered answer is passed over when another sound one follows
	let shares = [answer(&v["tamperedAnswer"]), answers[1].clone(), answers[2].clone()];
	let got = manifest.recover_released(&reader, (&essential, Binding::PatientApproval), &shares, binding).unwrap();
	assert_eq!(got.as_bytes().to_vec(), key);
	// and the key decrypts the record to the manifest's plaintext hash
	let mut opened = Vec::new();
	let hash = crypto::decrypt(&got, &unh(&v["ciphertext"])[..], &mut opened).unwrap();
	assert_eq!(hash, manifest.plaintext_hash);
	assert_eq!(opened, plaintext(v["plaintextLen"].as_u64().unwrap() as usize));
	// the patient opens the essential share from the manifest, as the approval re-seals it
	let patient = secret(&v["patientSecret"]);
	assert!(manifest.open_essential(&patient).is_ok());
}

#[test]
fn the_rotation_vector_opens_with_the_new_key_and_its_approval_recovers_the_key() {
	let v = &vectors()["release"];
	let r = &v["rotation"];
	let manifest = KeyManifest::from_json(&serde_json::to_vec(&v["manifest"]).unwrap()).unwrap();
	let (old, new) = (secret(&v["patientSecret"]), secret(&r["newSecret"]));
	let new_public: [u8; 32] = unh(&r["newPublic"]).try_into().unwrap();
	assert_eq!(PublicKey::from(&new).to_bytes(), new_public);
	let rewrapped = unh(&r["rewrapped"]);
	let seen = manifest.clone().for_patient_key(Some((new_public, &rewrapped)), &new).unwrap();
	assert_eq!(seen.open_essential(&new).unwrap().as_bytes(), manifest.open_essential(&old).unwrap().as_bytes());
	// The approval the rotated patient made recovers the key with any two answers.
	let reader = secret(&v["readerSecret"]);
	let reader_public: [u8; 32] = unh(&v["readerPublic"]).try_into().unwrap();
	let essential = ReleasedShare::from_approval(manifest.ciphertext_hash, reader_public, &unh(&r["approval"])).unwrap();
	let binding = Binding::ShareRequest(unh(&v["requestDigest"]).try_into().unwrap());
	let answers: Vec<_> =
		v["answers"].as_array().unwrap()[..2].iter().map(|a| ReleasedShare::from_json(&serde_json::to_vec(a).unwrap()).unwrap()).collect();
	let got = manifest.recover_released(&reader, (&essential, Binding::PatientApproval), &answers, binding).unwrap();
	assert_eq!(got.as_bytes().to_vec(), unh(&v["key"]));
}

// Share envelopes (vault/src/envelope.rs): X25519 with a fresh ephemeral key, HKDF-SHA256
// (salt = ephemeral public ‖ recipient public, info "pmr-vault/envelope/v1") into a
// ChaCha20-Poly1305 key, a random 12-byte nonce, the caller's context as associated data.
// Compact form: ephemeral public (32) ‖ nonce (12) ‖ sealed share (with its 16-byte tag).
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { x25519 } from '@noble/curves/ed25519.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { randomBytes } from '@noble/hashes/utils.js';
import { VaultError, concat, fromHex } from './bytes';

const INFO = new TextEncoder().encode('pmr-vault/envelope/v1');

/** A sealed share, as the vault's JSON (hex fields) or compact bytes carry it. */
export interface Envelope {
  ephemeralPublic: Uint8Array;
  nonce: Uint8Array;
  ciphertext: Uint8Array;
}

/** An envelope from the vault's JSON form (`{ephemeral_public, nonce, ciphertext}`, hex). */
export function envelopeFromJson(v: { ephemeral_public: string; nonce: string; ciphertext: string }): Envelope {
  return { ephemeralPublic: fromHex(v.ephemeral_public), nonce: fromHex(v.nonce), ciphertext: fromHex(v.ciphertext) };
}

/** An envelope from its compact bytes (what an approval carries on chain). */
export function envelopeFromBytes(bytes: Uint8Array): Envelope {
  if (bytes.length < 32 + 12 + 16) throw new VaultError('envelope', 'an envelope is too short');
  return { ephemeralPublic: bytes.slice(0, 32), nonce: bytes.slice(32, 44), ciphertext: bytes.slice(44) };
}

/** The compact bytes of an envelope. */
export function envelopeToBytes(e: Envelope): Uint8Array {
  return concat(e.ephemeralPublic, e.nonce, e.ciphertext);
}

function shared(secret: Uint8Array, peer: Uint8Array): Uint8Array {
  try {
    // noble refuses an all-zero shared secret (a low-order peer key), as the vault does.
    return x25519.getSharedSecret(secret, peer);
  } catch {
    throw new VaultError('envelope', 'a non-contributory X25519 key');
  }
}

function aeadKey(secret: Uint8Array, ephemeral: Uint8Array, recipient: Uint8Array): Uint8Array {
  return hkdf(sha256, secret, concat(ephemeral, recipient), INFO, 32);
}

/** The X25519 public key of a 32-byte secret. */
export function publicKey(secret: Uint8Array): Uint8Array {
  return x25519.getPublicKey(secret);
}

/** A new X25519 secret key. */
export function generateSecret(): Uint8Array {
  return x25519.utils.randomSecretKey();
}

/** Seals `plaintext` to `recipient`, binding `context`. */
export function seal(recipient: Uint8Array, plaintext: Uint8Array, context: Uint8Array): Envelope {
  const ephemeral = generateSecret();
  const ephemeralPublic = publicKey(ephemeral);
  const key = aeadKey(shared(ephemeral, recipient), ephemeralPublic, recipient);
  const nonce = randomBytes(12);
  return { ephemeralPublic, nonce, ciphertext: chacha20poly1305(key, nonce, context).encrypt(plaintext) };
}

/** Opens an envelope with the recipient's secret; throws on a wrong key or context or any
 * modification. */
export function open(secret: Uint8Array, e: Envelope, context: Uint8Array): Uint8Array {
  if (e.nonce.length !== 12) throw new VaultError('envelope', 'an envelope nonce is 12 bytes');
  const key = aeadKey(shared(secret, e.ephemeralPublic), e.ephemeralPublic, publicKey(secret));
  try {
    return chacha20poly1305(key, e.nonce, context).decrypt(e.ciphertext);
  } catch {
    throw new VaultError('envelope', 'a sealed share does not open with this key');
  }
}

// Record decryption: XChaCha20-Poly1305 in the STREAM construction (big-endian 32-bit chunk
// counter, last-chunk flag), the format of `pmr_vault::crypto` (vault/src/crypto.rs).
// Layout: "PMRV" ‖ version 1 ‖ chunk size (u32 BE) ‖ 19-byte nonce prefix, then sealed chunks
// of chunk size + 16 bytes, the last one shorter or equal.
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { blake2b } from '@noble/hashes/blake2.js';
import { VaultError, concat } from './bytes';

const MAGIC = [0x50, 0x4d, 0x52, 0x56]; // "PMRV"
const VERSION = 1;
const PREFIX_LEN = 19;
const TAG_LEN = 16;
/** Length of the ciphertext header. */
export const HEADER_LEN = 4 + 1 + 4 + PREFIX_LEN;
/** Chunks larger than this are refused (bounds memory on hostile input), as in the vault. */
export const MAX_CHUNK_SIZE = 16 << 20;

function nonce(prefix: Uint8Array, counter: number, last: boolean): Uint8Array {
  const n = new Uint8Array(24);
  n.set(prefix, 0);
  new DataView(n.buffer).setUint32(PREFIX_LEN, counter, false);
  n[23] = last ? 1 : 0;
  return n;
}

/** Decrypts a whole vault ciphertext with the record's 32-byte key. Resolves with the
 * plaintext and its blake2-256 (to compare with the chain's); throws `VaultError` when the
 * header is not the vault's or any chunk was modified, reordered or truncated. */
export function decrypt(key: Uint8Array, sealed: Uint8Array): { plaintext: Uint8Array; hash: Uint8Array } {
  if (sealed.length < HEADER_LEN || MAGIC.some((b, i) => sealed[i] !== b) || sealed[4] !== VERSION) {
    throw new VaultError('format', 'not a PMR vault ciphertext');
  }
  const chunkSize = new DataView(sealed.buffer, sealed.byteOffset).getUint32(5, false);
  if (chunkSize === 0 || chunkSize > MAX_CHUNK_SIZE) throw new VaultError('format', 'bad chunk size');
  const prefix = sealed.subarray(9, HEADER_LEN);
  const sealedLen = chunkSize + TAG_LEN;
  const body = sealed.subarray(HEADER_LEN);
  const hasher = blake2b.create({ dkLen: 32 });
  const parts: Uint8Array[] = [];
  // Every chunk but the last is full; a body that ends on a chunk boundary has its last chunk
  // full too (the encryptor looks ahead), and an empty plaintext is one sealed empty chunk.
  const count = Math.max(1, Math.ceil(body.length / sealedLen));
  for (let i = 0; i < count; i++) {
    const chunk = body.subarray(i * sealedLen, Math.min(body.length, (i + 1) * sealedLen));
    const last = i === count - 1;
    let plain: Uint8Array;
    try {
      plain = xchacha20poly1305(key, nonce(prefix, i, last)).decrypt(chunk);
    } catch {
      throw new VaultError('decryption', 'the record does not decrypt: it was modified or the key is wrong');
    }
    hasher.update(plain);
    parts.push(plain);
  }
  return { plaintext: concat(...parts), hash: hasher.digest() };
}

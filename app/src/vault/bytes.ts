// Byte helpers and the vault's hash (blake2b-256), shared by the format modules.
import { blake2b } from '@noble/hashes/blake2.js';

/** Lower-case hex of `bytes`, without a prefix. */
export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Bytes of a hex string, with or without `0x`; throws on anything else. */
export function fromHex(text: string): Uint8Array {
  const s = text.startsWith('0x') ? text.slice(2) : text;
  if (s.length % 2 !== 0 || /[^0-9a-fA-F]/.test(s)) throw new VaultError('format', 'not hex');
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** The concatenation of `parts`. */
export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Whether `a` and `b` hold the same bytes. */
export function equal(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

/** blake2b-256 of `data`: every content hash on PMR Chain. */
export function blake2_256(data: Uint8Array): Uint8Array {
  return blake2b(data, { dkLen: 32 });
}

/** What went wrong, as the vault's Rust errors name it. */
export type VaultErrorKind =
  | 'format' // malformed header, manifest or share
  | 'decryption' // a chunk failed authentication: modified, reordered or truncated
  | 'envelope' // a sealed share did not open: wrong key, wrong context or modified
  | 'tampered' // a share does not match its commitment in the manifest
  | 'not-enough' // fewer sound custodian shares than the threshold
  | 'mismatch' // a hash does not match the chain's
  | 'rotated'; // the patient's share is sealed to another of the patient's keys

/** An error of the vault's formats, with a kind a page can turn into a sentence. */
export class VaultError extends Error {
  constructor(
    readonly kind: VaultErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'VaultError';
  }
}

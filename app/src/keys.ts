// The user's X25519 key, made and kept in the browser. The secret is encrypted under the
// user's passphrase (WebCrypto: PBKDF2-SHA256, 600 000 iterations, into an AES-256-GCM key)
// and stored in this browser's local storage; the backup file is that same encrypted blob.
// Neither the secret nor the passphrase ever leaves the browser. Unlocked keys live in memory
// for the session only. A rotation keeps the previous key (same passphrase) until every share
// sealed to it is re-wrapped to the new one.
import { fromHex, generateSecret, publicKey, toHex } from './vault';

const ITERATIONS = 600_000;
const PREFIX = 'pmr-x25519:';
const PREVIOUS = 'pmr-x25519-previous:';

/** A stored, encrypted key (also the backup file's content). */
export interface StoredKey {
  format: 'pmr-chain-x25519-key/v1';
  account: string;
  public: string;
  salt: string;
  iv: string;
  sealed: string;
}

const unlocked = new Map<string, Uint8Array>();
const unlockedPrevious = new Map<string, Uint8Array>();

async function aesKey(passphrase: string, salt: Uint8Array): Promise<CryptoKey> {
  const base = await crypto.subtle.importKey('raw', new TextEncoder().encode(passphrase), 'PBKDF2', false, ['deriveKey']);
  return crypto.subtle.deriveKey({ name: 'PBKDF2', hash: 'SHA-256', salt: salt as BufferSource, iterations: ITERATIONS }, base, { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
}

/** The stored key of `account`, if this browser has one. */
export function storedKey(account: string): StoredKey | undefined {
  const s = localStorage.getItem(PREFIX + account);
  return s ? (JSON.parse(s) as StoredKey) : undefined;
}

/** The unlocked secret of `account` (this session), if any. */
export function unlockedSecret(account: string): Uint8Array | undefined {
  return unlocked.get(account);
}

/** The previous key of `account` after a rotation, unlocked (this session), if any. */
export function previousSecret(account: string): Uint8Array | undefined {
  return unlockedPrevious.get(account);
}

async function seal(account: string, passphrase: string, secret: Uint8Array): Promise<StoredKey> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: new TextEncoder().encode(account) }, await aesKey(passphrase, salt), secret as BufferSource));
  return { format: 'pmr-chain-x25519-key/v1', account, public: toHex(publicKey(secret)), salt: toHex(salt), iv: toHex(iv), sealed: toHex(sealed) };
}

async function open(stored: StoredKey, passphrase: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(
      await crypto.subtle.decrypt({ name: 'AES-GCM', iv: fromHex(stored.iv) as BufferSource, additionalData: new TextEncoder().encode(stored.account) }, await aesKey(passphrase, fromHex(stored.salt)), fromHex(stored.sealed) as BufferSource),
    );
  } catch {
    throw new Error('That passphrase does not open this key.');
  }
}

/** Makes a new key for `account`, encrypted under `passphrase`, and keeps it unlocked. */
export async function createKey(account: string, passphrase: string): Promise<StoredKey> {
  if (passphrase.length < 8) throw new Error('Choose a passphrase of at least 8 characters.');
  const secret = generateSecret();
  const stored = await seal(account, passphrase, secret);
  localStorage.setItem(PREFIX + account, JSON.stringify(stored));
  unlocked.set(account, secret);
  return stored;
}

/** Unlocks `account`'s stored key with `passphrase` (and the previous one, if a rotation
 * kept it). */
export async function unlockKey(account: string, passphrase: string): Promise<Uint8Array> {
  const stored = storedKey(account);
  if (!stored) throw new Error('This browser holds no key for this account. Create one, or restore your backup file.');
  const secret = await open(stored, passphrase);
  unlocked.set(account, secret);
  const previous = localStorage.getItem(PREVIOUS + account);
  if (previous) unlockedPrevious.set(account, await open(JSON.parse(previous) as StoredKey, passphrase));
  return secret;
}

/** Rotates `account`'s key: a new secret under the same `passphrase` becomes the current key,
 * and the current one is kept as the previous key until every share sealed to it is re-wrapped
 * ([`forgetPreviousKey`]). Both stay unlocked. Returns the new secret. */
export async function rotateKey(account: string, passphrase: string): Promise<Uint8Array> {
  const stored = storedKey(account);
  if (!stored) throw new Error('This browser holds no key to rotate.');
  if (localStorage.getItem(PREVIOUS + account)) throw new Error('Finish the rotation under way first.');
  const old = await open(stored, passphrase);
  const secret = generateSecret();
  localStorage.setItem(PREVIOUS + account, JSON.stringify(stored));
  localStorage.setItem(PREFIX + account, JSON.stringify(await seal(account, passphrase, secret)));
  unlockedPrevious.set(account, old);
  unlocked.set(account, secret);
  return secret;
}

/** Forgets `account`'s previous key once nothing is sealed to it any more. */
export function forgetPreviousKey(account: string): void {
  localStorage.removeItem(PREVIOUS + account);
  unlockedPrevious.delete(account);
}

/** The backup file of `account`'s key (still encrypted under the passphrase). */
export function backupFile(account: string): Blob {
  const stored = storedKey(account);
  if (!stored) throw new Error('There is no key to back up.');
  return new Blob([JSON.stringify(stored, null, 2)], { type: 'application/json' });
}

/** Restores a backup file for `account`. */
export async function restoreKey(account: string, file: File): Promise<StoredKey> {
  let stored: StoredKey;
  try {
    stored = JSON.parse(await file.text());
  } catch {
    throw new Error('That file is not a PMR Chain key backup.');
  }
  if (stored.format !== 'pmr-chain-x25519-key/v1') throw new Error('That file is not a PMR Chain key backup.');
  if (stored.account !== account) throw new Error('That backup belongs to another account.');
  localStorage.setItem(PREFIX + account, JSON.stringify(stored));
  return stored;
}

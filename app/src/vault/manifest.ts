// Key manifests (vault/src/manifest.rs) and released shares (vault/src/release.rs): what the
// patient opens to approve a request, and what a reader recovers a record's key from.
import { VaultError, blake2_256, concat, equal, fromHex } from './bytes';
import { type Envelope, envelopeFromBytes, envelopeFromJson, envelopeToBytes, open, publicKey, seal } from './envelope';
import { type CustodianShare, combine, commitment, shareFromBytes } from './sharing';

const MANIFEST_VERSION = 1;
const SCHEME = 'pmr-1tn/xor-shamir-gf256/x25519-hkdf-sha256-chacha20poly1305/v1';
const RELEASE_VERSION = 2;
const ROLE_PATIENT = 0;
const text = (s: string) => new TextEncoder().encode(s);

/** A record's key manifest: hashes, threshold, the patient's and custodians' envelopes. */
export interface KeyManifest {
  plaintextHash: Uint8Array;
  ciphertextHash: Uint8Array;
  threshold: number;
  patient: { patientKey: Uint8Array; envelope: Envelope };
  custodians: { index: number; custodianKey: Uint8Array; commitment: Uint8Array; envelope: Envelope }[];
}

/** Parses and checks a manifest's JSON (as pinned next to the ciphertext). */
export function parseManifest(bytes: Uint8Array): KeyManifest {
  let m: any;
  try {
    m = JSON.parse(new TextDecoder().decode(bytes));
    if (m.version !== MANIFEST_VERSION || m.scheme !== SCHEME) throw new Error('unsupported version or scheme');
    const manifest: KeyManifest = {
      plaintextHash: fromHex(m.plaintext_hash),
      ciphertextHash: fromHex(m.ciphertext_hash),
      threshold: m.threshold,
      patient: { patientKey: fromHex(m.patient.patient_key), envelope: envelopeFromJson(m.patient.envelope) },
      custodians: m.custodians.map((c: any) => ({
        index: c.index,
        custodianKey: fromHex(c.custodian_key),
        commitment: fromHex(c.commitment),
        envelope: envelopeFromJson(c.envelope),
      })),
    };
    if (!(manifest.threshold >= 1 && manifest.threshold <= manifest.custodians.length)) throw new Error('threshold does not fit the custodians');
    return manifest;
  } catch (e) {
    if (e instanceof VaultError) throw e;
    throw new VaultError('format', `not a key manifest: ${(e as Error).message}`);
  }
}

/** How a released share is bound: to a share request's digest, or to the patient's approval. */
export type Binding = { shareRequest: Uint8Array } | { patientApproval: true };

function bindingBytes(b: Binding): Uint8Array {
  return 'shareRequest' in b ? concat(Uint8Array.of(1), b.shareRequest) : Uint8Array.of(2);
}

function manifestContext(ciphertextHash: Uint8Array, role: number, index: number): Uint8Array {
  return concat(text('pmr-vault/manifest/v1'), ciphertextHash, Uint8Array.of(role, index));
}

function releaseContext(ciphertextHash: Uint8Array, binding: Binding, index: number): Uint8Array {
  return concat(text('pmr-vault/release/v2'), ciphertextHash, bindingBytes(binding), Uint8Array.of(index));
}

/** A share released to a reader (a custodian's answer, or the patient's approval). */
export interface ReleasedShare {
  binding: Binding;
  ciphertextHash: Uint8Array;
  index: number;
  readerKey: Uint8Array;
  envelope: Envelope;
}

/** A released share from the vault's JSON (a custodian's `pmr_requestShare` answer's `share`). */
export function releasedFromJson(v: any): ReleasedShare {
  if (v?.version !== RELEASE_VERSION) throw new VaultError('format', `unsupported released share version ${v?.version}`);
  const binding: Binding =
    typeof v.binding?.shareRequest === 'string' ? { shareRequest: fromHex(v.binding.shareRequest) } : v.binding === 'patientApproval' ? { patientApproval: true } : (() => { throw new VaultError('format', 'a released share of an on-chain key request'); })();
  return { binding, ciphertextHash: fromHex(v.ciphertext_hash), index: v.index, readerKey: fromHex(v.reader_key), envelope: envelopeFromJson(v.envelope) };
}

/** The essential share the patient handed over with an approval (compact envelope bytes). */
export function releasedFromApproval(ciphertextHash: Uint8Array, readerKey: Uint8Array, envelope: Uint8Array): ReleasedShare {
  return { binding: { patientApproval: true }, ciphertextHash, index: 0, readerKey, envelope: envelopeFromBytes(envelope) };
}

const sameBinding = (a: Binding, b: Binding) =>
  'shareRequest' in a ? 'shareRequest' in b && equal(a.shareRequest, b.shareRequest) : 'patientApproval' in b;

function openReleased(m: KeyManifest, reader: Uint8Array, binding: Binding, r: ReleasedShare): Uint8Array {
  if (!sameBinding(r.binding, binding) || !equal(r.ciphertextHash, m.ciphertextHash)) {
    throw new VaultError('envelope', `share ${r.index} was released for another request or record`);
  }
  return open(reader, r.envelope, releaseContext(m.ciphertextHash, binding, r.index));
}

/** The patient's tool, after a rotation of the patient's key: opens the essential share with
 * the secret it is sealed to now and seals it to `newKey`, bound like the manifest's own entry
 * (this record, the patient's role). Returns the compact envelope
 * `keyRelease.rewrapEssentialShares` keeps on chain (vault/src/manifest.rs `rewrap_essential`). */
export function rewrapEssential(m: KeyManifest, oldSecret: Uint8Array, newKey: Uint8Array): Uint8Array {
  const context = manifestContext(m.ciphertextHash, ROLE_PATIENT, 0);
  const essential = open(oldSecret, m.patient.envelope, context);
  if (essential.length !== 32) throw new VaultError('envelope', 'the essential share is 32 bytes');
  return envelopeToBytes(seal(newKey, essential, context));
}

/** The essential share re-wrapped to a newer key of the patient, as the chain keeps it. */
export interface Rewrapped {
  key: Uint8Array;
  envelope: Uint8Array;
}

/** `m` as the holder of `patientSecret` sees it: the patient's entry is the re-wrapped one
 * when that is sealed to this secret's key, the manifest's own otherwise; neither, and the
 * share must first be re-wrapped from the key it is sealed to. */
export function forPatientKey(m: KeyManifest, rewrapped: Rewrapped | null, patientSecret: Uint8Array): KeyManifest {
  const mine = publicKey(patientSecret);
  if (rewrapped && equal(rewrapped.key, mine)) return { ...m, patient: { patientKey: rewrapped.key, envelope: envelopeFromBytes(rewrapped.envelope) } };
  if (equal(m.patient.patientKey, mine)) return m;
  throw new VaultError('rotated', 'Your share of this record is sealed to another of your keys: re-wrap your shares from that key first (Rotate my key).');
}

/** The patient's side of an approval: opens the essential share from the manifest and seals
 * it to the reader's key, bound to the approval. Returns the compact envelope that
 * `consent.approveRequest`'s `keys` carries. */
export function approveEssential(m: KeyManifest, patientSecret: Uint8Array, readerKey: Uint8Array): Uint8Array {
  const essential = open(patientSecret, m.patient.envelope, manifestContext(m.ciphertextHash, ROLE_PATIENT, 0));
  if (essential.length !== 32) throw new VaultError('envelope', 'the essential share is 32 bytes');
  return envelopeToBytes(seal(readerKey, essential, releaseContext(m.ciphertextHash, { patientApproval: true }, 0)));
}

/** Recovers a record's data key from the essential share (released by the patient's
 * approval, or, for the patient's own content, opened from the manifest) and the custodians'
 * answers bound to `binding`. An answer that does not open or match its commitment is passed
 * over while others remain, so one faulty custodian cannot stop the read. */
export function recoverKey(
  m: KeyManifest,
  readerSecret: Uint8Array,
  essential: ReleasedShare | 'own',
  answers: ReleasedShare[],
  binding: Binding,
): Uint8Array {
  const e =
    essential === 'own'
      ? open(readerSecret, m.patient.envelope, manifestContext(m.ciphertextHash, ROLE_PATIENT, 0))
      : essential.index === 0
        ? openReleased(m, readerSecret, { patientApproval: true }, essential)
        : (() => { throw new VaultError('format', 'the essential share has index 0'); })();
  if (e.length !== 32) throw new VaultError('envelope', 'the essential share is 32 bytes');
  const sound: CustodianShare[] = [];
  let firstError: unknown;
  for (const r of answers) {
    if (sound.length >= m.threshold) break;
    try {
      const share = shareFromBytes(openReleased(m, readerSecret, binding, r));
      const committed = m.custodians.find((c) => c.index === share.index)?.commitment;
      if (share.index !== r.index || !committed || !equal(committed, commitment(share))) {
        throw new VaultError('tampered', `custodian share ${r.index} does not match the manifest`);
      }
      if (!sound.some((s) => s.index === share.index)) sound.push(share);
    } catch (err) {
      firstError ??= err;
    }
  }
  if (sound.length < m.threshold && firstError) throw firstError;
  return combine(e, sound, new Map(m.custodians.map((c) => [c.index, c.commitment])), m.threshold);
}

/** Throws unless `bytes` hash (blake2-256) to `expected`. */
export function checkHash(bytes: Uint8Array, expected: Uint8Array, what: string): void {
  if (!equal(blake2_256(bytes), expected)) throw new VaultError('mismatch', `the ${what} does not match the hash on the chain`);
}

/** Checks that a fetched manifest belongs to the anchored content (its hashes are the chain's). */
export function checkManifest(m: KeyManifest, ciphertextHash: Uint8Array, plaintextHash: Uint8Array): void {
  if (!equal(m.ciphertextHash, ciphertextHash) || !equal(m.plaintextHash, plaintextHash)) {
    throw new VaultError('mismatch', "the key manifest is not the anchored content's");
  }
}

// Opening sealed content in the browser, the fast way (docs/key-release.md): a share request
// signed with the reader's account goes to every custodian node at once; each answers from its
// finalized block with its share sealed to the reader's key, or a typed refusal. The essential
// share is the one the patient handed over with the approval (or, for the patient's own
// content, opened from the manifest). Manifest, ciphertext and plaintext are checked against
// the chain's hashes before anything is shown.
import { stringToU8a, u8aConcat } from '@polkadot/util';
import { cidText } from './cid';
import { blake2AsHex } from '@polkadot/util-crypto';
import { RpcError, api, finalized, finalizedAt, rpc } from './chain';
import type { Config } from './config';
import {
  type KeyManifest, type ReleasedShare, type Rewrapped, VaultError, approveEssential, checkHash, checkManifest, decrypt, equal,
  forPatientKey, fromHex, parseManifest, publicKey, recoverKey, releasedFromApproval, releasedFromJson, rewrapEssential,
} from './vault';
import { type Account, signBytes } from './wallet';

/** What a sealed target names: a record version, a lab study or an IoMT batch. */
export type Target = { RecordVersion: { item: number; version: number } } | { LabStudy: number } | { IomtBatch: { device: number; batch: number } };

/** The anchored content of a target, as the reader needs it. */
interface Content {
  patient: number;
  cid: string;
  plaintextHash: Uint8Array;
  ciphertextHash: Uint8Array;
  manifestCid: string;
  manifestHash: Uint8Array;
}

/** A custodian's share request is dated this many blocks before the reader's finalized block,
 * so a custodian whose finality is a little behind still decides it. */
const AT_MARGIN = 8;

/** A purpose as the chain's `Purpose` enum names it: "secondOpinion" → "SecondOpinion". */
export function purposeVariant(purpose: string): string {
  return purpose[0].toUpperCase() + purpose.slice(1);
}

/** Fetches `cid` from the hospital's IPFS node (Kubo RPC `cat`). */
export async function ipfsCat(config: Config, cid: string): Promise<Uint8Array> {
  let res: Response;
  try {
    res = await fetch(`${config.ipfs}/api/v0/cat?arg=${encodeURIComponent(cid)}`, { method: 'POST', signal: AbortSignal.timeout(60_000) });
  } catch {
    throw new Error("The hospital's IPFS node cannot be reached.");
  }
  if (!res.ok) throw new Error(`The hospital's IPFS node could not find the encrypted content (${res.status}).`);
  return new Uint8Array(await res.arrayBuffer());
}

/** The content a target names is not there to open: never anchored, erased, or without its
 * key manifest yet. */
export class NoContent extends Error {}

/** The anchored content of `target` at block `at`. */
export async function sealedContent(target: Target, at?: string): Promise<Content> {
  const call = at ? (await api.at(at)).call : api.call;
  const sealed = (await call.keyReleaseApi.sealed(target)).toJSON() as { patient: number; content: null | { cid: string; plaintextHash: string; ciphertextHash: string; manifest: null | { cid: string; hash: string } } } | null;
  if (!sealed) throw new NoContent('There is no such content on the chain.');
  if (!sealed.content) throw new NoContent('This content was erased.');
  const c = sealed.content;
  if (!c.manifest) throw new NoContent('This content has no key manifest yet.');
  const text = (hex: string) => cidText(fromHex(hex));
  return { patient: sealed.patient, cid: text(c.cid), plaintextHash: fromHex(c.plaintextHash), ciphertextHash: fromHex(c.ciphertextHash), manifestCid: text(c.manifest.cid), manifestHash: fromHex(c.manifest.hash) };
}

async function checkedManifest(config: Config, content: Content): Promise<KeyManifest> {
  const bytes = await ipfsCat(config, content.manifestCid);
  checkHash(bytes, content.manifestHash, 'key manifest');
  const m = parseManifest(bytes);
  checkManifest(m, content.ciphertextHash, content.plaintextHash);
  return m;
}

/** The patient's essential share of `target` re-wrapped to a newer key of the patient (after
 * a rotation), as the chain keeps it at block `at`; null if it never was. */
export async function rewrappedShare(target: Target, at?: string): Promise<Rewrapped | null> {
  const call = at ? (await api.at(at)).call : api.call;
  const r = (await call.keyReleaseApi.rewrappedEssential(target)).toJSON() as { key: string; envelope: string } | null;
  return r && { key: fromHex(r.key), envelope: fromHex(r.envelope) };
}

/** `target`'s manifest, checked against its anchored `content` (read at block `at` when not
 * given), and its essential share re-wrapped after a rotation (if it was), at `at`. */
async function manifestAndRewrap(config: Config, target: Target, at?: string, content?: Content): Promise<[KeyManifest, Rewrapped | null]> {
  const anchored = content ? Promise.resolve(content) : sealedContent(target, at);
  return Promise.all([anchored.then((c) => checkedManifest(config, c)), rewrappedShare(target, at)]);
}

/** `target`'s manifest as the holder of `patientSecret` sees it (the essential share
 * re-wrapped to that key, if it was). */
async function patientManifest(config: Config, target: Target, patientSecret: Uint8Array, at?: string, content?: Content): Promise<KeyManifest> {
  return forPatientKey(...(await manifestAndRewrap(config, target, at, content)), patientSecret);
}

/** The patient's side of an approval: the essential share of `target` sealed to the
 * requester's key, as `consent.approveRequest`'s `keys` carries it. */
export async function approvalKey(config: Config, target: Target, patientSecret: Uint8Array, readerKey: Uint8Array): Promise<[Target, Uint8Array]> {
  return [target, approveEssential(await patientManifest(config, target, patientSecret), patientSecret, readerKey)];
}

/** The patient's tool, after a rotation: the essential share of `target` re-wrapped from
 * `oldSecret` to `newKey`, as `keyRelease.rewrapEssentialShares` takes it; null when it is
 * already sealed to `newKey` (nothing to do). */
export async function rewrapKey(config: Config, target: Target, oldSecret: Uint8Array, newKey: Uint8Array): Promise<[Target, Uint8Array] | null> {
  const [m, rewrapped] = await manifestAndRewrap(config, target);
  if (equal(rewrapped?.key ?? m.patient.patientKey, newKey)) return null;
  return [target, rewrapEssential(forPatientKey(m, rewrapped, oldSecret), oldSecret, newKey)];
}

/** What opening content gave: the plaintext (every hash matched the chain's: manifest,
 * ciphertext, plaintext) and how it went. */
export interface Opened {
  plaintext: Uint8Array;
  custodiansAnswered: number;
  /** Where the time went (ms): waiting for the approval to be final, the custodians'
   * answers (with the manifest fetched meanwhile), and fetching, checking and decrypting. */
  timings: { finality: number; custodians: number; decrypt: number };
}

/** A custodian's refusal or failure in words. */
function refusalSentence(url: string, e: unknown): string {
  const host = (() => { try { return new URL(url).host; } catch { return url; } })();
  if (e instanceof RpcError) return `${host}: ${e.message}`;
  return `${host}: ${(e as Error).message}`;
}

/** Opens `target` as `reader` (a doctor or lab with consent, or the patient: `purpose` null). */
export async function openContent(config: Config, reader: Account, readerSecret: Uint8Array, target: Target, purpose: string | null, progress: (text: string) => void = () => {}): Promise<Opened> {
  const t0 = performance.now();
  let head = await finalized();
  const content = await sealedContent(target, head.hash);
  // The essential share the patient handed over with a consent that applies at `at`.
  const handedAt = async (at?: string) =>
    (await (at ? (await api.at(at)).call : api.call).consentApi.essentialShare(reader.address, content.patient, target)).toJSON() as [number, string] | null;
  let handed = purpose ? await handedAt(head.hash) : null;
  if (purpose && !handed && (await handedAt())) {
    // Custodians decide at their finalized block: an approval that is in the best block but
    // not yet final would be refused, so wait for it (a block or two) instead.
    progress('Waiting for the approval to be final…');
    await finalizedAt((await api.rpc.chain.getHeader()).number.toNumber());
    head = await finalized();
    handed = await handedAt(head.hash);
  }
  const t1 = performance.now();
  const request = api.createType('PmrPrimitivesKeyReleaseShareRequest', {
    genesis: api.genesisHash,
    at: Math.max(0, head.number - AT_MARGIN),
    requester: reader.address,
    target,
    purpose: purpose ? purposeVariant(purpose) : null,
    readerKey: publicKey(readerSecret),
  });
  const payload = u8aConcat(stringToU8a('pmr-share-request/v1:'), request.toU8a());
  const digest = blake2AsHex(payload, 256);
  const signature = await signBytes(reader, payload);
  progress('Asking the custodians for their key shares…');
  // Every custodian at once; the manifest is fetched meanwhile.
  const [replies, manifest] = await Promise.all([
    Promise.allSettled(config.custodians.map((url) => rpc(url, 'pmr_requestShare', [request.toHex(), signature]))),
    // The patient's own content: the essential share as the patient's key sees it.
    purpose ? checkedManifest(config, content) : patientManifest(config, target, readerSecret, head.hash, content),
  ]);
  const answers: ReleasedShare[] = [];
  const refusals: string[] = [];
  const reasons = new Set<string>();
  replies.forEach((r, i) => {
    if (r.status === 'fulfilled') {
      const reply = r.value as { request: string; share: unknown };
      if (reply.request === digest) answers.push(releasedFromJson(reply.share));
      else refusals.push(`${config.custodians[i]}: answered another request`);
    } else {
      refusals.push(refusalSentence(config.custodians[i], r.reason));
      reasons.add((r.reason as Error).message.replace(/^refused: /, ''));
    }
  });
  if (answers.length === 0) {
    // The custodians' word comes first: it says why (the consent ended, was revoked…).
    throw new Error(reasons.size === 1 && refusals.length === config.custodians.length
      ? `Every custodian refused: ${[...reasons][0]}.`
      : `Every custodian refused or failed. ${refusals.join(' ')}`);
  }
  let essential: ReleasedShare | 'own' = 'own';
  if (purpose) {
    if (!handed) throw new Error('The patient has not handed over the key to this content with a consent that applies now.');
    essential = releasedFromApproval(content.ciphertextHash, publicKey(readerSecret), fromHex(handed[1]));
  }
  let key: Uint8Array;
  try {
    key = recoverKey(manifest, readerSecret, essential, answers, { shareRequest: fromHex(digest) });
  } catch (e) {
    if (e instanceof VaultError && e.kind === 'not-enough') {
      throw new Error(`Only ${answers.length} of the ${manifest.threshold} custodian shares needed arrived. ${refusals.join(' ')}`);
    }
    throw e;
  }
  const t2 = performance.now();
  progress('Decrypting and checking against the chain…');
  const ciphertext = await ipfsCat(config, content.cid);
  checkHash(ciphertext, content.ciphertextHash, 'encrypted record');
  const { plaintext, hash } = decrypt(key, ciphertext);
  if (!equal(hash, content.plaintextHash)) throw new VaultError('mismatch', 'The decrypted record does not match the hash on the chain.');
  const timings = { finality: t1 - t0, custodians: t2 - t1, decrypt: performance.now() - t2 };
  return { plaintext, custodiansAnswered: answers.length, timings };
}

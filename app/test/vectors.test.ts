// The vault's own test vectors (vault/tests/vectors/vault-v1.json, written and checked by
// vault/tests/vectors.rs) pass in the TypeScript port too: one format, two implementations.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  approveEssential, blake2_256, decrypt, envelopeFromBytes, forPatientKey, fromHex, generateSecret, open, parseManifest, publicKey,
  recoverKey, releasedFromApproval, releasedFromJson, rewrapEssential, toHex, VaultError,
} from '../src/vault';

const v = JSON.parse(readFileSync(new URL('../../vault/tests/vectors/vault-v1.json', import.meta.url), 'utf8'));
const plaintext = (len: number) => Uint8Array.from({ length: len }, (_, i) => (i * 31) % 251);

describe('the vault test vectors', () => {
  it('decrypts every STREAM vector to its plaintext and hash', () => {
    for (const s of v.stream) {
      const sealed = fromHex(s.ciphertext);
      expect(toHex(blake2_256(sealed))).toBe(s.ciphertextHash);
      const { plaintext: p, hash } = decrypt(fromHex(s.key), sealed);
      expect(p).toEqual(plaintext(s.plaintextLen));
      expect(toHex(hash)).toBe(s.plaintextHash);
    }
  });

  it('refuses a modified, truncated or foreign ciphertext', () => {
    const s = v.stream.find((x: { plaintextLen: number }) => x.plaintextLen === 100);
    const sealed = fromHex(s.ciphertext);
    const flipped = sealed.slice();
    flipped[40] ^= 1;
    expect(() => decrypt(fromHex(s.key), flipped)).toThrow(VaultError);
    expect(() => decrypt(fromHex(s.key), sealed.slice(0, sealed.length - 23))).toThrow(/modified/);
    expect(() => decrypt(fromHex(s.key), new TextEncoder().encode('not a vault file at all, really'))).toThrow(/not a PMR vault/);
  });

  it('opens the envelope vector with its context only', () => {
    const e = v.envelope;
    expect(toHex(publicKey(fromHex(e.secret)))).toBe(e.public);
    const env = envelopeFromBytes(fromHex(e.compact));
    expect(toHex(open(fromHex(e.secret), env, fromHex(e.context)))).toBe(e.plaintext);
    expect(() => open(fromHex(e.secret), env, new Uint8Array([1]))).toThrow(VaultError);
  });

  it('recovers the key from the approval and any two answers, passing a tampered one over', () => {
    const r = v.release;
    const m = parseManifest(new TextEncoder().encode(JSON.stringify(r.manifest)));
    const reader = fromHex(r.readerSecret);
    const essential = releasedFromApproval(m.ciphertextHash, fromHex(r.readerPublic), fromHex(r.approval));
    const binding = { shareRequest: fromHex(r.requestDigest) };
    const answers = r.answers.map(releasedFromJson);
    for (const pair of [[0, 1], [1, 2], [0, 2]]) {
      expect(toHex(recoverKey(m, reader, essential, pair.map((i) => answers[i]), binding))).toBe(r.key);
    }
    const withBad = [releasedFromJson(r.tamperedAnswer), answers[1], answers[2]];
    const key = recoverKey(m, reader, essential, withBad, binding);
    expect(toHex(key)).toBe(r.key);
    expect(() => recoverKey(m, reader, essential, [answers[0]], binding)).toThrow(/1 custodian share\(s\), 2 needed/);
    expect(() => recoverKey(m, reader, essential, answers, { shareRequest: new Uint8Array(32) })).toThrow(/another request/);
    const { plaintext: p, hash } = decrypt(key, fromHex(r.ciphertext));
    expect(hash).toEqual(m.plaintextHash);
    expect(p).toEqual(plaintext(r.plaintextLen));
  });

  it("seals the patient's approval so that the reader's recovery opens it", () => {
    const r = v.release;
    const m = parseManifest(new TextEncoder().encode(JSON.stringify(r.manifest)));
    const approval = approveEssential(m, fromHex(r.patientSecret), fromHex(r.readerPublic));
    const essential = releasedFromApproval(m.ciphertextHash, fromHex(r.readerPublic), approval);
    const answers = r.answers.map(releasedFromJson);
    expect(toHex(recoverKey(m, fromHex(r.readerSecret), essential, answers, { shareRequest: fromHex(r.requestDigest) }))).toBe(r.key);
  });

  it("opens the rotated patient's re-wrapped share, approves with it, and re-wraps as Rust does", () => {
    const r = v.release;
    const rot = r.rotation;
    const m = parseManifest(new TextEncoder().encode(JSON.stringify(r.manifest)));
    const [oldSecret, newSecret] = [fromHex(r.patientSecret), fromHex(rot.newSecret)];
    expect(toHex(publicKey(newSecret))).toBe(rot.newPublic);
    const rewrapped = { key: fromHex(rot.newPublic), envelope: fromHex(rot.rewrapped) };
    // Rust's approval from the re-wrapped entry recovers the key.
    const answers = r.answers.map(releasedFromJson);
    const binding = { shareRequest: fromHex(r.requestDigest) };
    const rustApproval = releasedFromApproval(m.ciphertextHash, fromHex(r.readerPublic), fromHex(rot.approval));
    expect(toHex(recoverKey(m, fromHex(r.readerSecret), rustApproval, answers, binding))).toBe(r.key);
    // So does one made here with the new secret from Rust's re-wrapped entry.
    const seen = forPatientKey(m, rewrapped, newSecret);
    const approval = releasedFromApproval(m.ciphertextHash, fromHex(r.readerPublic), approveEssential(seen, newSecret, fromHex(r.readerPublic)));
    expect(toHex(recoverKey(m, fromHex(r.readerSecret), approval, answers, binding))).toBe(r.key);
    // The old secret still sees the manifest's own entry; a third key is told to re-wrap first.
    expect(forPatientKey(m, rewrapped, oldSecret)).toBe(m);
    expect(() => forPatientKey(m, rewrapped, generateSecret())).toThrow(/sealed to another of your keys/);
    expect(() => forPatientKey(m, null, newSecret)).toThrow(VaultError);
    // A re-wrap made here to a third key opens as the manifest's entry would, and only for this record.
    const third = generateSecret();
    const mine = rewrapEssential(seen, newSecret, publicKey(third));
    const again = forPatientKey(m, { key: publicKey(third), envelope: mine }, third);
    const thirdApproval = releasedFromApproval(m.ciphertextHash, fromHex(r.readerPublic), approveEssential(again, third, fromHex(r.readerPublic)));
    expect(toHex(recoverKey(m, fromHex(r.readerSecret), thirdApproval, answers, binding))).toBe(r.key);
    const other = { ...m, ciphertextHash: new Uint8Array(32) };
    expect(() => approveEssential(forPatientKey(other, { key: publicKey(third), envelope: mine }, third), third, fromHex(r.readerPublic))).toThrow(VaultError);
  });
});

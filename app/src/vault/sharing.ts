// The (1,t,n) scheme of vault/src/sharing.rs: K = E ⊕ S, S split t-of-n with Shamir's scheme
// over GF(2^8) (polynomial 0x11d, generator 2, as the `blahaj` crate), each custodian share
// (index ‖ 32 bytes) bound by blake2-256("pmr-vault/share/v1" ‖ index ‖ share).
import { VaultError, blake2_256, concat, equal } from './bytes';

const EXP = new Uint8Array(512);
const LOG = new Uint8Array(256);
{
  let x = 1;
  for (let i = 0; i < 255; i++) {
    EXP[i] = x;
    LOG[x] = i;
    x <<= 1;
    if (x & 0x100) x ^= 0x11d;
  }
  for (let i = 255; i < 512; i++) EXP[i] = EXP[i - 255];
}

const mul = (a: number, b: number) => (a === 0 || b === 0 ? 0 : EXP[LOG[a] + LOG[b]]);
const div = (a: number, b: number) => (a === 0 ? 0 : EXP[LOG[a] + 255 - LOG[b]]);

/** A custodian's share of S: its index (the x coordinate, 1..=n) and 32 bytes. */
export interface CustodianShare {
  index: number;
  value: Uint8Array;
}

const SHARE_DOMAIN = new TextEncoder().encode('pmr-vault/share/v1');

/** A share's commitment, as the manifest records it. */
export function commitment(share: CustodianShare): Uint8Array {
  return blake2_256(concat(SHARE_DOMAIN, Uint8Array.of(share.index), share.value));
}

/** Parses `index ‖ value`. */
export function shareFromBytes(bytes: Uint8Array): CustodianShare {
  if (bytes.length !== 33 || bytes[0] === 0) throw new VaultError('format', 'a share is an index (1..=255) and 32 bytes');
  return { index: bytes[0], value: bytes.slice(1) };
}

/** K from the essential share and at least `threshold` distinct shares, each checked against
 * its commitment. */
export function combine(
  essential: Uint8Array,
  shares: CustodianShare[],
  commitments: Map<number, Uint8Array>,
  threshold: number,
): Uint8Array {
  const distinct = new Map<number, CustodianShare>();
  for (const s of shares) {
    const c = commitments.get(s.index);
    if (!c || !equal(c, commitment(s))) throw new VaultError('tampered', `custodian share ${s.index} does not match the manifest`);
    distinct.set(s.index, s);
  }
  const used = [...distinct.values()];
  if (threshold === 0 || used.length < threshold) {
    throw new VaultError('not-enough', `${used.length} custodian share(s), ${threshold} needed`);
  }
  // Lagrange interpolation at x = 0 (addition and subtraction are XOR in GF(2^8)).
  const key = new Uint8Array(32);
  for (let b = 0; b < 32; b++) {
    let s = 0;
    for (const i of used) {
      let basis = 1;
      for (const j of used) if (j.index !== i.index) basis = mul(basis, div(j.index, j.index ^ i.index));
      s ^= mul(basis, i.value[b]);
    }
    key[b] = s ^ essential[b];
  }
  return key;
}

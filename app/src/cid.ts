// IPFS content addresses: the chain holds them in binary (CIDv1, sha2-256, 36 bytes; see
// primitives/src/cid.rs); Kubo's RPC takes their base32 text.

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** The base32 text (`b…`) of a binary CID, as Kubo's RPC `cat` takes it. */
export function cidText(binary: Uint8Array): string {
  let text = 'b';
  let buffer = 0;
  let bits = 0;
  for (const byte of binary) {
    buffer = ((buffer << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      text += BASE32[(buffer >> bits) & 31];
    }
  }
  if (bits > 0) text += BASE32[(buffer << (5 - bits)) & 31];
  return text;
}

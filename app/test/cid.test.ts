// The binary CIDs the chain stores read as the text Kubo prints (vectors of primitives/src/cid.rs).
import { describe, expect, it } from 'vitest';
import { cidText } from '../src/cid';
import { fromHex } from '../src/vault';

describe('cidText', () => {
  it('gives the base32 CIDv1 Kubo prints for raw and dag-pb content', () => {
    expect(cidText(fromHex('015512203769346285d851be9cd8c4e357ce25c7fd11b81989cfc52ebe9584dd5e9430be')))
      .toBe('bafkreibxne2gfboykg7jzwge4nl44joh7ui3qgmjz7cs5puvqtov5fbqxy');
    expect(cidText(fromHex('017012203c6459c88399bee0808e7348955835057908917bae8223749d80091f7c3621f8')))
      .toBe('bafybeib4mrm4ra4zx3qibdttjckvqnifpeejc65oqirxjhmabepxynrb7a');
  });
});

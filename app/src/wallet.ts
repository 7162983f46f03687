// Accounts and signing. Users sign through their browser wallet extension (Polkadot.js
// extension, Talisman, SubWallet: anything that injects into `window.injectedWeb3`), never
// through a server. Development accounts (the dev chain's cast, keys derived from the public
// dev seed) are offered only on a development chain and only after the user turns them on.
import { web3Accounts, web3Enable, web3FromAddress } from '@polkadot/extension-dapp';
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import type { ApiPromise } from '@polkadot/api';
import type { InjectedExtension, MetadataDef } from '@polkadot/extension-inject/types';
import type { Signer } from '@polkadot/types/types';
import { base64Encode } from '@polkadot/util-crypto';
import { u8aToHex, u8aWrapBytes } from '@polkadot/util';
import cast from './cast.json';

/** An account the user can act as. */
export interface Account {
  address: string;
  name: string;
  source: 'extension' | 'dev';
  /** The key type (sr25519, ed25519, ecdsa), for the MultiSignature of a signed request. */
  type: string;
}

const devPairs = new Map<string, KeyringPair>();
let extensions: InjectedExtension[] = [];

/** The accounts of the user's wallet extensions; an empty list (and a reason) without one. */
export async function extensionAccounts(): Promise<{ accounts: Account[]; note?: string }> {
  extensions = await web3Enable('PMR Chain');
  if (extensions.length === 0) return { accounts: [], note: 'No wallet extension answered. Install the Polkadot.js extension, Talisman or SubWallet, and allow this site.' };
  const accounts = await web3Accounts();
  return { accounts: accounts.map((a) => ({ address: a.address, name: a.meta.name ?? a.address.slice(0, 8), source: 'extension' as const, type: a.type ?? 'sr25519' })) };
}

/** The dev chain's cast as accounts (only call this on a development chain). */
export function devAccounts(): Account[] {
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  return cast.accounts.map((c) => {
    const pair = keyring.addFromUri(c.uri, { name: c.name });
    devPairs.set(pair.address, pair);
    return { address: pair.address, name: `${c.name} (dev)`, source: 'dev' as const, type: 'sr25519' };
  });
}

/** What `signAndSend` takes for `account`: a dev pair, or the address and the extension's signer. */
export async function signing(account: Account): Promise<{ who: KeyringPair | string; signer?: Signer }> {
  const pair = devPairs.get(account.address);
  if (account.source === 'dev' && pair) return { who: pair };
  const injector = await web3FromAddress(account.address);
  return { who: account.address, signer: injector.signer };
}

/** Signs `payload` with the account (the extension wraps it in `<Bytes>…</Bytes>`, as the dev
 * pair does here; the chain accepts both forms). Returns the SCALE `MultiSignature` as hex. */
export async function signBytes(account: Account, payload: Uint8Array): Promise<string> {
  let raw: Uint8Array;
  const pair = devPairs.get(account.address);
  if (account.source === 'dev' && pair) {
    raw = pair.sign(u8aWrapBytes(payload));
  } else {
    const { signer } = await web3FromAddress(account.address);
    if (!signer.signRaw) throw new Error('This wallet cannot sign a message; use the Polkadot.js extension, Talisman or SubWallet.');
    const { signature } = await signer.signRaw({ address: account.address, data: u8aToHex(payload), type: 'bytes' });
    raw = Uint8Array.from(signature.slice(2).match(/../g)!.map((b) => parseInt(b, 16)));
  }
  // Already a MultiSignature (tag byte + signature) or a bare signature of the account's type.
  const tag = { ed25519: 0, sr25519: 1, ecdsa: 2 }[account.type] ?? 1;
  const bare = account.type === 'ecdsa' ? 65 : 64;
  const encoded = raw.length === bare ? Uint8Array.of(tag, ...raw) : raw;
  return u8aToHex(encoded);
}

/** A wallet extension that can be taught a chain's metadata, and whether it knows the running
 * runtime's. A wallet that knows it shows what the user signs in words ("consent.approveRequest:
 * request 3, …"), not as bytes; the Polkadot.js extension learns it from the dapp, once per
 * runtime version, after asking its user. */
export interface WalletMetadata {
  name: string;
  current: boolean;
  /** Offers the wallet this chain's metadata; resolves with whether it took it. */
  provide: () => Promise<boolean>;
}

/** The wallets' own names for the keys they inject under. */
const WALLET_NAMES: Record<string, string> = { 'polkadot-js': 'The Polkadot.js extension', talisman: 'Talisman', 'subwallet-js': 'SubWallet' };

/** The user's wallet extensions that take metadata from dapps. */
export async function walletsMetadata(api: ApiPromise): Promise<WalletMetadata[]> {
  const genesisHash = api.genesisHash.toHex();
  const specVersion = api.runtimeVersion.specVersion.toNumber();
  const out: WalletMetadata[] = [];
  for (const e of extensions) {
    const metadata = e.metadata;
    if (!metadata) continue;
    const known = await metadata.get();
    out.push({
      name: WALLET_NAMES[e.name] ?? e.name,
      current: known.some((k) => k.genesisHash === genesisHash && k.specVersion === specVersion),
      provide: () => metadata.provide(metadataDef(api)),
    });
  }
  return out;
}

/** The chain's metadata as wallet extensions take it: the calls-only metadata (`metaCalls`, as
 * Polkadot.js Apps gives it) and the whole of it (`rawMetadata`), with the chain's properties. */
function metadataDef(api: ApiPromise): MetadataDef {
  return {
    chain: api.runtimeChain.toString(),
    genesisHash: api.genesisHash.toHex(),
    icon: 'substrate',
    ss58Format: api.registry.chainSS58 ?? 42,
    chainType: 'substrate',
    specVersion: api.runtimeVersion.specVersion.toNumber(),
    tokenDecimals: api.registry.chainDecimals[0] ?? 12,
    tokenSymbol: api.registry.chainTokens[0] ?? 'UNIT',
    types: {},
    metaCalls: base64Encode(api.runtimeMetadata.asCallsOnly.toU8a()),
    rawMetadata: api.runtimeMetadata.toHex(),
  };
}

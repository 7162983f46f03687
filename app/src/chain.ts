// The connection to the user's hospital node: @polkadot/api with the chain's own metadata
// (names, events, typed errors), transactions signed in the wallet, and JSON-RPC calls to the
// custodian nodes. Every failure becomes a sentence: a dispatch error reads its documentation
// from the metadata.
import { ApiPromise, WsProvider } from '@polkadot/api';
import type { SubmittableExtrinsic } from '@polkadot/api/types';
import type { DispatchError } from '@polkadot/types/interfaces';
import { type Account, signing } from './wallet';

/** The connected API (set by `connect`). */
export let api: ApiPromise;
/** Its connection, for the node's own `pmr_` methods (which `api.rpc` does not decorate). */
let provider: WsProvider;

/** Connects to the hospital node; rejects with a sentence if it cannot be reached. */
export async function connect(url: string): Promise<ApiPromise> {
  provider = new WsProvider(url, 2000);
  try {
    api = await ApiPromise.create({ provider, noInitWarn: true, throwOnConnect: true });
  } catch {
    await provider.disconnect().catch(() => {});
    throw new Error(`The hospital node at ${url} cannot be reached. Is it running?`);
  }
  return api;
}

/** One of the hospital node's own JSON-RPC methods (`pmr_auditArchive`), over its WebSocket. */
export async function nodeRpc<T>(method: string, params: unknown[]): Promise<T> {
  return provider.send<T>(method, params);
}

/** Whether the chain is a development or local chain (where dev accounts may be offered). */
export async function isDevChain(): Promise<boolean> {
  const type = await api.rpc.system.chainType();
  return type.isDevelopment || type.isLocal;
}

/** A dispatch error in words: the error's documentation in the metadata. */
export function dispatchSentence(e: DispatchError): string {
  if (e.isModule) {
    const meta = api.registry.findMetaError(e.asModule);
    const doc = meta.docs.join(' ').trim();
    return doc ? `${doc.replace(/\.$/, '')}. (${meta.section}.${meta.name})` : `${meta.section}.${meta.name}`;
  }
  if (e.isBadOrigin) return 'This account may not make this call.';
  if (e.isToken || e.isArithmetic) return 'The account cannot pay for this transaction.';
  return e.toString();
}

/** An event as `{ name: "pallet.Event", data: {field: json} }`. */
export interface ChainEvent {
  name: string;
  data: Record<string, unknown>;
}

/** Signs `tx` in the wallet as `account`, submits it, and resolves once it is in a block with
 * its block number and events; rejects with a sentence if it failed. */
export async function send(tx: SubmittableExtrinsic<'promise'>, account: Account): Promise<{ block: number; events: ChainEvent[] }> {
  const { who, signer } = await signing(account);
  return new Promise((resolve, reject) => {
    let unsub: (() => void) | undefined;
    let done = false;
    const finish = (f: () => void) => {
      if (done) return;
      done = true;
      unsub?.();
      f();
    };
    tx.signAndSend(who, { signer, nonce: -1 }, (result) => {
      const { status } = result;
      if (status.isInBlock) {
        if (result.dispatchError) return finish(() => reject(new Error(dispatchSentence(result.dispatchError!))));
        const events = result.events.map(({ event }) => {
          const names = (event.data as unknown as { names?: string[] }).names ?? [];
          return { name: `${event.section}.${event.method}`, data: Object.fromEntries(event.data.map((v, i) => [names[i] ?? String(i), v.toJSON()])) };
        });
        api.rpc.chain.getHeader(status.asInBlock).then(
          (header) => finish(() => resolve({ block: header.number.toNumber(), events })),
          (e) => finish(() => reject(e)),
        );
      } else if (status.isInvalid || status.isDropped || status.isUsurped) {
        finish(() => reject(new Error('The node refused the transaction (the account may lack funds, or another transaction took its place). Try again.')));
      }
    })
      .then((u) => {
        unsub = u;
        if (done) u();
      })
      .catch((e: Error) => finish(() => reject(new Error(/Cancelled|Rejected/i.test(e.message) ? 'You declined to sign in the wallet.' : e.message))));
  });
}

/** The first event `name` of a sent transaction's events, or an error. */
export function eventOf(r: { events: ChainEvent[] }, name: string): Record<string, unknown> {
  const e = r.events.find((x) => x.name === name);
  if (!e) throw new Error(`The transaction did not emit ${name}.`);
  return e.data;
}

/** The finalized block's hash and number. */
export async function finalized(): Promise<{ hash: string; number: number }> {
  const hash = await api.rpc.chain.getFinalizedHead();
  const header = await api.rpc.chain.getHeader(hash);
  return { hash: hash.toHex(), number: header.number.toNumber() };
}

/** Resolves once block `n` is finalized. */
export async function finalizedAt(n: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    let unsub: (() => void) | undefined;
    let done = false;
    api.rpc.chain
      .subscribeFinalizedHeads((header) => {
        if (!done && header.number.toNumber() >= n) {
          done = true;
          unsub?.();
          resolve();
        }
      })
      .then((u) => { unsub = u; if (done) u(); }, reject);
  });
}

/** A JSON-RPC error from a node: its code, message (a sentence for `pmr_` errors) and data. */
export class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data: unknown,
  ) {
    super(message);
  }
}

/** One JSON-RPC call over HTTP (the custodian nodes' `pmr_requestShare`). */
export async function rpc(url: string, method: string, params: unknown[], timeoutMs = 20_000): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch {
    throw new RpcError(-1, `${new URL(url).host} did not answer (the node is down or unreachable).`, null);
  }
  const reply = await res.json();
  if (reply.error) throw new RpcError(reply.error.code, reply.error.message, reply.error.data);
  return reply.result;
}

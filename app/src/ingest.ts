// Submitting content to the hospital node's ingest worker (its binary upload when the app is
// configured with one, `pmr_submitRecord` otherwise), then signing
// the anchor it prepares in the user's wallet: the two-phase path of docs/worker.md. The node
// anonymizes, encrypts, splits the key and pins; the wallet signs the anchor that names the
// content on chain.
import { RpcError, api, rpc, send } from './chain';
import { session } from './state';
import type { Account } from './wallet';
import { toHex } from './vault';

/** The hospital node's HTTP JSON-RPC endpoint. */
export function nodeHttp(): string {
  return session.config.node.replace(/^ws/, 'http');
}

/** A date as the worker's targets take it: DDMMYYYY as a number. */
export function ddmmyyyy(d: Date): number {
  return Number(`${String(d.getUTCDate()).padStart(2, '0')}${String(d.getUTCMonth() + 1).padStart(2, '0')}${d.getUTCFullYear()}`);
}

/** Sends a record to the node's binary upload (`POST /records`, the bytes as the body, the rest
 * of the submission in the `PMR-Submission` header); returns the job. */
async function upload(base: string, head: Record<string, unknown>, data: Uint8Array): Promise<number> {
  const res = await fetch(`${base.replace(/\/$/, '')}/records`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/octet-stream', 'PMR-Submission': JSON.stringify(head) },
    body: new Blob([data as Uint8Array<ArrayBuffer>]),
    signal: AbortSignal.timeout(120_000),
  });
  const answer = await res.json();
  if (!res.ok) throw new RpcError(answer.code, answer.message, answer.data);
  return answer.job as number;
}

/** Submits `data` for `patient`, waits until it is pinned, signs the prepared anchor as
 * `account` and waits until the worker sees it anchored. Reports progress through `progress`. */
export async function submitAndAnchor(
  request: { format: 'fhir' | 'dicom'; patient: number; category: string; target: Record<string, unknown> },
  data: Uint8Array,
  account: Account,
  progress: (text: string) => void,
): Promise<any> {
  progress('Sending to your hospital node (it anonymizes, encrypts and pins)…');
  // A record or an amendment is prepared for the signing clinician: no other account can
  // anchor the call the node prepares.
  const clinical = request.target.kind === 'record' || request.target.kind === 'amendment';
  const head = { ...request, ...(clinical ? { author: account.address } : {}) };
  const job = session.config.upload
    ? await upload(session.config.upload, head, data)
    : ((await rpc(nodeHttp(), 'pmr_submitRecord', [{ ...head, data: `0x${toHex(data)}` }], 120_000)) as number);
  const wait = async (want: string) => {
    for (let i = 0; i < 600; i++) {
      const s = (await rpc(nodeHttp(), 'pmr_jobStatus', [job])) as any;
      if (s.state.state === 'failed') throw new Error(`The hospital node could not take it: ${Object.values(s.state.reason ?? {})[0] ?? 'failed'}.`);
      if (s.state.state === 'expired') throw new Error('The prepared anchor expired before it was signed; submit again.');
      if (s.state.state === want || (want === 'pinned' && s.state.state === 'anchored')) return s;
      await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error('The hospital node took too long.');
  };
  const pinned = await wait('pinned');
  if (pinned.state.state !== 'anchored') {
    progress('Encrypted and pinned. Sign the anchor in your wallet…');
    await send(api.tx(api.createType('Call', pinned.state.anchor.call)), account);
  }
  progress('Anchored; waiting for the node to confirm…');
  return (await wait('anchored')).state.anchoredAs;
}

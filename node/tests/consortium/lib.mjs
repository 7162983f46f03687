// Process and chain helpers of the network tests (consortium.mjs, validators.mjs): free loopback ports, private dev
// IPFS nodes (scripts/ipfs-dev-node.sh), `pmr-node` processes, signed transactions through
// @polkadot/api with typed dispatch errors, and the node's `pmr-node` key tools.

import { ApiPromise, WsProvider } from '@polkadot/api';
import { execFile, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { randomBytes } from 'node:crypto';
import { mkdirSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Fails with `msg` unless `cond` holds. */
export function assert(cond, msg) {
  if (!cond) throw new Error(`assertion failed: ${msg}`);
}

/** Logs one step of the test with the time since the start. */
const started = Date.now();
const script = (process.argv[1] ?? 'test').split('/').pop().replace(/\.mjs$/, '');
/** The base32 text (`b…`) Kubo takes of a CID the chain holds in binary (`0x…` hex). */
export function cidText(hex) {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  let text = 'b';
  let buffer = 0;
  let bits = 0;
  for (const byte of Buffer.from(hex.slice(2), 'hex')) {
    buffer = ((buffer << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      text += alphabet[(buffer >> bits) & 31];
    }
  }
  if (bits > 0) text += alphabet[(buffer << (5 - bits)) & 31];
  return text;
}

export function step(msg) {
  console.log(`[${script} ${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${msg}`);
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` every `every` ms until it returns a value other than undefined/null/false. */
export async function waitFor(what, timeoutMs, check, every = 1000) {
  const until = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== null && v !== false) return v;
    } catch (e) {
      if (e.fatal) throw e;
      last = e;
    }
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${last ? `: ${last.message}` : ''}`);
    await sleep(every);
  }
}

/** The first port of the kernel's ephemeral range (where outgoing connections get their source port). */
const EPHEMERAL_LOW = (() => {
  try {
    return Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]) || 32768;
  } catch {
    return 32768;
  }
})();
const handedOut = new Set();

/**
 * A free TCP port on 127.0.0.1 (and, with `alsoFree`, such that port+k is free too), below the
 * kernel's ephemeral range: a node that is stopped and restarted on its ports (the fault steps)
 * must find them free, and inside the ephemeral range any outgoing connection may take one in
 * the meantime (seen: a restarted IPFS node's swarm port). Never the same port twice per run.
 */
export async function freePort(alsoFree = []) {
  const low = 10_000 + Math.max(0, -Math.min(0, ...alsoFree));
  const high = EPHEMERAL_LOW - 1 - Math.max(0, ...alsoFree);
  for (;;) {
    const port = low + Math.floor(Math.random() * (high - low));
    const ports = [port, ...alsoFree.map((k) => port + k)];
    if (ports.some((p) => handedOut.has(p))) continue;
    let ok = true;
    for (const p of ports) ok = ok && (await isFree(p));
    if (ok) {
      for (const p of ports) handedOut.add(p);
      return port;
    }
  }
}

function isFree(port) {
  if (port <= 1024 || port > 65535) return Promise.resolve(false);
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/** A dev IPFS node of its own (own repo, own ports) that joins a loopback-only swarm. */
export class IpfsNode {
  constructor(repoRoot, dir, name) {
    this.repoRoot = repoRoot;
    this.repo = join(dir, `ipfs-${name}`);
    this.name = name;
  }

  env() {
    return { ...process.env, PMR_IPFS_PORT: String(this.port), PMR_IPFS_REPO: this.repo, PMR_IPFS_SWARM: '1' };
  }

  async start() {
    // swarm = port - 997, gateway = port + 3079 (scripts/ipfs-dev-node.sh)
    this.port ??= await freePort([-997, 3079]);
    this.api = `http://127.0.0.1:${this.port}`;
    await run(join(this.repoRoot, 'scripts/ipfs-dev-node.sh'), [], { env: this.env() });
    const id = await this.call('id');
    this.peer = id.ID;
    this.swarm = `/ip4/127.0.0.1/tcp/${this.port - 997}/p2p/${id.ID}`;
  }

  async stop() {
    await run(join(this.repoRoot, 'scripts/ipfs-dev-node.sh'), ['stop'], { env: this.env() });
  }

  /** One Kubo RPC call; `args` are query parameters. Resolves with the parsed JSON. */
  async call(path, args = {}) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(args)) for (const x of [].concat(v)) q.append(k, String(x));
    const res = await fetch(`${this.api}/api/v0/${path}?${q}`, { method: 'POST', signal: AbortSignal.timeout(30_000) });
    const text = await res.text();
    if (!res.ok) throw new Error(`ipfs ${this.name} ${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text.trim().split('\n').pop()) : {};
  }

  /** Whether `cid` is pinned (directly or recursively) on this node. */
  async pinned(cid) {
    try {
      const r = await this.call('pin/ls', { arg: cid });
      return Object.keys(r.Keys ?? {}).length > 0;
    } catch (e) {
      if (/not pinned|is not pinned/i.test(e.message)) return false;
      throw e;
    }
  }
}

/** A `pmr-node` process with its own base path and loopback ports. */
export class PmrNode {
  constructor(bin, dir, name, args) {
    this.bin = bin;
    this.name = name;
    this.base = join(dir, `node-${name}`);
    this.args = args;
    this.logPath = join(dir, `node-${name}.log`);
  }

  async start() {
    this.rpcPort ??= await freePort();
    this.p2pPort ??= await freePort();
    this.prometheusPort ??= await freePort();
    this.nodeKey ??= randomBytes(32).toString('hex');
    mkdirSync(this.base, { recursive: true });
    const log = openSync(this.logPath, 'a');
    this.child = spawn(
      this.bin,
      [
        ...this.args,
        '--base-path', this.base,
        '--rpc-port', String(this.rpcPort),
        '--port', String(this.p2pPort),
        '--prometheus-port', String(this.prometheusPort),
        '--no-telemetry', '--no-mdns',
        '--name', `pmr-${this.name}`,
        // a fixed network key per node (kept across restarts, so its peers know it again)
        '--node-key', this.nodeKey,
      ],
      { stdio: ['ignore', 'ignore', log] },
    );
    let gone = false;
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => { gone = true; resolve(code); }));
    this.url = `ws://127.0.0.1:${this.rpcPort}`;
    this.http = `http://127.0.0.1:${this.rpcPort}`;
    await waitFor(`${this.name}'s RPC`, 240_000, async () => {
      if (gone) throw Object.assign(new Error(`pmr-node ${this.name} exited:\n${this.tail(10)}`), { fatal: true });
      return (await this.rpc('system_health', [])) !== undefined;
    }, 500);
    this.api = await ApiPromise.create({ provider: new WsProvider(this.url, 1000), noInitWarn: true, throwOnConnect: true });
  }

  /** Stops the node (SIGTERM, then SIGKILL after 30 s). */
  async stop() {
    if (!this.child) return;
    await this.api?.disconnect().catch(() => {});
    this.api = undefined;
    this.child.kill('SIGTERM');
    const killer = setTimeout(() => this.child?.kill('SIGKILL'), 30_000);
    await this.exited;
    clearTimeout(killer);
    this.child = undefined;
  }

  /** One JSON-RPC call over HTTP; throws with the JSON-RPC error on failure. */
  async rpc(method, params) {
    const res = await fetch(this.http, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
      signal: AbortSignal.timeout(60_000),
    });
    const reply = await res.json();
    if (reply.error) {
      const err = new Error(`${method}: ${JSON.stringify(reply.error)}`);
      err.rpc = reply.error;
      throw err;
    }
    return reply.result;
  }

  async best() {
    return (await this.api.rpc.chain.getHeader()).number.toNumber();
  }

  async finalized() {
    const head = await this.api.rpc.chain.getFinalizedHead();
    return (await this.api.rpc.chain.getHeader(head)).number.toNumber();
  }

  /** Waits until this node has imported block `n` (a transaction sent through another node
   * is in this node's state only from then on). */
  async bestAt(n, timeoutMs = 60_000) {
    await waitFor(`#${n} imported on ${this.name}`, timeoutMs, async () => (await this.best()) >= n);
  }

  /** Waits until block `n` is finalized on this node. */
  async finalizedAt(n, timeoutMs = 90_000) {
    await waitFor(`#${n} finalized on ${this.name}`, timeoutMs, async () => (await this.finalized()) >= n);
  }

  tail(lines = 40) {
    try {
      return readFileSync(this.logPath, 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  }
}

/** The named fields of an event as plain JSON. */
export function fields(event) {
  const names = event.data.names ?? [];
  return Object.fromEntries(event.data.map((v, i) => [names[i] ?? String(i), v.toJSON()]));
}

/**
 * Signs and submits `tx` as `signer` on `api`, waits for its block, and resolves with
 * `{ block, events, error }`: `error` is the typed dispatch error (`pallet.Error`) or null.
 * Rejects when the pool refuses the transaction.
 */
export function send(api, signer, tx, nonce = -1) {
  return new Promise((resolve, reject) => {
    let unsub = () => {};
    let done = false;
    tx.signAndSend(signer, { nonce }, async (result) => {
      if (done) return;
      const { status } = result;
      if (status.isInBlock) {
        done = true;
        unsub();
        let error = null;
        if (result.dispatchError) {
          const e = result.dispatchError;
          if (e.isModule) {
            const meta = api.registry.findMetaError(e.asModule);
            error = `${meta.section}.${meta.name}`;
          } else {
            error = e.toString();
          }
        }
        try {
          const header = await api.rpc.chain.getHeader(status.asInBlock);
          const events = result.events.map(({ event }) => ({ name: `${event.section}.${event.method}`, data: fields(event) }));
          resolve({ block: header.number.toNumber(), events, error });
        } catch (e) {
          reject(e);
        }
      } else if (status.isInvalid || status.isDropped || status.isUsurped) {
        done = true;
        unsub();
        reject(new Error(`transaction ${tx.method.section}.${tx.method.method} ${status.type}`));
      }
    })
      .then((u) => {
        unsub = u;
        if (done) u();
      })
      .catch(reject);
  });
}

/** [`send`], failing unless the call succeeded; resolves with the first event `name`'s fields (or all). */
export async function ok(api, signer, tx, name, nonce = -1) {
  const r = await send(api, signer, tx, nonce);
  if (r.error) throw new Error(`${tx.method.section}.${tx.method.method} by ${signer.address}: ${r.error}`);
  if (!name) return r;
  const found = r.events.find((e) => e.name === name);
  if (!found) throw new Error(`${tx.method.section}.${tx.method.method}: no ${name} in ${r.events.map((e) => e.name)}`);
  return { ...found.data, block: r.block };
}

/** Sends all `txs` of one signer at once (consecutive nonces); each must succeed. */
export async function all(api, signer, txs) {
  const next = (await api.rpc.system.accountNextIndex(signer.address)).toNumber();
  return Promise.all(txs.map((tx, i) => ok(api, signer, tx, undefined, next + i)));
}

/** Runs a `pmr-node` subcommand; resolves with {ok, stdout, stderr}. */
export async function tool(bin, args) {
  try {
    const { stdout, stderr } = await run(bin, args, { maxBuffer: 64 << 20 });
    return { ok: true, stdout: stdout.trim(), stderr };
  } catch (e) {
    return { ok: false, stdout: (e.stdout ?? '').trim(), stderr: e.stderr ?? e.message };
  }
}

// The load harness (issue #14): one bounded run against a `--dev` node that this script starts on
// 127.0.0.1 (no other traffic), driven by @polkadot/api, which measures and prints:
//
//  - signed record creations per second (many doctors and patients, pre-signed with explicit
//    nonces) against `balances.transferKeepAlive` per second on the same node, and their ratio;
//  - consent grants per second and access checks (`consent.recordAccess`) per second;
//  - how many record creations fit in one block by weight and by length, and the on-chain bytes
//    each record adds (measured from the state: every key and value outside `System`'s block
//    bookkeeping, before and after the creations);
//  - the node's resident memory during the run (sampled, and its high-water mark);
//  - the transaction pool's refusals and their reasons, and **stranded** transactions: accepted
//    by the pool, then neither included in a block nor reported dropped/invalid/usurped. The run
//    fails (exit 1) on any stranded transaction, on any included transaction whose dispatch
//    failed, and when it runs past its time bound.
//
// Each phase is a burst: every transaction is signed first (immortal, explicit nonces), then all
// are submitted with `author_submitAndWatchExtrinsic`, every sender's in nonce order and all
// senders at once (`--unordered 1`: every transaction at once, so one sender's may reach the
// pool out of order, as from a client that submits concurrently). A phase's rate is the number
// of its transactions included divided by the chain time they took: from the timestamp of the
// block before the first one that holds any of them to the timestamp of the last one that does.
//
//   node load.mjs [--records N] [--transfers N] [--grants N] [--checks N] [--hospitals N]
//                 [--doctors N] [--patients N] [--unordered 0|1] [--timeout-secs N] [--json FILE]
//                 [-- node args...]
//   env: PMR_NODE_BIN (the pmr-node binary), PMR_TEST_DIR (scratch directory)
//   e.g. scripts/load.sh (a production node, the sizes of docs/performance.md)

import { Keyring } from '@polkadot/api';
import { cryptoWaitReady, xxhashAsHex } from '@polkadot/util-crypto';
import { u8aToHex } from '@polkadot/util';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PmrNode, all, assert, sleep, step } from './lib.mjs';

const BIN = process.env.PMR_NODE_BIN ?? join(process.env.CARGO_TARGET_DIR ?? join(process.env.HOME, '.cache/pmr-chain/target'), 'debug/pmr-node');
const dir = process.env.PMR_TEST_DIR ?? mkdtempSync(join(tmpdir(), 'pmr-load-'));

// ---------------------------------------------------------------- options
const argv = process.argv.slice(2);
const dashes = argv.indexOf('--');
const nodeExtra = dashes >= 0 ? argv.slice(dashes + 1) : [];
const opts = { records: 8000, transfers: 8000, grants: 2000, checks: 4000, hospitals: 16, doctors: 128, patients: 512, unordered: 0, 'timeout-secs': 1200, json: '' };
for (let i = 0; i < (dashes >= 0 ? dashes : argv.length); i += 2) {
  const key = argv[i].replace(/^--/, '');
  if (!(key in opts)) throw new Error(`unknown option ${argv[i]}`);
  opts[key] = typeof opts[key] === 'number' ? Number(argv[i + 1]) : argv[i + 1];
}
for (const k of ['records', 'transfers', 'grants', 'checks', 'hospitals', 'doctors', 'patients']) {
  assert(Number.isInteger(opts[k]) && opts[k] > 0, `--${k} must be a positive integer`);
}
assert(opts.doctors >= opts.hospitals && opts.patients >= opts.hospitals, 'at least one doctor and one patient per hospital');
// Every pool limit is the node's own (`--pool-limit`, default 8192): a burst larger than that
// would measure refusals, not throughput.
const BURST_MAX = 8000;
for (const k of ['records', 'transfers', 'grants', 'checks']) assert(opts[k] <= BURST_MAX, `--${k} at most ${BURST_MAX} (one burst within the pool's limit)`);
const deadline = Date.now() + opts['timeout-secs'] * 1000;

// ---------------------------------------------------------------- the node and its memory
class Rss {
  constructor(pid) {
    this.pid = pid;
    this.peak = 0;
    this.timer = setInterval(() => this.sample(), 250);
  }

  status() {
    try {
      return readFileSync(`/proc/${this.pid}/status`, 'utf8');
    } catch {
      return '';
    }
  }

  kib(field) {
    const m = this.status().match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
    return m ? Number(m[1]) : 0;
  }

  sample() {
    this.peak = Math.max(this.peak, this.kib('VmRSS'));
  }

  stop() {
    clearInterval(this.timer);
    this.sample();
    return { peakMiB: this.peak / 1024, highWaterMiB: this.kib('VmHWM') / 1024 };
  }
}

// ---------------------------------------------------------------- bursts
/** Signs `[signer, tx, nonce]` entries (immortal, explicit nonces) into hex extrinsics. */
function signAll(api, entries) {
  const options = (nonce) => ({
    blockHash: api.genesisHash,
    genesisHash: api.genesisHash,
    nonce,
    runtimeVersion: api.runtimeVersion,
    signedExtensions: api.registry.signedExtensions,
  });
  return entries.map(([signer, tx, nonce]) => {
    const signed = tx.sign(signer, options(nonce));
    return { sender: signer.address, hex: signed.toHex(), hash: signed.hash.toHex(), len: signed.encodedLength };
  });
}

/**
 * Submits every signed extrinsic at once — each sender's in nonce order (the next one when the
 * pool has answered the previous one, as a wallet does), all senders concurrently — and follows
 * each to a final status. Resolves with the pool's refusals by reason, the reported drops by
 * status, the blocks holding the included ones, and the stranded ones (accepted, then silent)
 * after `graceBlocks` blocks without news.
 */
async function burst(node, name, signed, graceBlocks = 4) {
  const provider = node.api._rpcCore.provider;
  const state = new Map(signed.map((s) => [s.hash, { status: 'submitted' }]));
  const refused = {};
  const reported = {};
  const unsubs = [];
  const started = Date.now();
  const bySender = new Map();
  for (const s of signed) {
    if (!bySender.has(s.sender)) bySender.set(s.sender, []);
    bySender.get(s.sender).push(s);
  }
  const submit = async (s) => {
    try {
      const id = await provider.subscribe('author_extrinsicUpdate', 'author_submitAndWatchExtrinsic', [s.hex], (err, update) => {
        const st = state.get(s.hash);
        if (err) {
          st.status = 'error';
          return;
        }
        if (typeof update === 'string') {
          // future, ready, dropped, invalid
          if (st.status !== 'inBlock') st.status = update;
          if (update === 'dropped' || update === 'invalid') reported[update] = (reported[update] ?? 0) + 1;
        } else {
          const [kind, value] = Object.entries(update)[0];
          if (kind === 'inBlock' || kind === 'finalized') {
            st.status = 'inBlock';
            st.block ??= value;
          } else if (kind === 'usurped') {
            st.status = 'usurped';
            reported.usurped = (reported.usurped ?? 0) + 1;
          } else if (kind === 'retracted') {
            st.status = 'retracted';
            st.block = undefined;
          } else if (kind === 'broadcast' && st.status === 'submitted') {
            st.status = 'ready';
          }
        }
      });
      unsubs.push(() => provider.unsubscribe('author_extrinsicUpdate', 'author_unwatchExtrinsic', id).catch(() => {}));
    } catch (e) {
      const reason = (e.message ?? String(e)).replace(/^\d+: /, '').slice(0, 160);
      refused[reason] = (refused[reason] ?? 0) + 1;
      state.get(s.hash).status = 'refused';
    }
  };
  if (opts.unordered) await Promise.all(signed.map(submit));
  else await Promise.all([...bySender.values()].map(async (chain) => {
    for (const s of chain) await submit(s);
  }));
  const submitSecs = (Date.now() - started) / 1000;
  const pending = () => [...state.values()].filter((st) => !['inBlock', 'refused', 'dropped', 'invalid', 'usurped', 'error'].includes(st.status));
  // Wait until nothing is pending, or until `graceBlocks` blocks pass without any progress.
  let last = await node.best();
  let lastPending = pending().length;
  for (;;) {
    if (pending().length === 0 || Date.now() > deadline) break;
    const best = await node.best();
    const p = pending().length;
    if (p !== lastPending) {
      lastPending = p;
      last = best;
    } else if (best - last >= graceBlocks) {
      break;
    }
    await sleep(500);
  }
  for (const u of unsubs) u();
  const stranded = pending().length;
  const byBlock = new Map();
  for (const [hash, st] of state) {
    if (st.status !== 'inBlock') continue;
    if (!byBlock.has(st.block)) byBlock.set(st.block, []);
    byBlock.get(st.block).push(hash);
  }
  step(`${name}: ${signed.length} submitted in ${submitSecs.toFixed(1)} s; ${[...byBlock.values()].reduce((a, b) => a + b.length, 0)} included in ${byBlock.size} blocks; refused ${JSON.stringify(refused)}; reported ${JSON.stringify(reported)}; stranded ${stranded}`);
  return { name, submitted: signed.length, submitSecs, refused, reported, stranded, byBlock };
}

/**
 * The included transactions of a burst: per block its number, timestamp and count, their
 * dispatch failures by error, the weight each was finally charged (its `ExtrinsicSuccess` /
 * `ExtrinsicFailed` event: base, extensions and the call after any refund), and the rate over
 * the chain time the burst took.
 */
async function measure(api, result) {
  const blocks = [];
  const failures = {};
  const weights = [];
  for (const [hash, hashes] of result.byBlock) {
    const at = await api.at(hash);
    const [block, events, now] = await Promise.all([api.rpc.chain.getBlock(hash), at.query.system.events(), at.query.timestamp.now()]);
    const ours = new Set(hashes);
    const index = new Map(block.block.extrinsics.map((x, i) => [x.hash.toHex(), i]));
    // Each extrinsic's outcome event (`ExtrinsicSuccess` / `ExtrinsicFailed`), by its index:
    // one pass over the block's events.
    const outcome = new Map();
    for (const { phase, event } of events) {
      const failed = api.events.system.ExtrinsicFailed.is(event);
      if (phase.isApplyExtrinsic && (failed || api.events.system.ExtrinsicSuccess.is(event))) {
        outcome.set(phase.asApplyExtrinsic.toNumber(), { failed, event });
      }
    }
    for (const h of hashes) {
      const applied = outcome.get(index.get(h));
      const info = applied && (applied.failed ? applied.event.data[1] : applied.event.data[0]);
      if (info) weights.push(info.weight.refTime.toNumber() / 1e9);
      if (applied?.failed) {
        const err = applied.event.data[0];
        const reason = err.isModule ? (({ section, name }) => `${section}.${name}`)(api.registry.findMetaError(err.asModule)) : err.toString();
        failures[reason] = (failures[reason] ?? 0) + 1;
      }
    }
    blocks.push({ number: block.block.header.number.toNumber(), hash, now: now.toNumber(), count: ours.size });
  }
  blocks.sort((a, b) => a.number - b.number);
  const included = blocks.reduce((a, b) => a + b.count, 0);
  let rate = 0;
  let chainSecs = 0;
  if (blocks.length) {
    const before = await (await api.at(await api.rpc.chain.getBlockHash(blocks[0].number - 1))).query.timestamp.now();
    chainSecs = (blocks[blocks.length - 1].now - before.toNumber()) / 1000;
    rate = included / chainSecs;
  }
  const perBlock = blocks.map((b) => b.count);
  step(`${result.name}: ${included} included over ${chainSecs.toFixed(1)} s of chain time in blocks #${blocks[0]?.number}..#${blocks[blocks.length - 1]?.number} (per block ${perBlock.join(' ')}) = ${rate.toFixed(1)}/s; dispatch failures ${JSON.stringify(failures)}`);
  const actualMs = weights.length ? { min: Math.min(...weights), max: Math.max(...weights) } : null;
  return { ...result, byBlock: undefined, included, chainSecs, rate, perBlock, maxPerBlock: Math.max(0, ...perBlock), failures, actualMs, firstBlock: blocks[0]?.number, lastBlock: blocks[blocks.length - 1]?.number };
}

// ---------------------------------------------------------------- state size
/** Bytes (keys + values) of all storage at `hash` by storage item, without `System`. */
async function stateBytes(node, api, hash) {
  const names = new Map();
  for (const p of api.runtimeMetadata.asLatest.pallets) {
    if (p.storage.isNone) continue;
    const prefix = p.storage.unwrap().prefix.toString();
    for (const item of p.storage.unwrap().items) names.set(xxhashAsHex(prefix, 128) + xxhashAsHex(item.name.toString(), 128).slice(2), `${prefix}.${item.name}`);
  }
  const bytes = {};
  let start = null;
  for (;;) {
    const keys = await node.rpc('state_getKeysPaged', ['0x', 1000, start, hash]);
    if (keys.length === 0) break;
    const [changes] = await node.rpc('state_queryStorageAt', [keys, hash]);
    for (const [key, value] of changes.changes) {
      const item = names.get(key.slice(0, 66)) ?? (key.startsWith('0x3a') ? 'well-known (:code, ...)' : 'other');
      if (item.startsWith('System.')) continue; // accounts exist already; events and block hashes are block bookkeeping
      bytes[item] = (bytes[item] ?? 0) + (key.length - 2) / 2 + (value ? (value.length - 2) / 2 : 0);
    }
    if (keys.length < 1000) break;
    start = keys[keys.length - 1];
  }
  return bytes;
}

// ---------------------------------------------------------------- the run
/** The visit date `n` days ago (UTC). */
const daysAgo = (n) => {
  const d = new Date(Date.now() - n * 86_400_000);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
};

async function main() {
  await cryptoWaitReady();
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  const acct = (uri) => keyring.addFromUri(uri);
  const [alice, bob] = ['//Alice', '//Bob'].map(acct);
  const admins = Array.from({ length: opts.hospitals }, (_, i) => acct(`//PmrLoadAdmin${i}`));
  const doctors = Array.from({ length: opts.doctors }, (_, i) => acct(`//PmrLoadDoctor${i}`));
  const patients = Array.from({ length: opts.patients }, (_, i) => acct(`//PmrLoadPatient${i}`));

  const node = new PmrNode(BIN, dir, 'load', [
    '--dev', '--rpc-max-subscriptions-per-connection', '65536', '--rpc-max-response-size', '64', ...nodeExtra,
  ]);
  await node.start();
  const rss = new Rss(node.child.pid);
  const api = node.api;
  const tx = api.tx;
  step(`node ${BIN} ${nodeExtra.join(' ')} up (pid ${node.child.pid}); scratch ${dir}`);

  try {
    // ------------------------------------------------------------ setup (not measured)
    const fee = 10n ** 14n; // 100 UNIT each (admins 10,000: hospital deposits, transfers)
    for (let i = 0; i < admins.length + doctors.length + patients.length; i += 500) {
      const who = [...admins, ...doctors, ...patients].slice(i, i + 500);
      await all(api, alice, who.map((a) => tx.balances.transferKeepAlive(a.address, fee * (admins.includes(a) ? 100n : 1n))));
    }
    const details = (i) => ({ registrationId: `GOV-LOAD-${i}`, name: `Load Hospital ${i}`, location: 'Coimbatore', specializations: ['general'], contact: 'desk@hospital.example' });
    await Promise.all(admins.map((a, i) => all(api, a, [tx.registry.applyForRegistration(details(i))])));
    const hospitalOf = new Map();
    for (const a of admins) hospitalOf.set(a.address, (await api.query.registry.memberOf(a.address)).unwrap().toNumber());
    await all(api, bob, admins.map((a) => tx.registry.verifyHospital(hospitalOf.get(a.address))));
    // Doctor j and patient k belong to hospital j % H, k % H.
    await Promise.all(admins.map((a, h) => all(api, a, [
      ...doctors.filter((_, j) => j % admins.length === h).map((d, n) => tx.registry.onboardDoctor(hospitalOf.get(a.address), d.address, { registrationNumber: `MCI-LOAD-${h}-${n}`, name: `Dr. Load ${h}-${n}`, specialization: 'general medicine', contact: 'doctors@hospital.example' })),
      ...patients.filter((_, k) => k % admins.length === h).map((p) => tx.registry.registerPatient(hospitalOf.get(a.address), p.address, u8aToHex(randomBytes(32)), u8aToHex(randomBytes(32)))),
    ])));
    const doctorId = [];
    for (const d of doctors) doctorId.push((await api.query.registry.doctorByAccount(d.address)).unwrap().toNumber());
    const patientId = [];
    for (const p of patients) patientId.push((await api.query.registry.patientByAccount(p.address)).unwrap().toNumber());
    for (let i = 0; i < doctorId.length; i += 500) await all(api, bob, doctorId.slice(i, i + 500).map((d) => tx.registry.confirmDoctorLicence(d)));
    step(`setup: ${admins.length} hospitals, ${doctors.length} doctors, ${patients.length} patients`);

    const nonces = new Map();
    const nextNonce = async (pair) => {
      if (!nonces.has(pair.address)) nonces.set(pair.address, (await api.rpc.system.accountNextIndex(pair.address)).toNumber());
      const n = nonces.get(pair.address);
      nonces.set(pair.address, n + 1);
      return n;
    };
    const build = async (count, make) => {
      const entries = [];
      for (let i = 0; i < count; i++) {
        const [signer, call] = make(i);
        entries.push([signer, call, await nextNonce(signer)]);
      }
      return signAll(api, entries);
    };
    const results = {};

    // ------------------------------------------------------------ transfers
    const transfers = await build(opts.transfers, (i) => [admins[i % admins.length], tx.balances.transferKeepAlive(patients[i % patients.length].address, 1_000_000_000n + BigInt(i))]);
    results.transfers = await measure(api, await burst(node, 'transfers', transfers));

    // ------------------------------------------------------------ record creations
    // Doctor j writes for the patients of its own hospital (standing access for treatment),
    // visits spread over the last 30 days.
    // What the ingest worker anchors: binary CIDv1 (raw, sha2-256: 36 bytes) of the ciphertext
    // and of the key-share manifest, their hashes and the custodian set version.
    const custodianSet = (await api.query.registry.currentCustodianSetVersion()).toNumber();
    const cid = (kind, i) => `0x01551220${Buffer.from(`${kind}-${i}`).toString('hex').padEnd(64, '0')}`;
    const content = (i) => ({
      cid: cid('load', i),
      plaintextHash: u8aToHex(randomBytes(32)),
      ciphertextHash: u8aToHex(randomBytes(32)),
      manifest: { cid: cid('manifest', i), hash: u8aToHex(randomBytes(32)), custodianSet },
    });
    const patientsByHospital = admins.map((_, h) => patientId.filter((_, k) => k % admins.length === h));
    const createRecord = (i) => {
      const j = i % doctors.length;
      const h = j % admins.length;
      const mine = patientsByHospital[h];
      return [doctors[j], tx.medicalRecords.createRecord(mine[Math.floor(i / doctors.length) % mine.length], hospitalOf.get(admins[h].address), daysAgo(1 + (i % 30)), 'PresentIllness', content(i), null, null)];
    };
    const records = await build(opts.records, createRecord);
    const before = await api.rpc.chain.getBlockHash(await node.best());
    const bytesBefore = await stateBytes(node, api, before);
    results.records = await measure(api, await burst(node, 'record creations', records));
    const after = await api.rpc.chain.getBlockHash(await node.best());
    const bytesAfter = await stateBytes(node, api, after);
    const growth = Object.fromEntries(Object.keys({ ...bytesBefore, ...bytesAfter }).map((p) => [p, (bytesAfter[p] ?? 0) - (bytesBefore[p] ?? 0)]).filter(([, v]) => v !== 0));
    const grown = Object.values(growth).reduce((a, b) => a + b, 0);
    results.storage = { growthByItem: growth, bytesPerRecord: results.records.included ? grown / results.records.included : 0 };
    step(`storage: +${grown} B for ${results.records.included} records = ${results.storage.bytesPerRecord.toFixed(0)} B per record (${JSON.stringify(growth)})`);

    // How many creations fit in a block, by weight and by length. A creation is charged its
    // worst case up front (what the pool and the block builder check) and refunded what its
    // consent check did not need after dispatch; a block fills by the weight after refunds.
    const info = await node.rpc('payment_queryInfo', [records[0].hex]);
    const limits = api.consts.system.blockWeights;
    const normal = limits.perClass.normal;
    const base = normal.baseExtrinsic.refTime.toBigInt();
    const perTx = BigInt(info.weight.ref_time ?? info.weight.refTime) + base;
    const maxTotal = normal.maxTotal.unwrap().refTime.toBigInt();
    const lengthLimit = api.consts.system.blockLength.max.normal.toNumber();
    const actualMs = results.records.actualMs?.max ?? Number(perTx) / 1e9;
    results.capacity = {
      weightPerCreationMs: Number(perTx) / 1e9,
      actualPerCreationMs: actualMs,
      byWeight: Math.floor(Number(maxTotal) / 1e9 / actualMs),
      byChargedWeight: Number(maxTotal / perTx),
      byLength: Math.floor(lengthLimit / records[0].len),
      creationBytes: records[0].len,
      normalBlockMs: Number(maxTotal) / 1e9,
    };
    step(`capacity: a creation is charged ${results.capacity.weightPerCreationMs.toFixed(3)} ms up front and ${actualMs.toFixed(3)} ms after refunds (base included) and is ${records[0].len} B: ${results.capacity.byWeight} per block by weight after refunds (${results.capacity.byChargedWeight} at the up-front charge; ${results.capacity.normalBlockMs} ms normal class), ${results.capacity.byLength} by length`);

    // ------------------------------------------------------------ consent grants
    // In round r, patient k grants doctor k + 1 + r a week's second opinion (a pair is granted
    // at most once per D rounds, well within MaxGrantsPerPair).
    const grants = await build(opts.grants, (i) => {
      const k = i % patients.length;
      const j = (k + 1 + Math.floor(i / patients.length)) % doctors.length;
      return [patients[k], tx.consent.grantAccess(patientId[k], { Doctor: doctorId[j] }, 'AllRecords', 'SecondOpinion', { After: 7 * 14_400 })];
    });
    results.grants = await measure(api, await burst(node, 'consent grants', grants));

    // ------------------------------------------------------------ access checks
    const checks = await build(opts.checks, (i) => {
      const j = i % doctors.length;
      const mine = patientsByHospital[j % admins.length];
      return [doctors[j], tx.consent.recordAccess(mine[Math.floor(i / doctors.length) % mine.length], { Category: 'PresentIllness' }, 'Treatment')];
    });
    results.checks = await measure(api, await burst(node, 'access checks', checks));

    results.ratio = results.transfers.rate ? results.records.rate / results.transfers.rate : 0;
    results.memory = rss.stop();
    results.node = { bin: BIN, args: nodeExtra, version: (await node.rpc('system_version', [])) };
    results.options = opts;

    // ------------------------------------------------------------ report
    const goal = (ok) => (ok ? 'met' : 'NOT met');
    console.log('\n== PMR Chain load run ==');
    console.log(`node: ${results.node.version} ${nodeExtra.join(' ')}; submission: ${opts.unordered ? 'every transaction at once (unordered)' : 'each sender in nonce order, senders at once'}`);
    console.log(`record creations: ${results.records.rate.toFixed(1)}/s (max ${results.records.maxPerBlock} per block)`);
    console.log(`transfers:        ${results.transfers.rate.toFixed(1)}/s (max ${results.transfers.maxPerBlock} per block)`);
    console.log(`ratio:            ${results.ratio.toFixed(2)} (goal >= 0.5: ${goal(results.ratio >= 0.5)}); creations >= 300/s: ${goal(results.records.rate >= 300)}`);
    console.log(`consent grants:   ${results.grants.rate.toFixed(1)}/s; access checks: ${results.checks.rate.toFixed(1)}/s`);
    console.log(`capacity:         ${results.capacity.byWeight} creations per block by weight, ${results.capacity.byLength} by length (${results.capacity.creationBytes} B each, ${results.capacity.actualPerCreationMs.toFixed(3)} ms charged each after refunds, ${results.capacity.weightPerCreationMs.toFixed(3)} ms up front)`);
    console.log(`storage:          ${results.storage.bytesPerRecord.toFixed(0)} B per record (goal <= 512: ${goal(results.storage.bytesPerRecord <= 512)}): ${Object.entries(results.storage.growthByItem).sort((x, y) => y[1] - x[1]).map(([k, v]) => `${k} ${(v / results.records.included).toFixed(0)}`).join(', ')}`);
    console.log(`node memory:      peak RSS ${results.memory.peakMiB.toFixed(0)} MiB sampled, VmHWM ${results.memory.highWaterMiB.toFixed(0)} MiB (goal <= 1024: ${goal(results.memory.highWaterMiB <= 1024)})`);
    const phases = ['transfers', 'records', 'grants', 'checks'].map((k) => results[k]);
    for (const p of phases) console.log(`pool, ${p.name}: refused ${JSON.stringify(p.refused)}, reported ${JSON.stringify(p.reported)}, stranded ${p.stranded}; dispatch failures ${JSON.stringify(p.failures)}`);
    if (opts.json) writeFileSync(opts.json, JSON.stringify(results, null, 2));

    const stranded = phases.reduce((a, p) => a + p.stranded, 0);
    const failed = phases.reduce((a, p) => a + Object.values(p.failures).reduce((x, y) => x + y, 0), 0);
    assert(stranded === 0, `${stranded} transaction(s) accepted by the pool were neither included nor reported dropped`);
    assert(failed === 0, `${failed} included transaction(s) failed to dispatch`);
    for (const p of phases) assert(p.included > 0, `${p.name}: nothing was included`);
    assert(Date.now() <= deadline, `the run took longer than ${opts['timeout-secs']} s`);
  } finally {
    rss.stop();
    await node.stop();
  }
}

const timer = setTimeout(() => {
  console.error(`load run: timed out after ${opts['timeout-secs']} s`);
  process.exit(1);
}, opts['timeout-secs'] * 1000 + 120_000);
main()
  .then(() => {
    clearTimeout(timer);
    process.exit(0);
  })
  .catch((e) => {
    console.error(e);
    process.exit(1);
  });

// Network-layer permissioning (`nodeAllowlist`) on a live 4-node network (`--chain local`, all
// on 127.0.0.1), driven by @polkadot/api as the regulator's tools would drive it:
//
//  1. Alice, Bob and Charlie (the founding validators) and Eve's full node (an outsider) peer
//     and sync: the network is open.
//  2. Malformed peer IDs and enforcement on an empty list are refused with typed errors.
//  3. The regulator (Bob) lists the three validators' nodes (`system_localPeerId`) and enforces
//     the list: Eve's node loses every peer and stops at its best block while the validators
//     keep authoring and finalizing.
//  4. A mistake and its correction: the regulator removes Charlie's node. Charlie is cut off and
//     finality stalls (GRANDPA needs all three voters) while Alice and Bob keep authoring.
//     Listing Charlie's node again, in a block that is not final, lets it back in (nodes follow
//     the best block, so a correction never waits for the finality it restores) and finality
//     resumes.
//  5. Eve's hospital is verified and her node listed for it: she reconnects and catches up.
//  6. The regulator suspends Eve's hospital: her node is cut off again (checked at every read,
//     no call on the allowlist), and the validators keep finalizing.
//  7. The regulator switches enforcement off: the network is open and Eve catches up.
//
//   env: PMR_NODE_BIN (the pmr-node binary), PMR_TEST_DIR (scratch directory)

import { Keyring } from '@polkadot/api';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PmrNode, all, assert, ok, send, step, waitFor } from './lib.mjs';

const BIN = process.env.PMR_NODE_BIN ?? join(process.env.CARGO_TARGET_DIR ?? join(process.env.HOME, '.cache/pmr-chain/target'), 'debug/pmr-node');
const dir = process.env.PMR_TEST_DIR ?? mkdtempSync(join(tmpdir(), 'pmr-network-'));

const processes = [];
async function stopAll() {
  for (const p of processes.reverse()) await p.stop().catch(() => {});
}

const peers = async (node) => (await node.rpc('system_health', [])).peers;

/** Waits until `node` has no peer and its best block stays put while `ref` authors 3 more. */
async function cutOff(node, ref, what) {
  await waitFor(`${node.name} without peers (${what})`, 90_000, async () => (await peers(node)) === 0);
  const stuck = await node.best();
  const target = (await ref.best()) + 3;
  await waitFor(`#${target} on ${ref.name}`, 60_000, async () => (await ref.best()) >= target);
  const now = await node.best();
  assert(now === stuck, `${node.name} stays at #${stuck} while ${ref.name} is at #${target}: it is at #${now}`);
  return stuck;
}

/** Waits until `node` has a peer again and has caught up with `ref`'s finalized block. */
async function reconnected(node, ref, what) {
  await waitFor(`${node.name} peering again (${what})`, 120_000, async () => (await peers(node)) > 0);
  const target = await ref.finalized();
  await waitFor(`${node.name} at #${target}`, 120_000, async () => (await node.best()) >= target);
  return target;
}

async function main() {
  await cryptoWaitReady();
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  const [bob, eve] = ['//Bob', '//Eve'].map((u) => keyring.addFromUri(u));
  step(`scratch dir ${dir}`);

  // ------------------------------------------------------------ 1. an open network
  const local = ['--chain', 'local-fast'];
  const A = new PmrNode(BIN, dir, 'alice', [...local, '--validator', '--alice', ...(process.env.PMR_TRACE ? ['-l', 'sub-libp2p::peerset=trace,sub-libp2p::notification=debug'] : [])]);
  await A.start();
  processes.push(A);
  const bootnode = `/ip4/127.0.0.1/tcp/${A.p2pPort}/p2p/${await A.rpc('system_localPeerId', [])}`;
  const B = new PmrNode(BIN, dir, 'bob', [...local, '--validator', '--bob', '--bootnodes', bootnode]);
  const C = new PmrNode(BIN, dir, 'charlie', [...local, '--validator', '--charlie', '--bootnodes', bootnode]);
  const E = new PmrNode(BIN, dir, 'eve', [...local, '--bootnodes', bootnode]);
  for (const n of [B, C, E]) {
    await n.start();
    processes.push(n);
  }
  const api = A.api;
  const tx = api.tx.nodeAllowlist;
  await A.finalizedAt(2, 240_000);
  await reconnected(E, A, 'open network');
  const [idA, idB, idC, idE] = await Promise.all([A, B, C, E].map((n) => n.rpc('system_localPeerId', [])));
  step(`open network: Eve's node (${idE}) syncs (#${await E.best()}, ${await peers(E)} peers)`);

  // ------------------------------------------------------------ 2. typed refusals
  let r = await send(api, bob, tx.addNode(`/ip4/127.0.0.1/tcp/${E.p2pPort}`, null));
  assert(r.error === 'nodeAllowlist.InvalidPeerId', `a multiaddr is not a peer ID: ${r.error}`);
  r = await send(api, bob, tx.setEnforced(true));
  assert(r.error === 'nodeAllowlist.NoNodes', `enforcing an empty list refused: ${r.error}`);
  step('malformed peer ID and empty enforcement refused');

  // ------------------------------------------------------------ 3. enforced: Eve cut off
  await all(api, bob, [idA, idB, idC].map((id) => tx.addNode(id, null)));
  const listed = (await api.query.nodeAllowlist.nodes.keys()).map((k) => k.args[0].toUtf8()).sort();
  assert(JSON.stringify(listed) === JSON.stringify([idA, idB, idC].sort()), `listed as text: ${listed}`);
  const enforced = await ok(api, bob, tx.setEnforced(true), 'nodeAllowlist.EnforcementSet');
  const authorized = (await api.call.nodeAllowlistApi.authorizedNodes()).unwrap().map((id) => id.toUtf8());
  assert(authorized.length === 3 && !authorized.includes(idE), `runtime API: ${authorized}`);
  let stuck = await cutOff(E, A, 'enforced');
  for (const n of [A, B, C]) assert((await peers(n)) === 2, `${n.name} peers with the two other validators`);
  await A.finalizedAt(stuck + 3, 60_000);
  step(`enforced at #${enforced.block}: Eve's node has no peers and stays at #${stuck}; validators finalize #${await A.finalized()}`);

  // ------------------------------------------------------------ 4. Charlie removed by mistake, and listed again
  const removed = await ok(api, bob, tx.removeNode(idC), 'nodeAllowlist.NodeRemoved');
  await waitFor("Charlie's node without peers", 90_000, async () => (await peers(C)) === 0);
  const stalledAt = await A.finalized();
  const bestThen = await A.best();
  await waitFor(`#${bestThen + 3} on alice`, 60_000, async () => (await A.best()) >= bestThen + 3);
  assert((await A.finalized()) === stalledAt, `finality stalls without Charlie's vote (#${stalledAt} → #${await A.finalized()})`);
  step(`Charlie's node removed at #${removed.block}: it has no peers; finality stalls at #${stalledAt} while Alice and Bob author #${await A.best()}`);
  const fixed = await ok(api, bob, tx.addNode(idC, null), 'nodeAllowlist.NodeAdded');
  assert(fixed.block > stalledAt, `the correction is in a block that is not final (#${fixed.block})`);
  await waitFor("Charlie's node peering again", 120_000, async () => (await peers(C)) > 0);
  await A.finalizedAt(fixed.block, 120_000);
  assert((await peers(E)) === 0, "Eve's node is still cut off");
  step(`Charlie's node listed again at #${fixed.block}: it peers and finality resumes (#${await A.finalized()})`);

  // ------------------------------------------------------------ 5. Eve's hospital's node listed
  const hospital = (await ok(api, eve, api.tx.registry.applyForRegistration({
    registrationId: 'GOV-0005', name: 'Fifth Hospital', location: 'Kochi', specializations: ['general'], contact: '+91 484 000 0000',
  }), 'registry.HospitalApplied')).hospital;
  r = await send(api, bob, tx.addNode(idE, hospital));
  assert(r.error === 'nodeAllowlist.HospitalNotVerified', `an unverified hospital's node refused: ${r.error}`);
  await ok(api, bob, api.tx.registry.verifyHospital(hospital), 'registry.HospitalVerified');
  await ok(api, bob, tx.addNode(idE, hospital), 'nodeAllowlist.NodeAdded');
  let at = await reconnected(E, A, 'listed');
  step(`Eve's node listed for hospital ${hospital}: it peers again and reached #${at}`);

  // ------------------------------------------------------------ 6. hospital suspended
  const suspended = await ok(api, bob, api.tx.registry.suspendHospital(hospital));
  await A.finalizedAt(suspended.block, 60_000);
  stuck = await cutOff(E, A, 'hospital suspended');
  assert((await api.query.nodeAllowlist.nodes(idE)).isSome, "the entry stays listed; the hospital's standing decides");
  await A.finalizedAt(stuck + 3, 60_000);
  step(`hospital suspended at #${suspended.block}: Eve's node cut off again at #${stuck}`);

  // ------------------------------------------------------------ 7. enforcement off
  const opened = await ok(api, bob, tx.setEnforced(false), 'nodeAllowlist.EnforcementSet');
  assert((await api.call.nodeAllowlistApi.authorizedNodes()).isNone, 'runtime API: open network');
  await A.finalizedAt(opened.block, 60_000);
  at = await reconnected(E, A, 'open again');
  step(`enforcement off at #${opened.block}: Eve's node peers and reached #${at}`);
}

main()
  .then(async () => {
    await stopAll();
    step('network allowlist: all steps passed');
    process.exit(0);
  })
  .catch(async (e) => {
    console.error(e);
    for (const p of processes) if (p.tail) console.error(`---- ${p.name}\n${p.tail(30)}`);
    await stopAll();
    process.exit(1);
  });

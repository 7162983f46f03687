// Validator governance on a live 4-node network (`--chain local`, all on 127.0.0.1), driven by
// @polkadot/api as a regulator's and a hospital's tools would drive it:
//
//  1. Alice, Bob and Charlie, the local chain's founding validators, author and finalize.
//  2. Dave's hospital applies and the regulator (Bob) verifies it. Dave's node (a fourth
//     `pmr-node --validator`, with an empty keystore) makes session keys with
//     `author_rotateKeysWithOwner`; Dave registers them with `session.setKeys`; the regulator
//     admits Dave with `validatorSet.addValidator`, while the chain runs.
//  3. Within two sessions Dave is in `session.validators` and GRANDPA's authority set, and his
//     node authors blocks (Aura slots whose authority is Dave's key).
//  4. Charlie's node stops: with 4 voters GRANDPA needs 3, so finality continuing proves that
//     Dave votes.
//  5. The regulator removes Charlie (4 → 3, the local chain's minimum); after the change is
//     enacted finality continues with Alice, Bob and Dave; removing one more is refused with
//     `validatorSet.TooFewValidators`.
//
//   env: PMR_NODE_BIN (the pmr-node binary), PMR_TEST_DIR (scratch directory)

import { Keyring } from '@polkadot/api';
import { cryptoWaitReady, encodeAddress } from '@polkadot/util-crypto';
import { u8aToHex, hexToU8a } from '@polkadot/util';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PmrNode, assert, ok, send, step, waitFor } from './lib.mjs';

const BIN = process.env.PMR_NODE_BIN ?? join(process.env.CARGO_TARGET_DIR ?? join(process.env.HOME, '.cache/pmr-chain/target'), 'debug/pmr-node');
const dir = process.env.PMR_TEST_DIR ?? mkdtempSync(join(tmpdir(), 'pmr-validators-'));
// A session's wall time, read from the chain below (`local-fast`: 10 blocks of 1 s); the
// waits are a few sessions long, and never shorter than 20 s.
let SESSION_MS = 60_000;

const processes = [];
async function stopAll() {
  for (const p of processes.reverse()) await p.stop().catch(() => {});
}

/** The Aura authority that authored `hash` (slot from the pre-runtime digest, set at its parent). */
async function auraAuthor(api, hash) {
  const header = await api.rpc.chain.getHeader(hash);
  const pre = header.digest.logs.find((l) => l.isPreRuntime && l.asPreRuntime[0].toString() === 'aura');
  assert(pre, `block ${header.number} has an Aura pre-runtime digest`);
  const slot = api.createType('u64', pre.asPreRuntime[1]).toBigInt();
  const authorities = (await api.query.aura.authorities.at(header.parentHash)).map((a) => a.toHex());
  return { number: header.number.toNumber(), author: authorities[Number(slot % BigInt(authorities.length))] };
}

async function main() {
  await cryptoWaitReady();
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  const [alice, bob, charlie, dave] = ['//Alice', '//Bob', '//Charlie', '//Dave'].map((u) => keyring.addFromUri(u));
  step(`scratch dir ${dir}`);

  // ------------------------------------------------------------ 1. three founding validators
  const local = ['--chain', 'local-fast', '--validator'];
  const A = new PmrNode(BIN, dir, 'alice', [...local, '--alice']);
  await A.start();
  processes.push(A);
  const bootnode = `/ip4/127.0.0.1/tcp/${A.p2pPort}/p2p/${await A.rpc('system_localPeerId', [])}`;
  const B = new PmrNode(BIN, dir, 'bob', [...local, '--bob', '--bootnodes', bootnode]);
  const C = new PmrNode(BIN, dir, 'charlie', [...local, '--charlie', '--bootnodes', bootnode]);
  // Dave's node: a validator node with an empty keystore; its keys are made below.
  const D = new PmrNode(BIN, dir, 'dave', [...local, '--bootnodes', bootnode]);
  for (const n of [B, C, D]) {
    await n.start();
    processes.push(n);
  }
  const api = A.api;
  const tx = api.tx;
  await A.finalizedAt(2, 240_000);
  const slotMs = (await api.query.validatorSet.slotDuration()).toNumber();
  SESSION_MS = Math.max(20_000, (await api.query.validatorSet.sessionLength()).toNumber() * slotMs);
  step(`${slotMs} ms blocks; a session is ${SESSION_MS / 1000} s at most`);
  const founding = (await api.query.session.validators()).map((v) => v.toString());
  assert(founding.length === 3, `three founding validators: ${founding}`);
  step(`4 nodes up; founding validators finalize (#${await A.finalized()})`);

  // ------------------------------------------------------------ 2. Dave joins
  const hospital = (await ok(api, dave, tx.registry.applyForRegistration({
    registrationId: 'GOV-0004', name: 'Fourth Hospital', location: 'Madurai', specializations: ['general'], contact: '+91 452 000 0000',
  }), 'registry.HospitalApplied')).hospital;
  // Admitting before verification or before keys is refused with a typed error.
  let r = await send(api, bob, tx.validatorSet.addValidator(hospital, dave.address));
  assert(r.error === 'validatorSet.HospitalNotVerified', `unverified hospital refused: ${r.error}`);
  await ok(api, bob, tx.registry.verifyHospital(hospital), 'registry.HospitalVerified');
  r = await send(api, bob, tx.validatorSet.addValidator(hospital, dave.address));
  assert(r.error === 'validatorSet.NoSessionKeys', `keyless admin refused: ${r.error}`);

  const generated = await D.rpc('author_rotateKeysWithOwner', [u8aToHex(dave.publicKey)]);
  assert(generated.proof, 'the node makes a proof of possession');
  const keyBytes = hexToU8a(generated.keys);
  const daveAura = u8aToHex(keyBytes.slice(0, 32));
  const daveGrandpa = u8aToHex(keyBytes.slice(32, 64));
  assert(await D.rpc('author_hasSessionKeys', [generated.keys]), "the keys are in Dave's keystore");
  await ok(api, dave, tx.session.setKeys(generated.keys, generated.proof));
  const added = await ok(api, bob, tx.validatorSet.addValidator(hospital, dave.address), 'validatorSet.ValidatorAdded');
  step(`regulator admitted Dave (hospital ${hospital}) at #${added.block}; aura ${daveAura}`);

  // ------------------------------------------------------------ 3. Dave validates
  const joinedAt = await waitFor('Dave in session.validators', 4 * SESSION_MS, async () => {
    const vs = (await api.query.session.validators()).map((v) => v.toString());
    return vs.includes(dave.address) ? await A.best() : false;
  });
  await waitFor("Dave's GRANDPA key in the authority set", 2 * SESSION_MS, async () =>
    (await api.query.grandpa.authorities()).some(([k]) => k.toHex() === daveGrandpa));
  const daveBlock = await waitFor('a block authored by Dave', 3 * SESSION_MS, async () => {
    const head = await api.rpc.chain.getHeader();
    for (let n = head.number.toNumber(); n > joinedAt; n--) {
      const a = await auraAuthor(api, await api.rpc.chain.getBlockHash(n));
      if (a.author === daveAura) return a.number;
    }
    return false;
  }, 3000);
  step(`Dave validates from #${joinedAt}; authored #${daveBlock}`);

  // ------------------------------------------------------------ 4. Dave votes
  // The voter set with Dave is live once the block enacting it is final.
  await A.finalizedAt(joinedAt + 1, 2 * SESSION_MS);
  await C.stop();
  const stoppedAt = await A.finalized();
  await A.finalizedAt(stoppedAt + 5, 2 * SESSION_MS);
  await D.finalizedAt(stoppedAt + 5, 60_000);
  step(`Charlie's node stopped at finalized #${stoppedAt}: Alice, Bob and Dave (3 of 4) finalize #${await A.finalized()}`);

  // ------------------------------------------------------------ 5. removal, and the minimum
  const removed = await ok(api, bob, tx.validatorSet.removeValidator(charlie.address), 'validatorSet.ValidatorRemoved');
  assert(removed.reason === 'Regulator', `removed by the regulator: ${JSON.stringify(removed)}`);
  r = await send(api, bob, tx.validatorSet.removeValidator(alice.address));
  assert(r.error === 'validatorSet.TooFewValidators', `removal below the minimum refused: ${r.error}`);
  const leftAt = await waitFor('Charlie out of session.validators', 4 * SESSION_MS, async () => {
    const vs = (await api.query.session.validators()).map((v) => v.toString());
    return !vs.includes(charlie.address) && vs.length === 3 ? await A.best() : false;
  });
  const charlieGrandpa = u8aToHex(keyring.createFromUri('//Charlie', {}, 'ed25519').publicKey);
  await waitFor("Charlie's GRANDPA key out of the authority set", 2 * SESSION_MS, async () =>
    !(await api.query.grandpa.authorities()).some(([k]) => k.toHex() === charlieGrandpa));
  await A.finalizedAt(leftAt + 5, 2 * SESSION_MS);
  for (const n of [B, D]) await n.finalizedAt(leftAt + 5, 60_000);
  const set = (await api.query.session.validators()).map((v) => encodeAddress(v, 42));
  step(`Charlie removed at #${leftAt}; validators ${set.join(', ')}; finality continues (#${await A.finalized()})`);
}

main()
  .then(async () => {
    await stopAll();
    step('validator governance: all steps passed');
    process.exit(0);
  })
  .catch(async (e) => {
    console.error(e);
    for (const p of processes) if (p.tail) console.error(`---- ${p.name}\n${p.tail(30)}`);
    await stopAll();
    process.exit(1);
  });

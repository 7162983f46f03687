// Registers the dev chain's cast (src/cast.json) on a fresh development chain: City Hospital
// (Charlie, verified by Bob the regulator), doctors Dave and Ferdie with confirmed licences,
// the imaging lab, and the node's key custodian (threshold 1 of 1) whose X25519 public key is
// CUSTODIAN_PUBLIC (the node runs with the secret, `--pmr-custodian-key-file`). Eve stays
// unregistered: the desk registers her in the app, with the key she makes there.
// Skips what is already there, so it may run against a chain that kept its state.
//
//   node scripts/dev-cast.mjs ws://127.0.0.1:9944 0x<custodian X25519 public key>

import { ApiPromise, Keyring, WsProvider } from '@polkadot/api';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { u8aToHex } from '@polkadot/util';
import { readFileSync } from 'node:fs';

const [url = 'ws://127.0.0.1:9944', custodianPublic] = process.argv.slice(2);
if (!custodianPublic) throw new Error('usage: dev-cast.mjs <ws url> <custodian X25519 public key>');
const cast = JSON.parse(readFileSync(new URL('../src/cast.json', import.meta.url), 'utf8'));

/** Signs and submits; resolves with the events once in a block; rejects on a dispatch error. */
function send(api, signer, tx, nonce = -1) {
  return new Promise((resolve, reject) => {
    tx.signAndSend(signer, { nonce }, (r) => {
      if (r.status.isInBlock) {
        if (r.dispatchError) {
          const e = r.dispatchError.isModule ? api.registry.findMetaError(r.dispatchError.asModule) : null;
          reject(new Error(`${tx.method.section}.${tx.method.method}: ${e ? `${e.section}.${e.name}` : r.dispatchError.toString()}`));
        } else resolve(r.events.map(({ event }) => event));
      } else if (r.status.isInvalid || r.status.isDropped) reject(new Error(`${tx.method.section}.${tx.method.method}: ${r.status.type}`));
    }).catch(reject);
  });
}

/** Sends all `txs` of one signer at once (consecutive nonces, so they share a block). */
async function all(api, signer, txs) {
  const next = (await api.rpc.system.accountNextIndex(signer.address)).toNumber();
  return Promise.all(txs.map((tx, i) => send(api, signer, tx, next + i)));
}

async function main() {
  await cryptoWaitReady();
  const api = await ApiPromise.create({ provider: new WsProvider(url), noInitWarn: true });
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  const who = Object.fromEntries(cast.accounts.map((c) => [c.name, { ...c, pair: keyring.addFromUri(c.uri) }]));
  const [alice, bob, charlie] = [who.Alice.pair, who.Bob.pair, who.Charlie.pair];
  const custodian = cast.accounts.find((c) => c.custodian);
  const custodianPair = keyring.addFromUri(custodian.uri);
  // The node signs its custodian answers with this account's key (the dev chain's keystore).
  await api.rpc.author.insertKey('pmra', custodian.uri, u8aToHex(custodianPair.publicKey));

  if (!(await api.call.registryApi.hospitalOf(charlie.address)).isEmpty) {
    console.log('[dev-cast] the cast is already registered');
    return api.disconnect();
  }
  // Four blocks: funds and the application; verification; staff and custodian; licences,
  // the custodian key and the threshold.
  const fund = cast.accounts.filter((c) => c.doctor || c.lab || c.custodian).map((c) => keyring.addFromUri(c.uri).address);
  const [, applied] = await Promise.all([
    all(api, alice, fund.map((a) => api.tx.balances.transferKeepAlive(a, 10n ** 15n))),
    send(api, charlie, api.tx.registry.applyForRegistration(cast.hospital)),
  ]);
  const hospital = applied.find((e) => e.method === 'HospitalApplied').data.hospital.toNumber();
  await send(api, bob, api.tx.registry.verifyHospital(hospital));
  const staff = cast.accounts.filter((c) => c.doctor || c.lab);
  const onboarded = await all(api, charlie, [
    ...staff.map((c) => {
      const account = keyring.addFromUri(c.uri).address;
      return c.doctor ? api.tx.registry.onboardDoctor(hospital, account, c.doctor) : api.tx.registry.onboardLab(hospital, account, c.lab);
    }),
    api.tx.registry.proposeCustodianKey(hospital, custodianPublic),
    api.tx.registry.addMember(hospital, custodianPair.address, 'KeyCustodian'),
  ]);
  const doctors = onboarded.flat().filter((e) => e.method === 'DoctorOnboarded').map((e) => e.data.doctor.toNumber());
  await all(api, bob, [
    ...doctors.map((d) => api.tx.registry.confirmDoctorLicence(d)),
    api.tx.registry.approveCustodianKey(hospital),
    api.tx.registry.setCustodianThreshold(1),
  ]);
  console.log(`[dev-cast] City Hospital ${hospital}: doctors ${doctors.join(', ')}, a lab, custodian t = 1 of 1`);
  await api.disconnect();
}

main().catch((e) => {
  console.error(`[dev-cast] ${e.message}`);
  process.exit(1);
});

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
function send(api, signer, tx) {
  return new Promise((resolve, reject) => {
    tx.signAndSend(signer, { nonce: -1 }, (r) => {
      if (r.status.isInBlock) {
        if (r.dispatchError) {
          const e = r.dispatchError.isModule ? api.registry.findMetaError(r.dispatchError.asModule) : null;
          reject(new Error(`${tx.method.section}.${tx.method.method}: ${e ? `${e.section}.${e.name}` : r.dispatchError.toString()}`));
        } else resolve(r.events.map(({ event }) => event));
      } else if (r.status.isInvalid || r.status.isDropped) reject(new Error(`${tx.method.section}.${tx.method.method}: ${r.status.type}`));
    }).catch(reject);
  });
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
  const fund = cast.accounts.filter((c) => c.doctor || c.lab || c.custodian).map((c) => keyring.addFromUri(c.uri).address);
  for (const a of fund) await send(api, alice, api.tx.balances.transferKeepAlive(a, 10n ** 15n));
  const applied = await send(api, charlie, api.tx.registry.applyForRegistration(cast.hospital));
  const hospital = applied.find((e) => e.method === 'HospitalApplied').data.hospital.toNumber();
  await send(api, bob, api.tx.registry.verifyHospital(hospital));
  const doctors = [];
  for (const c of cast.accounts) {
    const pair = keyring.addFromUri(c.uri);
    if (c.doctor) {
      const ev = await send(api, charlie, api.tx.registry.onboardDoctor(hospital, pair.address, c.doctor));
      doctors.push(ev.find((e) => e.method === 'DoctorOnboarded').data.doctor.toNumber());
    }
    if (c.lab) await send(api, charlie, api.tx.registry.onboardLab(hospital, pair.address, c.lab));
  }
  await send(api, charlie, api.tx.registry.proposeCustodianKey(hospital, custodianPublic));
  await send(api, charlie, api.tx.registry.addMember(hospital, custodianPair.address, 'KeyCustodian'));
  for (const d of doctors) await send(api, bob, api.tx.registry.confirmDoctorLicence(d));
  await send(api, bob, api.tx.registry.approveCustodianKey(hospital));
  await send(api, bob, api.tx.registry.setCustodianThreshold(1));
  console.log(`[dev-cast] City Hospital ${hospital}: doctors ${doctors.join(', ')}, a lab, custodian t = 1 of 1`);
  await api.disconnect();
}

main().catch((e) => {
  console.error(`[dev-cast] ${e.message}`);
  process.exit(1);
});

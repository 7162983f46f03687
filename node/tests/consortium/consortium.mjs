// The paper's whole workflow on a 3-node PMR Chain network, driven over JSON-RPC by an external
// client: @polkadot/api (what Polkadot.js Apps uses) signs and submits every extrinsic, reads
// storage and calls the runtime APIs; the `pmr_` RPC ingests; the patient's and the reader's
// sides use the `pmr-node` key tools, which need only JSON-RPC and IPFS.
//
// Network (all on 127.0.0.1): three hospitals, each with its own `pmr-node` and its own dev
// IPFS node (one private swarm); every node is its hospital's custodian node (custodian set of
// 3, threshold t = 2). Node A also runs the chain's one validator (the dev chain's Alice): with
// three GRANDPA voters no fault is tolerated (a 3-voter set needs all 3), and custodians act on
// finalized blocks, so the nodes this test stops are custodian nodes, not voters (validator
// faults are tested on a 4-validator network, docs/key-release.md). Hospital 0 ingests on node
// B.
//
// Steps: the registry (regulator verifies three hospitals; doctors, a lab, custodian keys, a
// patient); a visit record (FHIR, two-phase: the doctor signs the prepared anchor); a lab DICOM
// study against an order (node-signed); an IoMT batch (node-signed); a second opinion for N
// blocks, read and compared with the chain's plaintext hash; expiry; a new grant and its
// revocation; break-glass; node faults (ingesting hospital down; a second custodian down; back
// up); erasure (pins gone on every node); the audit trail; a PII canary over all chain state,
// every block and every IPFS repository.
//
//   env: PMR_NODE_BIN (the pmr-node binary), PMR_DICOM_SAMPLES (CT_small.dcm),
//        PMR_TEST_DIR (scratch directory, default: a new temp dir)

import { Keyring } from '@polkadot/api';
import { blake2AsHex, blake2AsU8a, cryptoWaitReady } from '@polkadot/util-crypto';
import { stringToU8a, u8aConcat, u8aToHex } from '@polkadot/util';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IpfsNode, PmrNode, all, assert, cidText, ok, send, step, tool, waitFor } from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../../..');
const BIN = process.env.PMR_NODE_BIN ?? join(process.env.CARGO_TARGET_DIR ?? join(process.env.HOME, '.cache/pmr-chain/target'), 'debug/pmr-node');
const SAMPLES = process.env.PMR_DICOM_SAMPLES ?? join(process.env.HOME, '.cache/pmr-chain/test-data/dicom');
const dir = process.env.PMR_TEST_DIR ?? mkdtempSync(join(tmpdir(), 'pmr-consortium-'));
// The second opinion's N blocks: long enough for the read (~45 s of tools and finality),
// set once the block time is known.
let GRANT_BLOCKS = 12;

// ---------------------------------------------------------------- canary markers
// Unique per run: names, a phone number, a national ID and an address, injected through every
// ingest path. None may appear in clear in chain state, in any block, or in any IPFS repo.
const tag = randomBytes(4).toString('hex');
const digits = (n) => Array.from(randomBytes(n), (b) => String(b % 10)).join('');
const MARK = {
  given: `Gv${tag}q`,
  family: `Fm${tag}z`,
  nationalId: `${digits(4)} ${digits(4)} ${digits(4)}`,
  phone: `+91 9${digits(4)} ${digits(5)}`,
  address: `${digits(2)} Cnry${tag} Street`,
  dicomName: `Dc${tag}^Pt${tag}`,
};
const markers = Object.values(MARK).flatMap((m) => (m === MARK.dicomName ? m.split('^') : [m]));

function canaryBundle() {
  let text = readFileSync(join(repoRoot, 'vault/tests/fixtures/bundle.json'), 'utf8');
  for (const [from, to] of [
    ['Ravi', MARK.given],
    ['Kumar', MARK.family],
    ['9876 5432 1098', MARK.nationalId],
    ['+91 98450 12345', MARK.phone],
    ['12 Temple Street', MARK.address],
  ]) {
    assert(text.includes(from), `the fixture holds ${from}`);
    text = text.split(from).join(to);
  }
  return Buffer.from(text);
}

/** CT_small.dcm with its PatientName (0010,0010, explicit VR little endian) set to `name`. */
function canaryStudy() {
  const ct = readFileSync(join(SAMPLES, 'CT_small.dcm'));
  const head = Buffer.from([0x10, 0x00, 0x10, 0x00, 0x50, 0x4e]); // (0010,0010) PN
  const at = ct.indexOf(head);
  assert(at > 0, 'CT_small.dcm has a PatientName');
  const len = ct.readUInt16LE(at + 6);
  assert(MARK.dicomName.length <= len, 'the marker fits the element');
  Buffer.from(MARK.dicomName.padEnd(len, ' ')).copy(ct, at + 8);
  return ct;
}

const hex = (buf) => `0x${Buffer.from(buf).toString('hex')}`;
const ddmmyyyy = (d) => `${String(d.getUTCDate()).padStart(2, '0')}${String(d.getUTCMonth() + 1).padStart(2, '0')}${d.getUTCFullYear()}`;
const yesterday = Number(ddmmyyyy(new Date(Date.now() - 86_400_000)));
/** A visit date as the chain's `VisitDate` takes it. */
const visitDate = (ms) => { const d = new Date(ms); return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() }; };

// ---------------------------------------------------------------- the network
const processes = [];
/** Every version of every entry of `patient`'s audit trail in `node`'s archive
 * (`pmr_auditArchive`, paged, newest first), decoded with the runtime's types: the chain's ring
 * keeps the first and latest of each accessor's accesses per day, the archive all of them. */
async function auditArchive(api, node, patient) {
  const entries = [];
  for (let before = null; ;) {
    const page = await node.rpc('pmr_auditArchive', [patient, before, 256]);
    for (const e of page.entries) entries.push(api.createType('PalletConsentAuditEntry', e.entry).toJSON());
    if (page.next === null) return entries;
    before = page.next;
  }
}

async function stopAll() {
  for (const p of processes.reverse()) await p.stop().catch(() => {});
}

async function main() {
  await cryptoWaitReady();
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  const acct = (uri) => keyring.addFromUri(uri);
  const [alice, bob, charlie, dave, eve, ferdie] = ['//Alice', '//Bob', '//Charlie', '//Dave', '//Eve', '//Ferdie'].map(acct);
  const admin1 = acct('//PmrHospital1');
  const admin2 = acct('//PmrHospital2');
  const second = acct('//PmrSecondOpinion'); // a doctor at hospital 1
  const emergency = acct('//PmrEmergency'); // a doctor at hospital 2
  const device = acct('//PmrGlucoseMonitor');
  const custodianUris = ['//PmrCustodian0', '//PmrCustodian1', '//PmrCustodian2'];
  const custodians = custodianUris.map(acct);
  step(`scratch dir ${dir}; markers ${JSON.stringify(markers)}`);

  // X25519 keys: custodian nodes, the patient, the doctors (files on their owners' side).
  const x25519 = async (name) => {
    const path = join(dir, `${name}.key`);
    const r = await tool(BIN, ['x25519-key', 'generate', '--out', path]);
    assert(r.ok, `x25519-key generate: ${r.stderr}`);
    return { path, public: r.stdout };
  };
  const custodianKeys = [await x25519('custodian0'), await x25519('custodian1'), await x25519('custodian2')];
  const [patientKey, daveKey, secondKey, emergencyKey] = [await x25519('patient'), await x25519('dave'), await x25519('second'), await x25519('emergency')];

  // Three IPFS nodes, one private swarm.
  const ipfs = ['a', 'b', 'c'].map((n) => new IpfsNode(repoRoot, dir, n));
  processes.push(...ipfs);
  await Promise.all(ipfs.map((node) => node.start()));
  const connectSwarm = async () => {
    for (const x of ipfs) for (const y of ipfs) if (x !== y && x.api && y.peer) await x.call('swarm/connect', { arg: y.swarm }).catch(() => {});
  };
  await connectSwarm();
  step(`IPFS nodes up: ${ipfs.map((n) => n.api).join(' ')}`);

  const nodeArgs = (i) => [
    '--chain', 'dev-fast',
    '--pmr-ipfs-api', ipfs[i].api,
    '--pmr-custodian-key-file', custodianKeys[i].path,
    '--pmr-custodian-account', custodians[i].address,
    '--pmr-replica-check-secs', '15',
  ];
  // A: the validator; its RPC answers the canary's whole-state scan (the runtime code is 1 MiB+).
  const A = new PmrNode(BIN, dir, 'a', [...nodeArgs(0), '--alice', '--validator', '--rpc-max-response-size', '64']);
  await A.start();
  processes.push(A);
  const bootnode = `/ip4/127.0.0.1/tcp/${A.p2pPort}/p2p/${await A.rpc('system_localPeerId', [])}`;
  const B = new PmrNode(BIN, dir, 'b', [...nodeArgs(1), '--bootnodes', bootnode]);
  // C keeps the state of its last 8 blocks only (the default is 256): it is stopped below for
  // longer than that, and must catch up from the facts its worker captured at import.
  const C = new PmrNode(BIN, dir, 'c', [...nodeArgs(2), '--bootnodes', bootnode, '--state-pruning', '8']);
  for (const n of [B, C]) {
    await n.start();
    processes.push(n);
  }
  const nodes = [A, B, C];
  for (const [i, n] of nodes.entries()) {
    await n.rpc('author_insertKey', ['pmra', custodianUris[i], u8aToHex(custodians[i].publicKey)]);
  }
  await waitFor('3 peers and block #2 on every node', 240_000, async () => {
    for (const n of nodes) if ((await n.best()) < 2 || (await n.api.rpc.system.health()).peers.toNumber() < 1) return false;
    return true;
  });
  const api = A.api;
  const tx = api.tx;
  const slotMs = (await api.query.validatorSet.slotDuration()).toNumber();
  GRANT_BLOCKS = Math.max(12, Math.ceil(45_000 / slotMs));
  step(`3 pmr-nodes up and connected; ${slotMs} ms blocks, second opinion for ${GRANT_BLOCKS} blocks`);

  // ------------------------------------------------------------ 1. the registry
  // Alice (sudo on the dev chain) funds the new accounts.
  const funded = [ferdie, admin1, admin2, second, emergency, device, ...custodians];
  await all(api, alice, funded.map((a) => tx.balances.transferKeepAlive(a.address, 10n ** 15n)));
  const details = (id, name) => ({ registrationId: id, name, location: 'Coimbatore', specializations: ['general'], contact: '+91 422 000 0000' });
  const hospitals = [];
  for (const [who, id, name] of [[charlie, 'GOV-0001', 'City Hospital'], [admin1, 'GOV-0002', 'Lake Hospital'], [admin2, 'GOV-0003', 'Hill Hospital']]) {
    hospitals.push((await ok(api, who, tx.registry.applyForRegistration(details(id, name)), 'registry.HospitalApplied')).hospital);
  }
  const admins = [charlie, admin1, admin2];
  // Node A is hospital 2's node (the regulator's validator host); B hospital 0's; C hospital 1's.
  const hospitalOfNode = [hospitals[2], hospitals[0], hospitals[1]];
  const adminOfNode = [admin2, charlie, admin1];
  await all(api, bob, hospitals.map((h) => tx.registry.verifyHospital(h)));
  await Promise.all(nodes.map((_, i) => all(api, adminOfNode[i], [
    tx.registry.proposeCustodianKey(hospitalOfNode[i], custodianKeys[i].public),
    tx.registry.addMember(hospitalOfNode[i], custodians[i].address, 'KeyCustodian'),
  ])));
  await all(api, bob, [...hospitalOfNode.map((h) => tx.registry.approveCustodianKey(h)), tx.registry.setCustodianThreshold(2)]);
  const set = (await api.call.registryApi.custodianSet()).toJSON();
  assert(set.threshold === 2 && set.custodians.length === 3, `custodian set: ${JSON.stringify(set)}`);

  const doctor = async (admin, hospital, account, reg, spec) =>
    (await ok(api, admin, tx.registry.onboardDoctor(hospital, account.address, { registrationNumber: reg, name: `Dr. ${reg}`, specialization: spec, contact: `${reg}@hospital` }), 'registry.DoctorOnboarded')).doctor;
  const [daveId, secondId, emergencyId] = await Promise.all([
    doctor(charlie, hospitals[0], dave, 'MCI-42', 'general medicine'),
    doctor(admin1, hospitals[1], second, 'MCI-43', 'cardiology'),
    doctor(admin2, hospitals[2], emergency, 'MCI-44', 'emergency medicine'),
  ]);
  await all(api, bob, [daveId, secondId, emergencyId].map((d) => tx.registry.confirmDoctorLicence(d)));
  await Promise.all([[dave, daveKey], [second, secondKey], [emergency, emergencyKey]].map(([who, key]) => ok(api, who, tx.registry.setEncryptionKey(key.public))));
  const labId = (await ok(api, charlie, tx.registry.onboardLab(hospitals[0], ferdie.address, { registrationNumber: 'LAB-7', name: 'Imaging', specialization: 'radiology' }), 'registry.LabOnboarded')).lab;
  // The desk registers Eve: on chain only a commitment to her identity and her X25519 key.
  const patient = (await ok(api, charlie, tx.registry.registerPatient(hospitals[0], eve.address, u8aToHex(randomBytes(32)), patientKey.public), 'registry.PatientRegistered')).patient;
  step(`registry: hospitals ${hospitals}, doctors ${[daveId, secondId, emergencyId]}, lab ${labId}, patient ${patient}, custodians t=2 of 3`);

  // ------------------------------------------------------------ 2. ingest on node B
  const submit = async (format, category, target, data, signer, author) => {
    const req = { format, patient, category, target, data: hex(data) };
    if (signer) req.signer = signer;
    if (author) req.author = author;
    return B.rpc('pmr_submitRecord', [req]);
  };
  const job = async (id, state, timeoutMs = 180_000) =>
    waitFor(`job ${id} ${state}`, timeoutMs, async () => {
      const s = await B.rpc('pmr_jobStatus', [id]);
      assert(s.state.state !== 'failed', `job ${id} failed: ${JSON.stringify(s)}`);
      return s.state.state === state ? s : undefined;
    });

  // A visit: FHIR, two-phase — Dave's wallet signs the prepared anchor.
  await B.bestAt(await A.best()); // the patient and the hospital, registered through node A
  const visitJob = await submit('fhir', 'presentIllness', { kind: 'record', hospital: hospitals[0], visitDate: yesterday }, canaryBundle(), undefined, dave.address);
  const pinned = await job(visitJob, 'pinned');
  const call = api.createType('Call', pinned.state.anchor.call);
  assert(call.section === 'medicalRecords' && call.method === 'createRecord', `prepared ${call.section}.${call.method}`);
  // Prepared for Dave: another doctor who reads the node's jobs cannot anchor it as his own.
  const taken = await send(api, second, api.tx(call));
  assert(taken.error === 'medicalRecords.PreparedForAnother', `a prepared anchor signed by another doctor: ${JSON.stringify(taken.error)}`);
  await ok(api, dave, api.tx(call), 'medicalRecords.RecordCreated');
  const anchored = await job(visitJob, 'anchored');
  const item = anchored.state.anchoredAs.item;
  const [info, versions] = (await api.call.recordsApi.record(item)).unwrap();
  assert(info.patient.toNumber() === patient, 'the PMR NFT is the patient\'s');
  const version0 = versions[0].toJSON();
  const owned = (await api.query.nfts.account.keys(eve.address)).map((k) => k.args[2].toString());
  assert(owned.includes(String(item)), `the PMR NFT ${item} is owned by the patient's account: ${owned}`);
  step(`visit record anchored as PMR NFT ${item}, owned by the patient (${JSON.stringify(info.toJSON().visitDate)} #${info.toJSON().sequence})`);
  const target = { RecordVersion: { item, version: 0 } };
  const recordCids = [cidText(version0.cid), cidText(version0.manifest.cid)];

  // The reused-content-address attack: Dave, a doctor who is also a patient of hospital 0,
  // anchors a record of his own that names Eve's ciphertext and manifest, to erase it and so
  // make every node unpin Eve's record. The chain anchors a content address at most once, so
  // the anchor is refused and Eve's record stays readable (it is read below, from replicas).
  const davePatient = (await ok(api, charlie, tx.registry.registerPatient(hospitals[0], dave.address, u8aToHex(randomBytes(32)), (await x25519('dave-as-patient')).public), 'registry.PatientRegistered')).patient;
  const stolenContent = { cid: version0.cid, plaintextHash: version0.plaintextHash, ciphertextHash: version0.ciphertextHash, manifest: version0.manifest };
  const attack = await send(api, dave, tx.medicalRecords.createRecord(davePatient, hospitals[0], visitDate(Date.now() - 86_400_000), 'PresentIllness', stolenContent, null, null));
  assert(attack.error === 'medicalRecords.ContentAlreadyAnchored', `an anchor naming another record's CIDs is refused: ${JSON.stringify(attack.error)}`);
  const ownerOf = async (cid) => (await api.call.recordsApi.contentAnchor(cid)).toJSON();
  for (const cid of [version0.cid, version0.manifest.cid]) {
    const owner = (await ownerOf(cid))?.recordVersion;
    assert(owner && String(owner.item) === String(item) && owner.version === 0, `the CID is anchored by Eve's record alone: ${JSON.stringify(owner)}`);
  }
  step(`reused content address: Dave's anchor of Eve's CIDs refused (${attack.error})`);

  // A lab study against Dave's order: the analyser's key is in node B's keystore (node-signed).
  await B.rpc('author_insertKey', ['pmra', '//Ferdie', u8aToHex(ferdie.publicKey)]);
  const ordered = await ok(api, dave, tx.labReports.orderLabWork(patient, labId, 'Ct', item, u8aToHex(blake2AsU8a('chest CT'))), 'labReports.LabWorkOrdered');
  const order = ordered.order;
  // Node B checks a submission's target at its best block: the order must be there first.
  await B.bestAt(ordered.block);
  const studyJob = await submit('dicom', 'labDiagnostics', { kind: 'labReport', order, capturedOn: yesterday }, canaryStudy(), ferdie.address);
  const study = await job(studyJob, 'anchored');
  assert(study.state.anchoredAs.kind === 'labReport', 'a lab report');

  // An IoMT batch from the patient's glucose monitor (node-signed by the device's key).
  const registered = await ok(api, charlie, tx.labReports.registerDevice(patient, device.address, blake2AsU8a(Buffer.concat([randomBytes(16), Buffer.from('continuous glucose monitor')]))), 'labReports.DeviceRegistered');
  await B.bestAt(registered.block);
  await B.rpc('author_insertKey', ['pmra', '//PmrGlucoseMonitor', u8aToHex(device.publicKey)]);
  const now = Date.now();
  // The IoMT format admits only {t, code, value, unit} per reading: a batch that carries
  // anything else (a name, a phone number) is refused with a typed error before it is queued.
  const readings = Array.from({ length: 20 }, (_, i) => ({ t: now - 600_000 + i * 10_000, code: '2339-0', value: 5 + i / 10, unit: 'mmol/L' }));
  const withName = { readings: readings.map((r) => ({ ...r, owner: MARK.given, phone: MARK.phone })) };
  const refused = await submit('iomt', 'iomtData', { kind: 'iomtBatch' }, Buffer.from(JSON.stringify(withName)), device.address).catch((e) => e.rpc);
  assert(refused?.data === 'rpc_malformed_iomt', `an IoMT batch with personal fields is refused: ${JSON.stringify(refused)}`);
  const iomtJob = await submit('iomt', 'iomtData', { kind: 'iomtBatch' }, Buffer.from(JSON.stringify({ readings })), device.address);
  assert((await job(iomtJob, 'anchored')).state.anchoredAs.kind === 'iomtBatch', 'an IoMT batch');
  step('lab study and IoMT batch anchored by the node-signed path');

  // ------------------------------------------------------------ key release helpers
  const keyRequest = async (id) => (await api.call.keyReleaseApi.keyRequest(id)).toJSON();
  const released = (r) => (r?.answers ?? []).filter(([, a]) => a.released !== undefined).length;
  const requestKey = async (who, purpose) => {
    const r = await send(api, who, tx.keyRelease.requestKey(target, purpose));
    // A refusal is logged in the patient's trail once an hour per requester and target; a
    // repeated refused request fails with `RefusalNotLogged` instead.
    if (r.error === 'keyRelease.RefusalNotLogged') return { refused: 'RefusalNotLogged', block: r.block };
    assert(!r.error, `requestKey: ${r.error}`);
    const ev = r.events.find((e) => e.name === 'keyRelease.KeyRequested' || e.name === 'keyRelease.KeyRequestRefused');
    return ev.name === 'keyRelease.KeyRequested' ? { id: ev.data.request, block: r.block } : { refused: ev.data.reason, block: r.block };
  };
  const answered = async (id, n, timeoutMs = 120_000) => {
    const r = await waitFor(`${n} custodian release(s) of key request ${id}`, timeoutMs, async () => {
      const r = await keyRequest(id);
      return released(r) >= n ? r : undefined;
    });
    // the tools read at the finalized block
    const at = await A.best();
    await A.finalizedAt(at);
    return r;
  };
  const rpcUrl = () => A.http;
  const handOver = async (id) => {
    const r = await tool(BIN, ['rewrap-essential', '--rpc-url', rpcUrl(), '--ipfs-api', ipfs[0].api, '--request', String(id), '--patient-key', patientKey.path]);
    if (!r.ok) return { error: r.stderr.trim() };
    const sent = await send(api, eve, tx.keyRelease.releaseEssentialShare(id, r.stdout));
    if (sent.error) return { error: sent.error };
    await A.finalizedAt(sent.block);
    return { block: sent.block };
  };
  const read = async (id, key, name) => {
    const out = join(dir, `${name}.json`);
    const r = await tool(BIN, ['read-record', '--rpc-url', rpcUrl(), '--ipfs-api', ipfs[0].api, '--request', String(id), '--reader-key', key.path, '--out', out]);
    return r.ok ? { data: readFileSync(out) } : { error: r.stderr.trim() };
  };
  const checkRecord = (data, who) => {
    assert(u8aToHex(blake2AsU8a(data, 256)) === version0.plaintextHash, `${who} read the anonymized original (the chain's plaintext hash)`);
    const text = data.toString();
    const record = JSON.parse(text);
    assert(record.resourceType === 'Bundle' && text.includes('29857009'), `${who}: the clinical content survives`);
    for (const m of markers) assert(!text.includes(m), `${who}: marker ${m} was anonymized`);
  };

  // ------------------------------------------------------------ 5. second opinion for N blocks
  const asked = await ok(api, second, tx.consent.requestAccess(patient, 'AllRecords', 'SecondOpinion', GRANT_BLOCKS, u8aToHex(blake2AsU8a('second opinion on chest pain'))), 'consent.AccessRequested');
  const t0 = Date.now();
  const approved = await ok(api, eve, tx.consent.approveRequest(asked.request, null, GRANT_BLOCKS, []), 'consent.RequestApproved');
  const grantEnds = approved.block + GRANT_BLOCKS;
  const first = await requestKey(second, 'SecondOpinion');
  assert(first.id !== undefined, `the second opinion may ask: ${JSON.stringify(first)}`);
  await answered(first.id, 2);
  const early = await read(first.id, secondKey, 'early');
  assert(early.error?.includes('essential share'), `no read before the patient's share: ${early.error}`);
  assert((await handOver(first.id)).block, 'the patient hands the essential share over');
  const secondRead = await read(first.id, secondKey, 'second-opinion');
  assert(secondRead.data, `the second opinion reads: ${secondRead.error}`);
  checkRecord(secondRead.data, 'the second-opinion doctor');
  const latency = (Date.now() - t0) / 1000;
  const latencyBlocks = (await A.best()) - approved.block;
  step(`[measure] approval included in #${approved.block} → second opinion holds the record after ${latency.toFixed(1)} s (${latencyBlocks} blocks of ${slotMs} ms)`);
  const stolen = await read(first.id, daveKey, 'stolen');
  assert(stolen.error, 'shares wrapped to the second opinion open for nobody else');

  // ------------------------------------------------------------ 5b. the fast path (issue #30)
  // The patient's approval carries the essential share (`pmr-node approval-keys` seals it to
  // the requester's key); the second opinion asks every custodian node directly with a share
  // request signed by its account (`read-record --target`), and each answers at once from its
  // finalized block. P2: from the block that includes the approval to the verified plaintext,
  // five times; each grant is revoked after its read.
  const secondSuri = join(dir, 'second.suri');
  writeFileSync(secondSuri, '//PmrSecondOpinion', { mode: 0o600 });
  const targetLabel = `record/${item}/v0`;
  const fastRead = async (name) => {
    const out = join(dir, `${name}.json`);
    const r = await tool(BIN, ['read-record', '--rpc-url', rpcUrl(), '--ipfs-api', ipfs[0].api, '--target', targetLabel, '--purpose', 'secondOpinion',
      '--signer-key', secondSuri, ...[A, B, C].flatMap((n) => ['--custodian-rpc', n.http]), '--reader-key', secondKey.path, '--out', out]);
    return r.ok ? { data: readFileSync(out) } : { error: r.stderr.trim() };
  };
  const fast = [];
  const offChainAnswers = []; // every off-chain answer's bytes, for the PII canary
  // The second opinion asks; the patient approves with the essential share (`approval-keys`).
  const fastApproval = async (blocks) => {
    const ask = await ok(api, second, tx.consent.requestAccess(patient, 'AllRecords', 'SecondOpinion', blocks, null), 'consent.AccessRequested');
    await A.finalizedAt(ask.block); // the patient's tool reads the request at the finalized block
    const keys = await tool(BIN, ['approval-keys', '--rpc-url', rpcUrl(), '--ipfs-api', ipfs[0].api, '--request', String(ask.request), '--target', targetLabel, '--patient-key', patientKey.path]);
    assert(keys.ok, `the patient's approval keys: ${keys.stderr}`);
    const approval = await ok(api, eve, tx.consent.approveRequest(ask.request, null, blocks, JSON.parse(keys.stdout)), 'consent.RequestApproved');
    assert((approval.essentialShares ?? approval.essential_shares) === 1, `the approval handed one essential share over: ${JSON.stringify(approval)}`);
    return approval;
  };
  for (let i = 0; i < 5; i++) {
    const approval = await fastApproval(GRANT_BLOCKS);
    const started = Date.now();
    // Custodians decide at their finalized block: the reader asks once its node has finalized
    // the approval (a custodian still behind refuses; t = 2 of the others suffice).
    await A.finalizedAt(approval.block);
    let r = await fastRead(`fast-${i}`);
    if (!r.data) {
      await A.finalizedAt(approval.block + 1);
      r = await fastRead(`fast-${i}-again`);
    }
    assert(r.data, `the second opinion reads the fast way: ${r.error}`);
    checkRecord(r.data, 'the second-opinion doctor (fast path)');
    fast.push({ seconds: (Date.now() - started) / 1000, blocks: (await A.best()) - approval.block });
    if (i === 0) {
      // The same request built with @polkadot/api alone, as a browser app would: the metadata's
      // ShareRequest type, the account's signature, every custodian's pmr_requestShare.
      const request = api.createType('PmrPrimitivesKeyReleaseShareRequest', {
        genesis: api.genesisHash, at: Math.max(0, (await A.finalized()) - 8), requester: second.address,
        target: { RecordVersion: { item, version: 0 } }, purpose: 'SecondOpinion', readerKey: secondKey.public,
      });
      const payload = u8aConcat(stringToU8a('pmr-share-request/v1:'), request.toU8a());
      const signature = api.createType('MultiSignature', { Sr25519: second.sign(payload) });
      for (const n of [A, B, C]) {
        await n.finalizedAt(approval.block); // each custodian decides at its own finalized block
        const answer = await n.rpc('pmr_requestShare', [request.toHex(), signature.toHex()]);
        assert(answer.request === blake2AsHex(payload, 256) && `0x${answer.share.binding.shareRequest}` === answer.request,
          `a custodian's answer is bound to the signed request: ${JSON.stringify(answer)}`);
        offChainAnswers.push(JSON.stringify(answer));
      }
      const forged = await A.rpc('pmr_requestShare', [request.toHex(), api.createType('MultiSignature', { Sr25519: dave.sign(payload) }).toHex()]).catch((e) => e.rpc);
      assert(forged?.code === 7014 && forged.data === 'BadSignature', `a request signed by someone else is refused: ${JSON.stringify(forged)}`);
    }
    await ok(api, eve, tx.consent.revokeGrant(approval.grant), 'consent.GrantRevoked');
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const fastSeconds = median(fast.map((f) => f.seconds));
  const fastBlocks = median(fast.map((f) => f.blocks));
  step(`[measure] P2 (fast path): approval included → second opinion holds the verified record, median of 5: ${fastSeconds.toFixed(2)} s, ${fastBlocks} blocks of ${slotMs} ms (each: ${fast.map((f) => `${f.seconds.toFixed(2)} s/${f.blocks}`).join(', ')})`);
  // Each custodian records its answers in the patient's trail within a few blocks.
  await waitFor('the off-chain releases in the audit trail', 60_000, async () => {
    const trail = await auditArchive(api, A, patient);
    const releases = trail.filter((e) => JSON.stringify(e.event).includes('shareAnswered') && JSON.stringify(e.event).includes('"released"'));
    return releases.length >= 10 ? releases : undefined;
  });
  step('fast path: every release (2+ custodians × 5 reads) is in the patient\'s audit trail');

  // ------------------------------------------------------------ 6. after N blocks
  await waitFor(`the grant's end (#${grantEnds})`, 180_000, async () => (await A.best()) > grantEnds);
  // Every grant of the second opinion has now ended (the five fast ones revoked, the first
  // expired): once that is final on every custodian node (each decides at its own finalized
  // block), every custodian refuses the fast read, and the reader says so first.
  for (const n of [A, B, C]) await n.finalizedAt(grantEnds + 1);
  const refusedFast = await fastRead('fast-revoked');
  assert(refusedFast.error?.includes('every custodian refused'), `a read after the grants ended says every custodian refused: ${refusedFast.error}`);
  const late = await requestKey(second, 'SecondOpinion');
  assert(late.refused !== undefined, `refused at the runtime after expiry: ${JSON.stringify(late)}`);
  const check = (await api.call.keyReleaseApi.releaseCheck(first.id)).toJSON();
  // Refused, or (past its deadline) already closed by the chain's on_idle sweep.
  assert(check === null || check.ok === undefined, `custodians may no longer release for the old request: ${JSON.stringify(check)}`);
  step(`after the grant's end: refused (${JSON.stringify(late.refused)}); custodians' check ${JSON.stringify(check)}`);

  // ------------------------------------------------------------ 7. a new grant, then revocation
  const grant = async () => (await ok(api, eve, tx.consent.grantAccess(patient, { Doctor: secondId }, 'AllRecords', 'SecondOpinion', { After: 600 }), 'consent.GrantIssued')).grant;
  const g2 = await grant();
  const beforeRevoke = await requestKey(second, 'SecondOpinion');
  await answered(beforeRevoke.id, 2);
  await ok(api, eve, tx.consent.revokeGrant(g2), 'consent.GrantRevoked');
  const tooLate = await handOver(beforeRevoke.id);
  assert(tooLate.error, 'no essential share after revocation');
  const revokedRead = await read(beforeRevoke.id, secondKey, 'revoked');
  assert(revokedRead.error, 'no read after revocation');
  const afterRevoke = await requestKey(second, 'SecondOpinion');
  assert(afterRevoke.refused !== undefined, 'a new request after revocation is refused');
  step(`revocation: hand-over refused (${tooLate.error.split('\n')[0]}), read fails, new request refused`);

  // ------------------------------------------------------------ 8. break-glass
  await ok(api, emergency, tx.consent.declareEmergency(patient, u8aToHex(blake2AsU8a('unconscious, ER'))), 'consent.EmergencyDeclared');
  const glass = await requestKey(emergency, 'Emergency');
  assert(glass.id !== undefined, `break-glass may ask: ${JSON.stringify(glass)}`);
  await answered(glass.id, 2);
  assert((await handOver(glass.id)).block, 'the patient (or a guardian) hands the essential share over');
  const glassRead = await read(glass.id, emergencyKey, 'emergency');
  assert(glassRead.data, `the emergency doctor reads: ${glassRead.error}`);
  checkRecord(glassRead.data, 'the emergency doctor');
  step('break-glass: custodians released, the emergency doctor read the record');

  // ------------------------------------------------------------ faults
  // The ingesting hospital's node and IPFS node stop: custodians A and C (t = 2) still release,
  // and A's replica serves the ciphertext.
  await waitFor('replicas pinned on A and C', 120_000, async () => {
    for (const n of [ipfs[0], ipfs[2]]) for (const cid of recordCids) if (!(await n.pinned(cid))) return false;
    return true;
  });
  await grant();
  await B.stop();
  await ipfs[1].stop();
  step('node B and its IPFS node stopped');
  const withTwo = await requestKey(second, 'SecondOpinion');
  const r2 = await answered(withTwo.id, 2);
  assert(!r2.answers.some(([h]) => h === hospitals[0]), 'the stopped node did not answer');
  assert((await handOver(withTwo.id)).block, 'hand-over with B down');
  const twoRead = await read(withTwo.id, secondKey, 'two-of-three');
  assert(twoRead.data, `read with 2 of 3 custodians: ${twoRead.error}`);
  checkRecord(twoRead.data, 'the reader with 2 of 3 custodians');
  step('2 of 3 custodians up: the record is read from the others');

  // The fast path with B down: A and C answer, t = 2.
  const fastFaults = await fastApproval(600);
  for (const n of [A, C]) await n.finalizedAt(fastFaults.block);
  const fastTwo = await fastRead('fast-two-of-three');
  assert(fastTwo.data, `the fast read with 2 of 3 custodians: ${fastTwo.error}`);
  checkRecord(fastTwo.data, 'the reader with 2 of 3 custodians (fast path)');
  step('2 of 3 custodians up: the fast read works too (B does not answer; A and C do)');

  await C.stop();
  // With B and C down, the fast read fails and says why.
  const fastOne = await fastRead('fast-one-of-three');
  assert(fastOne.error && /1 custodian\(s\) released their share, 2 needed/.test(fastOne.error), `the fast read with 1 of 3 fails clearly: ${fastOne.error}`);
  step(`1 of 3 custodians up, fast path: "${fastOne.error.split('\n')[0]}"`);
  const withOne = await requestKey(second, 'SecondOpinion');
  await answered(withOne.id, 1);
  assert((await handOver(withOne.id)).block, 'hand-over with B and C down');
  await A.finalizedAt((await A.best()) + 3); // three more blocks, final: still one release
  const oneRead = await read(withOne.id, secondKey, 'one-of-three');
  assert(oneRead.error && /1 custodian share\(s\) released, 2 needed/.test(oneRead.error), `read with 1 of 3 fails clearly: ${oneRead.error}`);
  step(`1 of 3 custodians up: "${oneRead.error.split('\n').find((l) => l.includes('needed'))}"`);
  // C stays down until the request's block is well out of its 8-block state window: the
  // request is in a block whose state C will never hold.
  await A.finalizedAt(withOne.block + 16);
  await C.start();
  await C.rpc('author_insertKey', ['pmra', custodianUris[2], u8aToHex(custodians[2].publicKey)]);
  await answered(withOne.id, 2, 180_000);
  const backRead = await read(withOne.id, secondKey, 'back');
  assert(backRead.data, `read after C came back: ${backRead.error}`);
  checkRecord(backRead.data, 'the reader after C came back');
  step(`C back: it caught up on the blocks it missed (the request's #${withOne.block} beyond its 8-block state window), released, and the record reads again`);

  // ------------------------------------------------------------ 10. erasure
  await ok(api, eve, tx.medicalRecords.eraseRecord(item), 'medicalRecords.RecordErased');
  const erased = await requestKey(dave, 'Treatment');
  assert(JSON.stringify(erased.refused) === '"NoSuchRecord"', `refused as NoSuchRecord: ${JSON.stringify(erased)}`);
  await ipfs[1].start();
  await connectSwarm();
  await B.start();
  await waitFor('every pin of the erased record gone on every IPFS node', 240_000, async () => {
    for (const n of ipfs) for (const cid of recordCids) if (await n.pinned(cid)) return false;
    return true;
  }, 2000);
  step('erasure: refused as NoSuchRecord; ciphertext and manifest unpinned on all 3 IPFS nodes (B after its restart)');

  // ------------------------------------------------------------ 9. the audit trail
  // What was finalized last is archived once A's worker scanned it.
  const ring = (await api.call.consentApi.auditLog(patient, 0, 1000)).toJSON();
  const trail = await waitFor('the ring\'s entries in the archive', 60_000, async () => {
    const archive = await auditArchive(api, A, patient);
    const has = (e) => archive.some((a) => JSON.stringify(a) === JSON.stringify(e));
    return ring.every(has) ? archive : undefined;
  });
  assert(trail.length > ring.length, `the archive keeps what the ring rewrote (${trail.length} versions, ${ring.length} entries)`);
  const keyEvents = trail.map((e) => e.event.key).filter(Boolean);
  const count = (kind, pred = () => true) => keyEvents.filter((k) => k[kind] !== undefined && pred(k[kind])).length;
  const requests = [first, beforeRevoke, glass, withTwo, withOne].map((r) => r.id);
  for (const id of requests) assert(count('keyRequested', (k) => k.request === id) === 1, `request ${id} in the trail`);
  assert(count('shareReleased') >= 2 * requests.length, `every release in the trail (${count('shareReleased')})`);
  assert(count('essentialShareReleased') === 4, `every hand-over in the trail (${count('essentialShareReleased')})`);
  const logged = [late, afterRevoke, erased].filter((r) => r.refused !== 'RefusalNotLogged').length;
  assert(count('keyRefused') === logged, `every logged refusal in the trail (${count('keyRefused')} of ${logged})`);
  step(`audit trail: ${ring.length} entries on chain, ${trail.length} versions in node A's archive, ${keyEvents.length} key events (${count('shareReleased')} releases, ${count('essentialShareReleased')} hand-overs, ${count('keyRefused')} refusals)`);

  // ------------------------------------------------------------ PII canary
  const needles = markers.map((m) => Buffer.from(m));
  const hits = [];
  const control = Buffer.from('Lake Hospital');
  const controls = { state: false, blocks: false };
  const scan = (where, bytes) => {
    for (const [i, n] of needles.entries()) if (bytes.indexOf(n) >= 0) hits.push(`${markers[i]} in ${where}`);
    if (bytes.indexOf(control) >= 0) controls[where.startsWith('state') ? 'state' : where.startsWith('block') ? 'blocks' : 'ipfs'] = true;
  };
  const head = await api.rpc.chain.getFinalizedHead();
  const final = (await api.rpc.chain.getHeader(head)).number.toNumber();
  let keys = 0;
  let stateBytes = 0;
  for (let start = null; ;) {
    const page = await A.rpc('state_getKeysPaged', ['0x', 1000, start, head.toHex()]);
    for (const key of page) {
      const value = await A.rpc('state_getStorage', [key, head.toHex()]);
      const bytes = Buffer.from((value ?? '0x').slice(2), 'hex');
      stateBytes += bytes.length;
      scan(`state ${key.slice(0, 66)}`, bytes);
    }
    keys += page.length;
    if (page.length < 1000) break;
    start = page[page.length - 1];
  }
  let extrinsics = 0;
  for (let n = 0; n <= final; n++) {
    const hash = await A.rpc('chain_getBlockHash', [n]);
    const block = await A.rpc('chain_getBlock', [hash]);
    for (const x of block.block.extrinsics) {
      extrinsics++;
      scan(`block #${n}`, Buffer.from(x.slice(2), 'hex'));
    }
  }
  let files = 0;
  let repoBytes = 0;
  const walk = (path) => {
    for (const name of readdirSync(path)) {
      const p = join(path, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else {
        files++;
        repoBytes += st.size;
        scan(`ipfs ${p}`, readFileSync(p));
      }
    }
  };
  for (const n of ipfs) walk(n.repo);
  for (const [i, answer] of offChainAnswers.entries()) scan(`off-chain answer ${i}`, Buffer.from(answer));
  step(`PII canary: ${keys} state keys (${stateBytes} B) at #${final}, ${extrinsics} extrinsics in ${final + 1} blocks, ${files} files (${repoBytes} B) in 3 IPFS repos, ${offChainAnswers.length} off-chain answers: ${hits.length} hit(s)`);
  assert(keys > 40 && extrinsics > final && files > 10, 'the canary scanned something');
  // A control: a hospital's name is public on chain by design, so the same scan must find it.
  assert(controls.state && controls.blocks, `the scan finds what is there (hospital name in state: ${controls.state}, in blocks: ${controls.blocks})`);
  assert(hits.length === 0, `personal data in clear: ${hits.slice(0, 10).join('; ')}`);

  writeFileSync(join(dir, 'measure.json'), JSON.stringify({ latencySeconds: latency, latencyBlocks, fastSeconds, fastBlocks, blockMs: slotMs }, null, 1));
  step('the whole workflow passed');
}

let failed = false;
try {
  await main();
} catch (e) {
  failed = true;
  console.error(`[consortium] FAILED: ${e.stack ?? e}`);
  for (const p of processes) if (p.tail) console.error(`--- last lines of node ${p.name} (${p.logPath}) ---\n${p.tail(30)}`);
} finally {
  await stopAll();
}
process.exit(failed ? 1 : 0);

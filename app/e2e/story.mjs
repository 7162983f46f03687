// The web app's whole story, driven in Debian's Chromium (headless, playwright-core) against a
// real dev chain: a pmr-node on the 1-second-block `dev-fast` chain that is also the (only)
// custodian node, its private Kubo node, the dev cast (scripts/dev-cast.mjs), and the built
// app served by `vite preview`. Each person has a browser context of their own (their own
// key store):
//   0. the doctors and the lab create their keys in the browser and register them;
//   1. the patient creates her key; the desk registers her (demographics stay in the browser);
//   2. a doctor creates a visit record (FHIR form → pmr_submitRecord → the anchor signed in
//      the wallet) and orders a CT; the lab uploads a real DICOM study against the order;
//   3. a second doctor requests access;  4. the patient approves in one click (keyboard);
//      before the fourth request she rotates her key (3b): the new key is registered and her
//      key shares are re-wrapped to it, and the approvals and export after it use it;
//   5. the second doctor opens the record (FHIR view with its codes, the verified mark) and
//      the CT study (Cornerstone3D's viewport decoded it at the study's size and its canvas is
//      not blank); P2 in the browser, five times: from the approval click to the record
//      rendered. Before uploading, the lab previews six compressed studies (RLE, JPEG-LS,
//      JPEG 2000, JPEG extended, colour JPEG, a two-frame colour RLE study it scrolls through),
//      each decoded in the browser at its size;
//   6. after expiry the same open fails with a sentence that says the consent ended;
//   7. the patient's audit page lists each read.
// The patient and the second doctor sign through a wallet extension injected as the Polkadot.js
// extension injects itself; the others use the dev chain's development accounts.
// Every request and WebSocket frame the pages send is captured: none carries a canary of the
// patient's personal data. axe-core checks every page (WCAG 2 A/AA). Screenshots of each step
// go to docs/app/ (PMR_APP_SHOTS).
//
//   env: PMR_NODE_BIN, PMR_IPFS_BIN (Kubo), PMR_DICOM_SAMPLES (CT_small.dcm), PMR_CHROMIUM,
//        PMR_APP_SHOTS, PMR_TEST_DIR

import { chromium } from 'playwright-core';
import { viewportShows } from './viewport.mjs';
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const appDir = resolve(here, '..');
const root = resolve(appDir, '..');
const cache = process.env.PMR_CACHE ?? join(process.env.HOME, '.cache/pmr-chain');
const BIN = process.env.PMR_NODE_BIN ?? join(process.env.CARGO_TARGET_DIR ?? join(cache, 'target'), 'debug/pmr-node');
const SAMPLES = process.env.PMR_DICOM_SAMPLES ?? join(cache, 'test-data/dicom');
const CHROMIUM = process.env.PMR_CHROMIUM ?? '/usr/bin/chromium';
const SHOTS = process.env.PMR_APP_SHOTS ?? join(root, 'docs/app');
const dir = process.env.PMR_TEST_DIR ?? mkdtempSync(join(tmpdir(), 'pmr-app-'));
const GRANT_BLOCKS = 40; // the second opinion's grants: long enough for a read, short enough to expire in the test

const started = Date.now();
const step = (msg) => console.log(`[app-story ${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${msg}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
function assert(cond, msg) {
  if (!cond) throw new Error(`assertion failed: ${msg}`);
}

// ---------------------------------------------------------------- canaries
const tag = randomBytes(4).toString('hex');
const digits = (n) => Array.from(randomBytes(n), (b) => String(b % 10)).join('');
const MARK = {
  given: `Gv${tag}q`, family: `Fm${tag}z`, nationalId: `${digits(4)} ${digits(4)} ${digits(4)}`,
  phone: `+91 9${digits(4)} ${digits(5)}`, address: `${digits(2)} Cnry${tag} Street`, dicom: `Dc${tag}^Pt${tag}`,
};
const canaries = [MARK.given, MARK.family, MARK.nationalId, MARK.phone, MARK.address, ...MARK.dicom.split('^')];
const canaryForms = canaries.flatMap((c) => [c, Buffer.from(c).toString('hex'), encodeURIComponent(c)]);
const sent = []; // every request body and WebSocket frame the pages sent

/** CT_small.dcm with its PatientName set to the canary. */
function canaryStudy() {
  const ct = readFileSync(join(SAMPLES, 'CT_small.dcm'));
  const at = ct.indexOf(Buffer.from([0x10, 0x00, 0x10, 0x00, 0x50, 0x4e]));
  const len = ct.readUInt16LE(at + 6);
  Buffer.from(MARK.dicom.padEnd(len, ' ')).copy(ct, at + 8);
  const path = join(dir, 'study.dcm');
  writeFileSync(path, ct);
  return path;
}

// ---------------------------------------------------------------- processes
const children = [];
async function freePort() {
  return new Promise((res) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

function spawnLogged(name, cmd, args, env = {}) {
  const log = openSync(join(dir, `${name}.log`), 'a');
  // Its own process group, so that stopping it stops what it started (npx → vite).
  const child = spawn(cmd, args, { stdio: ['ignore', log, log], env: { ...process.env, ...env }, cwd: appDir, detached: true });
  children.push({ kill: () => { try { process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ } } });
  return child;
}

async function waitFor(what, ms, check, every = 500) {
  const until = Date.now() + ms;
  let last;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
    } catch (e) {
      if (e.fatal) throw e;
      last = e;
    }
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}${last ? `: ${last.message}` : ''}`);
    await sleep(every);
  }
}

async function rpc(url, method, params = []) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) });
  const r = await res.json();
  if (r.error) throw new Error(`${method}: ${JSON.stringify(r.error)}`);
  return r.result;
}

// ---------------------------------------------------------------- the browser side
const violations = [];
const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** Runs axe-core on the page; records WCAG 2 A/AA violations under `where`. */
async function axe(page, where) {
  await page.addScriptTag({ path: axePath });
  const found = await page.evaluate(async () => (await window.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa'] })).violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`));
  for (const v of found) violations.push(`${where}: ${v}`);
}

async function shot(page, name) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/** Empties the status line, so that the next `status` wait sees only what follows. */
async function clear(page) {
  await page.evaluate(() => { const s = document.getElementById('status'); s.textContent = ''; s.className = 'status'; });
}

/** Waits for the status line to say something matching `re` (or fails on an error). */
async function status(page, re, ms = 120_000) {
  return waitFor(`status ${re}`, ms, async () => {
    const s = page.locator('#status');
    const text = (await s.textContent()) ?? '';
    if ((await s.getAttribute('class'))?.includes('error')) throw Object.assign(new Error(`the page says: ${text}`), { fatal: true });
    return re.test(text) ? text : undefined;
  }, 200);
}

/** A wallet extension in `context`, as the Polkadot.js extension injects itself
 * (`window.injectedWeb3`, found by @polkadot/extension-dapp's `web3Enable`), holding the one
 * account of `uri`. Its key stays outside the page, as an extension's does in its background
 * process: the page's signing requests cross to this process, which signs them the way the
 * extension does when the dapp gave it no metadata (a plain type registry told the payload's
 * transaction extensions; `<Bytes>`-wrapped raw messages). Returns what it signed (`signed`)
 * and the chain metadata the page taught it (`known`). */
async function walletExtension(context, name, uri) {
  const { Keyring } = await import('@polkadot/keyring');
  const { TypeRegistry } = await import('@polkadot/types');
  const { u8aToHex, u8aWrapBytes, hexToU8a } = await import('@polkadot/util');
  const pair = new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri(uri);
  const signed = [];
  const registry = new TypeRegistry();
  let extensions = '';
  await context.exposeBinding('__pmrWalletSign', async (_source, kind, request) => {
    if (request.address !== pair.address) throw new Error(`the wallet holds no account ${request.address}`);
    signed.push(kind);
    if (kind === 'payload') {
      // (It warns once that it does not know AuthorizeCall and CheckPermissioned, which add
      // nothing to the payload, as the extension's registry would.)
      if (extensions !== String(request.signedExtensions)) registry.setSignedExtensions(request.signedExtensions);
      extensions = String(request.signedExtensions);
      const { signature } = registry.createType('ExtrinsicPayload', request, { version: request.version }).sign(pair);
      return { id: signed.length, signature };
    }
    return { id: signed.length, signature: u8aToHex(pair.sign(u8aWrapBytes(hexToU8a(request.data)))) };
  });
  // The metadata the dapp taught it (the extension keeps it per chain and runtime version).
  const known = [];
  await context.exposeBinding('__pmrWalletMetadata', async (_source, kind, def) => {
    if (kind === 'provide') known.push(def);
    return known.map((d) => ({ genesisHash: d.genesisHash, specVersion: d.specVersion }));
  });
  await context.addInitScript(({ account }) => {
    window.injectedWeb3 = { ...(window.injectedWeb3 ?? {}), 'polkadot-js': {
      version: '0.63.1',
      enable: async () => ({
        accounts: { get: async () => [account], subscribe: (cb) => { cb([account]); return () => {}; } },
        metadata: {
          get: () => window.__pmrWalletMetadata('get'),
          provide: async (def) => (await window.__pmrWalletMetadata('provide', def), true),
        },
        signer: {
          signPayload: (payload) => window.__pmrWalletSign('payload', payload),
          signRaw: (raw) => window.__pmrWalletSign('raw', raw),
        },
      }),
    } };
  }, { account: { address: pair.address, name: `${name} (wallet)`, type: 'sr25519' } });
  return { signed, known };
}

/** A person: their own browser context, signed in as `name`: with the dev account of that
 * name behind the app's development switch, or (`wallet`) with a wallet extension. */
async function person(browser, app, name, wallet = false) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const uri = JSON.parse(readFileSync(join(appDir, 'src/cast.json'), 'utf8')).accounts.find((a) => a.name === name).uri;
  const { signed, known } = wallet ? await walletExtension(context, name, uri) : {};
  const page = await context.newPage();
  page.on('pageerror', (e) => console.log(`[${name} page error] ${e.message}`));
  page.on('request', (r) => sent.push({ who: name, what: `${r.method()} ${r.url()}`, body: r.postData() ?? '' }));
  page.on('websocket', (ws) => ws.on('framesent', (f) => sent.push({ who: name, what: `ws ${ws.url()}`, body: String(f.payload) })));
  await page.goto(app);
  if (!wallet) await page.getByLabel('Use development accounts (dev chain only)').check();
  const option = page.locator('select[name=account] option', { hasText: wallet ? `${name} (wallet)` : `${name} (dev)` });
  await waitFor(`${name}'s account`, 20_000, async () => (await option.count()) > 0);
  await page.locator('select[name=account]').selectOption(await option.getAttribute('value'));
  await page.waitForLoadState('networkidle');
  return { name, page, context, signed, known };
}

/** Rows, columns, frames and transfer syntax of a DICOM file, read here with dicom-parser. */
function dicomHeader(path) {
  const dicomParser = createRequire(import.meta.url)('dicom-parser');
  const ds = dicomParser.parseDicom(new Uint8Array(readFileSync(path)), { untilTag: 'x7fe00010' });
  return { rows: ds.uint16('x00280010'), columns: ds.uint16('x00280011'), frames: Number(ds.string('x00280008') ?? 1), syntax: ds.string('x00020010') };
}

/** Compressed studies the lab previews before uploading (pydicom's test files,
 * scripts/fetch-test-data.sh): each decoded by Cornerstone's codecs in the browser. */
const COMPRESSED = ['MR_small_RLE.dcm', 'MR_small_jpeg_ls_lossless.dcm', 'MR_small_jp2klossless.dcm', 'JPGExtended.dcm', 'SC_rgb_jpeg_dcmtk.dcm', 'SC_rgb_rle_2frame.dcm'];

/** Shows page `route` afresh (what the chain says now) and waits until it is rendered. */
async function go(p, route) {
  const before = Number(await p.page.locator('main').getAttribute('data-rendered'));
  await p.page.evaluate((r) => {
    if (location.hash === `#/${r}`) window.dispatchEvent(new HashChangeEvent('hashchange'));
    else location.hash = `#/${r}`;
  }, route);
  await p.page.waitForFunction((n) => Number(document.querySelector('main')?.dataset.rendered) > n, before);
}

async function createKey(p, register) {
  await go(p, '');
  await p.page.getByLabel('New passphrase (8 characters or more)').fill(`correct horse ${p.name}`);
  await p.page.getByRole('button', { name: 'Create my key' }).click();
  await p.page.getByTestId('public-key').waitFor();
  if (register) {
    await p.page.getByRole('button', { name: 'Register my key' }).click();
    await status(p.page, /registered on the chain/);
  }
  return (await p.page.getByTestId('public-key').textContent()).trim();
}

// ---------------------------------------------------------------- the story
async function main() {
  step(`scratch dir ${dir}; canaries ${JSON.stringify(canaries)}`);
  // Kubo, the node (custodian), the cast, the app.
  const [ipfsPort, swarmPort, gatewayPort, rpcPort, p2pPort, promPort, appPort, uploadPort] = await Promise.all(Array.from({ length: 8 }, freePort));
  const ipfsEnv = { PMR_IPFS_PORT: String(ipfsPort), PMR_IPFS_SWARM_PORT: String(swarmPort), PMR_IPFS_GATEWAY_PORT: String(gatewayPort), PMR_IPFS_REPO: join(dir, 'ipfs') };
  await run(join(root, 'scripts/ipfs-dev-node.sh'), [], { env: { ...process.env, ...ipfsEnv } });
  children.push({ kill: () => run(join(root, 'scripts/ipfs-dev-node.sh'), ['stop'], { env: { ...process.env, ...ipfsEnv } }).catch(() => {}) });
  const ipfsApi = `http://127.0.0.1:${ipfsPort}`;
  const custodianKey = join(dir, 'custodian.key');
  const { stdout: custodianPublic } = await run(BIN, ['x25519-key', 'generate', '--out', custodianKey]);
  const { Keyring } = await import('@polkadot/keyring');
  const { cryptoWaitReady } = await import('@polkadot/util-crypto');
  await cryptoWaitReady();
  const custodianAccount = new Keyring({ type: 'sr25519' }).addFromUri('//PmrCustodian').address;
  spawnLogged('node', BIN, ['--dev', '--chain', 'dev-fast', '--tmp', '--rpc-port', String(rpcPort), '--port', String(p2pPort), '--prometheus-port', String(promPort),
    '--rpc-cors', 'all', '--no-telemetry', '--no-mdns', '--pmr-ipfs-api', ipfsApi, '--pmr-custodian-key-file', custodianKey, '--pmr-custodian-account', custodianAccount,
    '--pmr-upload-addr', `127.0.0.1:${uploadPort}`]);
  const http = `http://127.0.0.1:${rpcPort}`;
  await waitFor('the node', 120_000, async () => Number((await rpc(http, 'chain_getHeader')).number) >= 1);
  const ws = `ws://127.0.0.1:${rpcPort}`;
  await run('node', [join(appDir, 'scripts/dev-cast.mjs'), ws, custodianPublic.trim()], { cwd: appDir });
  spawnLogged('vite', 'npx', ['vite', 'preview', '--port', String(appPort), '--strictPort'], { PMR_IPFS_API: ipfsApi });
  const upload = `http://127.0.0.1:${uploadPort}`;
  const app = `http://127.0.0.1:${appPort}/?node=${encodeURIComponent(ws)}&upload=${encodeURIComponent(upload)}`;
  await waitFor('the app server', 60_000, async () => (await fetch(app)).ok);
  step(`dev chain (1 s blocks) at ${ws}, Kubo at ${ipfsApi}, app at ${app}`);

  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  const people = {};
  try {
    // The patient and the second doctor sign with a wallet extension; the others with the
    // dev chain's development accounts.
    for (const name of ['Eve', 'Charlie', 'Dave', 'Ferdie', 'Imaging lab']) people[name] = await person(browser, app, name, name === 'Eve' || name === 'Ferdie');
    await shot(people.Charlie.page, '0-home-cast');
    await axe(people.Charlie.page, 'home');

    // 0. keys in the browser, registered in one click
    for (const name of ['Dave', 'Ferdie', 'Imaging lab']) await createKey(people[name], true);
    // The patient teaches her wallet the chain's metadata, so it shows what she signs in words.
    await go(people.Eve, '');
    await people.Eve.page.getByRole('button', { name: /^Teach the Polkadot\.js extension this chain's metadata/ }).click();
    await status(people.Eve.page, /now knows/);
    const taught = people.Eve.known[0];
    const genesis = await rpc(http, 'chain_getBlockHash', [0]);
    const { specVersion } = await rpc(http, 'state_getRuntimeVersion');
    assert(taught.genesisHash === genesis && taught.specVersion === specVersion && taught.metaCalls.length > 10_000 && taught.rawMetadata.startsWith('0x'),
      `the wallet learned this chain's metadata: ${JSON.stringify({ ...taught, metaCalls: taught.metaCalls.length, rawMetadata: taught.rawMetadata.length })}`);
    await people.Eve.page.getByText(/The Polkadot\.js extension knows this chain/).waitFor();
    step(`1. the patient's wallet learned the metadata of ${taught.chain}, runtime ${taught.specVersion} (${taught.metaCalls.length} base64 characters of calls)`);
    // 1. the patient's key; the desk registers her
    const evePublic = await createKey(people.Eve, false);
    await shot(people.Eve.page, '1-patient-key');
    const eveAddress = new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri('//Eve').address;
    const desk = people.Charlie.page;
    await go(people.Charlie, 'desk');
    await desk.getByLabel("Patient's account address").fill(eveAddress);
    await desk.getByLabel("Patient's public key (0x…, 32 bytes)").fill(evePublic);
    for (const [label, value] of [['Given name', MARK.given], ['Family name', MARK.family], ['Date of birth', '1970-05-17'], ['National ID', MARK.nationalId], ['Phone', MARK.phone], ['Address', MARK.address]]) {
      await desk.getByLabel(label, { exact: true }).fill(value);
    }
    await shot(desk, '1-desk-register');
    await axe(desk, 'desk');
    await desk.getByRole('button', { name: 'Register patient' }).click();
    const registered = await desk.getByTestId('registered').textContent({ timeout: 60_000 });
    const patient = Number(/Patient-ID (\d+)/.exec(registered)[1]);
    step(`1. the desk registered patient ${patient}`);

    // 2. a visit record (FHIR form), a CT order, the lab's study
    const d = people.Dave.page;
    await go(people.Dave, 'clinician');
    await d.getByLabel('Patient-ID of the new record').fill(String(patient));
    await d.getByRole('button', { name: 'Create the record' }).click();
    await status(d, /Record created: PMR NFT/, 180_000);
    await shot(d, '2-clinician-create-record');
    await axe(d, 'clinician');
    step('2. Dave created a visit record (signed the prepared anchor)');
    await d.getByLabel('Patient-ID to open').fill(String(patient));
    await d.getByLabel('Purpose of opening').selectOption('treatment');
    await d.getByRole('button', { name: 'Show records' }).click();
    await d.getByRole('button', { name: /^Order lab work for the visit of/ }).first().waitFor();
    await d.getByLabel(/^Lab-ID for the visit of/).first().fill('0');
    await d.getByRole('button', { name: /^Order lab work for the visit of/ }).first().click();
    await status(d, /Ordered \(order \d+\)/);
    const l = people['Imaging lab'].page;
    await go(people['Imaging lab'], 'lab');
    // The lab previews each study before it leaves the browser: compressed ones too.
    const studyInput = l.getByLabel(/^DICOM study for order/).first();
    for (const name of COMPRESSED) {
      const file = join(SAMPLES, name);
      const header = dicomHeader(file);
      await studyInput.setInputFiles(file);
      const shows = await viewportShows(l, '[data-testid^=preview-]');
      assert(shows.rows === header.rows && shows.columns === header.columns, `${name} (${header.syntax}) decoded at its size ${header.columns}×${header.rows}: ${JSON.stringify(shows)}`);
      assert(shows.distinct > 8 && shows.lit > 0.05, `${name} (${header.syntax}) is not blank: ${JSON.stringify(shows)}`);
      step(`2. the lab previewed ${name} (${header.syntax}): ${JSON.stringify(shows)}`);
      if (header.frames > 1) {
        // Frame scrolling from the keyboard: the second frame is drawn and the caption says so.
        await l.locator('[data-testid^=preview-] .dicom-viewport').focus();
        await l.keyboard.press('PageDown');
        await l.getByText(`frame 2 of ${header.frames}`).waitFor();
        const second = await viewportShows(l, '[data-testid^=preview-]');
        assert(second.distinct > 8, `${name}'s second frame is not blank: ${JSON.stringify(second)}`);
        step(`2. …and scrolled to its second frame: ${second.caption}`);
      }
    }
    // A study whose JPEG 2000 codestream is damaged: a sentence, no empty viewport.
    const damaged = readFileSync(join(SAMPLES, 'MR_small_jp2klossless.dcm'));
    const codestream = damaged.indexOf(Buffer.from([0xff, 0x4f, 0xff, 0x51])); // SOC, SIZ
    damaged.fill(0xff, codestream + 4, codestream + 60);
    const damagedPath = join(dir, 'damaged.dcm');
    writeFileSync(damagedPath, damaged);
    await studyInput.setInputFiles(damagedPath);
    const unreadable = await l.locator('[data-testid^=preview-] .error').textContent({ timeout: 30_000 });
    assert(/^The viewer could not decode this study \(transfer syntax 1\.2\.840\.10008\.1\.2\.4\.90\)/.test(unreadable) && await l.locator('[data-testid^=preview-] .dicom-viewport').count() === 0, `a damaged study gets a sentence: ${unreadable}`);
    step(`2. the lab previewed a damaged study: "${unreadable}"`);
    await studyInput.setInputFiles(canaryStudy());
    const preview = await viewportShows(l, '[data-testid^=preview-]');
    assert(preview.rows === 128 && preview.columns === 128 && preview.distinct > 32, `the CT study's preview: ${JSON.stringify(preview)}`);
    await shot(l, '2-lab-work-list');
    await axe(l, 'lab');
    await l.getByRole('button', { name: /^Upload study for order/ }).first().click();
    await status(l, /Study uploaded and anchored/, 180_000);
    // Through the node's binary upload (the study's bytes, de-identified in the browser), not
    // as hex over JSON-RPC.
    const posted = sent.filter((s) => s.who === 'Imaging lab' && s.what === `POST ${upload}/records`);
    assert(posted.length === 1, `the lab's study went through the binary upload: ${sent.filter((s) => s.who === 'Imaging lab').map((s) => s.what).slice(-5)}`);
    step('2. the lab uploaded a CT study against the order (binary upload)');

    // 3–5. request, one-click approval, the read; five times for P2
    const f = people.Ferdie.page;
    const e = people.Eve.page;
    const p2 = [];
    for (let i = 0; i < 5; i++) {
      if (i === 3) {
        // The patient rotates her key: the chain gets the new one and her key shares are
        // re-wrapped to it; the approvals and the export after this open them with it.
        await go(people.Eve, '');
        await e.getByText('Rotate my key (if it may have been exposed)').click();
        await e.getByLabel('Your passphrase (the new key is kept under it)').fill('correct horse Eve');
        await clear(e);
        const [r0, b0] = [Date.now(), Number((await rpc(http, 'chain_getHeader')).number)];
        await e.getByRole('button', { name: 'Rotate my key', exact: true }).click();
        await status(e, /Your key was rotated/);
        const took = `${((Date.now() - r0) / 1000).toFixed(2)} s, ${Number((await rpc(http, 'chain_getHeader')).number) - b0} blocks`;
        const rotated = Number(await e.evaluate(() => document.body.dataset.rotated));
        const newKey = (await e.getByTestId('public-key').textContent()).trim();
        assert(newKey !== evePublic, 'the key in the browser changed');
        assert(rotated >= 2, `her key shares (the visit, the CT study) were re-wrapped: ${rotated}`);
        assert(await e.getByText('It is the key registered on the chain.').isVisible(), 'the new key is the one on the chain');
        await shot(e, '3b-patient-key-rotated');
        step(`3b. the patient rotated her key (${evePublic.slice(0, 12)}… → ${newKey.slice(0, 12)}…); ${rotated} key shares re-wrapped to it; [measure] click → rotated ${took} (two transactions, each waited for in a block)`);
      }
      await go(people.Ferdie, 'clinician');
      await f.getByLabel('Patient-ID to ask').fill(String(patient));
      await f.getByLabel('Purpose of the request').selectOption('secondOpinion');
      await f.getByLabel('For how many blocks').fill(String(GRANT_BLOCKS));
      await clear(f);
      await f.getByLabel('Records to ask for').selectOption('AllRecords');
      await f.getByRole('button', { name: 'Request access', exact: true }).click();
      await status(f, /Access requested/);
      await go(people.Eve, 'patient');
      const approve = e.getByRole('button', { name: /^Approve Dr\. Ferdie Iyer/ });
      await approve.waitFor();
      if (i === 0) {
        await shot(e, '3-patient-request-waiting');
        await axe(e, 'patient');
      }
      // The last time she narrows the approval to the visit's category (the CT study is a lab
      // diagnostics record): the visit still opens.
      if (i === 4) await e.getByLabel(/^Scope for Dr\. Ferdie Iyer/).selectOption('PresentIllness');
      // One click (from the keyboard) and one signature.
      await approve.focus();
      await clear(e);
      const t0 = Date.now();
      await e.keyboard.press('Enter');
      await status(e, /You approved Dr\. Ferdie Iyer/);
      const included = Date.now();
      const approvedAt = Number(await e.evaluate(() => document.body.dataset.approvedAt));
      // The second doctor opens the record as soon as the approval is in a block.
      await f.getByLabel('Patient-ID to open').fill(String(patient));
      await f.getByLabel('Purpose of opening').selectOption('secondOpinion');
      await f.getByRole('button', { name: 'Show records' }).click();
      const open = f.getByRole('button', { name: /^Open visit of/ }).first();
      await open.waitFor();
      await open.click();
      await f.getByTestId('verified').waitFor({ timeout: 60_000 });
      const seconds = (Date.now() - t0) / 1000;
      const best = Number((await rpc(http, 'chain_getHeader')).number);
      const renderMs = Number(await f.getByTestId('viewer').getAttribute('data-opened-ms'));
      const parts = JSON.parse(await f.getByTestId('viewer').getAttribute('data-timings'));
      p2.push({ seconds, fromBlock: (Date.now() - included) / 1000, blocks: best - approvedAt, renderMs, parts });
      const text = await f.getByTestId('viewer').textContent();
      assert(text.includes('29857009') && text.includes('8867-4') && text.includes('197361'), `the FHIR view shows the clinical codes: ${text.slice(0, 300)}`);
      assert(text.includes(`Patient (pseudonymous): ${patient}`), 'the FHIR view shows the pseudonym');
      if (i === 0) {
        await shot(f, '4-clinician-fhir-verified');
        await axe(f, 'clinician record view');
        // the CT study
        await f.getByRole('button', { name: /^Open CT study/ }).first().click();
        const canvas = await viewportShows(f, '[data-testid=viewer]');
        await f.getByTestId('verified').waitFor();
        assert(canvas.rows === 128 && canvas.columns === 128, `the viewport shows the study at its size (CT_small: 128×128): ${JSON.stringify(canvas)}`);
        assert(canvas.distinct > 32 && canvas.lit > 0.1, `the viewport is not blank: ${JSON.stringify(canvas)}`);
        // window/level from the keyboard changes the picture and the caption says so
        await f.locator('.dicom-viewport').focus();
        for (let k = 0; k < 5; k++) await f.keyboard.press('ArrowRight');
        const after = await viewportShows(f, '[data-testid=viewer]');
        assert(/window \d+ \/ level/.test(after.caption) && after.caption !== canvas.caption, `window/level from the keyboard: ${canvas.caption} → ${after.caption}`);
        await shot(f, '5-clinician-dicom-verified');
        const ct = JSON.parse(await f.getByTestId('viewer').getAttribute('data-timings'));
        step(`5. Ferdie opened the CT study: ${JSON.stringify(canvas)}; open click → rendered ${await f.getByTestId('viewer').getAttribute('data-opened-ms')} ms, of which the viewport's render ${Math.round(ct.render)} ms`);
      }
      step(`5. read ${i + 1}: approval click → record rendered ${seconds.toFixed(2)} s, ${best - approvedAt} blocks after the approval's block; open click → rendered ${renderMs} ms (finality wait ${Math.round(parts.finality)} ms, custodians ${Math.round(parts.custodians)} ms, fetch+decrypt ${Math.round(parts.decrypt)} ms, render ${Math.round(parts.render)} ms)`);
      // Each grant but the last is revoked after its read, so the next read needs the next
      // approval; the last one is left to expire (step 6).
      if (i < 4) {
        await go(people.Eve, 'patient');
        await clear(e);
        await e.getByRole('button', { name: /^Revoke Dr\. Ferdie Iyer/ }).click();
        await status(e, /You revoked/);
        // Custodians decide at their finalized block: the next read must not ride on this grant.
        const revokedBy = Number((await rpc(http, 'chain_getHeader')).number);
        await waitFor('the revocation to be final', 30_000, async () => Number((await rpc(http, 'chain_getHeader', [await rpc(http, 'chain_getFinalizedHead')])).number) >= revokedBy);
      }
    }
    const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const slotMs = 1000;
    step(`[measure] P2 in the browser, median of 5: approval click → verified record rendered ${median(p2.map((x) => x.seconds)).toFixed(2)} s (from the approval's inclusion ${median(p2.map((x) => x.fromBlock)).toFixed(2)} s), ${median(p2.map((x) => x.blocks))} blocks of ${slotMs} ms; open click → rendered ${median(p2.map((x) => x.renderMs))} ms (each: ${p2.map((x) => `${x.seconds.toFixed(2)} s/${x.blocks} blocks/${x.renderMs} ms`).join(', ')})`);

    // 6. after expiry: the same open fails with a sentence
    const lastEnd = Number((await rpc(http, 'chain_getHeader')).number) + GRANT_BLOCKS + 2;
    await waitFor(`the grants' end (#${lastEnd})`, (GRANT_BLOCKS + 30) * 1000, async () => Number((await rpc(http, 'chain_getFinalizedHead')) && (await rpc(http, 'chain_getHeader', [await rpc(http, 'chain_getFinalizedHead')])).number) >= lastEnd, 1000);
    await clear(f);
    await f.getByRole('button', { name: /^Open visit of/ }).first().click();
    const refusal = await waitFor('the refusal', 30_000, async () => {
      const s = f.locator('#status.error');
      return (await s.count()) ? s.textContent() : undefined;
    });
    assert(/consent ended/.test(refusal), `after expiry the open says the consent ended: ${refusal}`);
    await shot(f, '6-clinician-consent-ended');
    step(`6. after expiry: "${refusal}"`);

    // 7. the patient's audit trail lists each read
    const reads = await waitFor('each read in the audit trail', 60_000, async () => {
      await go(people.Eve, 'patient');
      const rows = await e.locator('table', { hasText: 'Your audit trail' }).locator('tr', { hasText: /Dr\. Ferdie Iyer \(cardiology\) read your/ }).count();
      return rows >= 6 ? rows : undefined;
    }, 2000);
    await shot(e, '7-patient-audit');
    assert(await e.locator('table', { hasText: 'Your audit trail' }).getByText(/re-wrapped the key shares? of \d+ record/).count() === 1, 'the trail shows the re-wrap of her key shares');
    step(`7. the patient's audit trail lists ${reads} reads by the second opinion (5 visits + 1 study) and the re-wrap of her key shares`);

    // 8. the patient exports her records (her own read: the essential share from her key) and
    // erases the visit, after a confirmation.
    const download = e.waitForEvent('download');
    await clear(e);
    await e.getByRole('button', { name: 'Export my records (FHIR Bundle)' }).click();
    const bundle = JSON.parse(readFileSync(await (await download).path(), 'utf8'));
    assert(bundle.resourceType === 'Bundle' && JSON.stringify(bundle).includes('29857009'), `the export is a FHIR Bundle with the visit: ${JSON.stringify(bundle).slice(0, 200)}`);
    assert(!canaries.some((c) => JSON.stringify(bundle).includes(c)), 'the export holds the anonymized record');
    await e.getByRole('button', { name: /^Erase visit of/ }).first().click();
    await shot(e, '8-patient-erase-confirm');
    await e.getByRole('button', { name: 'Erase for good' }).click();
    await status(e, /was erased/);
    await go(people.Eve, 'patient');
    assert(await e.getByText('Your records: none.').isVisible(), 'the erased visit is gone from the list');
    step(`8. the patient exported ${bundle.entry.length} resources as a FHIR Bundle and erased the visit`);

    // The wallet extension signed the patient's and the second doctor's transactions, and the
    // second doctor's share requests (raw messages).
    const count = (list, kind) => list.filter((k) => k === kind).length;
    assert(count(people.Eve.signed, 'payload') >= 10, `the patient's wallet signed her approvals, revocations and erasure: ${people.Eve.signed}`);
    assert(count(people.Ferdie.signed, 'payload') >= 6 && count(people.Ferdie.signed, 'raw') >= 6, `the doctor's wallet signed his requests and share requests: ${people.Ferdie.signed}`);
    step(`wallet extension: the patient's signed ${people.Eve.signed.length} transactions; the second doctor's ${count(people.Ferdie.signed, 'payload')} transactions and ${count(people.Ferdie.signed, 'raw')} share requests`);

    // No personal data left any browser unencrypted.
    const leaks = sent.filter((s) => canaryForms.some((c) => s.body.includes(c) || s.what.includes(c)));
    assert(leaks.length === 0, `personal data left the browser: ${leaks.slice(0, 3).map((s) => `${s.who} ${s.what}`).join('; ')}`);
    step(`canaries: 0 hits in ${sent.length} requests and WebSocket frames from the pages`);
    assert(violations.length === 0, `accessibility (axe-core, WCAG 2 A/AA):\n  ${violations.join('\n  ')}`);
    step('axe-core: no WCAG 2 A/AA violations on the home, desk, clinician, lab and patient pages');
  } catch (e) {
    // What each person saw when it failed.
    for (const [name, p] of Object.entries(people)) await p.page.screenshot({ path: join(dir, `failed-${name.replace(/ /g, '-')}.png`), fullPage: true }).catch(() => {});
    console.error(`[app-story] screenshots of every page at the failure: ${dir}/failed-*.png`);
    throw e;
  } finally {
    await browser.close();
  }
}

main()
  .then(() => { step('the story passed'); return 0; }, (e) => { console.error(`[app-story] FAILED: ${e.stack ?? e}`); return 1; })
  .then(async (code) => {
    for (const c of children.reverse()) await Promise.resolve(c.kill()).catch(() => {});
    process.exit(code);
  });

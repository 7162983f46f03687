// The DICOM viewer under the development server (`npm run dev`, what `scripts/dev.sh` serves),
// whose module handling differs from the production build the story runs: Vite pre-bundles
// dependencies on the fly, and Cornerstone's image loader, its codecs and its metadata registry
// must come out of it as one working set. Shows an uncompressed CT and a JPEG 2000 MR in
// headless Chromium and checks each is decoded at its size and not blank. No chain needed.
//
//   env: PMR_DICOM_SAMPLES, PMR_CHROMIUM

import { chromium } from 'playwright-core';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { viewportShows } from './viewport.mjs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const appDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SAMPLES = process.env.PMR_DICOM_SAMPLES ?? join(process.env.HOME, '.cache/pmr-chain/test-data/dicom');
const CHROMIUM = process.env.PMR_CHROMIUM ?? '/usr/bin/chromium';
const STUDIES = { 'CT_small.dcm': 128, 'MR_small_jp2klossless.dcm': 64 };

const port = await new Promise((res) => {
  const s = createServer();
  s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => res(port)); });
});
// Its own process group, so that stopping it stops esbuild too.
const server = spawn('npx', ['vite', '--port', String(port), '--strictPort', '--clearScreen', 'false'], { cwd: appDir, detached: true, stdio: ['ignore', 'ignore', 'inherit'] });
const stop = () => { try { process.kill(-server.pid, 'SIGTERM'); } catch { /* gone */ } };
let browser;
try {
  const url = `http://127.0.0.1:${port}/`;
  for (let i = 0; ; i++) {
    if (await fetch(url).then((r) => r.ok, () => false)) break;
    if (i > 120) throw new Error('the development server did not start');
    await new Promise((r) => setTimeout(r, 500));
  }
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  const page = await browser.newPage();
  await page.goto(url);
  for (const [name, size] of Object.entries(STUDIES)) {
    const bytes = [...readFileSync(join(SAMPLES, name))];
    await page.evaluate(async (data) => {
      const { showDicom } = await import('/src/dicom-viewport.ts');
      const into = document.querySelector('#study') ?? document.body.appendChild(Object.assign(document.createElement('div'), { id: 'study' }));
      into.replaceChildren();
      await showDicom(into, new Uint8Array(data));
    }, bytes);
    const shown = await viewportShows(page, '#study');
    if (shown.rows !== size || shown.columns !== size || shown.distinct < 32) {
      throw new Error(`${name} under the development server: ${JSON.stringify(shown)}`);
    }
    console.log(`[dev-viewer] ${name}: ${JSON.stringify(shown)}`);
  }
  console.log('[dev-viewer] the viewer works under the development server');
} finally {
  await browser?.close();
  stop();
}

// The dev and preview servers serve the app and proxy `/ipfs-api/api/v0/cat` to the hospital's Kubo RPC
// API (PMR_IPFS_API, default http://127.0.0.1:5001), so the page and its IPFS reads share one
// origin. The proxy drops the browser's Origin, Referer and User-Agent headers: Kubo's RPC API
// refuses a request from an origin it was not configured to allow, and a browser's request
// without one (its cross-site request forgery guard). The proxy is the page's own server.
import { createLogger, defineConfig } from 'vite';

const ipfs = process.env.PMR_IPFS_API ?? 'http://127.0.0.1:5001';
// Only `cat` (reading encrypted content by CID) is forwarded: the page needs nothing else, and
// a request forged by another site can then neither pin nor unpin anything.
const proxy = {
  '/ipfs-api/api/v0/cat': {
    target: ipfs,
    changeOrigin: true,
    rewrite: (path: string) => path.replace(/^\/ipfs-api/, ''),
    configure: (p: { on: (event: string, f: (req: { removeHeader: (h: string) => void }) => void) => void }) => p.on('proxyReq', (req) => { for (const h of ['origin', 'referer', 'user-agent']) req.removeHeader(h); }),
  },
};

// Cornerstone's dependencies mention Node's `fs`, `path` (its Emscripten-built WASM codecs) and
// `url` (an XML builder inside vtk.js) on code paths browsers never take, and Vite says so once
// per import; those notices are dropped. Any other externalized module still shows: vtk.js's
// XML builder extends Node's EventEmitter when it loads, which is why `events` (the browser
// port) is a dependency.
const logger = createLogger();
const warn = logger.warn;
logger.warn = (msg, options) => {
  if (/Module "(fs|path|url)" has been externalized/.test(msg) && msg.includes('/node_modules/')) return;
  warn(msg, options);
};

export default defineConfig({
  customLogger: logger,
  server: { host: '127.0.0.1', port: Number(process.env.PMR_APP_PORT ?? 5173), strictPort: true, proxy },
  preview: { host: '127.0.0.1', port: Number(process.env.PMR_APP_PORT ?? 4173), strictPort: true, proxy },
  build: { target: 'es2022', chunkSizeWarningLimit: 2000 },
  // Cornerstone's DICOM image loader decodes in a module worker that loads its WASM codecs on
  // demand (code-split). The dev server must not pre-bundle the loader (its worker and WASM
  // URLs are relative to its own files), but must pre-bundle what it imports that is CommonJS:
  // dicom-parser and the codecs' Emscripten glue.
  worker: { format: 'es' },
  optimizeDeps: {
    exclude: ['@cornerstonejs/dicom-image-loader'],
    include: [
      'dicom-parser',
      // One copy of each module the loader shares with the core (its metadata registry).
      '@cornerstonejs/core',
      '@cornerstonejs/metadata',
      '@cornerstonejs/codec-charls/decodewasmjs',
      '@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs',
      '@cornerstonejs/codec-libjxl/decodewasmjs',
      '@cornerstonejs/codec-openjpeg/decodewasmjs',
      '@cornerstonejs/codec-openjph/wasmjs',
      '@cornerstonejs/jpeg-lossless-decoder-js',
    ],
  },
});

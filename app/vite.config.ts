// The dev and preview servers serve the app and proxy `/ipfs-api/api/v0/cat` to the hospital's Kubo RPC
// API (PMR_IPFS_API, default http://127.0.0.1:5001), so the page and its IPFS reads share one
// origin. The proxy drops the browser's Origin, Referer and User-Agent headers: Kubo's RPC API
// refuses a request from an origin it was not configured to allow, and a browser's request
// without one (its cross-site request forgery guard). The proxy is the page's own server.
import { defineConfig } from 'vite';

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

export default defineConfig({
  server: { host: '127.0.0.1', port: Number(process.env.PMR_APP_PORT ?? 5173), strictPort: true, proxy },
  preview: { host: '127.0.0.1', port: Number(process.env.PMR_APP_PORT ?? 4173), strictPort: true, proxy },
  build: { target: 'es2022', chunkSizeWarningLimit: 2000 },
});

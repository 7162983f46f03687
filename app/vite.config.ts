// The dev and preview servers serve the app and proxy `/ipfs-api` to the hospital's Kubo RPC
// API (PMR_IPFS_API, default http://127.0.0.1:5001), so the page and its IPFS reads share one
// origin; the proxy drops the browser's Origin header, which Kubo's RPC API refuses otherwise.
import { defineConfig } from 'vite';

const ipfs = process.env.PMR_IPFS_API ?? 'http://127.0.0.1:5001';
const proxy = {
  '/ipfs-api': {
    target: ipfs,
    changeOrigin: true,
    rewrite: (path: string) => path.replace(/^\/ipfs-api/, ''),
    configure: (p: { on: (event: string, f: (req: { removeHeader: (h: string) => void }) => void) => void }) => p.on('proxyReq', (req) => req.removeHeader('origin')),
  },
};

export default defineConfig({
  server: { host: '127.0.0.1', port: Number(process.env.PMR_APP_PORT ?? 5173), strictPort: true, proxy },
  preview: { host: '127.0.0.1', port: Number(process.env.PMR_APP_PORT ?? 4173), strictPort: true, proxy },
  build: { target: 'es2022', chunkSizeWarningLimit: 2000 },
});

// Where the app's user's hospital node, its IPFS node and the custodian nodes are. Defaults fit
// `./scripts/dev.sh`; a hospital serves the app with its own values in the query string
// (`?node=wss://…&ipfs=https://…&custodians=https://a,https://b&upload=https://…`) or in local
// storage.

/** The app's endpoints. */
export interface Config {
  /** The hospital node's WebSocket JSON-RPC endpoint. */
  node: string;
  /** The hospital's IPFS node (Kubo RPC API base; the dev server proxies `/ipfs-api`). */
  ipfs: string;
  /** The custodian nodes' HTTP JSON-RPC endpoints, asked for key shares. */
  custodians: string[];
  /** The hospital node's binary record upload (`--pmr-upload-addr`), when it runs one: records
   * go there as bytes instead of hex over JSON-RPC (a study half the size on the wire). */
  upload?: string;
}

const KEY = 'pmr-config';

/** The configuration: query string over saved settings over the dev defaults. */
export function loadConfig(): Config {
  const q = new URLSearchParams(location.search);
  const saved = JSON.parse(localStorage.getItem(KEY) ?? '{}') as Partial<Config>;
  const node = q.get('node') ?? saved.node ?? 'ws://127.0.0.1:9944';
  const custodians = q.get('custodians')?.split(',').filter(Boolean) ?? saved.custodians ?? [node.replace(/^ws/, 'http')];
  const upload = q.get('upload') ?? saved.upload;
  return { node, ipfs: q.get('ipfs') ?? saved.ipfs ?? `${location.origin}/ipfs-api`, custodians, ...(upload ? { upload } : {}) };
}

/** Saves settings for the next visit. */
export function saveConfig(c: Config): void {
  localStorage.setItem(KEY, JSON.stringify(c));
}

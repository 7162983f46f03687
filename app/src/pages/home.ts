// The first page: who you are on the chain, your encryption key (create, unlock, back up,
// restore, register), and on a dev chain the cast of development accounts.
import { api, send } from '../chain';
import cast from '../cast.json';
import { backupFile, createKey, previousSecret, restoreKey, rotateKey, storedKey, unlockKey, unlockedSecret } from '../keys';
import { finishRotation } from '../rotation';
import { hospitalName } from '../names';
import { loadRoles, session } from '../state';
import { button, field, h, notify, section, table } from '../ui';
import { publicKey, toHex } from '../vault';
import { type WalletMetadata, walletsMetadata } from '../wallet';

/** The key panel: create or unlock the account's X25519 key; back it up; register it. */
function keyPanel(rerender: () => void): HTMLElement {
  const account = session.account!;
  const stored = storedKey(account.address);
  const secret = unlockedSecret(account.address);
  const passphrase = h('input', { type: 'password', autocomplete: 'current-password', name: 'passphrase' });
  const parts: HTMLElement[] = [];
  if (!stored) {
    parts.push(h('p', {}, 'This browser holds no encryption key for this account. Create one (it stays in this browser, encrypted under your passphrase), or restore your backup file.'),
      field('New passphrase (8 characters or more)', passphrase),
      button('Create my key', async () => { await createKey(account.address, passphrase.value); notify('Your key was created. Download its backup file now.', 'ok'); rerender(); }));
  } else if (!secret) {
    parts.push(h('p', {}, `Your key ${stored.public.slice(0, 16)}… is locked.`), field('Passphrase', passphrase),
      button('Unlock my key', async () => { await unlockKey(account.address, passphrase.value); notify('Your key is unlocked for this session.', 'ok'); rerender(); }));
  } else {
    const pub = toHex(publicKey(secret));
    const onChain = session.roles.chainKey?.replace(/^0x/, '');
    parts.push(h('p', {}, 'Your public key: ', h('code', { 'data-testid': 'public-key' }, `0x${pub}`)));
    if (onChain === pub) parts.push(h('p', { class: 'ok' }, 'It is the key registered on the chain.'));
    else if (session.roles.doctor !== undefined || session.roles.lab !== undefined) {
      parts.push(h('p', {}, onChain ? 'The chain holds another key for you; register this one to receive key shares with it.' : 'Register it so that key shares can be sealed to you.'),
        button('Register my key', async () => { await send(api.tx.registry.setEncryptionKey(`0x${pub}`), account); await loadRoles(); notify('Your key is registered on the chain.', 'ok'); rerender(); }));
    } else if (session.roles.patient === undefined) {
      parts.push(h('p', {}, 'Give this public key to the registration desk: it registers you with it.'));
    }
    if (session.roles.patient !== undefined) parts.push(rotationPanel(session.roles.patient, secret, rerender));
  }
  if (stored) {
    parts.push(button('Download key backup', () => {
      const a = h('a', { href: URL.createObjectURL(backupFile(account.address)), download: `pmr-key-${account.address}.json` });
      a.click();
    }));
  }
  const file = h('input', { type: 'file', accept: 'application/json,.json' });
  file.addEventListener('change', async () => {
    if (!file.files?.[0]) return;
    try { await restoreKey(account.address, file.files[0]); notify('The backup was restored; unlock it with its passphrase.', 'ok'); rerender(); } catch (e) { notify((e as Error).message, 'error'); }
  });
  parts.push(field('Restore a key backup file', file));
  return section('Your encryption key', ...parts);
}

/** A patient's key rotation: a new key replaces this one on the chain, and every key share
 * sealed to this one is re-wrapped to it (src/rotation.ts). One cut short is finished here. */
function rotationPanel(patient: number, secret: Uint8Array, rerender: () => void): HTMLElement {
  const account = session.account!;
  const status = h('p', { 'aria-live': 'polite' });
  const finish = async (current: Uint8Array, previous: Uint8Array) => {
    const done = await finishRotation(session.config, account, patient, current, previous, (text) => { status.textContent = text; });
    await loadRoles();
    document.body.dataset.rotated = String(done.rewrapped);
    if (done.left.length) {
      notify(`Your new key is registered and ${done.rewrapped} key share(s) were re-wrapped to it, but not all: ${done.left.join('; ')}. Your previous key is kept; finish the rotation later.`, 'error');
    } else {
      notify(`Your key was rotated: the chain holds your new key and ${done.rewrapped} key share(s) were re-wrapped to it. Download the new key backup now.`, 'ok');
    }
    rerender();
  };
  const previous = previousSecret(account.address);
  if (previous) {
    return h('div', {}, h('p', { class: 'warning' }, 'A rotation of your key is under way: some key shares may still be sealed to your previous key.'),
      button('Finish rotating my key', () => finish(secret, previous)), status);
  }
  const passphrase = h('input', { type: 'password', autocomplete: 'current-password', name: 'rotate-passphrase' });
  return h('details', {}, h('summary', {}, 'Rotate my key (if it may have been exposed)'),
    h('p', {}, 'A new key replaces this one on the chain and the key shares of all your records are re-wrapped to it: from then on you approve and export with the new key, and new records are sealed to it alone. Your wallet signs a few transactions.'),
    field('Your passphrase (the new key is kept under it)', passphrase),
    button('Rotate my key', async () => {
      const current = await rotateKey(account.address, passphrase.value);
      await finish(current, previousSecret(account.address)!);
    }), status);
}

/** The wallet panel: whether each wallet extension knows this chain's running runtime, so it
 * can show in words what the user signs; one click teaches it. */
function walletPanel(wallets: WalletMetadata[], rerender: () => void): HTMLElement {
  const runtime = `${api.runtimeChain.toString()}, runtime version ${api.runtimeVersion.specVersion.toNumber()}`;
  return section('Your wallet', ...wallets.map((w) => w.current
    ? h('p', { class: 'ok' }, `${w.name} knows this chain (${runtime}): it shows in words what you sign.`)
    : h('div', {},
      h('p', {}, `${w.name} does not know this chain's runtime yet (${runtime}): it would show what you sign as bytes.`),
      button(`Teach ${w.name.replace(/^The /, 'the ')} this chain's metadata`, async () => {
        if (!(await w.provide())) throw new Error(`${w.name} did not take the metadata.`);
        notify(`${w.name} now knows ${runtime}.`, 'ok');
        rerender();
      }))));
}

/** Renders the home page. */
export async function homePage(): Promise<HTMLElement> {
  const page = h('div', { class: 'page' });
  const draw = async () => {
    const parts: HTMLElement[] = [];
    const account = session.account;
    if (account) {
      const r = session.roles;
      const roles: string[] = [];
      if (r.patient !== undefined) roles.push(`patient ${r.patient}`);
      if (r.doctor !== undefined) roles.push(`doctor #${r.doctor}`);
      if (r.lab !== undefined) roles.push(`lab #${r.lab}`);
      if (r.hospital) roles.push(`${r.hospital.role.toLowerCase()} of ${await hospitalName(r.hospital.id)}`);
      parts.push(section('You', h('p', {}, `${account.name}: `, roles.length ? roles.join(', ') : 'no role on the chain yet.'),
        h('p', {}, 'Pages: ', r.patient !== undefined ? h('a', { href: '#/patient' }, 'your records and consents') : '', ' ',
          r.doctor !== undefined ? h('a', { href: '#/clinician' }, 'your patients') : '', ' ',
          r.lab !== undefined ? h('a', { href: '#/lab' }, 'your work list') : '', ' ',
          r.hospital ? h('a', { href: '#/desk' }, 'the registration desk') : '')));
      parts.push(keyPanel(() => void draw()));
      if (account.source === 'extension') {
        const wallets = await walletsMetadata(api);
        if (wallets.length) parts.push(walletPanel(wallets, () => void draw()));
      }
    }
    if (session.dev) {
      parts.push(section('The dev chain\'s cast',
        h('p', {}, 'Development accounts (keys derived from the public development seed; never use them on a real network). Turn on "Use development accounts" above to act as them.'),
        table('Development accounts and their roles', ['Account', 'Secret URI', 'Role'], cast.accounts.map((c) => [c.name, h('code', {}, c.uri), c.role]))));
    }
    page.replaceChildren(...parts);
  };
  await draw();
  return page;
}

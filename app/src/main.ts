// The app's shell: the connection, the account bar, the pages (hash routes) and the status
// line. Pages render into <main>; each action reports through the status line (a live region).
import './style.css';
import { connect, isDevChain } from './chain';
import { saveConfig } from './config';
import { homePage } from './pages/home';
import { clinicianPage } from './pages/clinician';
import { deskPage } from './pages/desk';
import { labPage } from './pages/lab';
import { patientPage } from './pages/patient';
import { loadRoles, session } from './state';
import { button, field, h, notify, select, showError } from './ui';
import { devAccounts, extensionAccounts } from './wallet';

const PAGES: Record<string, { title: string; render: () => Promise<HTMLElement> }> = {
  '': { title: 'Home', render: homePage },
  patient: { title: 'Patient', render: patientPage },
  clinician: { title: 'Clinician', render: clinicianPage },
  lab: { title: 'Lab', render: labPage },
  desk: { title: 'Desk', render: deskPage },
};

const main = h('main', { id: 'main', tabindex: -1 });
let renders = 0;
const accountBar = h('div', { class: 'account-bar' });

function route(): string {
  return location.hash.replace(/^#\/?/, '').split('/')[0];
}

/** Renders the current page. */
export async function render(): Promise<void> {
  const page = PAGES[route()] ?? PAGES[''];
  document.title = `${page.title} · PMR Chain`;
  for (const a of document.querySelectorAll('nav a')) {
    if (a.getAttribute('href') === `#/${route()}`) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  main.replaceChildren(h('p', { class: 'loading' }, 'Loading…'));
  try {
    await loadRoles();
    main.replaceChildren(await page.render());
  } catch (e) {
    main.replaceChildren(h('p', { class: 'error' }, e instanceof Error ? e.message : String(e)));
  }
  main.dataset.rendered = String(++renders);
}

async function loadAccounts(): Promise<void> {
  const { accounts, note } = await extensionAccounts();
  session.accounts = [...accounts, ...(session.devAccounts ? devAccounts() : [])];
  if (note && !session.devAccounts) notify(note, 'info');
  const saved = localStorage.getItem('pmr-account');
  session.account = session.accounts.find((a) => a.address === (session.account?.address ?? saved)) ?? session.accounts[0];
  drawAccountBar();
}

function drawAccountBar(): void {
  const choose = select('account', session.accounts.map((a) => [a.address, `${a.name} · ${a.address.slice(0, 6)}…${a.address.slice(-4)}`]), session.account?.address);
  choose.addEventListener('change', async () => {
    session.account = session.accounts.find((a) => a.address === choose.value);
    localStorage.setItem('pmr-account', choose.value);
    await render();
  });
  const parts: HTMLElement[] = [session.accounts.length ? field('Account', choose) : h('p', {}, 'No account yet: allow this site in your wallet extension.')];
  if (session.dev) {
    const toggle = h('input', { type: 'checkbox', checked: session.devAccounts });
    toggle.addEventListener('change', async () => {
      session.devAccounts = toggle.checked;
      localStorage.setItem('pmr-dev-accounts', toggle.checked ? '1' : '');
      await loadAccounts();
      await render();
    });
    parts.push(h('div', { class: 'field inline' }, toggle, h('label', {}, 'Use development accounts (dev chain only)')));
    toggle.id = 'dev-accounts';
    parts[parts.length - 1].querySelector('label')!.setAttribute('for', 'dev-accounts');
  }
  accountBar.replaceChildren(...parts);
}

async function start(): Promise<void> {
  const nav = h('nav', { 'aria-label': 'Pages' }, ...Object.entries(PAGES).map(([k, p]) => h('a', { href: `#/${k}` }, p.title)));
  const status = h('p', { id: 'status', class: 'status', role: 'status', 'aria-live': 'polite' });
  document.body.replaceChildren(
    h('a', { href: '#main', class: 'skip' }, 'Skip to content'),
    h('header', {}, h('h1', {}, 'PMR Chain'), accountBar),
    nav, status, main,
  );
  try {
    notify(`Connecting to ${session.config.node}…`);
    await connect(session.config.node);
    session.dev = await isDevChain();
    session.devAccounts = session.dev && localStorage.getItem('pmr-dev-accounts') === '1';
    await loadAccounts();
    notify(`Connected to ${session.config.node}.`, 'ok');
  } catch (e) {
    showError(e);
    const node = h('input', { type: 'url', value: session.config.node });
    main.replaceChildren(h('section', {}, h('h2', {}, 'Connection'), field('Hospital node (WebSocket)', node),
      button('Connect', () => { saveConfig({ ...session.config, node: node.value }); location.reload(); })));
    return;
  }
  window.addEventListener('hashchange', () => void render());
  await render();
}

void start();

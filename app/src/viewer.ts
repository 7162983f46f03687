// Opening content and showing it: a FHIR record as a clinical view, a DICOM study in the image
// viewport, and the "verified against the chain" mark once every hash has matched.
import { fhirView } from './fhir';
import { unlockedSecret } from './keys';
import { type Target, openContent } from './records';
import { session } from './state';
import { h, notify } from './ui';

/** Decrypts and shows `target` in `into`; resolves with the time it took (ms) from the
 * request to the rendered view. */
export async function showContent(into: HTMLElement, target: Target, purpose: string | null, title: string): Promise<number> {
  const account = session.account;
  if (!account) throw new Error('Choose an account first.');
  const secret = unlockedSecret(account.address);
  if (!secret) throw new Error('Unlock your encryption key first (Home page): it opens the key shares sealed to you.');
  const started = performance.now();
  into.replaceChildren(h('p', { class: 'loading' }, `Opening ${title}…`));
  notify(`Asking the custodians for the key of ${title}…`);
  let opened;
  try {
    opened = await openContent(session.config, account, secret, target, purpose, (t) => notify(t));
  } catch (e) {
    into.replaceChildren(h('p', { class: 'error', role: 'alert' }, (e as Error).message));
    throw e;
  }
  const rendering = performance.now();
  const mark = h('p', { class: 'verified', 'data-testid': 'verified' }, '✔ Verified against the chain: the key manifest, the encrypted record and the decrypted record match the hashes anchored on chain.');
  const text = new TextDecoder().decode(opened.plaintext.subarray(0, 1));
  if (text === '{' || text === '[') {
    const doc = JSON.parse(new TextDecoder().decode(opened.plaintext));
    into.replaceChildren(h('h3', {}, title), mark, doc.resourceType ? fhirView(doc) : h('pre', {}, JSON.stringify(doc, null, 2)));
  } else {
    into.replaceChildren(h('h3', {}, title), mark);
    try {
      const { showDicom } = await import('./dicom-viewport');
      await showDicom(into, opened.plaintext);
    } catch (e) {
      // The study is verified, but this browser cannot show it: say so, keep the mark.
      into.append(h('p', { class: 'error', role: 'alert' }, (e as Error).message));
      throw e;
    }
  }
  const ms = performance.now() - started;
  notify(`${title} opened and verified (${opened.custodiansAnswered} custodian share(s)) in ${(ms / 1000).toFixed(2)} s.`, 'ok');
  into.dataset.openedMs = String(Math.round(ms));
  into.dataset.timings = JSON.stringify({ ...opened.timings, render: performance.now() - rendering });
  return ms;
}

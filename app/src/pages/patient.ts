// The patient's page: records (paged), requests waiting (approve in one signature that also
// hands the essential shares over, or deny), live grants (revoke), standing access, guardians,
// the audit trail in plain words, export as a FHIR Bundle, and erasure.
import { api, eventOf, nodeRpc, send } from '../chain';
import { type RecordRow, allRecords, recordsPage, reportsOf, targetsInScope } from '../content';
import { unlockedSecret } from '../keys';
import { accessorName, doctorName, hospitalName, labName, purposeWords } from '../names';
import { approvalKey, openContent } from '../records';
import { currentAccount, session } from '../state';
import { RECORD_CATEGORIES, button, capitalized, categoryWords, field, h, notify, section, select, table, visitDate, words, modalityName } from '../ui';
import { fromHex, toHex } from '../vault';
import { showContent } from '../viewer';

const MAX_KEYS = 64;

function needSecret(): Uint8Array {
  const s = unlockedSecret(currentAccount().address);
  if (!s) throw new Error('Unlock your encryption key first (Home page).');
  return s;
}

let slotMs: Promise<number> | undefined;

/** "40 blocks (about 40 seconds)", at the chain's slot duration (read once). */
async function blocksToWords(blocks: number): Promise<string> {
  slotMs ??= api.call.auraApi.slotDuration().then((d) => Number(d.toString()) || 6000);
  const ms = await slotMs;
  const s = (blocks * ms) / 1000;
  const text = s < 120 ? `${Math.round(s)} seconds` : s < 7200 ? `${Math.round(s / 60)} minutes` : s < 172800 ? `${Math.round(s / 3600)} hours` : `${Math.round(s / 86400)} days`;
  return `${blocks} blocks (about ${text})`;
}

function scopeWords(scope: any): string {
  if (scope === 'allRecords' || scope?.allRecords !== undefined) return 'all your records';
  if (scope?.categories) return `your ${scope.categories.map(categoryWords).join(', ')} records`;
  if (scope?.records) return `records ${scope.records.join(', ')}`;
  return JSON.stringify(scope);
}

async function recordsSection(patient: number, viewer: HTMLElement, refresh: () => void): Promise<HTMLElement> {
  const body = h('div');
  const load = async (after: number | null) => {
    const page = await recordsPage(patient, after, 10);
    const rows = [];
    for (const r of page.items) {
      const reports = await reportsOf(r.item);
      rows.push([
        visitDate(r.visitDate), words(r.category), `${r.versions}`, await doctorName(r.doctor),
        reports.length ? reports.map((x) => `${modalityName(x.modality)} study`).join(', ') : '—',
        h('div', { class: 'actions' },
          button(`Open visit of ${visitDate(r.visitDate)}`, () => showContent(viewer, { RecordVersion: { item: r.item, version: r.versions - 1 } }, null, `Your visit of ${visitDate(r.visitDate)}`)),
          ...reports.filter((x) => x.sealed).map((x) => button(`Open ${modalityName(x.modality)} study`, () => showContent(viewer, { LabStudy: x.id }, null, `${modalityName(x.modality)} study of ${visitDate(x.capturedOn)}`))),
          button(`Erase visit of ${visitDate(r.visitDate)}`, () => eraseRecord(r, refresh), { class: 'danger' })),
      ]);
    }
    body.replaceChildren(table('Your records', ['Visit', 'Category', 'Versions', 'Doctor', 'Lab studies', 'Actions'], rows),
      page.next !== null ? button('Next page', () => load(page.next)) : '', after !== null ? button('First page', () => load(null)) : '');
  };
  await load(null);
  return section('Your records', body, button('Export my records (FHIR Bundle)', () => exportRecords(patient)));
}

async function eraseRecord(r: RecordRow, refresh: () => void): Promise<void> {
  const dialog = h('dialog', { 'aria-labelledby': 'erase-title' },
    h('h2', { id: 'erase-title' }, 'Erase this record?'),
    h('p', {}, `The visit of ${visitDate(r.visitDate)} and all its versions will be erased: every hospital unpins its encrypted content and custodians destroy their key shares. This cannot be undone.`));
  const confirmed = new Promise<boolean>((resolve) => {
    dialog.append(h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'danger', onclick: () => { dialog.close(); resolve(true); } }, 'Erase for good'),
      h('button', { type: 'button', onclick: () => { dialog.close(); resolve(false); } }, 'Keep it')));
  });
  document.body.append(dialog);
  dialog.showModal();
  const yes = await confirmed;
  dialog.remove();
  if (!yes) return;
  await send(api.tx.medicalRecords.eraseRecord(r.item), currentAccount());
  notify(`The visit of ${visitDate(r.visitDate)} was erased.`, 'ok');
  refresh();
}

async function exportRecords(patient: number): Promise<void> {
  const secret = needSecret();
  const records = await allRecords(patient);
  const entries: any[] = [];
  for (const r of records.filter((x) => !x.erased)) {
    const opened = await openContent(session.config, currentAccount(), secret, { RecordVersion: { item: r.item, version: r.versions - 1 } }, null);
    const text = new TextDecoder().decode(opened.plaintext);
    try {
      const doc = JSON.parse(text);
      for (const e of doc.resourceType === 'Bundle' ? doc.entry ?? [] : [{ resource: doc }]) entries.push({ fullUrl: `urn:pmr:record/${r.item}/${e.resource?.resourceType}/${e.resource?.id ?? entries.length}`, resource: e.resource });
    } catch {
      // a record that is not FHIR (none today) is left out of the Bundle
    }
  }
  const bundle = { resourceType: 'Bundle', type: 'collection', total: entries.length, entry: entries };
  const a = h('a', { href: URL.createObjectURL(new Blob([JSON.stringify(bundle, null, 2)], { type: 'application/fhir+json' })), download: `pmr-records-${patient}.json` });
  a.click();
  notify(`Exported ${records.length} record(s) as a FHIR Bundle.`, 'ok');
}

async function requestsSection(patient: number, refresh: () => void): Promise<HTMLElement> {
  const pending = (await api.call.consentApi.pendingRequests(patient)).toJSON() as [number, any][];
  const rows = [];
  for (const [id, r] of pending) {
    const who = await accessorName(r.requester);
    const duration = h('input', { type: 'number', min: 1, value: r.duration, name: `duration-${id}` });
    // An approval may narrow what was asked, never widen it (consent.ScopeWidened): to one of
    // the categories asked for (all of them when all records were asked for).
    const askedCategories: string[] = r.scope === 'allRecords' || r.scope?.allRecords !== undefined ? RECORD_CATEGORIES
      : (r.scope?.categories ?? []).map(capitalized);
    const narrower = askedCategories.length > 1 || r.scope?.categories === undefined ? askedCategories : [];
    const scope = select(`scope-${id}`, [['request', `as asked: ${scopeWords(r.scope)}`],
      ...narrower.map((c): [string, string] => [c, `only my ${categoryWords(c)} records`])], 'request');
    rows.push([
      who, purposeWords(r.purpose), scopeWords(r.scope), await blocksToWords(r.duration),
      h('div', { class: 'approve' }, field(`Duration in blocks for ${who}`, duration), field(`Scope for ${who}`, scope),
        button(`Approve ${who}`, async () => {
          const secret = needSecret();
          const readerKey = (await api.call.registryApi.encryptionKey(r.requesterAccount)).toJSON() as string | null;
          if (!readerKey) throw new Error(`${who} has not registered an encryption key yet; the approval could not hand the key over.`);
          // The scope the patient chose: as asked (none given), all records, or one category.
          const given = scope.value === 'request' ? null : { Categories: [scope.value] };
          const chosen = given === null ? r.scope : { categories: given.Categories };
          const inScope = await targetsInScope(await allRecords(patient), chosen);
          const targets = inScope.slice(0, MAX_KEYS);
          const keys = [];
          for (const t of targets) {
            const [target, envelope] = await approvalKey(session.config, t, secret, fromHex(readerKey));
            keys.push([target, `0x${toHex(envelope)}`]);
          }
          const sent = await send(api.tx.consent.approveRequest(id, given, Number(duration.value), keys), currentAccount());
          const approved = eventOf(sent, 'consent.RequestApproved');
          const beyond = inScope.length > keys.length ? ` (an approval carries at most ${MAX_KEYS}: the other ${inScope.length - keys.length} were not handed over)` : '';
          notify(`You approved ${who} for ${await blocksToWords(Number(duration.value))} (grant ${approved.grant}, block #${sent.block}); ${keys.length} key(s) handed over${beyond}.`, 'ok');
          document.body.dataset.approvedAt = String(sent.block);
          refresh();
        }),
        button(`Deny ${who}`, async () => { await send(api.tx.consent.denyRequest(id), currentAccount()); notify(`You denied ${who}'s request.`, 'ok'); refresh(); }, { class: 'danger' })),
    ]);
  }
  return section('Requests waiting for you', table('Access requests', ['Who', 'For', 'Asks for', 'How long', 'Your answer'], rows));
}

async function grantsSection(patient: number, refresh: () => void): Promise<HTMLElement> {
  const page = (await api.call.consentApi.activeGrants(patient, null, 50)).toJSON() as any;
  const now = (await api.rpc.chain.getHeader()).number.toNumber();
  const rows = [];
  for (const [id, g] of page.items) {
    const who = await accessorName(g.accessor);
    const revoke = button(`Revoke ${who}'s access`, async () => { await send(api.tx.consent.revokeGrant(id), currentAccount()); notify(`You revoked ${who}'s access.`, 'ok'); refresh(); }, { class: 'danger' });
    // A recovery moved the doctor's or lab's account to a new key: the grant waits for you.
    const suspendedAt = (await api.call.consentApi.grantSuspended(id)).toJSON() as number | null;
    const until = `ends in ${await blocksToWords(Math.max(0, g.expiresAt - now))}`;
    if (suspendedAt === null) {
      rows.push([who, purposeWords(g.purpose), scopeWords(g.scope), until, revoke]);
    } else {
      rows.push([who, purposeWords(g.purpose), scopeWords(g.scope),
        h('span', {}, `${until}; suspended: ${who}'s account was recovered to a new key in block #${suspendedAt}. Confirm only if you know the new holder is ${who}.`),
        h('span', {}, button(`Confirm ${who}'s access again`, async () => { await send(api.tx.consent.confirmGrant(id), currentAccount()); notify(`${who}'s access applies again.`, 'ok'); refresh(); }), revoke)]);
    }
  }
  const standing = (await api.call.consentApi.standingAccess(patient)).toJSON() as [number, boolean] | null;
  const parts: HTMLElement[] = [table('Who may open your records now', ['Who', 'For', 'What', 'Until', ''], rows)];
  if (standing) {
    const [hospital, on] = standing;
    const name = await hospitalName(hospital);
    parts.push(h('p', {}, on ? `Doctors of ${name} may open your records for your treatment without asking.` : `Doctors of ${name} must ask you before opening your records.`),
      button(on ? `Withdraw ${name}'s standing access` : `Restore ${name}'s standing access`, async () => {
        await send(api.tx.consent.setStandingAccess(patient, !on), currentAccount());
        notify(on ? 'Standing access withdrawn.' : 'Standing access restored.', 'ok');
        refresh();
      }));
  }
  return section('Access', ...parts);
}

async function guardiansSection(patient: number, refresh: () => void): Promise<HTMLElement> {
  const guardians = (await api.call.consentApi.guardians(patient)).toJSON() as string[];
  const account = h('input', { type: 'text', name: 'guardian', autocomplete: 'off', spellcheck: false });
  return section('Guardians',
    table('Your guardians', ['Account', ''], guardians.map((g) => [h('code', {}, g), button(`Remove guardian ${g.slice(0, 8)}…`, async () => { await send(api.tx.consent.removeGuardian(patient, g, null), currentAccount()); refresh(); })])),
    field('Appoint a guardian (their account address)', account),
    button('Appoint guardian', async () => { await send(api.tx.consent.appointGuardian(patient, account.value.trim(), null), currentAccount()); notify('Guardian appointed.', 'ok'); refresh(); }));
}

/** What the audit sentences need besides an entry: the patient's lab studies and whom each
 * grant was to (from the trail's own `grantIssued` entries). */
interface AuditContext {
  studies: Map<number, string>;
  grants: Map<number, string>;
  /** Visits and actors already looked up for this page. */
  visits: Map<number, Promise<string>>;
  actors: Map<string, Promise<string>>;
}

/** One audit entry in plain words. */
async function auditSentence(e: any, ctx: AuditContext): Promise<string> {
  const ev = e.event;
  const kind = Object.keys(ev)[0];
  const d = ev[kind];
  const target = async (t: any): Promise<string> => {
    const item = t?.record ?? t?.recordVersion?.item ?? t?.item;
    if (item !== undefined) {
      if (!ctx.visits.has(item)) {
        ctx.visits.set(item, api.call.recordsApi.record(item).then((r) => {
          const rec = r.toJSON() as any;
          return rec ? `your visit of ${visitDate(rec[0].visitDate)}` : `record ${item}`;
        }));
      }
      return ctx.visits.get(item)!;
    }
    const study = t?.labStudy ?? t?.labReport;
    if (study !== undefined) return ctx.studies.get(study) ?? 'a lab study of yours';
    if (t === 'allRecords' || t?.allRecords !== undefined) return 'your records';
    return 'your records';
  };
  switch (kind) {
    case 'accessed': return `${await accessorName(d.accessor)} opened ${await target(d.target)}, for ${purposeWords(d.purpose)}.`;
    case 'refused': return `${await accessorName(d.accessor)} was refused ${await target(d.target)} (${words(typeof d.reason === 'string' ? d.reason : Object.keys(d.reason)[0])}).`;
    case 'grantIssued': return `You let ${await accessorName(d.accessor)} open your records (grant ${d.grant}).`;
    case 'grantClosed': return ctx.grants.has(d.grant) ? `${ctx.grants.get(d.grant)}'s access ended (grant ${d.grant}).` : `Grant ${d.grant} ended.`;
    case 'grantConfirmed': return `${e.actorName ?? 'You'} confirmed ${ctx.grants.get(d.grant) ?? 'a grantee'}'s access again after their account was recovered (grant ${d.grant}).`;
    case 'recovery': {
      const step = typeof d === 'string' ? d : Object.keys(d)[0];
      const x = typeof d === 'string' ? {} : d[step];
      switch (step) {
        case 'proposed': return `${await hospitalName(x.hospital)} proposed to move your account to ${x.new}; the regulator council can confirm it only after ${await blocksToWords(Number(api.consts.registry.recoveryDelay.toString()))}, and you or a guardian can object.`;
        case 'objected': return `${e.actorName ?? 'Someone'} objected to the recovery of your account.`;
        case 'cancelled': return 'The recovery of your account was cancelled.';
        case 'confirmed': return `The regulator council confirmed the recovery: your account is now ${x.new}.`;
        default: return `Account recovery: ${words(step)}.`;
      }
    }
    case 'key': {
      const inner = Object.keys(d)[0];
      const x = d[inner];
      if (inner === 'shareAnswered') {
        const released = x.answer === 'released' || x.answer?.released !== undefined;
        const reader = e.actorName ?? 'a reader';
        return released
          ? `${reader} read ${await target(x.target)}, for ${purposeWords(x.purpose)} (${await hospitalName(x.custodian)} released its key share).`
          : `${await hospitalName(x.custodian)} refused ${reader} its key share of ${await target(x.target)}.`;
      }
      if (inner === 'essentialSharesRewrapped') {
        const what = x.count === 1 ? 'the key share of 1 record or study' : `the key shares of ${x.count} records and studies`;
        return `${e.actorName ?? 'You'} re-wrapped ${what} to your new key ${String(x.key).slice(0, 10)}…`;
      }
      return `${words(inner)}: ${JSON.stringify(x)}`;
    }
    default: return `${words(kind)}${d ? `: ${JSON.stringify(d)}` : ''}.`;
  }
}

/** The newest entries of the patient's trail: from the hospital node's archive, which keeps
 * every version of every entry (the chain's ring keeps the first and the latest of each
 * doctor's accesses per day), or from the ring when the node keeps no archive. */
async function auditEntries(patient: number, take: number): Promise<any[]> {
  try {
    const page = await nodeRpc<{ entries: { block: number; event: number; entry: string }[] }>('pmr_auditArchive', [patient, null, take]);
    // The archive pages by entry; a patient reads a trail in the order things happened.
    const byTime = [...page.entries].sort((a, b) => b.block - a.block || b.event - a.event);
    return byTime.map((e) => api.createType('PalletConsentAuditEntry', e.entry).toJSON());
  } catch {
    return (await api.call.consentApi.auditLog(patient, 0, take)).toJSON() as any[];
  }
}

async function auditSection(patient: number): Promise<HTMLElement> {
  const entries = await auditEntries(patient, 50);
  const reports = (await api.call.labReportsApi.patientReports(patient, null, 256)).toJSON() as any;
  const ctx: AuditContext = {
    studies: new Map(reports.items.map(([id, r]: [number, any]) => [id, `your ${modalityName(r.modality)} study of ${visitDate(r.capturedOn)}`])),
    grants: new Map(),
    visits: new Map(),
    actors: new Map(),
  };
  const actorName = async (actor: string): Promise<string> => {
    const doctor = (await api.call.registryApi.doctorOf(actor)).toJSON() as number | null;
    if (doctor !== null) return doctorName(doctor);
    const lab = (await api.call.registryApi.labOf(actor)).toJSON() as number | null;
    return lab !== null ? labName(lab) : actor === currentAccount().address ? 'You' : actor;
  };
  for (const e of entries) if (e.event?.grantIssued) ctx.grants.set(e.event.grantIssued.grant, await accessorName(e.event.grantIssued.accessor));
  const rows = [];
  for (const e of entries) {
    if (e.actor) {
      if (!ctx.actors.has(e.actor)) ctx.actors.set(e.actor, actorName(e.actor));
      e.actorName = await ctx.actors.get(e.actor);
    }
    rows.push([`#${e.at}`, await auditSentence(e, ctx)]);
  }
  return section('Who did what with your records', table('Your audit trail, newest first', ['Block', 'What happened'], rows));
}

/** A recovery of this account that a hospital proposed: the holder sees it first and may
 * object (a thief holding the key could object too, so the council still decides). */
async function recoverySection(refresh: () => void): Promise<HTMLElement | string> {
  const account = currentAccount().address;
  const pending = (await api.query.registry.pendingRecoveries(account)).toJSON() as any;
  if (!pending) return '';
  const hospital = await hospitalName(pending.hospital);
  const now = (await api.rpc.chain.getHeader()).number.toNumber();
  const wait = Math.max(0, pending.executableAt - now);
  const parts: (HTMLElement | string)[] = [h('p', { class: 'warning' },
    `${hospital} proposed to move your account to ${pending.new}. If you did not lose your key, object now: the regulator council can confirm it ${wait > 0 ? `in ${await blocksToWords(wait)}` : 'now'} (from block #${pending.executableAt}).`)];
  parts.push(pending.objectedBy
    ? h('p', {}, `An objection is on record (${pending.objectedBy === account ? 'yours' : pending.objectedBy}).`)
    : button('Object to this recovery', async () => { await send(api.tx.registry.objectRecovery(account), currentAccount()); notify('Your objection is on record; the regulator council sees it.', 'ok'); refresh(); }, { class: 'danger' }));
  return section('Your account', ...parts);
}

/** Renders the patient's page. */
export async function patientPage(): Promise<HTMLElement> {
  const page = h('div', { class: 'page' });
  const patient = session.roles.patient;
  if (patient === undefined) return h('p', {}, 'This account is not a registered patient. The registration desk of your hospital registers you (give it the public key from the Home page).');
  const viewer = h('div', { class: 'viewer', 'aria-live': 'polite' });
  const draw = async () => {
    page.replaceChildren(
      h('h2', { class: 'page-title' }, `Patient ${patient}`),
      await recoverySection(() => void draw()),
      await requestsSection(patient, () => void draw()),
      await grantsSection(patient, () => void draw()),
      await recordsSection(patient, viewer, () => void draw()),
      viewer,
      await guardiansSection(patient, () => void draw()),
      await auditSection(patient),
    );
  };
  await draw();
  return page;
}

// The clinician's page: consenting patients, requesting access, opening a patient's records
// (FHIR view, DICOM viewport, verified mark), ordering lab work, and creating a visit record
// from a FHIR form.
import { api, eventOf, send } from '../chain';
import { reportsOf } from '../content';
import { purposeVariant } from '../records';
import { ddmmyyyy, submitAndAnchor } from '../ingest';
import { labName } from '../names';
import { currentAccount, session } from '../state';
import { RECORD_CATEGORIES, button, capitalized, categoryWords, field, h, notify, section, select, table, visitDate, words, modalityName } from '../ui';
import { blake2_256 } from '../vault';
import { showContent } from '../viewer';

const PURPOSES: [string, string][] = [['treatment', 'Treatment'], ['secondOpinion', 'Second opinion'], ['insurance', 'Insurance claim'], ['research', 'Research']];
/** A visit record's categories (the form's choices). */
const VISIT_CATEGORIES: [string, string][] = RECORD_CATEGORIES.slice(0, 5).map((c) => [c, capitalized(categoryWords(c))]);
/** What a request may ask for: every record, or the records of one category. */
const REQUEST_SCOPES: [string, string][] = [['AllRecords', 'All records'], ...RECORD_CATEGORIES.map((c): [string, string] => [c, `Only ${categoryWords(c)} records`])];

function enumVariants(typeName: string): string[] {
  return api.registry.createType(typeName as any).defKeys as string[];
}

async function myPatients(): Promise<HTMLElement> {
  const page = (await api.call.consentApi.consentingPatients(currentAccount().address, null, 50)).toJSON() as any;
  return section('Patients who consented', table('Consenting patients', ['Patient', 'Grant', 'Until block'], page.items.map(([p, g, until]: number[]) => [`Patient ${p}`, `${g}`, `#${until}`])));
}

function requestForm(): HTMLElement {
  const patient = h('input', { type: 'number', min: 0, name: 'patient', required: true });
  const purpose = select('purpose', PURPOSES, 'secondOpinion');
  const scope = select('scope', REQUEST_SCOPES, 'AllRecords');
  const duration = h('input', { type: 'number', min: 1, value: 600, name: 'duration' });
  return section('Request access',
    field('Patient-ID to ask', patient), field('Purpose of the request', purpose), field('Records to ask for', scope),
    field('For how many blocks', duration, 'The patient may change the records and shorten the time when approving.'),
    button('Request access', async () => {
      const asked = scope.value === 'AllRecords' ? 'AllRecords' : { Categories: [scope.value] };
      const sent = await send(api.tx.consent.requestAccess(Number(patient.value), asked, purposeVariant(purpose.value), Number(duration.value), null), currentAccount());
      notify(`Access requested (request ${eventOf(sent, 'consent.AccessRequested').request}); the patient sees it now.`, 'ok');
    }));
}

async function recordsOf(patient: number, purpose: string, out: HTMLElement, viewer: HTMLElement): Promise<void> {
  const page = (await api.call.recordsApi.visibleRecords(currentAccount().address, patient, purposeVariant(purpose), null, 50)).toJSON() as any;
  const rows = [];
  for (const item of page.items as number[]) {
    const rec = (await api.call.recordsApi.record(item)).toJSON() as any;
    if (!rec) continue;
    const [info] = rec;
    const when = visitDate(info.visitDate);
    const studies = await reportsOf(item);
    const lab = h('input', { type: 'number', min: 0, name: `lab-${item}` });
    const modality = select(`modality-${item}`, enumVariants(api.tx.labReports.orderLabWork.meta.args[2].type.toString()).map((m) => [m, m]), 'Ct');
    rows.push([when, words(info.category), `${info.versions}`,
      h('div', { class: 'actions' },
        button(`Open visit of ${when}`, () => showContent(viewer, { RecordVersion: { item, version: info.versions - 1 } }, purpose, `Visit of ${when} (patient ${patient})`)),
        ...studies.filter((s) => s.sealed).map((s) => button(`Open ${modalityName(s.modality)} study of ${visitDate(s.capturedOn)}`, () => showContent(viewer, { LabStudy: s.id }, purpose, `${modalityName(s.modality)} study of ${visitDate(s.capturedOn)}`)))),
      h('div', { class: 'order' }, field(`Lab-ID for the visit of ${when}`, lab), field(`Modality for the visit of ${when}`, modality),
        button(`Order lab work for the visit of ${when}`, async () => {
          const sent = await send(api.tx.labReports.orderLabWork(patient, Number(lab.value), modality.value, item, blake2_256(new TextEncoder().encode(`${modality.value} for visit ${item}`))), currentAccount());
          notify(`Ordered (order ${eventOf(sent, 'labReports.LabWorkOrdered').order}) from ${await labName(Number(lab.value))}: it is on the lab's work list now.`, 'ok');
        }))]);
  }
  out.replaceChildren(table(`Records of patient ${patient} you may open for ${words(purpose)}`, ['Visit', 'Category', 'Versions', 'Open', 'Lab work'], rows));
}

function openForm(viewer: HTMLElement): HTMLElement {
  const patient = h('input', { type: 'number', min: 0, name: 'open-patient' });
  const purpose = select('open-purpose', PURPOSES, 'secondOpinion');
  const out = h('div');
  return section('Open a patient\'s records', field('Patient-ID to open', patient), field('Purpose of opening', purpose),
    button('Show records', () => recordsOf(Number(patient.value), purpose.value, out, viewer)), out);
}

function createForm(): HTMLElement {
  const patient = h('input', { type: 'number', min: 0, name: 'new-patient' });
  const date = h('input', { type: 'date', name: 'visit-date', value: new Date().toISOString().slice(0, 10) });
  const category = select('category', VISIT_CATEGORIES, 'PresentIllness');
  const conditionCode = h('input', { type: 'text', name: 'condition-code', value: '29857009' });
  const condition = h('input', { type: 'text', name: 'condition', value: 'Chest pain' });
  const obsCode = h('input', { type: 'text', name: 'observation-code', value: '8867-4' });
  const obs = h('input', { type: 'text', name: 'observation', value: 'Heart rate' });
  const obsValue = h('input', { type: 'number', name: 'observation-value', value: 88 });
  const obsUnit = h('input', { type: 'text', name: 'observation-unit', value: '/min' });
  const medCode = h('input', { type: 'text', name: 'medication-code', value: '197361' });
  const med = h('input', { type: 'text', name: 'medication', value: 'Amlodipine 5 MG Oral Tablet' });
  const dosage = h('input', { type: 'text', name: 'dosage', value: 'One tablet daily' });
  const progress = h('p', { class: 'progress', 'aria-live': 'polite' });
  return section('New visit record (FHIR)',
    field('Patient-ID of the new record', patient), field('Visit date', date), field('Category', category),
    h('fieldset', {}, h('legend', {}, 'Condition (SNOMED CT)'), field('Condition code', conditionCode), field('Condition', condition)),
    h('fieldset', {}, h('legend', {}, 'Observation (LOINC)'), field('Observation code', obsCode), field('Observation', obs), field('Value', obsValue), field('Unit', obsUnit)),
    h('fieldset', {}, h('legend', {}, 'Medication (RxNorm)'), field('Medication code', medCode), field('Medication', med), field('Dosage', dosage)),
    button('Create the record', async () => {
      const account = currentAccount();
      const doctor = (await api.call.registryApi.doctor(session.roles.doctor!)).toJSON() as any;
      const hospital = doctor?.hospitals?.[0];
      if (hospital === undefined) throw new Error('You work for no verified hospital.');
      const pid = Number(patient.value);
      const day = new Date(`${date.value}T00:00:00Z`);
      const ref = { reference: `Patient/${pid}` };
      const bundle = {
        resourceType: 'Bundle', type: 'collection', entry: [
          { resource: { resourceType: 'Patient', id: String(pid) } },
          { resource: { resourceType: 'Encounter', id: 'enc-1', status: 'finished', class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB', display: 'ambulatory' }, subject: ref, period: { start: day.toISOString() } } },
          { resource: { resourceType: 'Condition', id: 'cond-1', clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] }, code: { coding: [{ system: 'http://snomed.info/sct', code: conditionCode.value, display: condition.value }] }, subject: ref, recordedDate: date.value } },
          { resource: { resourceType: 'Observation', id: 'obs-1', status: 'final', code: { coding: [{ system: 'http://loinc.org', code: obsCode.value, display: obs.value }] }, subject: ref, effectiveDateTime: day.toISOString(), valueQuantity: { value: Number(obsValue.value), unit: obsUnit.value } } },
          { resource: { resourceType: 'MedicationStatement', id: 'med-1', status: 'active', medicationCodeableConcept: { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: medCode.value, display: med.value }] }, subject: ref, dosage: [{ text: dosage.value }] } },
        ],
      };
      const anchored = await submitAndAnchor(
        { format: 'fhir', patient: pid, category: words(category.value).replace(/ (\w)/g, (_, c) => c.toUpperCase()), target: { kind: 'record', hospital, visitDate: ddmmyyyy(day) } },
        new TextEncoder().encode(JSON.stringify(bundle)), account, (t) => { progress.textContent = t; });
      progress.textContent = `Record created: PMR NFT ${anchored.item}, owned by patient ${pid}.`;
      notify(progress.textContent, 'ok');
    }), progress);
}

/** Renders the clinician's page. */
export async function clinicianPage(): Promise<HTMLElement> {
  if (session.roles.doctor === undefined) return h('p', {}, 'This account is not an onboarded doctor.');
  const viewer = h('div', { class: 'viewer', 'aria-live': 'polite', 'data-testid': 'viewer' });
  return h('div', { class: 'page' }, await myPatients(), requestForm(), openForm(viewer), viewer, createForm());
}

// A readable clinical view of an (anonymized) FHIR R4 resource or Bundle, in the manner of
// Medplum's resource views: the patient's pseudonym, the encounter, conditions, observations,
// medications and reports, each with its code and coding system, as plain HTML.
import { h } from './ui';

type R = any;

const SYSTEMS: Record<string, string> = {
  'http://snomed.info/sct': 'SNOMED CT',
  'http://loinc.org': 'LOINC',
  'http://www.nlm.nih.gov/research/umls/rxnorm': 'RxNorm',
  'http://hl7.org/fhir/sid/icd-10': 'ICD-10',
};

function concept(c: R): string {
  if (!c) return '';
  const coding = c.coding?.[0];
  const label = c.text ?? coding?.display ?? coding?.code ?? '';
  return coding?.code ? `${label} (${SYSTEMS[coding.system] ?? coding.system ?? 'code'} ${coding.code})` : label;
}

function quantity(q: R): string {
  return q ? `${q.value} ${q.unit ?? q.code ?? ''}`.trim() : '';
}

function observationValue(o: R): string {
  if (o.valueQuantity) return quantity(o.valueQuantity);
  if (o.valueCodeableConcept) return concept(o.valueCodeableConcept);
  if (o.valueString) return o.valueString;
  if (o.component) return o.component.map((c: R) => `${concept(c.code).replace(/ \(.*\)$/, '')}: ${quantity(c.valueQuantity) || c.valueString || ''}`).join('; ');
  return '';
}

function when(r: R): string {
  const t = r.effectiveDateTime ?? r.onsetDateTime ?? r.recordedDate ?? r.period?.start ?? r.effectivePeriod?.start ?? r.issued;
  return t ? new Date(t).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: t.length > 10 ? 'short' : undefined, timeZone: 'UTC' }) : '';
}

function rows(title: string, head: string[], items: string[][]): HTMLElement | null {
  if (items.length === 0) return null;
  return h('section', { class: 'fhir-section', 'aria-label': title },
    h('h3', {}, title),
    h('table', {}, h('thead', {}, h('tr', {}, ...head.map((x) => h('th', { scope: 'col' }, x)))), h('tbody', {}, ...items.map((r) => h('tr', {}, ...r.map((c) => h('td', {}, c)))))));
}

/** The clinical view of a FHIR JSON document; throws if it is not FHIR. */
export function fhirView(doc: R): HTMLElement {
  const resources: R[] = doc.resourceType === 'Bundle' ? (doc.entry ?? []).map((e: R) => e.resource).filter(Boolean) : [doc];
  if (!resources.every((r) => typeof r?.resourceType === 'string')) throw new Error('This record is not FHIR.');
  const of = (t: string) => resources.filter((r) => r.resourceType === t);
  const patient = of('Patient')[0];
  const view = h('article', { class: 'fhir', 'aria-label': 'Clinical record' });
  if (patient) {
    view.append(h('p', { class: 'pseudonym' }, 'Patient (pseudonymous): ', h('strong', {}, patient.id ?? '—'),
      patient.gender ? ` · ${patient.gender}` : '', patient.birthDate ? ` · born ${patient.birthDate}` : ''));
  }
  for (const s of [
    rows('Encounter', ['Class', 'Type', 'Status', 'When'], of('Encounter').map((e) => [e.class?.display ?? e.class?.code ?? '', (e.type ?? []).map(concept).join(', '), e.status ?? '', when(e)])),
    rows('Conditions', ['Condition', 'Clinical status', 'Onset'], of('Condition').map((c) => [concept(c.code), c.clinicalStatus?.coding?.[0]?.code ?? '', when(c)])),
    rows('Observations', ['Observation', 'Value', 'When'], of('Observation').map((o) => [concept(o.code), observationValue(o), when(o)])),
    rows('Medications', ['Medication', 'Dosage', 'Status'], of('MedicationStatement').map((m) => [concept(m.medicationCodeableConcept), (m.dosage ?? []).map((d: R) => d.text).filter(Boolean).join('; '), m.status ?? ''])),
    rows('Reports', ['Report', 'Conclusion', 'When'], of('DiagnosticReport').map((r) => [concept(r.code), r.conclusion ?? '', when(r)])),
  ]) if (s) view.append(s);
  return view;
}

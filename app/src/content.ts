// A patient's records and lab studies as the runtime APIs page them, and the sealed targets
// (record versions, lab studies) a consent scope covers.
import { api } from './chain';
import type { Target } from './records';

/** A record as the app lists it. */
export interface RecordRow {
  item: number;
  category: string;
  visitDate: { year: number; month: number; day: number };
  sequence: number;
  versions: number;
  doctor: number;
  hospital: number;
  erased: boolean;
}

/** A lab report under a record. */
export interface ReportRow {
  id: number;
  modality: string;
  capturedOn: { year: number; month: number; day: number };
  sealed: boolean;
}

/** One page (`take` ≤ 256) of a patient's records after `after`. */
export async function recordsPage(patient: number, after: number | null, take: number, includeErased = false): Promise<{ items: RecordRow[]; next: number | null }> {
  const page = (await api.call.recordsApi.patientRecords(patient, { category: null, from: null, to: null, includeErased }, after, take)).toJSON() as any;
  return {
    items: page.items.map(([item, r]: [number, any]) => ({ item, category: r.category, visitDate: r.visitDate, sequence: r.sequence, versions: r.versions, doctor: r.doctor, hospital: r.hospital, erased: r.erased !== null })),
    next: page.next ?? null,
  };
}

/** Every record of a patient (all pages). */
export async function allRecords(patient: number): Promise<RecordRow[]> {
  const out: RecordRow[] = [];
  let after: number | null = null;
  do {
    const page = await recordsPage(patient, after, 256);
    out.push(...page.items);
    after = page.next;
  } while (after !== null);
  return out;
}

/** The lab reports under a record. */
export async function reportsOf(item: number): Promise<ReportRow[]> {
  const reports = (await api.call.labReportsApi.reportsOfRecord(item)).toJSON() as [number, any][];
  return reports.map(([id, r]) => ({ id, modality: r.modality, capturedOn: r.capturedOn, sealed: r.erased === null && !!r.study?.manifest }));
}

/** The sealed targets a scope covers among `records`: each live version of each record in
 * scope, and each lab study under them. */
export async function targetsInScope(records: RecordRow[], scope: any): Promise<Target[]> {
  const inScope = (r: RecordRow) => {
    if (scope === 'allRecords' || scope === 'AllRecords' || scope?.allRecords !== undefined) return true;
    if (scope?.categories) return scope.categories.map((c: string) => c.toLowerCase()).includes(r.category.toLowerCase());
    if (scope?.records) return scope.records.includes(r.item);
    return false;
  };
  const targets: Target[] = [];
  for (const r of records.filter((x) => !x.erased && inScope(x))) {
    for (let v = 0; v < r.versions; v++) targets.push({ RecordVersion: { item: r.item, version: v } });
    for (const rep of await reportsOf(r.item)) if (rep.sealed) targets.push({ LabStudy: rep.id });
  }
  return targets;
}

/** Every sealed target of a patient: each live version of each record, each lab study, and
 * each IoMT batch of the patient's devices (what a key rotation re-wraps). A batch that was
 * erased or has no manifest is listed too; the caller skips what the chain says is gone. */
export async function patientTargets(patient: number): Promise<Target[]> {
  const targets = await targetsInScope(await allRecords(patient), 'allRecords');
  const devices = (await api.call.labReportsApi.patientDevices(patient)).toJSON() as [number, { batches: number }][];
  for (const [device, info] of devices) {
    for (let batch = 0; batch < info.batches; batch++) targets.push({ IomtBatch: { device, batch } });
  }
  return targets;
}

// The lab's page: its open orders (one order takes exactly one report), and uploading a DICOM
// study against one. The browser blanks the patient-identifying DICOM elements before the
// study leaves it; the hospital node's anonymizer then applies its whole profile.
import { api } from '../chain';
import { blankIdentifyingElements, studyFacts } from '../dicom';
import { ddmmyyyy, submitAndAnchor } from '../ingest';
import { doctorName } from '../names';
import { currentAccount, session } from '../state';
import { button, field, h, notify, section, table, modalityName } from '../ui';

/** Renders the lab's page. */
export async function labPage(): Promise<HTMLElement> {
  const lab = session.roles.lab;
  if (lab === undefined) return h('p', {}, 'This account is not an onboarded lab.');
  const page = h('div', { class: 'page' });
  const draw = async () => {
    const orders = (await api.call.labReportsApi.openOrders(lab, null, 50)).toJSON() as any;
    const rows = [];
    for (const [id, o] of orders.items) {
      const file = h('input', { type: 'file', accept: '.dcm,application/dicom', name: `study-${id}` }) as HTMLInputElement;
      const progress = h('span', { class: 'progress', 'aria-live': 'polite' });
      const preview = h('div', { class: 'preview', 'data-testid': `preview-${id}` });
      // Before anything leaves the browser, the lab sees the study as it will leave it
      // (identifying elements blanked), to check it is the right patient's right study.
      file.addEventListener('change', () => void previewStudy(file, preview));
      rows.push([`${id}`, `Patient ${o.patient}`, modalityName(o.modality), await doctorName(o.doctor),
        h('div', { class: 'upload' }, field(`DICOM study for order ${id}`, file),
          button(`Upload study for order ${id}`, async () => {
            const f = file.files?.[0];
            if (!f) throw new Error('Choose the DICOM file first.');
            const bytes = blankIdentifyingElements(new Uint8Array(await f.arrayBuffer()));
            const anchored = await submitAndAnchor({ format: 'dicom', patient: o.patient, category: 'labDiagnostics', target: { kind: 'labReport', order: id, capturedOn: ddmmyyyy(new Date()) } },
              bytes, currentAccount(), (t) => { progress.textContent = t; });
            notify(`Study uploaded and anchored as lab report ${anchored.report} for order ${id}.`, 'ok');
            await draw();
          }), progress, preview)]);
    }
    page.replaceChildren(section('Open orders',
      h('p', {}, 'Each order takes exactly one report: the study you upload against it closes the order. Doctors order lab work from a record (Clinician page, or labReports.orderLabWork).'),
      table('Your work list', ['Order', 'Patient', 'Modality', 'Ordered by', 'Study'], rows)));
  };
  await draw();
  return page;
}

/** Shows the chosen study as it will be uploaded: its facts and its first frame. */
async function previewStudy(input: HTMLInputElement, into: HTMLElement): Promise<void> {
  into.replaceChildren();
  const chosen = input.files?.[0];
  if (!chosen) return;
  try {
    const bytes = blankIdentifyingElements(new Uint8Array(await chosen.arrayBuffer()));
    const facts = studyFacts(bytes);
    into.append(h('p', {}, `${chosen.name}: ${facts.modality || 'DICOM'} ${facts.columns}×${facts.rows}, ${facts.frames} frame(s)${facts.description ? `, ${facts.description}` : ''}. As it will leave this browser (identifying elements blanked):`));
    const { showDicom } = await import('../dicom-viewport');
    await showDicom(into, bytes);
  } catch (e) {
    into.append(h('p', { class: 'error', role: 'alert' }, (e as Error).message));
  }
}

// DICOM headers in the browser, with dicom-parser (the parser of Cornerstone's image loader):
// a study's facts before the viewport (dicom-viewport.ts) decodes it, and the lab's upload
// blanking identifying elements before the study leaves the browser.
import dicomParser from 'dicom-parser';
/** What the page needs to know of a study before the viewport decodes it. */
export interface StudyFacts {
  rows: number;
  columns: number;
  frames: number;
  modality: string;
  description: string;
  /** The transfer syntax UID (how the pixels are encoded). */
  syntax: string;
}

/** Reads a study's header; throws a sentence if it is not a DICOM image. */
export function studyFacts(bytes: Uint8Array): StudyFacts {
  let ds: dicomParser.DataSet;
  try {
    ds = dicomParser.parseDicom(bytes);
  } catch {
    throw new Error('This file is not a DICOM study the viewer can read.');
  }
  const rows = ds.uint16('x00280010') ?? 0;
  const columns = ds.uint16('x00280011') ?? 0;
  if (!rows || !columns || !ds.elements.x7fe00010) throw new Error('This DICOM file holds no image.');
  return {
    rows,
    columns,
    frames: Math.max(1, parseInt(ds.string('x00280008') ?? '1', 10) || 1),
    modality: ds.string('x00080060') ?? '',
    description: ds.string('x00081030') ?? '',
    syntax: ds.string('x00020010') ?? '1.2.840.10008.1.2',
  };
}

/** Patient-identifying elements the browser blanks before a study leaves it (the node's
 * anonymizer applies the whole DICOM PS3.15 profile afterwards). */
const IDENTIFYING = ['x00100010', 'x00100020', 'x00100030', 'x00101000', 'x00101001', 'x00101040', 'x00102154', 'x00100050', 'x00080090', 'x00080080', 'x00080081'];

/** A copy of `bytes` with the identifying elements' values overwritten by spaces (same
 * lengths, so every offset stays valid). Throws a sentence if it is not DICOM. */
export function blankIdentifyingElements(bytes: Uint8Array): Uint8Array {
  let ds: dicomParser.DataSet;
  try {
    ds = dicomParser.parseDicom(bytes, { untilTag: 'x7fe00010' });
  } catch {
    throw new Error('This file is not a DICOM study.');
  }
  const out = bytes.slice();
  for (const tag of IDENTIFYING) {
    const el = ds.elements[tag];
    if (el && el.length > 0) out.fill(0x20, el.dataOffset, el.dataOffset + el.length);
  }
  return out;
}

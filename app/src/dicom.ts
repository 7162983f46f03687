// A DICOM image viewport: parses the (anonymized) Part 10 file with dicom-parser (the parser
// of Cornerstone's image loaders) and draws each frame on a 2D canvas at the study's own
// resolution, with the modality LUT (rescale slope/intercept) and a window/level VOI, as OHIF's
// stack viewport does. Window/level: drag with the mouse or use the arrow keys; frames: the
// mouse wheel or Page Up/Page Down. Uncompressed transfer syntaxes only (see docs/app.md).
import dicomParser from 'dicom-parser';
import { h } from './ui';

const UNCOMPRESSED = new Set(['1.2.840.10008.1.2', '1.2.840.10008.1.2.1', '1.2.840.10008.1.2.2']);

/** What the viewport shows of a study. */
export interface DicomImage {
  rows: number;
  columns: number;
  frames: number;
  modality: string;
  description: string;
  /** Modality values (after rescale) of each frame. */
  pixels: Float32Array[];
  center: number;
  width: number;
  invert: boolean;
}

/** Parses a DICOM file into frames of modality values; throws a sentence on anything the
 * viewer cannot show. */
export function parseDicom(bytes: Uint8Array): DicomImage {
  let ds: dicomParser.DataSet;
  try {
    ds = dicomParser.parseDicom(bytes);
  } catch {
    throw new Error('This file is not a DICOM study the viewer can read.');
  }
  const syntax = ds.string('x00020010') ?? '1.2.840.10008.1.2';
  if (!UNCOMPRESSED.has(syntax)) throw new Error(`This study is compressed (transfer syntax ${syntax}); the browser viewer shows uncompressed studies only.`);
  const rows = ds.uint16('x00280010') ?? 0;
  const columns = ds.uint16('x00280011') ?? 0;
  const bits = ds.uint16('x00280100') ?? 16;
  const signed = ds.uint16('x00280103') === 1;
  const samples = ds.uint16('x00280002') ?? 1;
  const frames = Math.max(1, parseInt(ds.string('x00280008') ?? '1', 10) || 1);
  const photometric = ds.string('x00280004') ?? 'MONOCHROME2';
  const pixel = ds.elements.x7fe00010;
  if (!rows || !columns || !pixel) throw new Error('This DICOM file holds no image.');
  if (samples !== 1 || !photometric.startsWith('MONOCHROME')) throw new Error(`The viewer shows greyscale studies; this one is ${photometric}.`);
  if (bits !== 8 && bits !== 16) throw new Error(`The viewer shows 8- and 16-bit studies; this one has ${bits} bits per pixel.`);
  const slope = ds.floatString('x00281053') ?? 1;
  const intercept = ds.floatString('x00281052') ?? 0;
  const bigEndian = syntax === '1.2.840.10008.1.2.2';
  const perFrame = rows * columns;
  const view = new DataView(bytes.buffer, bytes.byteOffset + pixel.dataOffset, pixel.length);
  const pixels: Float32Array[] = [];
  let lo = Infinity;
  let hi = -Infinity;
  for (let f = 0; f < frames; f++) {
    const out = new Float32Array(perFrame);
    for (let i = 0; i < perFrame; i++) {
      const at = (f * perFrame + i) * (bits / 8);
      if (at + bits / 8 > view.byteLength) throw new Error('The study is truncated.');
      const raw = bits === 8 ? (signed ? view.getInt8(at) : view.getUint8(at)) : signed ? view.getInt16(at, !bigEndian) : view.getUint16(at, !bigEndian);
      const v = raw * slope + intercept;
      out[i] = v;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    pixels.push(out);
  }
  const center = ds.floatString('x00281050') ?? (lo + hi) / 2;
  const width = ds.floatString('x00281051') ?? Math.max(1, hi - lo);
  return { rows, columns, frames, modality: ds.string('x00080060') ?? '', description: ds.string('x00081030') ?? '', pixels, center, width, invert: photometric === 'MONOCHROME1' };
}

/** The viewport: a canvas of the study's size, its controls and a caption. */
export function dicomViewport(image: DicomImage): HTMLElement {
  const canvas = h('canvas', { width: image.columns, height: image.rows, class: 'dicom-canvas', tabindex: 0, role: 'img', 'data-rows': image.rows, 'data-columns': image.columns });
  const caption = h('p', { class: 'dicom-caption', 'aria-live': 'polite' });
  let frame = 0;
  let { center, width } = image;
  const ctx = canvas.getContext('2d')!;
  const draw = () => {
    const data = ctx.createImageData(image.columns, image.rows);
    const px = image.pixels[frame];
    const low = center - width / 2;
    for (let i = 0; i < px.length; i++) {
      let g = Math.round(((px[i] - low) / width) * 255);
      g = g < 0 ? 0 : g > 255 ? 255 : g;
      if (image.invert) g = 255 - g;
      data.data[4 * i] = data.data[4 * i + 1] = data.data[4 * i + 2] = g;
      data.data[4 * i + 3] = 255;
    }
    ctx.putImageData(data, 0, 0);
    const text = `${image.modality} ${image.columns}×${image.rows}, frame ${frame + 1} of ${image.frames}, window ${Math.round(width)} / level ${Math.round(center)}`;
    caption.textContent = text;
    canvas.setAttribute('aria-label', `DICOM image: ${text}`);
  };
  const scroll = (d: number) => {
    frame = Math.min(image.frames - 1, Math.max(0, frame + d));
    draw();
  };
  const windowBy = (dw: number, dc: number) => {
    width = Math.max(1, width + dw);
    center += dc;
    draw();
  };
  canvas.addEventListener('wheel', (e) => { e.preventDefault(); scroll(Math.sign(e.deltaY)); }, { passive: false });
  canvas.addEventListener('keydown', (e) => {
    const step = Math.max(1, image.width / 50);
    const moves: Record<string, () => void> = {
      PageDown: () => scroll(1), PageUp: () => scroll(-1),
      ArrowRight: () => windowBy(step, 0), ArrowLeft: () => windowBy(-step, 0),
      ArrowUp: () => windowBy(0, step), ArrowDown: () => windowBy(0, -step),
    };
    if (moves[e.key]) { e.preventDefault(); moves[e.key](); }
  });
  let drag: { x: number; y: number } | null = null;
  canvas.addEventListener('pointerdown', (e) => { drag = { x: e.clientX, y: e.clientY }; canvas.setPointerCapture(e.pointerId); });
  canvas.addEventListener('pointerup', () => { drag = null; });
  canvas.addEventListener('pointermove', (e) => {
    if (!drag) return;
    const scale = image.width / 200;
    windowBy((e.clientX - drag.x) * scale, (e.clientY - drag.y) * scale);
    drag = { x: e.clientX, y: e.clientY };
  });
  draw();
  return h('figure', { class: 'dicom' }, canvas, h('figcaption', {}, caption,
    h('small', {}, 'Window/level: drag, or the arrow keys. Frames: the mouse wheel, or Page Up / Page Down.')));
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

// The DICOM viewport: a Cornerstone3D stack viewport, the engine of the OHIF viewer. Its DICOM
// image loader decodes every transfer syntax OHIF does (uncompressed, deflate, RLE, JPEG
// baseline/extended/lossless, JPEG-LS, JPEG 2000, HTJ2K) in a web worker with its WASM codecs,
// and applies the modality LUT and the study's window/level. Window/level: drag with the mouse
// or use the arrow keys; frames: the mouse wheel or Page Up/Page Down. The page loads this
// module (and Cornerstone) only when a study is first shown.
import { Enums, RenderingEngine, type Types, cache, getRenderingEngine, getWebWorkerManager, imageLoader, init as initCore, setUseCPURendering } from '@cornerstonejs/core';
import { init as initLoader, wadouri } from '@cornerstonejs/dicom-image-loader';
import { Enums as ToolEnums, StackScrollTool, ToolGroupManager, WindowLevelTool, addTool, init as initTools } from '@cornerstonejs/tools';
import { type StudyFacts, studyFacts } from './dicom';
import { h } from './ui';

const ENGINE = 'pmr-viewer';
const TOOLS = 'pmr-viewer-tools';
let started = false;
let shown = 0;
/** The loader's index of the file of the study on screen. */
let onScreen: number | undefined;

/** Starts Cornerstone once: the core (on the CPU where the browser has no WebGL 2, as some
 * virtual machines and locked-down browsers), the DICOM image loader with one decoding worker,
 * and the window/level and stack-scroll tools. */
function start(): void {
  if (started) return;
  initCore();
  if (!document.createElement('canvas').getContext('webgl2')) setUseCPURendering(true);
  initLoader({ maxWebWorkers: 1 });
  initTools();
  addTool(WindowLevelTool);
  addTool(StackScrollTool);
  started = true;
}

/** Shows `bytes` (a DICOM Part 10 file) in a new viewport appended to `into`, which must be in
 * the document; the viewer's previous viewport, if any, is let go. Resolves once the first
 * frame is drawn; rejects with a sentence when the study cannot be decoded. */
export async function showDicom(into: HTMLElement, bytes: Uint8Array): Promise<StudyFacts> {
  const facts = studyFacts(bytes);
  start();
  const element = h('div', {
    class: 'dicom-viewport', tabindex: 0, role: 'img', 'aria-label': 'DICOM image',
    // The study's proportions, at most 512 px wide and 70 % of the window high.
    style: `aspect-ratio: ${facts.columns} / ${facts.rows}; width: min(512px, 100%, calc(70vh * ${(facts.columns / facts.rows).toFixed(4)}))`,
  }) as HTMLDivElement;
  element.addEventListener('contextmenu', (e) => e.preventDefault());
  const caption = h('p', { class: 'dicom-caption', 'aria-live': 'polite' });
  const figure = h('figure', { class: 'dicom' }, element, h('figcaption', {}, caption,
    h('small', {}, 'Window/level: drag, or the arrow keys. Frames: the mouse wheel, or Page Up / Page Down.')));
  into.append(figure);

  // One study at a time: the previous one's viewport, tools, decrypted file and decoded
  // frames are let go, so no decrypted study lingers in the page's memory.
  const engine = getRenderingEngine(ENGINE) ?? new RenderingEngine(ENGINE);
  for (const old of engine.getViewports()) engine.disableElement(old.id);
  ToolGroupManager.destroyToolGroup(TOOLS);
  if (onScreen !== undefined) wadouri.fileManager.remove(onScreen);
  cache.purgeCache();
  // And a fresh decoding worker: a codec that fails on a damaged codestream can hand back the
  // frame it decoded before (seen with JPEG 2000), which must never be another study's.
  getWebWorkerManager().terminate('dicomImageLoader');
  const viewportId = `study-${++shown}`;
  engine.enableElement({ viewportId, type: Enums.ViewportType.STACK, element });
  const viewport = engine.getViewport(viewportId) as Types.IStackViewport;
  const file = wadouri.fileManager.add(new File([bytes as Uint8Array<ArrayBuffer>], 'study.dcm', { type: 'application/dicom' }));
  onScreen = Number(file.slice('dicomfile:'.length));
  const ids = facts.frames > 1 ? Array.from({ length: facts.frames }, (_, i) => `${file}?frame=${i + 1}`) : [file];
  // The first frame is loaded (and decoded) before the stack is set: a study the codecs cannot
  // decode fails here with the loader's reason, not later in the rendering loop.
  let image: Types.IImage;
  try {
    image = await imageLoader.loadAndCacheImage(ids[0]);
    // A damaged codestream can decode to nothing rather than fail.
    if (image.rows !== facts.rows || image.columns !== facts.columns) {
      throw new Error(`the decoded image is ${image.columns}×${image.rows}, its header says ${facts.columns}×${facts.rows}`);
    }
    await viewport.setStack(ids, 0);
  } catch (e) {
    engine.disableElement(viewportId);
    figure.remove();
    const why = (e as { error?: Error })?.error?.message ?? (e as Error)?.message ?? String(e);
    throw new Error(`The viewer could not decode this study (transfer syntax ${facts.syntax}): ${why.replace(/\.$/, '')}.`);
  }
  viewport.render();

  const tools = ToolGroupManager.createToolGroup(TOOLS)!;
  tools.addTool(WindowLevelTool.toolName);
  tools.addTool(StackScrollTool.toolName);
  tools.setToolActive(WindowLevelTool.toolName, { bindings: [{ mouseButton: ToolEnums.MouseBindings.Primary }] });
  tools.setToolActive(StackScrollTool.toolName, { bindings: [{ mouseButton: ToolEnums.MouseBindings.Wheel }] });
  tools.addViewport(viewportId, ENGINE);

  element.dataset.rows = String(image.rows);
  element.dataset.columns = String(image.columns);
  const describe = () => {
    const { voiRange } = viewport.getProperties();
    const width = voiRange ? voiRange.upper - voiRange.lower : 0;
    const level = voiRange ? (voiRange.upper + voiRange.lower) / 2 : 0;
    const text = `${facts.modality} ${image.columns}×${image.rows}, frame ${viewport.getCurrentImageIdIndex() + 1} of ${ids.length}, window ${Math.round(width)} / level ${Math.round(level)}`;
    caption.textContent = text;
    element.setAttribute('aria-label', `DICOM image: ${text}`);
  };
  element.addEventListener(Enums.Events.VOI_MODIFIED, describe);
  element.addEventListener(Enums.Events.STACK_NEW_IMAGE, describe);
  element.addEventListener('keydown', (e) => {
    const range = viewport.getProperties().voiRange;
    const step = range ? Math.max(1, (range.upper - range.lower) / 50) : 1;
    const voi = (dw: number, dc: number) => {
      if (!range) return;
      const width = Math.max(1, range.upper - range.lower + dw);
      const center = (range.upper + range.lower) / 2 + dc;
      viewport.setProperties({ voiRange: { lower: center - width / 2, upper: center + width / 2 } });
      viewport.render();
    };
    const frame = (d: number) => {
      const next = Math.min(ids.length - 1, Math.max(0, viewport.getCurrentImageIdIndex() + d));
      void viewport.setImageIdIndex(next);
    };
    const moves: Record<string, () => void> = {
      PageDown: () => frame(1), PageUp: () => frame(-1),
      ArrowRight: () => voi(step, 0), ArrowLeft: () => voi(-step, 0),
      ArrowUp: () => voi(0, step), ArrowDown: () => voi(0, -step),
    };
    if (moves[e.key]) { e.preventDefault(); moves[e.key](); }
  });
  describe();
  return facts;
}


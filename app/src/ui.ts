// A few DOM helpers: elements, forms with labelled controls, messages. Every control gets an
// accessible name (a <label> or aria-label), every action is a real <button>.

type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | EventListener | undefined>;

/** An element with attributes (`on…` are listeners) and children. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(typeof c === 'number' ? String(c) : c);
  return el;
}

let ids = 0;
/** A labelled form control: `<label for=id>text</label>` and the control. */
export function field(label: string, control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement, hint?: string): HTMLElement {
  control.id ||= `f${++ids}`;
  const wrap = h('div', { class: 'field' }, h('label', { for: control.id }, label), control);
  if (hint) {
    const hintEl = h('small', { id: `${control.id}-hint` }, hint);
    control.setAttribute('aria-describedby', hintEl.id);
    wrap.append(hintEl);
  }
  return wrap;
}

/** A <select> of `[value, text]` options. */
export function select(name: string, options: [string, string][], value?: string): HTMLSelectElement {
  const s = h('select', { name });
  for (const [v, t] of options) s.append(h('option', { value: v, selected: v === value }, t));
  return s;
}

/** A button that runs `action`, disabled while it runs, showing its error (as a sentence) in
 * `status` or the page's status line. */
export function button(text: string, action: () => Promise<unknown> | unknown, attrs: Attrs = {}): HTMLButtonElement {
  const b = h('button', { type: 'button', ...attrs }, text);
  b.addEventListener('click', async () => {
    b.disabled = true;
    try {
      await action();
    } catch (e) {
      showError(e);
    } finally {
      b.disabled = false;
    }
  });
  return b;
}

/** Shows a message in the page's status line (a live region). */
export function notify(text: string, kind: 'info' | 'ok' | 'error' = 'info'): void {
  const s = document.getElementById('status');
  if (!s) return;
  s.className = `status ${kind}`;
  s.textContent = text;
}

/** Shows an error as a sentence, never a stack trace. */
export function showError(e: unknown): void {
  console.error(e);
  notify(e instanceof Error ? e.message : String(e), 'error');
}

/** A section with a heading. */
export function section(title: string, ...children: Child[]): HTMLElement {
  return h('section', {}, h('h2', {}, title), ...children);
}

/** A table with a header row; `rows` are arrays of cells. */
export function table(caption: string, head: string[], rows: Child[][]): HTMLElement {
  if (rows.length === 0) return h('p', { class: 'empty' }, `${caption}: none.`);
  return h(
    'table',
    {},
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, ...head.map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', {}, ...rows.map((r) => h('tr', {}, ...r.map((c) => h('td', {}, c))))),
  );
}

/** A date of the chain's `VisitDate` ({year, month, day}) in words: "12 March 2026". */
export function visitDate(d: { year: number; month: number; day: number }): string {
  return new Date(Date.UTC(d.year, d.month - 1, d.day)).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
}

/** "secondOpinion" → "second opinion". */
export function words(camel: string): string {
  return camel.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

/** The record categories the chain knows (`RecordCategory`), as the chain names them. A
 * visit record is one of the first five; lab studies, IoMT data and insurance documents have
 * their own. A consent's scope may name any of them. */
export const RECORD_CATEGORIES = ['PresentIllness', 'PastIllness', 'ProvisionalDiagnosis', 'TreatmentSummary', 'Prescription', 'LabDiagnostics', 'IomtData', 'Insurance'];

/** `text` with its first letter in capitals ("lab diagnostics" → "Lab diagnostics"). */
export function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A category in words: "LabDiagnostics" → "lab diagnostics", "IomtData" → "IoMT data". */
export function categoryWords(category: string): string {
  return category === 'IomtData' ? 'IoMT data' : words(category);
}

/** A modality as clinicians write it: "Ct" → "CT", "Ultrasound" stays. */
export function modalityName(m: string): string {
  return m.length <= 3 ? m.toUpperCase() : m;
}

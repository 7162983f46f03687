// Names of the chain's public actors (doctors, labs, hospitals), for sentences. Staff details
// are public registry data; patients have none on chain.
import { api } from './chain';
import { words } from './ui';

const cache = new Map<string, Promise<string>>();

function cached(key: string, load: () => Promise<string>): Promise<string> {
  if (!cache.has(key)) cache.set(key, load().catch(() => key));
  return cache.get(key)!;
}

const utf8 = (v: any): string => (v?.toUtf8 ? v.toUtf8() : String(v ?? ''));

/** "Dr. Ferdie Iyer (cardiology)". */
export function doctorName(id: number): Promise<string> {
  return cached(`doctor ${id}`, async () => {
    const d = (await api.call.registryApi.doctor(id)) as any;
    if (d.isNone) return `doctor #${id}`;
    const details = d.unwrap().details;
    return `${utf8(details.name)} (${utf8(details.specialization)})`;
  });
}

/** "City Imaging (radiology)". */
export function labName(id: number): Promise<string> {
  return cached(`lab ${id}`, async () => {
    const l = (await api.call.registryApi.lab(id)) as any;
    if (l.isNone) return `lab #${id}`;
    const details = l.unwrap().details;
    return `${utf8(details.name)} (${utf8(details.specialization)})`;
  });
}

/** "City Hospital". */
export function hospitalName(id: number): Promise<string> {
  return cached(`hospital ${id}`, async () => {
    const h = (await api.call.registryApi.hospital(id)) as any;
    return h.isNone ? `hospital #${id}` : utf8(h.unwrap().details.name);
  });
}

/** An accessor (`{doctor: 1}` or `{lab: 2}`) by name. */
export function accessorName(a: Record<string, number>): Promise<string> {
  if ('doctor' in a) return doctorName(a.doctor);
  if ('lab' in a) return labName(a.lab);
  return Promise.resolve(JSON.stringify(a));
}

/** A purpose in words: "a second opinion". */
export function purposeWords(p: string | null | undefined): string {
  if (!p) return 'your own use';
  const w = words(p);
  return { 'second opinion': 'a second opinion', 'lab work': 'lab work', treatment: 'treatment', insurance: 'an insurance claim', research: 'research', emergency: 'an emergency' }[w] ?? w;
}

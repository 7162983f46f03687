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

/** A doctor's or lab's public details as "name (specialization)". */
function staffName(kind: 'doctor' | 'lab', id: number): Promise<string> {
  return cached(`${kind} ${id}`, async () => {
    const found = (await (kind === 'doctor' ? api.call.registryApi.doctor(id) : api.call.registryApi.lab(id))) as any;
    if (found.isNone) return `${kind} #${id}`;
    const details = found.unwrap().details;
    return `${utf8(details.name)} (${utf8(details.specialization)})`;
  });
}

/** "Dr. Ferdie Iyer (cardiology)". */
export function doctorName(id: number): Promise<string> {
  return staffName('doctor', id);
}

/** "City Imaging (radiology)". */
export function labName(id: number): Promise<string> {
  return staffName('lab', id);
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

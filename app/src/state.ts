// The app's session: its endpoints, the chosen account and what that account is on chain.
import { api } from './chain';
import { type Config, loadConfig } from './config';
import type { Account } from './wallet';

/** What the current account is on chain. */
export interface Roles {
  patient?: number;
  doctor?: number;
  lab?: number;
  hospital?: { id: number; role: string };
  /** The X25519 key registered for the account (doctor, lab) or the patient's key. */
  chainKey?: string;
}

/** The session. */
export const session: { config: Config; dev: boolean; devAccounts: boolean; accounts: Account[]; account?: Account; roles: Roles } = {
  config: loadConfig(),
  dev: false,
  devAccounts: false,
  accounts: [],
  roles: {},
};

/** Reads the current account's roles from the chain. */
export async function loadRoles(): Promise<Roles> {
  const a = session.account?.address;
  if (!a) return (session.roles = {});
  const [patient, doctor, lab, hospital, key] = await Promise.all([
    api.call.registryApi.patientOf(a), api.call.registryApi.doctorOf(a), api.call.registryApi.labOf(a),
    api.call.registryApi.hospitalOf(a), api.call.registryApi.encryptionKey(a),
  ]);
  const roles: Roles = {};
  if (!patient.isEmpty) roles.patient = patient.toJSON() as number;
  if (!doctor.isEmpty) roles.doctor = doctor.toJSON() as number;
  if (!lab.isEmpty) roles.lab = lab.toJSON() as number;
  if (!hospital.isEmpty) {
    const [id, role] = hospital.toJSON() as [number, string];
    roles.hospital = { id, role };
  }
  if (!key.isEmpty) roles.chainKey = key.toHex();
  if (roles.patient !== undefined && !roles.chainKey) {
    const info = (await api.call.registryApi.patient(roles.patient)).toJSON() as { encryptionKey?: string } | null;
    if (info?.encryptionKey) roles.chainKey = info.encryptionKey;
  }
  return (session.roles = roles);
}

/** The current account, or a sentence asking for one. */
export function currentAccount(): Account {
  if (!session.account) throw new Error('Choose an account first (top of the page).');
  return session.account;
}

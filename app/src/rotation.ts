// Rotating a patient's X25519 key (the patient's own tool, in the browser). The manifests on
// IPFS cannot change, so the chain keeps each essential share re-wrapped to the new key
// (keyRelease.rewrapEssentialShares), and approvals and exports open it from there:
//   1. the new key is registered (registry.updatePatient, the commitment unchanged);
//   2. every essential share of the patient's content (record versions, lab studies, IoMT
//      batches) is opened with the previous key, sealed to the new one, and handed to the chain
//      in batches (at most the pallet's MaxRewrapBatch per call).
// Each step is idempotent: a rotation cut short is finished by running it again (shares
// already sealed to the new key are skipped), and the previous key is forgotten only then.
import { api, send } from './chain';
import type { Config } from './config';
import { patientTargets } from './content';
import { forgetPreviousKey } from './keys';
import { NoContent, type Target, rewrapKey } from './records';
import type { Account } from './wallet';
import { publicKey, toHex } from './vault';

/** What a rotation did. */
export interface Rotated {
  /** Shares re-wrapped by this run. */
  rewrapped: number;
  /** Content whose share could not be re-wrapped, with why (the previous key stays kept). */
  left: string[];
}

/** The words of a target, for what could not be re-wrapped. */
function label(t: Target): string {
  if ('RecordVersion' in t) return `record ${t.RecordVersion.item} version ${t.RecordVersion.version}`;
  if ('LabStudy' in t) return `lab study ${t.LabStudy}`;
  return `IoMT batch ${t.IomtBatch.batch} of device ${t.IomtBatch.device}`;
}

/** Registers `current`'s public key for `patient` if the chain holds another, then re-wraps
 * every essential share from `previous` to it. */
export async function finishRotation(config: Config, account: Account, patient: number, current: Uint8Array, previous: Uint8Array, progress: (text: string) => void): Promise<Rotated> {
  const newKey = publicKey(current);
  const info = (await api.call.registryApi.patient(patient)).toJSON() as { commitment: string; encryptionKey: string } | null;
  if (!info) throw new Error('The chain knows no such patient.');
  if (info.encryptionKey.replace(/^0x/, '') !== toHex(newKey)) {
    progress('Registering your new key…');
    await send(api.tx.registry.updatePatient(info.commitment, `0x${toHex(newKey)}`), account);
  }
  progress('Listing your records…');
  const targets = await patientTargets(patient);
  const shares: [Target, string][] = [];
  const left: string[] = [];
  for (const [i, t] of targets.entries()) {
    progress(`Re-wrapping your key shares (${i + 1} of ${targets.length})…`);
    try {
      const share = await rewrapKey(config, t, previous, newKey);
      if (share) shares.push([share[0], `0x${toHex(share[1])}`]);
    } catch (e) {
      // Erased content, or an IoMT batch without a manifest yet, has no share to re-wrap.
      if (!(e instanceof NoContent)) left.push(`${label(t)}: ${(e as Error).message}`);
    }
  }
  const batch = Number(api.consts.keyRelease.maxRewrapBatch.toString());
  for (let i = 0; i < shares.length; i += batch) {
    progress(`Handing the re-wrapped shares to the chain (${Math.min(i + batch, shares.length)} of ${shares.length})…`);
    await send(api.tx.keyRelease.rewrapEssentialShares(patient, shares.slice(i, i + batch)), account);
  }
  if (left.length === 0) forgetPreviousKey(account.address);
  return { rewrapped: shares.length, left };
}

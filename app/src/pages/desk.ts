// The registration desk: registers a patient. The demographics typed here never leave the
// browser: only a salted blake2-256 commitment to them goes on chain, with the patient's
// account and public key. The salt is shown once, for the hospital's paper record.
import { api, eventOf, send } from '../chain';
import { hospitalName } from '../names';
import { currentAccount, session } from '../state';
import { button, field, h, notify, section } from '../ui';
import { blake2_256, concat, fromHex, toHex } from '../vault';

/** Renders the desk's page. */
export async function deskPage(): Promise<HTMLElement> {
  const hospital = session.roles.hospital;
  if (!hospital) return h('p', {}, 'This account is not an admin or desk of a hospital.');
  const input = (name: string, type = 'text') => h('input', { type, name, autocomplete: 'off' });
  const account = input('patient-account');
  const key = input('patient-key');
  const given = input('given-name');
  const family = input('family-name');
  const birth = input('birth-date', 'date');
  const nationalId = input('national-id');
  const phone = input('phone', 'tel');
  const address = input('address');
  const result = h('div', { 'aria-live': 'polite' });
  return h('div', { class: 'page' }, section(`Register a patient at ${await hospitalName(hospital.id)}`,
    h('p', {}, 'The demographics stay in this browser: the chain receives only a salted commitment to them, the patient\'s account and the patient\'s public key (from the patient\'s Home page).'),
    field('Patient\'s account address', account), field('Patient\'s public key (0x…, 32 bytes)', key),
    h('fieldset', {}, h('legend', {}, 'Demographics (never sent)'),
      field('Given name', given), field('Family name', family), field('Date of birth', birth), field('National ID', nationalId), field('Phone', phone), field('Address', address)),
    button('Register patient', async () => {
      const publicKey = fromHex(key.value.trim());
      if (publicKey.length !== 32) throw new Error('The patient\'s public key is 32 bytes of hex (0x followed by 64 digits).');
      const salt = crypto.getRandomValues(new Uint8Array(32));
      const demographics = JSON.stringify({ given: given.value, family: family.value, birthDate: birth.value, nationalId: nationalId.value, phone: phone.value, address: address.value });
      const commitment = blake2_256(concat(salt, new TextEncoder().encode(demographics)));
      const sent = await send(api.tx.registry.registerPatient(hospital.id, account.value.trim(), `0x${toHex(commitment)}`, `0x${toHex(publicKey)}`), currentAccount());
      const id = eventOf(sent, 'registry.PatientRegistered').patient;
      result.replaceChildren(h('p', { class: 'ok', 'data-testid': 'registered' }, `Registered: Patient-ID ${id}.`),
        h('p', {}, 'Keep this salt with the paper record (it proves the commitment): ', h('code', {}, `0x${toHex(salt)}`)));
      for (const el of [given, family, birth, nationalId, phone, address]) el.value = '';
      notify(`Patient ${id} registered.`, 'ok');
    }), result));
}

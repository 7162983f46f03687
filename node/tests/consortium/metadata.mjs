// Polkadot.js Apps readiness: the runtime's metadata is all a client needs. Against a `--dev`
// node, with @polkadot/api and no manual type definitions, for every PMR pallet:
//
//  - every call, event, error and storage item carries docs; every call argument and event
//    field has a name (what Apps' extrinsic form and event list show);
//  - every type those reach resolves in the metadata's registry to a named type or a
//    primitive (no `Unknown`, no anonymous composite with unnamed fields of ours);
//  - every storage item is read and decoded (maps: all entries);
//  - every custom runtime API method is listed with docs and called through `api.call` with
//    default arguments, and its answer decodes.
//
// Fails listing every problem it finds.
//
//   env: PMR_NODE_BIN (the pmr-node binary), PMR_TEST_DIR (scratch directory)

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PmrNode, step } from './lib.mjs';

const BIN = process.env.PMR_NODE_BIN ?? join(process.env.CARGO_TARGET_DIR ?? join(process.env.HOME, '.cache/pmr-chain/target'), 'debug/pmr-node');
const dir = process.env.PMR_TEST_DIR ?? mkdtempSync(join(tmpdir(), 'pmr-metadata-'));
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

const PALLETS = ['Registry', 'Consent', 'KeyRelease', 'MedicalRecords', 'LabReports', 'ValidatorSet', 'NodeAllowlist'];
const APIS = ['RegistryApi', 'ConsentApi', 'KeyReleaseApi', 'ShareRequestApi', 'RecordsApi', 'LabReportsApi', 'NodeAllowlistApi'];

const problems = [];
const problem = (msg) => problems.push(msg);
const docs = (d) => d.map((x) => x.toString()).join(' ').trim();

/** A default value of metadata type `id`, built the way @polkadot/api names the type. */
function defaultOf(api, id) {
  const def = api.registry.lookup.getTypeDef(id);
  return api.registry.createType(def.lookupName ?? def.type);
}

/** Checks that `typeId` and every type it reaches resolve to a known shape. */
function checkType(api, typeId, where, seen = new Set()) {
  const id = typeof typeId === 'number' ? typeId : typeId.toNumber();
  if (seen.has(id)) return;
  seen.add(id);
  let ty;
  try {
    ty = api.registry.lookup.getSiType(id);
  } catch (e) {
    problem(`${where}: type #${id} does not resolve (${e.message})`);
    return;
  }
  const path = ty.path.map((p) => p.toString()).join('::');
  const def = ty.def;
  const ours = /^(pallet_(registry|consent|key_release|medical_records|lab_reports|validator_set|node_allowlist)|pmr_primitives)::/.test(path);
  if (def.isComposite) {
    const fields = def.asComposite.fields;
    if (ours && fields.length > 1 && fields.some((f) => f.name.isNone)) problem(`${where}: ${path} has unnamed fields`);
    for (const f of fields) checkType(api, f.type, `${where} → ${path}`, seen);
  } else if (def.isVariant) {
    for (const v of def.asVariant.variants) {
      if (ours && v.fields.length > 1 && v.fields.some((f) => f.name.isNone)) problem(`${where}: ${path}::${v.name} has unnamed fields`);
      for (const f of v.fields) checkType(api, f.type, `${where} → ${path}::${v.name}`, seen);
    }
  } else if (def.isSequence) checkType(api, def.asSequence.type, where, seen);
  else if (def.isArray) checkType(api, def.asArray.type, where, seen);
  else if (def.isTuple) for (const t of def.asTuple) checkType(api, t, where, seen);
  else if (def.isCompact) checkType(api, def.asCompact.type, where, seen);
  else if (!def.isPrimitive && !def.isBitSequence) problem(`${where}: ${path || `#${id}`} has an unexpected definition ${def.type}`);
  // The name polkadot.js gives the type must be something it can build.
  try {
    defaultOf(api, id);
  } catch (e) {
    problem(`${where}: type #${id} (${path}) cannot be built by @polkadot/api: ${e.message}`);
  }
}

async function main() {
  const node = new PmrNode(BIN, dir, 'dev', ['--dev', '--chain', 'dev-fast']);
  await node.start();
  try {
    const api = node.api;
    await node.finalizedAt(1, 120_000);
    const meta = api.runtimeMetadata.asLatest;
    step(`metadata v${api.runtimeMetadata.version}, ${meta.pallets.length} pallets, ${meta.apis?.length ?? 0} runtime APIs`);

    let counts = { calls: 0, events: 0, errors: 0, storage: 0, entries: 0, apis: 0 };
    for (const name of PALLETS) {
      const pallet = meta.pallets.find((p) => p.name.toString() === name);
      if (!pallet) {
        problem(`pallet ${name} is not in the metadata`);
        continue;
      }
      const section = name.charAt(0).toLowerCase() + name.slice(1);
      // Calls, events, errors: variants with docs and named fields.
      for (const [kind, opt] of [['call', pallet.calls], ['event', pallet.events], ['error', pallet.errors]]) {
        if (opt.isNone) continue;
        const typeId = opt.unwrap().type;
        const variants = api.registry.lookup.getSiType(typeId).def.asVariant.variants;
        for (const v of variants) {
          counts[`${kind}s`] += 1;
          const where = `${name}.${v.name} (${kind})`;
          if (!docs(v.docs)) problem(`${where} has no docs`);
          if (kind !== 'error' && v.fields.some((f) => f.name.isNone)) problem(`${where} has unnamed ${kind === 'call' ? 'arguments' : 'fields'}`);
          for (const f of v.fields) checkType(api, f.type, `${where}.${f.name.unwrapOr('?')}`);
        }
      }
      // Storage: docs, types, and every value decodes.
      if (pallet.storage.isSome) {
        for (const item of pallet.storage.unwrap().items) {
          counts.storage += 1;
          const itemName = item.name.toString();
          const where = `${name}.${itemName} (storage)`;
          if (!docs(item.docs)) problem(`${where} has no docs`);
          const query = api.query[section]?.[itemName.charAt(0).toLowerCase() + itemName.slice(1)];
          if (!query) {
            problem(`${where}: api.query.${section} has no such item`);
            continue;
          }
          if (item.type.isPlain) {
            checkType(api, item.type.asPlain, where);
            try {
              (await query()).toJSON();
              counts.entries += 1;
            } catch (e) {
              problem(`${where} does not decode: ${e.message}`);
            }
          } else {
            checkType(api, item.type.asMap.key, `${where} key`);
            checkType(api, item.type.asMap.value, where);
            try {
              for (const [k, v] of await query.entries()) {
                k.args.map((a) => a.toJSON());
                v.toJSON();
                counts.entries += 1;
              }
            } catch (e) {
              problem(`${where} entries do not decode: ${e.message}`);
            }
          }
        }
      }
    }

    // Runtime APIs: listed with docs, callable through api.call with default arguments, and
    // documented for integrators in docs/runtime-apis.md (a row per method, under its API).
    const guide = readFileSync(join(repoRoot, 'docs/runtime-apis.md'), 'utf8');
    for (const apiName of APIS) {
      const decl = (meta.apis ?? []).find((a) => a.name.toString() === apiName);
      if (!decl) {
        problem(`runtime API ${apiName} is not in the metadata`);
        continue;
      }
      if (!docs(decl.docs)) problem(`runtime API ${apiName} has no docs`);
      const section = apiName.charAt(0).toLowerCase() + apiName.slice(1);
      for (const m of decl.methods) {
        counts.apis += 1;
        const method = m.name.toString();
        const camel = method.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
        const where = `${apiName}.${method}`;
        if (!docs(m.docs)) problem(`${where} has no docs`);
        const heading = guide.indexOf(`## \`api.call.${section}\``);
        const next = guide.indexOf('\n## ', heading + 1);
        const rows = heading < 0 ? '' : guide.slice(heading, next < 0 ? undefined : next);
        if (!rows.includes(`| \`${camel}\` |`)) problem(`${where}: no row for ${camel} under api.call.${section} in docs/runtime-apis.md`);
        for (const i of m.inputs) checkType(api, i.type, `${where}(${i.name})`);
        checkType(api, m.output, `${where} → output`);
        const call = api.call[section]?.[camel];
        if (!call) {
          problem(`${where}: api.call.${section}.${camel} is missing`);
          continue;
        }
        try {
          const args = m.inputs.map((i) => defaultOf(api, i.type));
          (await call(...args)).toJSON();
        } catch (e) {
          problem(`${where} cannot be called through api.call: ${e.message}`);
        }
      }
    }
    step(`checked ${counts.calls} calls, ${counts.events} events, ${counts.errors} errors, ${counts.storage} storage items (${counts.entries} values decoded), ${counts.apis} runtime API methods`);
  } finally {
    await node.stop();
  }
}

main()
  .then(() => {
    if (problems.length) {
      console.error(`${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
      process.exit(1);
    }
    step('metadata: every call, event, error, storage item and runtime API is documented and decodes');
    process.exit(0);
  })
  .catch((e) => {
    console.error(e);
    process.exit(1);
  });

// The host's registry: the file in its home, with the default `QuickSilver` entry pointing at
// the host's GMS when one was given (e2e tests on a private port keep portable references).
// An entry the user wrote in registry.json still wins.
import type { Address, Reference } from '../../src-shared/format/document';
import { referencesEqual } from '../../src-shared/format';
import type { ObjectEntry } from '../runtime/catalogue';
import { FOLDER_ENDPOINT, serveFolder } from '../runtime/folder';
import { QSM_PLATFORM_ID, qsmPlatformReference } from '../objects/qsm/platform-entry';
import {
  DEFAULT_GMS,
  PLATFORM_NAME,
  defaultRegistryEntries,
  loadRegistry,
  registryEntry,
} from '../objects/registry';

/** Registry entries with the host's GMS as the default platform. */
export function hostRegistryEntries(path: string, gms: Address | undefined): Map<string, Reference> {
  const entries = loadRegistry(path);
  const builtin = defaultRegistryEntries().get(PLATFORM_NAME);
  const current = entries.get(PLATFORM_NAME);
  if (gms && builtin && current && referencesEqual(current, builtin)) {
    entries.set(PLATFORM_NAME, qsmPlatformReference(gms));
  }
  return entries;
}

export function hostRegistryEntry(path: string, gms: Address | undefined): ObjectEntry {
  const base = registryEntry({ path });
  return {
    ...base,
    create(ctx) {
      const entries = hostRegistryEntries(path, gms);
      const proxy = ctx.proxy();
      serveFolder(proxy.portal(FOLDER_ENDPOINT), (name) => entries.get(name));
      return proxy;
    },
  };
}

/** The GMS the platform entry names (when it is a plain qsm.platform), else the default. */
export function configuredGms(path: string): Address {
  const ref = loadRegistry(path).get(PLATFORM_NAME);
  if (
    ref?.kind === 'parameterized' &&
    ref.template.kind === 'primitive' &&
    ref.template.id === QSM_PLATFORM_ID
  ) {
    const p = ref.params.find((x) => x.name === 'gms');
    if (p?.value.kind === 'value' && p.value.value.type === 'address') return p.value.value.value;
  }
  return DEFAULT_GMS;
}

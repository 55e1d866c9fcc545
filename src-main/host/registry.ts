// The host's registry: the file in its home, with the default `QuickSilver` entry pointing at
// the host's GMS when one was given (e2e tests on a private port keep portable references).
// An entry the user wrote in registry.json still wins. Without a given GMS the default entry
// keeps naming 127.0.0.1:7070, which the host's QsmService maps to the membership service it
// found or serves, wherever that is (so state keys do not change when the service moves).
// On a host started with --platform nats://… the entry is that NATS platform instead
// (platforms.ts), so references minted on a LAN open over NATS unchanged.
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
import { natsChoiceReference } from './platforms';
import type { PlatformChoice } from './platforms';

/** Registry entries with the host's platform as `QuickSilver`: the NATS platform chosen, else
 * qsm.platform with the host's GMS (when the user's registry.json does not name another). */
export function hostRegistryEntries(
  path: string,
  gms: Address | undefined,
  platform: PlatformChoice = { kind: 'lan' },
): Map<string, Reference> {
  const entries = loadRegistry(path);
  if (platform.kind === 'nats') {
    entries.set(PLATFORM_NAME, natsChoiceReference(platform));
    return entries;
  }
  const builtin = defaultRegistryEntries().get(PLATFORM_NAME);
  const current = entries.get(PLATFORM_NAME);
  if (gms && builtin && current && referencesEqual(current, builtin)) {
    entries.set(PLATFORM_NAME, qsmPlatformReference(gms));
  }
  return entries;
}

export function hostRegistryEntry(
  path: string,
  gms: Address | undefined,
  platform: PlatformChoice = { kind: 'lan' },
): ObjectEntry {
  const base = registryEntry({ path });
  return {
    ...base,
    create(ctx) {
      const entries = hostRegistryEntries(path, gms, platform);
      const proxy = ctx.proxy();
      serveFolder(proxy.portal(FOLDER_ENDPOINT), (name) => entries.get(name));
      return proxy;
    },
  };
}

/** What the registry's `QuickSilver` entry says about the network, when it is a plain
 * qsm.platform: a membership service (unless it is the built-in 127.0.0.1:7070, which
 * stands for "find or serve one") and an interface. */
export interface ConfiguredNetwork {
  readonly gms?: Address;
  readonly interface?: string;
}

export function configuredNetwork(path: string): ConfiguredNetwork {
  const ref = loadRegistry(path).get(PLATFORM_NAME);
  if (
    ref?.kind !== 'parameterized' ||
    ref.template.kind !== 'primitive' ||
    ref.template.id !== QSM_PLATFORM_ID
  ) {
    return {};
  }
  const value = (name: string) => {
    const p = ref.params.find((x) => x.name === name);
    return p?.value.kind === 'value' ? p.value.value : undefined;
  };
  const gms = value('gms');
  const iface = value('interface');
  const isDefault =
    gms?.type === 'address' && gms.value.host === DEFAULT_GMS.host && gms.value.port === DEFAULT_GMS.port;
  return {
    ...(gms?.type === 'address' && !isDefault && { gms: gms.value }),
    ...(iface?.type === 'string' && { interface: iface.value }),
  };
}

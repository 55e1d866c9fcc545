// Which platform the registry's `QuickSilver` entry means on this machine (docs/network.md,
// "Platform"): the LAN (QSM: DNS-SD, an embedded membership service) or a NATS platform that the
// team runs (`--platform nats://…`, or a `nats.platform` reference written in registry.json). A
// reference minted anywhere names `QuickSilver`, so the same file opens over either.
import type { Reference } from '../../src-shared/format/document';
import { loadRegistry, PLATFORM_NAME, RegistryError } from '../objects/registry';
import { parseNatsServers } from '../../src-shared/platform/nats-servers';
import { NATS_PLATFORM_ID, natsPlatformReference } from '../objects/nats';

// The NATS platform object and its reference (objects/nats), for the registry's entry.
export { NATS_PLATFORM_ID, natsPlatformReference } from '../objects/nats';

/** The platform this host runs its objects' `QuickSilver` groups on. */
export type PlatformChoice =
  | { readonly kind: 'lan' }
  | {
      readonly kind: 'nats';
      readonly servers: readonly string[];
      readonly credentials?: string;
      /** `option` (--platform) or `registry` (a nats.platform reference in registry.json). */
      readonly given: 'option' | 'registry';
    };

export interface PlatformOptions {
  /** --platform: the NATS servers, validated. */
  readonly servers?: readonly string[];
  /** The LAN options given (`--gms`, `--interface`, `--bridge`), which a NATS platform
   * configured in registry.json contradicts. */
  readonly lanOptions?: readonly string[];
}

/** The LAN options among a host's options, as on the command line. */
export function lanOptionsGiven(options: {
  readonly gms?: unknown;
  readonly interface?: string;
  readonly bridge?: readonly string[];
}): string[] {
  return [
    ...(options.gms ? ['--gms'] : []),
    ...(options.interface !== undefined ? ['--interface'] : []),
    ...(options.bridge ? ['--bridge'] : []),
  ];
}

/** --platform, else the registry's `QuickSilver` entry when it is a nats.platform, else the LAN. */
export function choosePlatform(registryPath: string, options: PlatformOptions = {}): PlatformChoice {
  if (options.servers) return { kind: 'nats', servers: options.servers, given: 'option' };
  const ref = loadRegistry(registryPath).get(PLATFORM_NAME);
  if (
    ref?.kind !== 'parameterized' ||
    ref.template.kind !== 'primitive' ||
    ref.template.id !== NATS_PLATFORM_ID
  ) {
    return { kind: 'lan' };
  }
  const value = (name: string): string | undefined => {
    const p = ref.params.find((x) => x.name === name);
    if (p === undefined) return undefined;
    if (p.value.kind !== 'value' || p.value.value.type !== 'string') {
      throw new RegistryError(
        registryPath,
        `entry "${PLATFORM_NAME}": the ${NATS_PLATFORM_ID} parameter "${name}" must be a string`,
      );
    }
    return p.value.value.value;
  };
  const servers = value('servers');
  if (servers === undefined) {
    throw new RegistryError(
      registryPath,
      `entry "${PLATFORM_NAME}": ${NATS_PLATFORM_ID} needs the parameter "servers"`,
    );
  }
  let parsed: string[];
  try {
    parsed = parseNatsServers(servers);
  } catch (e) {
    throw new RegistryError(
      registryPath,
      `entry "${PLATFORM_NAME}": "servers" must be ${(e as Error).message}; found '${servers}'`,
      {
        cause: e,
      },
    );
  }
  const lanOptions = options.lanOptions ?? [];
  if (lanOptions.length > 0) {
    throw new Error(
      `${registryPath} makes ${PLATFORM_NAME} a NATS platform (${parsed.join(', ')}), so ` +
        `${lanOptions.join(' and ')} ${lanOptions.length === 1 ? 'does' : 'do'} not apply: leave ` +
        `${lanOptions.length === 1 ? 'it' : 'them'} out, or remove that entry to run on the LAN`,
    );
  }
  const credentials = value('credentials');
  return {
    kind: 'nats',
    servers: parsed,
    ...(credentials !== undefined && { credentials }),
    given: 'registry',
  };
}

/** The reference `QuickSilver` resolves to under a NATS choice. */
export function natsChoiceReference(choice: Extract<PlatformChoice, { kind: 'nats' }>): Reference {
  return natsPlatformReference({
    servers: choice.servers.join(','),
    ...(choice.credentials !== undefined && { credentials: choice.credentials }),
  });
}

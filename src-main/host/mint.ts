// New objects: a fresh group name, a fresh object key and the reference written in the spec's
// portable form (liveobject-format.md, "Example"): template → liveobjects.checkpointed →
// liveobjects.sealed(key) → external NAME as Channel<Bytes> from external "QuickSilver" as
// Folder<Name, Channel<Bytes>> from registry. The key makes the reference the capability:
// without it the group carries only ciphertext. Coordinate streams (coordinates, flights) are
// not state: their channel is the sealed group channel itself, without the checkpointed layer.
import { randomBytes, randomInt } from 'node:crypto';
import type { TemplateKind } from '../../src-shared/bridge/protocol';
import type { LiveObjectDocument, Param, Reference } from '../../src-shared/format/document';
import { writeLiveObject } from '../../src-shared/format';
import { typeExpr } from '../../src-shared/model/type-expr';
import { TEMPLATE_IDS } from '../objects/ui/view-kinds';
import { PLATFORM_NAME, REGISTRY_ID } from '../objects/registry';
import { FLIGHTS_DEFAULTS } from '../objects/ui3d';
import { SEALED_ID, freshObjectKey } from '../objects/sealed';

/** Templates whose channel is a plain group channel (streams), not a checkpointed one. */
const PLAIN_CHANNEL: ReadonlySet<TemplateKind> = new Set<TemplateKind>(['coordinates', 'flights']);

export function freshGroupName(kind: TemplateKind): string {
  return `${kind}-${randomBytes(8).toString('hex')}`;
}

/** `external NAME as Channel<Bytes> from external "QuickSilver" … from liveobjects.registry`. */
function groupChannelReference(group: string): Reference {
  const bytes = typeExpr('Bytes');
  return {
    kind: 'external',
    name: group,
    as: typeExpr('Channel', bytes),
    from: {
      kind: 'external',
      name: PLATFORM_NAME,
      as: typeExpr('Folder', typeExpr('Name'), typeExpr('Channel', bytes)),
      from: { kind: 'primitive', id: REGISTRY_ID },
    },
  };
}

const referenceParam = (name: string, reference: Reference): Param => ({
  name,
  value: { kind: 'reference', reference },
});

/** The group's channel, sealed with `key` when one is given. */
function channelReference(group: string, key: Uint8Array | undefined): Reference {
  const channel = groupChannelReference(group);
  if (!key) return channel;
  return {
    kind: 'parameterized',
    template: { kind: 'primitive', id: SEALED_ID },
    params: [
      referenceParam('channel', channel),
      { name: 'key', value: { kind: 'value', value: { type: 'bytes', value: key } } },
    ],
  };
}

/** template(channel = liveobjects.checkpointed(channel = the group's channel, sealed with `key`)). */
export function portableReference(templateId: string, group: string, key?: Uint8Array): Reference {
  return {
    kind: 'parameterized',
    template: { kind: 'primitive', id: templateId },
    params: [
      referenceParam('channel', {
        kind: 'parameterized',
        template: { kind: 'primitive', id: 'liveobjects.checkpointed' },
        params: [referenceParam('channel', channelReference(group, key))],
      }),
    ],
  };
}

/** template(channel = the group's channel sealed with `key`, extra value params): a coordinate stream. */
export function portableStreamReference(
  templateId: string,
  group: string,
  extra: readonly Param[] = [],
  key?: Uint8Array,
): Reference {
  return {
    kind: 'parameterized',
    template: { kind: 'primitive', id: templateId },
    params: [referenceParam('channel', channelReference(group, key)), ...extra],
  };
}

function referenceFor(kind: TemplateKind, group: string, key: Uint8Array): Reference {
  const id = TEMPLATE_IDS[kind];
  if (!PLAIN_CHANNEL.has(kind)) return portableReference(id, group, key);
  if (kind !== 'flights') return portableStreamReference(id, group, [], key);
  // Written out so the file says which sky it shows; every member derives the same one.
  return portableStreamReference(
    id,
    group,
    [
      { name: 'count', value: { kind: 'value', value: { type: 'int', value: FLIGHTS_DEFAULTS.count } } },
      { name: 'seed', value: { kind: 'value', value: { type: 'int', value: randomInt(0, 2 ** 31) } } },
    ],
    key,
  );
}

/** The .liveobject text of a new object of `kind`, private (sealed under a fresh key). */
export function mintReference(kind: TemplateKind, title?: string): { xml: string; group: string } {
  const group = freshGroupName(kind);
  const doc: LiveObjectDocument = {
    meta: title ? { title } : {},
    types: [],
    reference: referenceFor(kind, group, freshObjectKey()),
  };
  return { xml: writeLiveObject(doc), group };
}

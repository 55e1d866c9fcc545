// New objects: a fresh group name and the reference written in the spec's portable form
// (liveobject-format.md, "Example"): template → liveobjects.checkpointed → external NAME as
// Channel<Bytes> from external "QuickSilver" as Folder<Name, Channel<Bytes>> from registry.
import { randomBytes } from 'node:crypto';
import type { TemplateKind } from '../../src-shared/bridge/protocol';
import type { LiveObjectDocument, Reference } from '../../src-shared/format/document';
import { writeLiveObject } from '../../src-shared/format';
import { typeExpr } from '../../src-shared/model/type-expr';
import { PLATFORM_NAME } from './registry';

export const TEMPLATE_IDS: Readonly<Record<TemplateKind, string>> = {
  desktop: 'liveobjects.desktop',
  note: 'liveobjects.note',
  image: 'liveobjects.image',
  space3d: 'liveobjects.space3d',
};

export function freshGroupName(kind: TemplateKind): string {
  return `${kind}-${randomBytes(8).toString('hex')}`;
}

export function portableReference(templateId: string, group: string): Reference {
  const bytes = typeExpr('Bytes');
  return {
    kind: 'parameterized',
    template: { kind: 'primitive', id: templateId },
    params: [
      {
        name: 'channel',
        value: {
          kind: 'reference',
          reference: {
            kind: 'parameterized',
            template: { kind: 'primitive', id: 'liveobjects.checkpointed' },
            params: [
              {
                name: 'channel',
                value: {
                  kind: 'reference',
                  reference: {
                    kind: 'external',
                    name: group,
                    as: typeExpr('Channel', bytes),
                    from: {
                      kind: 'external',
                      name: PLATFORM_NAME,
                      as: typeExpr('Folder', typeExpr('Name'), typeExpr('Channel', bytes)),
                      from: { kind: 'primitive', id: 'liveobjects.registry' },
                    },
                  },
                },
              },
            ],
          },
        },
      },
    ],
  };
}

/** The .liveobject text of a new object of `kind`. */
export function mintReference(kind: TemplateKind, title?: string): { xml: string; group: string } {
  const group = freshGroupName(kind);
  const doc: LiveObjectDocument = {
    meta: title ? { title } : {},
    types: [],
    reference: portableReference(TEMPLATE_IDS[kind], group),
  };
  return { xml: writeLiveObject(doc), group };
}

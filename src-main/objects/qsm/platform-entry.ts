// qsm.platform: the QuickSilver platform as a Folder<Name, Channel<Bytes>>. Any name is a
// group: get(NAME) answers with a qsm.channel reference for that group on the same GMS, so a
// portable file names its group through the registry's `QuickSilver` entry.
import type { Address, Reference } from '../../../src-shared/format/document';
import type { TemplateEntry } from '../../runtime/catalogue';
import { FOLDER_ENDPOINT, serveFolder } from '../../runtime/folder';
import { QSM_CHANNEL_ID, validGroupName } from './channel-entry';

export const QSM_PLATFORM_ID = 'qsm.platform';

/** `<parameterized>` qsm.platform with `gms`. */
export function qsmPlatformReference(gms: Address): Reference {
  return {
    kind: 'parameterized',
    template: { kind: 'primitive', id: QSM_PLATFORM_ID },
    params: [{ name: 'gms', value: { kind: 'value', value: { type: 'address', value: gms } } }],
  };
}

/** `<parameterized>` qsm.channel with `gms` and `group` (and `key` when given). */
export function qsmChannelReference(gms: Address, group: string, key?: Uint8Array): Reference {
  return {
    kind: 'parameterized',
    template: { kind: 'primitive', id: QSM_CHANNEL_ID },
    params: [
      { name: 'gms', value: { kind: 'value', value: { type: 'address', value: gms } } },
      { name: 'group', value: { kind: 'value', value: { type: 'string', value: group } } },
      ...(key
        ? [{ name: 'key', value: { kind: 'value' as const, value: { type: 'bytes' as const, value: key } } }]
        : []),
    ],
  };
}

export function qsmPlatformEntry(base: TemplateEntry): TemplateEntry {
  return {
    ...base,
    instantiate(ctx) {
      const gms = ctx.args.address('gms');
      const proxy = ctx.proxy();
      // Invalid names are `missing`: the folder holds no channel by that name.
      serveFolder(proxy.portal(FOLDER_ENDPOINT), (name) =>
        validGroupName(name) ? undefined : qsmChannelReference(gms, name),
      );
      return proxy;
    },
  };
}

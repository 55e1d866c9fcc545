import { describe, expect, it } from 'vitest';
import { dualEndpointType, isTopObjectType } from './build';
import {
  BUILTIN_TYPES,
  BYTES,
  COORDINATE_STREAM,
  MEMBERSHIP,
  NAME,
  OBJECT,
  STRING,
  TEXTURE,
  UI,
  UI3D,
  channelType,
  checkpointedChannelType,
  describeBuiltin,
  folderType,
  instantiateBuiltin,
} from './catalogue';
import { describeEndpointType, describeObjectType, formatEventType, formatValueType } from './describe';
import { TypeResolutionError } from './errors';
import type { EndpointType, ObjectType } from './types';

/** `in send(Bytes)` / `out receive(Bytes)` lines of one endpoint. */
function events(t: ObjectType, endpoint: string): string[] {
  const ep = t.endpoints.get(endpoint);
  if (!ep) throw new Error(`no endpoint ${endpoint}`);
  return [...ep.in.map((e) => `in ${formatEventType(e)}`), ...ep.out.map((e) => `out ${formatEventType(e)}`)];
}

describe('built-in types', () => {
  it('has the format’s names', () => {
    expect([...BUILTIN_TYPES.keys()]).toEqual([
      'String',
      'Int',
      'Double',
      'Bool',
      'Bytes',
      'Address',
      'Name',
      'Reference',
      'Object',
      'Channel',
      'CheckpointedChannel',
      'Membership',
      'Folder',
      'UI',
      'UI3D',
      'CoordinateStream',
      'Texture',
    ]);
  });

  it('defines Object as the empty (top) type', () => {
    expect(isTopObjectType(OBJECT)).toBe(true);
    expect(OBJECT.name).toBe('Object');
  });

  it('defines the exact event lists', () => {
    expect(events(channelType(BYTES), 'channel')).toEqual(['in send(Bytes)', 'out receive(Bytes)']);
    expect(events(checkpointedChannelType(BYTES, STRING), 'channel')).toEqual([
      'in send(Bytes)',
      'in checkpoint(String)',
      'out receive(Bytes)',
      'out initialize(String)',
      'out requestCheckpoint()',
    ]);
    expect(events(MEMBERSHIP, 'membership')).toEqual(['out view(Bytes)']);
    expect(events(folderType(NAME, channelType(BYTES)), 'folder')).toEqual([
      'in get(Name)',
      'out item(Name, Reference<Channel<Bytes>>)',
      'out missing(Name)',
    ]);
    expect(events(UI, 'ui')).toEqual(['in act(Bytes)', 'out show(Bytes)']);
    expect(events(UI3D, 'ui3d')).toEqual(['in act(Bytes)', 'out show(Bytes)']);
    expect(events(COORDINATE_STREAM, 'stream')).toEqual(['out position(Bytes)']);
    expect(events(TEXTURE, 'texture')).toEqual(['out image(Bytes)']);
  });

  it('keeps Channel<T> free of constraints so any channel fits', () => {
    const ch = channelType(BYTES);
    expect(ch.provides.size + ch.requires.size).toBe(0);
    const ep = ch.endpoints.get('channel')!;
    expect(ep.provides.size + ep.requires.size).toBe(0);
  });

  it('names instances by their arguments', () => {
    const f = folderType(NAME, checkpointedChannelType(BYTES, BYTES));
    expect(f.name).toBe('Folder<Name, CheckpointedChannel<Bytes, Bytes>>');
    expect(f.endpoints.get('folder')!.name).toBe('Folder<Name, CheckpointedChannel<Bytes, Bytes>>.folder');
  });

  it('rejects wrong arity and wrong kinds of argument', () => {
    const channel = BUILTIN_TYPES.get('Channel')!;
    expect(() => instantiateBuiltin(channel, [])).toThrow(TypeResolutionError);
    expect(() => instantiateBuiltin(channel, [])).toThrow(
      "type 'Channel' takes 1 type argument (Channel<T>), but 0 were given",
    );
    expect(() => instantiateBuiltin(BUILTIN_TYPES.get('Object')!, [{ kind: 'value', type: BYTES }])).toThrow(
      "type 'Object' takes no type arguments, but 1 was given",
    );
    expect(() => instantiateBuiltin(channel, [{ kind: 'object', type: UI }])).toThrow(
      "type argument T of Channel<T> must be a value type, but 'UI' is an object type; to pass a reference write Reference<UI>",
    );
    expect(() =>
      instantiateBuiltin(BUILTIN_TYPES.get('Reference')!, [{ kind: 'value', type: BYTES }]),
    ).toThrow("type argument T of Reference<T> must be an object type, but 'Bytes' is a value type");
    const ep: EndpointType = UI.endpoints.get('ui')!;
    expect(() =>
      instantiateBuiltin(BUILTIN_TYPES.get('Folder')!, [
        { kind: 'value', type: NAME },
        { kind: 'endpoint', type: ep },
      ]),
    ).toThrow("type argument O of Folder<N, O> must be an object type, but 'UI.ui' is an endpoint type");
  });

  it('builds duals by swapping directions and constraints', () => {
    const ep = folderType(NAME, OBJECT).endpoints.get('folder')!;
    const dual = dualEndpointType(ep);
    expect(dual.name).toBe('dual(Folder<Name, Object>.folder)');
    expect(dual.in).toBe(ep.out);
    expect(dual.out).toBe(ep.in);
    expect(dual.provides).toBe(ep.requires);
  });

  it('describes generic built-ins with parameter names', () => {
    expect(describeBuiltin(BUILTIN_TYPES.get('Folder')!)).toContain('    out item(N, Reference<O>): ');
    expect(describeBuiltin(BUILTIN_TYPES.get('Reference')!)).toMatch(/^value type Reference<T>: /);
  });
});

describe('describe', () => {
  it('formats value types', () => {
    expect(formatValueType(BYTES)).toBe('Bytes');
    expect(formatValueType({ kind: 'reference', target: folderType(NAME, OBJECT) })).toBe(
      'Reference<Folder<Name, Object>>',
    );
    expect(formatValueType({ kind: 'reference', target: { ...UI, name: '' } })).toBe('Reference<{ui}>');
  });

  it('describes object and endpoint types on several lines', () => {
    expect(describeObjectType(channelType(BYTES))).toBe(
      [
        'object type Channel<Bytes>',
        '  endpoint channel : Channel<Bytes>.channel',
        '    in  send(Bytes)',
        '    out receive(Bytes)',
      ].join('\n'),
    );
    expect(describeObjectType(OBJECT)).toBe('object type Object\n  (no endpoints)');
    expect(
      describeEndpointType({ name: 'E', in: [], out: [], provides: new Map(), requires: new Map() }),
    ).toBe('endpoint type E\n  (no events)');
  });
});

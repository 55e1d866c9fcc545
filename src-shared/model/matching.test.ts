import { describe, expect, it } from 'vitest';
import { constraints, dualEndpointType, endpointType, event } from './build';
import { BYTES, INT, NAME, OBJECT, channelType, folderType } from './catalogue';
import { parseCount } from './formalisms/count';
import { parseGuarantees } from './formalisms/guarantees';
import { matchEndpoints } from './matching';
import type { CheckResult, EndpointType } from './types';

const ctx = { where: 'test' };
const G = (t: string) => parseGuarantees(t, ctx);
const N = (t: string) => parseCount(t, ctx);

function reasons(r: CheckResult): readonly string[] {
  if (r.ok) throw new Error('expected the check to fail');
  return r.reasons;
}

const channel = channelType(BYTES).endpoints.get('channel')!;
const client = endpointType({ name: 'Client', in: [event('receive', BYTES)], out: [event('send', BYTES)] });

describe('endpoint matching (eq. 2.1)', () => {
  it('matches a channel with its client and with its dual', () => {
    expect(matchEndpoints(channel, client).ok).toBe(true);
    expect(matchEndpoints(client, channel).ok).toBe(true);
    expect(matchEndpoints(channel, dualEndpointType(channel)).ok).toBe(true);
  });

  it('does not match an endpoint with itself when it has outputs, explaining each direction', () => {
    expect(reasons(matchEndpoints(channel, channel, { endpoint: 'channel' }))).toEqual([
      "endpoint 'channel': output event 'receive(Bytes)' of one side is not accepted by the other side, which accepts only 'send(Bytes)'",
      "endpoint 'channel': output event 'receive(Bytes)' of the other side is not accepted by one side, which accepts only 'send(Bytes)'",
    ]);
  });

  it('explains an output with the wrong value type, showing both types', () => {
    const intClient = endpointType({
      name: 'IntClient',
      in: [event('receive', INT)],
      out: [event('send', BYTES)],
    });
    expect(reasons(matchEndpoints(channel, intClient))).toEqual([
      "output event 'receive(Bytes)' of 'Channel<Bytes>.channel' does not fit the input 'receive(Int)' of 'IntClient': value 1 is Bytes where Int is expected",
    ]);
  });

  it('lets a side ignore nothing: every output needs a receiver', () => {
    const deaf = endpointType({ name: 'Deaf', out: [event('send', BYTES)] });
    expect(reasons(matchEndpoints(channel, deaf))).toEqual([
      "output event 'receive(Bytes)' of 'Channel<Bytes>.channel' is not accepted by 'Deaf', which accepts no events",
    ]);
  });

  it('checks each side’s guarantees against the other’s requirements', () => {
    const reliable = endpointType({
      ...channel,
      name: 'Reliable',
      provides: constraints(G('reliable fifo')),
    });
    const needsTotal = endpointType({ ...client, name: 'NeedsTotal', requires: constraints(G('total')) });
    const needsFifo = endpointType({ ...client, name: 'NeedsFifo', requires: constraints(G('fifo')) });
    expect(matchEndpoints(reliable, needsFifo).ok).toBe(true);
    expect(reasons(matchEndpoints(reliable, needsTotal))).toEqual([
      "'NeedsTotal' requires liveobjects.guarantees 'total', but 'Reliable' provides only 'fifo reliable', which does not imply it ('fifo reliable' implies only best-effort, fifo, reliable, not total)",
    ]);
    const single = endpointType({ ...channel, name: 'Single', requires: constraints(N('at-most 1')) });
    expect(reasons(matchEndpoints(single, client))).toEqual([
      "'Single' requires liveobjects.count 'at-most 1', but 'Client' provides nothing in that formalism",
    ]);
  });

  it('connects a folder client (the dual of Folder<N, O>) to a more specific folder', () => {
    const folder = (o: typeof OBJECT): EndpointType => folderType(NAME, o).endpoints.get('folder')!;
    const wants = dualEndpointType(folder(OBJECT), 'FolderClient');
    expect(matchEndpoints(folder(channelType(BYTES)), wants).ok).toBe(true);
    expect(
      reasons(matchEndpoints(folder(OBJECT), dualEndpointType(folder(channelType(BYTES)))))[0],
    ).toContain(
      "output event 'item(Name, Reference<Object>)' of 'Folder<Name, Object>.folder' does not fit the input 'item(Name, Reference<Channel<Bytes>>)'",
    );
  });

  it('uses caller-supplied side names', () => {
    const deaf = endpointType({ name: 'Deaf' });
    expect(
      reasons(matchEndpoints(channel, deaf, { endpoint: 'channel', left: 'qsm', right: 'note' })),
    ).toEqual([
      "endpoint 'channel': output event 'receive(Bytes)' of 'qsm' is not accepted by 'note', which accepts no events",
    ]);
  });
});

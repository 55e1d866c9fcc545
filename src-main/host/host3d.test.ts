// The 3D objects through the host, over real engine nodes sharing a private GMS: placing in a
// space, drop rules, an airplane flying along a flights stream on two hosts, convergence of
// building and map edits, persistence, and the flights publisher failing over.
import { describe, expect, it } from 'vitest';
import type { ObjectHandle, PoseSample } from '../../src-shared/bridge/protocol';
import { poseAt } from '../../src-shared/spatial/interpolator';
import { freeTcpPort } from '../../testing/ports';
import { waitFor } from '../../testing/wait';
import { Recorder, tempHome, useHosts } from './test-helpers';

const { host, closeHost } = useHosts();

function samplesOf(r: Recorder, handle: ObjectHandle): PoseSample[] {
  return r.events.flatMap((e) =>
    e.event === 'stream.samples' && e.data.handle === handle ? [...e.data.samples] : [],
  );
}

/** Samples of one track sorted by distinct time, as poseAt wants them. */
function track(samples: readonly PoseSample[], n: number): PoseSample[] {
  const byT = new Map<number, PoseSample>();
  for (const s of samples) if (s.track === n) byT.set(s.t, s);
  return [...byT.values()].sort((a, b) => a.t - b.t);
}

describe('host: 3D space and airplane', () => {
  it('places an airplane in a space on two hosts, type-checks drops, flies it along a flights track', async () => {
    const port = await freeTcpPort();
    const a = await host(port, 'alice');
    const b = await host(port, 'bob');
    const ra = new Recorder(a.openSession('web'));
    const rb = new Recorder(b.openSession('web'));

    const space = await ra.session.call('create', { template: 'space3d', title: 'Sky' });
    expect(space).toMatchObject({ kind: 'space3d', type: 'UI' });
    const plane = await ra.session.call('create', { template: 'airplane' });
    expect(plane).toMatchObject({ kind: 'airplane', type: 'UI3D' });
    const flights = await ra.session.call('create', { template: 'flights' });
    expect(flights).toMatchObject({ kind: 'flights', type: 'CoordinateStream' });
    expect(flights.reference).not.toContain('liveobjects.checkpointed');
    const note = await ra.session.call('create', { template: 'note' });
    const image = await ra.session.call('create', { template: 'image' });
    const building = await ra.session.call('create', { template: 'building' });
    const desktop = await ra.session.call('create', { template: 'desktop' });

    // Drop rules, decided on the references' static types.
    const drop = (handle: string, xml: string) => ra.session.call('checkDrop', { handle, xml });
    expect(await drop(desktop.handle, space.reference)).toEqual({ ok: true });
    expect(await drop(space.handle, plane.reference)).toEqual({ ok: true });
    expect(await drop(space.handle, note.reference)).toEqual({
      ok: false,
      reason: 'Notes live on desktops — drop it onto a desktop',
      why: 'liveobjects.note has only a 2D user interface (UI): place it on a desktop',
    });
    expect(await drop(plane.handle, flights.reference)).toEqual({ ok: true });
    expect(await drop(plane.handle, image.reference)).toEqual({ ok: true });
    expect(await drop(plane.handle, building.reference)).toEqual({
      ok: false,
      reason: 'An airplane takes a flight stream or an image (its livery); a building is neither',
      why: 'an airplane accepts only coordinate streams and textures; liveobjects.building is neither',
    });
    expect((await drop(building.handle, plane.reference)).ok).toBe(false);

    // Placing converges; a refused place is an error event with the same explanation.
    const sb = await rb.session.call('open', { xml: space.reference });
    await ra.session.call('act', {
      handle: space.handle,
      intent: { kind: 'space3d.place', reference: plane.reference, position: [10, 200, -30] },
    });
    await waitFor('b to see the airplane', () => rb.state(sb.handle, 'space3d')?.objects.length === 1);
    expect(rb.state(sb.handle, 'space3d')!.objects[0]).toMatchObject({
      kind: 'airplane',
      reference: plane.reference,
      position: [10, 200, -30],
    });
    await ra.session.call('act', {
      handle: space.handle,
      intent: { kind: 'space3d.place', reference: note.reference },
    });
    await waitFor('refusal', () => ra.errors().some((m) => m.includes('only a 2D user interface')), {
      timeout: 5_000,
    });

    // Bind track 2 of the flights stream; both hosts get that track's samples for the airplane.
    const pb = await rb.session.call('open', { xml: plane.reference });
    await ra.session.call('act', {
      handle: plane.handle,
      intent: { kind: 'airplane.bind', reference: flights.reference, track: 2 },
    });
    await ra.session.call('act', {
      handle: plane.handle,
      intent: { kind: 'airplane.bind', reference: image.reference },
    });
    await waitFor('b to see the bindings', () => {
      const s = rb.state(pb.handle, 'airplane');
      return s?.stream === flights.reference && s.livery === image.reference && s.track === 2;
    });
    await waitFor(
      'samples on both hosts',
      () =>
        track(samplesOf(ra, plane.handle), 2).length >= 10 && track(samplesOf(rb, pb.handle), 2).length >= 10,
      { timeout: 15_000 },
    );
    for (const s of [...samplesOf(ra, plane.handle), ...samplesOf(rb, pb.handle)]) expect(s.track).toBe(2);
    const ta = track(samplesOf(ra, plane.handle), 2);
    const tb = track(samplesOf(rb, pb.handle), 2);
    const from = Math.max(ta[0]!.t, tb[0]!.t);
    const to = Math.min(ta.at(-1)!.t, tb.at(-1)!.t);
    expect(to).toBeGreaterThan(from);
    for (let i = 0; i <= 10; i++) {
      const t = from + ((to - from) * i) / 10;
      const pa = poseAt(ta, t, 500)!.position;
      const pbPos = poseAt(tb, t, 500)!.position;
      expect(Math.hypot(pa[0] - pbPos[0], pa[1] - pbPos[1], pa[2] - pbPos[2])).toBeLessThan(0.5);
    }
    // Batched: far fewer events than samples' messages would be, ≤ ~30 per second.
    const events = ra.events.filter((e) => e.event === 'stream.samples' && e.data.handle === plane.handle);
    const span = (events.length > 1 ? Date.now() - ta[0]!.t : 1000) / 1000;
    expect(events.length / Math.max(span, 0.5)).toBeLessThan(40);
    expect(ra.errors().filter((m) => !m.includes('only a 2D user interface'))).toEqual([]);
    expect(rb.errors()).toEqual([]);
  }, 30_000);
});

describe('host: building, map and streams', () => {
  it('building colour and map annotations converge; a flights object shows its tracks; state persists', async () => {
    const port = await freeTcpPort();
    const home = tempHome();
    const a = await host(port, 'alice', home);
    const b = await host(port, 'bob');
    const ra = new Recorder(a.openSession('web'));
    const rb = new Recorder(b.openSession('web'));
    const building = await ra.session.call('create', { template: 'building' });
    const map = await ra.session.call('create', { template: 'map' });
    const bb = await rb.session.call('open', { xml: building.reference });
    const mb = await rb.session.call('open', { xml: map.reference });
    await waitFor(
      'states',
      () => rb.state(bb.handle, 'building') !== undefined && rb.state(mb.handle, 'map') !== undefined,
      { timeout: 5_000 },
    );

    await rb.session.call('act', { handle: bb.handle, intent: { kind: 'building.color', color: '#FF8800' } });
    await ra.session.call('act', {
      handle: map.handle,
      intent: { kind: 'map.annotate', lon: 7.45, lat: 46.95, text: 'Bern' },
    });
    await waitFor('colour on a', () => ra.state(building.handle, 'building')?.color === '#ff8800');
    await waitFor('annotation on b', () => rb.state(mb.handle, 'map')?.annotations.length === 1);
    expect(rb.state(mb.handle, 'map')!.annotations[0]).toMatchObject({ text: 'Bern' });
    const id = rb.state(mb.handle, 'map')!.annotations[0]!.id;
    await rb.session.call('act', { handle: mb.handle, intent: { kind: 'map.unannotate', id } });
    await waitFor('removal on a', () => ra.state(map.handle, 'map')?.annotations.length === 0);

    // A coordinates object opened directly forwards every track; its state names the senders.
    const coords = await ra.session.call('create', { template: 'coordinates' });
    expect(coords).toMatchObject({ kind: 'coordinates', type: 'CoordinateStream' });
    const { streamObjectInfo } = await import('../objects/ui3d');
    const { parseLiveObject } = await import('../../src-shared/format');
    const publisher = await b.runtime.open(parseLiveObject(coords.reference));
    const sample = (track: number) => ({
      track,
      sample: {
        t: Date.now(),
        position: [track, 1, 2] as const,
        orientation: [0, 0, 0, 1] as const,
        velocity: [0, 0, 0] as const,
      },
    });
    await waitFor(
      'both in the stream group',
      () => (streamObjectInfo(publisher)?.members().length ?? 0) === 2,
    );
    await streamObjectInfo(publisher)!.publish([sample(0), sample(5)]);
    await waitFor('samples of every track', () => samplesOf(ra, coords.handle).length === 2);
    expect(
      samplesOf(ra, coords.handle)
        .map((s) => s.track)
        .sort(),
    ).toEqual([0, 5]);
    await waitFor(
      'senders',
      () => (ra.state(coords.handle, 'coordinates')?.senders ?? []).includes(b.nodeId),
      { timeout: 5_000 },
    );
    publisher.dispose();

    // Persistence: everything closed and reopened alone, the building keeps its colour.
    await closeHost(b);
    await closeHost(a);
    const a2 = await host(port, 'alice', home);
    const r2 = new Recorder(a2.openSession('web'));
    const b2 = await r2.session.call('open', { xml: building.reference });
    await waitFor('restored colour', () => r2.state(b2.handle, 'building')?.color === '#ff8800', {
      timeout: 5_000,
    });
  }, 30_000);

  it('exactly one member publishes a flights stream, and another takes over when it leaves', async () => {
    const port = await freeTcpPort();
    const gms = await host(port, 'gms'); // keeps the membership service up while others leave
    expect(gms.hostsGms).toBe(true);
    const a = await host(port, 'alice');
    const b = await host(port, 'bob');
    const ra = new Recorder(a.openSession('web'));
    const rb = new Recorder(b.openSession('web'));
    const fa = await ra.session.call('create', { template: 'flights' });
    const fb = await rb.session.call('open', { xml: fa.reference });
    const sa = () => ra.state(fa.handle, 'flights');
    const sb = () => rb.state(fb.handle, 'flights');
    await waitFor(
      'agreement on the publisher',
      () => sa()?.publisher !== undefined && sa()?.publisher !== null && sa()?.publisher === sb()?.publisher,
    );
    expect(sa()!.tracks.length).toBe(12);
    expect(sa()!.publishing).not.toBe(sb()!.publishing);
    const leader = sa()!.publisher!;
    expect(leader).toBe([a.nodeId, b.nodeId].sort()[0]);
    const [stays, rs, handle, goes] = leader === a.nodeId ? [b, rb, fb.handle, a] : [a, ra, fa.handle, b];
    await waitFor('samples before failover', () => samplesOf(rs, handle).length > 12);
    await closeHost(goes);
    const closedAt = Date.now();
    const st = () => rs.state(handle, 'flights');
    await waitFor('takeover', () => st()?.publisher === stays.nodeId && st()?.publishing === true);
    await waitFor(
      'samples from the new publisher',
      () => samplesOf(rs, handle).filter((s) => s.t > closedAt + 200).length >= 12,
    );
  }, 30_000);
});

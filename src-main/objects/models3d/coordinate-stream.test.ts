import { describe, expect, it } from 'vitest';
import { FlightGenerator } from '../../../src-shared/spatial/flight-generator';
import type { CoordinateSample } from '../../../src-shared/spatial/sample';
import {
  COORDINATE_SAMPLES_KIND,
  decodeSamples,
  encodeSample,
} from '../../../src-shared/spatial/sample-codec';
import { distance3, dot3, rotate3 } from '../../../src-shared/spatial/vec';
import { MessageKind } from '../models/kinds';
import { CoordinateStreamPublisher, CoordinateStreamSubscriber } from './coordinate-stream';

const S: CoordinateSample = { t: 0, position: [0, 0, 0], orientation: [0, 0, 0, 1], velocity: [10, 0, 0] };

/** A deterministic PRNG for the simulated network. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (Math.imul(a, 1664525) + 1013904223) >>> 0;
    return a / 4294967296;
  };
}

describe('message kinds', () => {
  it('share one numbering with the 2D models and do not collide', () => {
    expect(MessageKind.CoordinateSamples).toBe(COORDINATE_SAMPLES_KIND);
    const values = Object.values(MessageKind);
    expect(new Set(values).size).toBe(values.length);
  });
});

describe('CoordinateStreamPublisher', () => {
  it('publishes at its rate through the scheduler, splitting many tracks into several messages', () => {
    const sent: Uint8Array[] = [];
    let scheduled: { tick: () => void; interval: number } | undefined;
    let cancelled = false;
    const gen = new FlightGenerator({ seed: 1, count: 60 });
    let clock = 1000;
    const pub = new CoordinateStreamPublisher({
      send: (b) => sent.push(b),
      source: (now) => gen.samples(now),
      now: () => clock,
      schedule: (tick, interval) => {
        scheduled = { tick, interval };
        return () => {
          cancelled = true;
        };
      },
    });
    expect(pub.type).toBe('liveobjects.coordinates');
    pub.start();
    pub.start(); // idempotent
    expect(scheduled?.interval).toBe(50);
    scheduled?.tick();
    clock += 50;
    scheduled?.tick();
    expect(sent).toHaveLength(6); // 24 + 24 + 12, twice
    expect(sent.every((b) => b.length <= 1400)).toBe(true);
    const first = decodeSamples(sent[0] as Uint8Array);
    expect(first.ok && first.samples[0]?.sample.t).toBe(1000);
    expect(pub.stats).toMatchObject({ ticks: 2, messages: 6, samples: 120, invalid: 0, errors: 0 });
    pub.stop();
    expect(cancelled).toBe(true);
    expect(pub.running).toBe(false);
  });

  it('skips invalid samples and survives a failing source or send', () => {
    let mode = 0;
    const pub = new CoordinateStreamPublisher({
      send: () => {
        if (mode === 2) throw new Error('network down');
      },
      source: (now) => {
        if (mode === 1) throw new Error('no GPS');
        return [
          { track: 0, sample: { ...S, t: now } },
          { track: 1, sample: { ...S, position: [Number.NaN, 0, 0] } },
          { track: 70000, sample: S },
        ];
      },
      rateHz: 5,
      now: () => 0,
    });
    expect(pub.intervalMs).toBe(200);
    expect(pub.tick()).toBe(1);
    mode = 1;
    expect(pub.tick()).toBe(0);
    mode = 2;
    expect(pub.tick()).toBe(0);
    expect(pub.stats).toMatchObject({
      ticks: 3,
      samples: 1,
      invalid: 4,
      errors: 2,
      lastError: 'network down',
    });
    expect(
      () => new CoordinateStreamPublisher({ send: () => undefined, source: () => S, rateHz: 0 }),
    ).toThrow(RangeError);
  });
});

describe('CoordinateStreamSubscriber', () => {
  it('follows simulated flights over a lossy, jittery, duplicating network from an offset clock', () => {
    const gen = new FlightGenerator({ seed: 11, count: 30 });
    const senderOffset = -123_456; // sender clock = local clock + offset
    const random = rng(5);
    const inFlight: { at: number; bytes: Uint8Array }[] = [];
    const pub = new CoordinateStreamPublisher({
      send: (bytes) => {
        if (random() < 0.05) return; // lost
        const copies = random() < 0.05 ? 2 : 1;
        for (let i = 0; i < copies; i += 1) inFlight.push({ at: localNow + 5 + 35 * random(), bytes });
      },
      source: (now) => gen.samples(now),
    });
    const sub = new CoordinateStreamSubscriber({ renderDelayMs: 100 });
    let localNow = 0;
    let nextTick = 0;
    let worstPosition = 0;
    let worstNose = 0;
    let checked = 0;
    for (localNow = 0; localNow < 8000; localNow += 4) {
      if (localNow >= nextTick) {
        pub.tick(localNow + senderOffset);
        nextTick += pub.intervalMs;
      }
      inFlight.sort((a, b) => a.at - b.at);
      while (inFlight.length > 0 && (inFlight[0] as { at: number }).at <= localNow) {
        const m = inFlight.shift() as { at: number; bytes: Uint8Array };
        sub.receive('publisher', m.bytes, m.at);
      }
      if (localNow < 1000 || localNow % 16 !== 0) continue;
      for (const { track, pose } of sub.poses(localNow)) {
        if (pose.mode !== 'interpolated') continue;
        const truth = gen.sample(track, pose.t);
        worstPosition = Math.max(worstPosition, distance3(pose.position, truth.position));
        const nose = rotate3(pose.orientation, [0, 0, 1]);
        const trueNose = rotate3(truth.orientation, [0, 0, 1]);
        worstNose = Math.max(worstNose, Math.acos(Math.min(1, dot3(nose, trueNose))));
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(10_000);
    // Float32 positions 100 km from the origin are good to ~1 cm; Hermite adds far less.
    expect(worstPosition).toBeLessThan(0.1);
    expect(worstNose).toBeLessThan(0.01);
    const stats = sub.stats(localNow);
    expect(stats.tracks).toBe(30);
    expect(stats.dropped).toBe(0);
    expect(stats.duplicates).toBeGreaterThan(0);
    expect(stats.samplesPerSecond).toBeGreaterThan(30 * 20 * 0.6); // whole 24-sample messages are lost
    expect(stats.samplesPerSecond).toBeLessThan(30 * 20 * 1.1);
    expect(sub.tracks()).toHaveLength(30);
    expect(sub.tracks()[1]).toEqual({ sender: 'publisher', track: 1 });
  });

  it('keeps one interpolator per sender and track, bounded and expiring', () => {
    const sub = new CoordinateStreamSubscriber({
      maxTracks: 2,
      idleMs: 1000,
      clockOffsetMs: 0,
      renderDelayMs: 0,
    });
    sub.receive('a', encodeSample({ ...S, t: 0 }), 0);
    sub.receive('b', encodeSample({ ...S, t: 0, position: [5, 5, 5] }), 0);
    sub.receive('b', encodeSample({ ...S, t: 0 }, 1), 0); // third track: over the limit
    expect(sub.tracks()).toEqual([
      { sender: 'a', track: 0 },
      { sender: 'b', track: 0 },
    ]);
    expect(sub.pose('b', 0, 0)?.position).toEqual([5, 5, 5]);
    expect(sub.pose('a', 0, 100)).toMatchObject({ mode: 'extrapolated', position: [1, 0, 0] });
    expect(sub.pose('c', 0, 0)).toBeUndefined();
    expect(sub.stats(0)).toMatchObject({
      dropped: 1,
      samples: 2,
      tracks: 2,
      lastDropReason: 'track limit (2) reached',
    });
    expect(sub.follow(0, 0)).toMatchObject({ sender: 'a', track: 0 }); // tie on arrival: by sender
    sub.receive('b', encodeSample({ ...S, t: 50, position: [6, 6, 6] }), 50);
    expect(sub.follow(0, 0)).toMatchObject({ sender: 'b', track: 0 });
    expect(sub.follow(9, 0)).toBeUndefined();
    sub.receive('a', encodeSample({ ...S, t: 900 }), 900);
    expect(sub.expire(1500)).toBe(1);
    expect(sub.tracks()).toEqual([{ sender: 'a', track: 0 }]);
  });

  it('drops malformed messages and counts late samples without throwing', () => {
    const sub = new CoordinateStreamSubscriber({ clockOffsetMs: 0, renderDelayMs: 0 });
    const good = encodeSample({ ...S, t: 100 });
    const bad = [
      new Uint8Array(),
      good.slice(0, 10),
      new Uint8Array([0x50, 1, 1]),
      new Uint8Array(60).fill(0xff),
    ];
    for (const b of bad) expect(() => sub.receive('x', b, 0)).not.toThrow();
    sub.receive('', good, 0);
    expect(sub.stats(0)).toMatchObject({ messages: 5, dropped: 5, samples: 0 });
    sub.receive('x', good, 100);
    sub.pose('x', 0, 300);
    sub.receive('x', encodeSample({ ...S, t: 200 }), 310); // time 200 was already shown
    expect(sub.stats(310)).toMatchObject({ samples: 2, late: 1 });
    sub.dispose();
    expect(sub.tracks()).toEqual([]);
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { notifications } from '../../app/stores/notifications';
import { dropBridge } from '../../testing/drop-bridge';
import { groundPoint, performSpaceDrop, resolveDropTarget } from './space-drop';

const REF = '<liveobject xmlns="urn:liveobjects:1" version="1"><primitive id="s"/></liveobject>';
const down = { origin: [0, 100, 100], direction: [0, -Math.SQRT1_2, -Math.SQRT1_2] } as const;

describe('groundPoint', () => {
  it('meets the ground in front of the ray', () => {
    const p = groundPoint(down);
    expect(p?.[0]).toBeCloseTo(0);
    expect(p?.[1]).toBe(0);
    expect(p?.[2]).toBeCloseTo(0);
  });
  it('uses the given plane height', () => {
    expect(groundPoint(down, 50)?.[2]).toBeCloseTo(50);
  });
  it('has no point for rays along or away from the ground, or beyond the horizon limit', () => {
    expect(groundPoint({ origin: [0, 10, 0], direction: [1, 0, 0] })).toBeUndefined();
    expect(groundPoint({ origin: [0, 10, 0], direction: [0, 1, 0] })).toBeUndefined();
    expect(groundPoint({ origin: [0, 10, 0], direction: [1, -1e-8, 0] })).toBeUndefined();
  });
});

describe('resolveDropTarget', () => {
  it('gives the drop to the nearest airplane hit', () => {
    const hits = [
      { distance: 5 },
      { distance: 9, airplaneHandle: 'far' },
      { distance: 7, airplaneHandle: 'near' },
    ];
    expect(resolveDropTarget(hits, down, [0, 0, 0])).toEqual({ kind: 'airplane', handle: 'near' });
  });
  it('places on the ground under the pointer when no airplane is hit', () => {
    const target = resolveDropTarget(
      [{ distance: 3 }],
      { origin: [10, 20, 30], direction: [0, -1, 0] },
      [0, 0, 0],
    );
    expect(target).toEqual({ kind: 'space', position: [10, 0, 30] });
  });
  it('falls back to the orbit target above the horizon', () => {
    const target = resolveDropTarget([], { origin: [0, 10, 0], direction: [0, 1, 0] }, [5, 0, -5]);
    expect(target).toEqual({ kind: 'space', position: [5, 0, -5] });
  });
});

function setup(verdict?: Parameters<typeof dropBridge>[0]) {
  const { bridge, refusals, refuse } = dropBridge(verdict);
  const ctx = { bridge, spaceHandle: 'space', refuse };
  return { bridge, ctx, refusals };
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout'] });
  notifications.getState().clear();
});
afterEach(() => vi.useRealTimers());

describe('performSpaceDrop', () => {
  it('checks with the space, then places at the ground point', async () => {
    const { bridge, ctx } = setup();
    await performSpaceDrop(ctx, { kind: 'space', position: [1, 0, 2] }, [
      { kind: 'reference', xml: REF, source: 'dragged object' },
    ]);
    expect(bridge.calls).toEqual([
      { command: 'checkDrop', args: { handle: 'space', xml: REF } },
      {
        command: 'act',
        args: { handle: 'space', intent: { kind: 'space3d.place', reference: REF, position: [1, 0, 2] } },
      },
    ]);
  });

  it('checks with the airplane, then binds it', async () => {
    const { bridge, ctx } = setup();
    await performSpaceDrop(ctx, { kind: 'airplane', handle: 'plane' }, [
      { kind: 'reference', xml: REF, source: 'dragged object' },
    ]);
    expect(bridge.calls).toEqual([
      { command: 'checkDrop', args: { handle: 'plane', xml: REF } },
      { command: 'act', args: { handle: 'plane', intent: { kind: 'airplane.bind', reference: REF } } },
    ]);
  });

  it("shows the receiver's refusal and sends nothing", async () => {
    const { bridge, ctx, refusals } = setup({
      ok: false,
      reason: 'an airplane accepts only textures or streams',
    });
    await performSpaceDrop(ctx, { kind: 'airplane', handle: 'plane' }, [
      { kind: 'reference', xml: REF, source: 'dragged object' },
    ]);
    expect(refusals).toEqual(['an airplane accepts only textures or streams']);
    expect(bridge.commands()).toEqual(['checkDrop']);
  });

  it('creates a dropped template, places it, and closes the extra handle later', async () => {
    const { bridge, ctx } = setup();
    await performSpaceDrop(ctx, { kind: 'space', position: [0, 0, 0] }, [
      { kind: 'template', template: 'airplane' },
    ]);
    expect(bridge.commands()).toEqual(['checkTemplateDrop', 'create', 'checkDrop', 'act']);
    expect(bridge.calls[0]?.args).toEqual({ handle: 'space', template: 'airplane' });
    expect(bridge.calls[3]?.args).toMatchObject({
      intent: { kind: 'space3d.place', reference: '<liveobject>c-airplane</liveobject>' },
    });
    await vi.runAllTimersAsync();
    expect(bridge.commands()).toContain('close');
  });

  it('asks the airplane under the pointer before minting: a refused template creates nothing', async () => {
    const { bridge, ctx, refusals } = setup({
      ok: false,
      reason: 'An airplane takes a flight stream or an image',
    });
    await performSpaceDrop(ctx, { kind: 'airplane', handle: 'plane' }, [
      { kind: 'template', template: 'building' },
    ]);
    expect(bridge.calls).toEqual([
      { command: 'checkTemplateDrop', args: { handle: 'plane', template: 'building' } },
    ]);
    expect(refusals).toEqual(['An airplane takes a flight stream or an image']);
  });

  it('spreads several payloads and refuses unusable ones', async () => {
    const { bridge, ctx, refusals } = setup();
    await performSpaceDrop(ctx, { kind: 'space', position: [0, 0, 0] }, [
      { kind: 'reference', xml: REF, source: 'a' },
      { kind: 'unsupported', reason: 'not a reference' },
      { kind: 'reference', xml: REF, source: 'b' },
    ]);
    const places = bridge.calls
      .filter((c) => c.command === 'act')
      .map((c) => (c.args as { intent: { position: number[] } }).intent.position);
    expect(places).toEqual([
      [0, 0, 0],
      [40, 0, 0],
    ]);
    expect(refusals).toEqual(['not a reference']);
  });
});

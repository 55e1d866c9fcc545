import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { notifications } from '../app/stores/notifications';
import { dropBridge } from '../testing/drop-bridge';
import { performDrop } from './desktop-drop';

const REF = '<liveobject xmlns="urn:liveobjects:1" version="1"><primitive id="n"/></liveobject>';

function setup(verdict?: Parameters<typeof dropBridge>[0]) {
  const { bridge, refusals, whys, refuse } = dropBridge(verdict);
  const target = { bridge, handle: 'desk', x: 40.4, y: 10, refuse };
  return { bridge, target, refusals, whys };
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout'] });
  notifications.getState().clear();
});
afterEach(() => vi.useRealTimers());

describe('performDrop', () => {
  it('checks, then places a dropped reference at the drop point', async () => {
    const { bridge, target } = setup();
    await performDrop(target, [{ kind: 'reference', xml: REF, source: 'dragged object' }]);
    expect(bridge.calls).toEqual([
      { command: 'checkDrop', args: { handle: 'desk', xml: REF } },
      {
        command: 'act',
        args: { handle: 'desk', intent: { kind: 'desktop.place', reference: REF, x: 40, y: 10 } },
      },
    ]);
  });

  it('shows the refusal and places nothing when the desktop says no', async () => {
    const { bridge, target, refusals } = setup({ ok: false, reason: 'an airplane needs a 3D space' });
    await performDrop(target, [{ kind: 'reference', xml: REF, source: 'x' }]);
    expect(refusals).toEqual(['an airplane needs a 3D space']);
    expect(bridge.commands()).toEqual(['checkDrop']);
  });

  it('creates from a template, places its reference, and closes the extra handle later', async () => {
    const { bridge, target } = setup();
    await performDrop(target, [{ kind: 'template', template: 'note' }]);
    expect(bridge.commands()).toEqual(['checkTemplateDrop', 'create', 'checkDrop', 'act']);
    expect(bridge.calls[0]?.args).toEqual({ handle: 'desk', template: 'note' });
    expect(bridge.calls[3]?.args).toMatchObject({
      intent: { kind: 'desktop.place', reference: '<liveobject>c-note</liveobject>' },
    });
    await vi.runAllTimersAsync();
    expect(bridge.calls.at(-1)).toEqual({ command: 'close', args: { handle: 'c-note' } });
  });

  it('asks before creating: a refused template or image creates nothing and passes the explanation on', async () => {
    const { bridge, target, refusals, whys } = setup({
      ok: false,
      reason: 'Airplanes fly in 3D spaces — drop it into one',
      why: 'liveobjects.airplane has only a 3D user interface (UI3D): place it in a 3D space',
    });
    const png = new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], 'cat.png', { type: 'image/png' });
    await performDrop(target, [
      { kind: 'template', template: 'airplane' },
      { kind: 'image-file', file: png },
    ]);
    expect(bridge.commands()).toEqual(['checkTemplateDrop', 'checkTemplateDrop']);
    expect(bridge.calls[1]?.args).toEqual({ handle: 'desk', template: 'image' });
    expect(refusals).toEqual([
      'Airplanes fly in 3D spaces — drop it into one',
      'Airplanes fly in 3D spaces — drop it into one',
    ]);
    expect(whys[0]).toBe('liveobjects.airplane has only a 3D user interface (UI3D): place it in a 3D space');
  });

  it('reads .liveobject files and turns images into shared image objects', async () => {
    const { bridge, target } = setup();
    const refFile = new File([REF], 'a.liveobject');
    const png = new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], 'cat.png', { type: 'image/png' });
    await performDrop(target, [
      { kind: 'reference-file', file: refFile },
      { kind: 'image-file', file: png },
    ]);
    expect(bridge.commands()).toEqual([
      'checkDrop',
      'act',
      'checkTemplateDrop',
      'create',
      'act',
      'checkDrop',
      'act',
    ]);
    expect(bridge.calls[3]?.args).toEqual({ template: 'image', title: 'cat.png' });
    expect(bridge.calls[4]?.args).toEqual({
      handle: 'c-image',
      intent: { kind: 'image.set', mime: 'image/png', data: new Uint8Array([0x89, 0x50, 0x4e, 0x47]) },
    });
    // The second item is fanned out from the first.
    expect(bridge.calls[6]?.args).toMatchObject({ intent: { x: 68, y: 38 } });
  });

  it('refuses oversized or unknown files without calling the host', async () => {
    const { bridge, target, refusals } = setup();
    const gif = new File(['GIF89a'], 'a.gif', { type: 'image/gif' });
    await performDrop(target, [
      { kind: 'image-file', file: gif },
      { kind: 'unsupported', reason: 'nope' },
    ]);
    expect(refusals).toEqual(['"a.gif" is not a PNG, JPEG or WebP image.', 'nope']);
    expect(bridge.calls).toEqual([]);
  });

  it('turns a failing call into a notification', async () => {
    const { bridge, target } = setup();
    bridge.handlers.checkDrop = () => {
      throw new Error('no such handle desk');
    };
    await performDrop(target, [{ kind: 'reference', xml: REF, source: 'x' }]);
    expect(notifications.getState().items.map((n) => n.message)).toEqual([
      'Could not check the drop: no such handle desk',
    ]);
  });
});

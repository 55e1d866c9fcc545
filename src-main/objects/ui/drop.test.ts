// The drop rules' refusals: everyday words saying what to do, the type explanation as `why`.
import { describe, expect, it } from 'vitest';
import type { DropVerdict } from '../../../src-shared/bridge/protocol';
import { createRuntime } from '../index';
import { check2dUi, check3dUi, checkAirplaneDrop, checkOpenable, refusalText } from './drop';

const { catalogue } = createRuntime();

/** template(channel = checkpointed(qsm group channel)), titled `title` when given. */
function reference(template: string, title?: string): string {
  const meta = title ? `<meta><title>${title}</title></meta>` : '';
  return `<liveobject xmlns="urn:liveobjects:1" version="1">${meta}<parameterized>
    <template><primitive id="liveobjects.${template}"/></template>
    <param name="channel"><parameterized><template><primitive id="liveobjects.checkpointed"/></template>
      <param name="channel"><parameterized><template><primitive id="qsm.channel"/></template>
        <param name="gms"><value type="address">127.0.0.1:1</value></param>
        <param name="group"><value type="string">${template}-g</value></param>
      </parameterized></param>
    </parameterized></param>
  </parameterized></liveobject>`;
}

const refused = (verdict: DropVerdict) =>
  verdict.ok ? undefined : { reason: verdict.reason, why: verdict.why };

describe('drop refusals', () => {
  it('a desktop refuses 3D objects in plain words, with the type explanation as why', () => {
    expect(refused(check2dUi(catalogue, reference('airplane')).verdict)).toEqual({
      reason: 'Airplanes fly in 3D spaces — drop it into one',
      why: 'liveobjects.airplane has only a 3D user interface (UI3D): place it in a 3D space',
    });
    expect(refused(check2dUi(catalogue, reference('building')).verdict)?.reason).toBe(
      'Buildings belong in 3D spaces — drop it into one',
    );
    expect(check2dUi(catalogue, reference('note')).verdict).toEqual({ ok: true });
  });

  it('a 3D space refuses 2D objects in plain words; an image may also go on an airplane', () => {
    expect(refused(check3dUi(catalogue, reference('note')).verdict)).toEqual({
      reason: 'Notes live on desktops — drop it onto a desktop',
      why: 'liveobjects.note has only a 2D user interface (UI): place it on a desktop',
    });
    expect(refused(check3dUi(catalogue, reference('image')).verdict)?.reason).toBe(
      'Images live on desktops — drop it onto a desktop, or onto an airplane as its livery',
    );
    expect(check3dUi(catalogue, reference('airplane')).verdict).toEqual({ ok: true });
  });

  it('an airplane says what it takes and what the dropped object is', () => {
    expect(refused(checkAirplaneDrop(catalogue, reference('building')).verdict)).toEqual({
      reason: 'An airplane takes a flight stream or an image (its livery); a building is neither',
      why: 'an airplane accepts only coordinate streams and textures; liveobjects.building is neither',
    });
    expect(refused(checkAirplaneDrop(catalogue, reference('note')).verdict)?.reason).toBe(
      'An airplane takes a flight stream or an image (its livery); a note is neither',
    );
    expect(checkAirplaneDrop(catalogue, reference('image')).verdict).toEqual({ ok: true });
  });

  it('objects of no known kind are named by their title', () => {
    const qsm = `<liveobject xmlns="urn:liveobjects:1" version="1"><meta><title>Raw group</title></meta>
      <parameterized><template><primitive id="qsm.channel"/></template>
        <param name="gms"><value type="address">127.0.0.1:1</value></param>
        <param name="group"><value type="string">g</value></param>
      </parameterized></liveobject>`;
    expect(refused(check2dUi(catalogue, qsm).verdict)?.reason).toBe(
      '“Raw group” has nothing to show on a desktop',
    );
    expect(refused(checkAirplaneDrop(catalogue, qsm).verdict)?.reason).toBe(
      'An airplane takes a flight stream or an image (its livery); “Raw group” is neither',
    );
    expect(refused(checkOpenable(catalogue, qsm).verdict)?.reason).toBe('“Raw group” has nothing to show');
  });

  it('a refused intent carries both in one line', () => {
    expect(refusalText(check3dUi(catalogue, reference('note')).verdict)).toBe(
      'Notes live on desktops — drop it onto a desktop (liveobjects.note has only a 2D user interface (UI): place it on a desktop)',
    );
    expect(refusalText({ ok: true })).toBe('');
  });
});

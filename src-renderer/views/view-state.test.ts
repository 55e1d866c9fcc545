import { describe, expect, it } from 'vitest';
import type { DesktopItem } from '../../src-shared/bridge/view-state';
import { desktopExtent, shownBox, topZ } from './desktop-state';
import { IMAGE_MAX_BYTES, imageFileProblem } from './image-state';
import { fileNameOf } from './drag-out';

describe('desktop layout', () => {
  const item = (id: string, box: Partial<DesktopItem>): DesktopItem => ({
    id,
    reference: '<liveobject/>',
    x: 0,
    y: 0,
    width: 320,
    height: 240,
    z: 0,
    ...box,
  });

  it('draws items no smaller than a usable window', () => {
    expect(shownBox(item('a', { x: 10, y: 20, width: 10, height: 10 }))).toEqual({
      x: 10,
      y: 20,
      width: 120,
      height: 80,
    });
    expect(shownBox(item('b', { width: 300, height: 200 }))).toMatchObject({ width: 300, height: 200 });
    expect(topZ([item('a', { z: 1 }), item('b', { z: 5 })])).toBe(5);
  });

  it('sizes the plane to hold every item plus room', () => {
    const items = [item('a', { x: 100, y: 50, width: 200, height: 100 })];
    expect(desktopExtent(items, 10)).toEqual({ width: 310, height: 160 });
    expect(desktopExtent([item('b', { width: 1, height: 1 })], 0)).toEqual({ width: 120, height: 80 });
  });
});

describe('image files', () => {
  it('explains files that cannot be shared', () => {
    expect(imageFileProblem({ name: 'a.png', type: 'image/png', size: 10 })).toBeUndefined();
    expect(imageFileProblem({ name: 'a.gif', type: 'image/gif', size: 10 })).toMatch(
      /not a PNG, JPEG or WebP/,
    );
    expect(imageFileProblem({ name: 'big.png', type: 'image/png', size: IMAGE_MAX_BYTES + 1 })).toBe(
      '"big.png" is 8.0 MiB; shared images are limited to 8 MiB.',
    );
  });
});

describe('fileNameOf', () => {
  it('makes a safe file name from a title', () => {
    expect(fileNameOf('Plans: Q3/Q4?')).toBe('Plans Q3 Q4');
    expect(fileNameOf('\u0001')).toBe('object');
  });
});

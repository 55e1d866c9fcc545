import { describe, expect, it } from 'vitest';
import { desktopExtent, parseDesktopState, topZ } from './desktop-state';
import { IMAGE_MAX_BYTES, imageFileProblem, parseImageState } from './image-state';
import { fileNameOf } from './drag-out';

describe('parseDesktopState', () => {
  it('reads items back to front and skips broken ones', () => {
    const state = {
      items: [
        {
          id: 'b',
          reference: '<liveobject/>',
          x: 10,
          y: 20,
          width: 300,
          height: 200,
          z: 5,
          title: 'B',
          kind: 'note',
        },
        { id: 'a', reference: '<liveobject/>', x: 'x', z: 1 },
        { id: 'c', reference: '' },
        { reference: '<liveobject/>' },
        { id: 7, reference: '<liveobject/>', z: 5, width: 10, height: 10 },
        { id: 'b', reference: '<liveobject/>', z: 0 },
        null,
      ],
    };
    const { items } = parseDesktopState(state);
    expect(items.map((i) => i.id)).toEqual(['a', '7', 'b']);
    expect(items[0]).toEqual({
      id: 'a',
      reference: '<liveobject/>',
      x: 0,
      y: 0,
      width: 320,
      height: 240,
      z: 1,
    });
    expect(items[1]).toMatchObject({ width: 120, height: 80 });
    expect(items[2]).toMatchObject({ title: 'B', kind: 'note', x: 10, y: 20 });
    expect(topZ(items)).toBe(5);
  });

  it('treats anything else as an empty desktop', () => {
    for (const s of [undefined, null, 3, 'x', {}, { items: 'no' }])
      expect(parseDesktopState(s)).toEqual({ items: [] });
  });

  it('sizes the plane to hold every item plus room', () => {
    const { items } = parseDesktopState({
      items: [{ id: 'a', reference: 'r', x: 100, y: 50, width: 200, height: 100 }],
    });
    expect(desktopExtent(items, 10)).toEqual({ width: 310, height: 160 });
  });
});

describe('parseImageState', () => {
  it('builds a data URL from mime and base64 data', () => {
    expect(
      parseImageState({ mime: 'image/jpeg', data: 'AAAA', version: '3@n1', width: 4, height: 0 }),
    ).toEqual({
      src: 'data:image/jpeg;base64,AAAA',
      version: '3@n1',
      width: 4,
      uploads: [],
    });
  });

  it('accepts ready URLs, ignores unsafe ones, reads upload progress', () => {
    expect(parseImageState({ src: 'blob:abc' }).src).toBe('blob:abc');
    expect(parseImageState({ url: 'javascript:alert(1)' }).src).toBeUndefined();
    expect(parseImageState({ data: null, uploads: [{ received: 2, count: 4 }, { bad: 1 }] })).toEqual({
      uploads: [{ received: 2, count: 4 }],
    });
    expect(parseImageState(undefined)).toEqual({ uploads: [] });
  });

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

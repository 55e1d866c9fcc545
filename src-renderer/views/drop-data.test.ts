import { describe, expect, it } from 'vitest';
import { LIVEOBJECT_MIME, TEMPLATE_MIME, acceptsDrag, classifyDrop, looksLikeReference } from './drop-data';
import type { DroppedFile } from './drop-data';

const XML =
  '<?xml version="1.0"?>\n<liveobject xmlns="urn:liveobjects:1" version="1"><primitive id="a"/></liveobject>';

function input(data: Record<string, string>, files: DroppedFile[] = []) {
  return {
    types: [...Object.keys(data), ...(files.length ? ['Files'] : [])],
    getData: (t: string) => data[t] ?? '',
    files,
  };
}

describe('classifyDrop', () => {
  it('recognises toolbox templates', () => {
    expect(classifyDrop(input({ [TEMPLATE_MIME]: 'note' }))).toEqual([
      { kind: 'template', template: 'note' },
    ]);
    expect(classifyDrop(input({ [TEMPLATE_MIME]: 'rocket' }))[0]?.kind).toBe('unsupported');
  });

  it('prefers the live object type over plain text', () => {
    const payloads = classifyDrop(input({ [LIVEOBJECT_MIME]: XML, 'text/plain': 'whatever' }));
    expect(payloads).toEqual([{ kind: 'reference', xml: XML, source: 'dragged object' }]);
  });

  it('sorts files into references, images and the rest', () => {
    const files = [
      { name: 'Plane.LIVEOBJECT', type: '', size: 10 },
      { name: 'cat.png', type: 'image/png', size: 10 },
      { name: 'notes.txt', type: 'text/plain', size: 10 },
    ];
    expect(classifyDrop(input({}, files)).map((p) => p.kind)).toEqual([
      'reference-file',
      'image-file',
      'unsupported',
    ]);
  });

  it('accepts pasted reference XML and explains other text', () => {
    expect(classifyDrop(input({ 'text/plain': `  ${XML}` }))[0]).toMatchObject({ kind: 'reference' });
    const other = classifyDrop(input({ 'text/plain': 'hello' }))[0];
    expect(other).toMatchObject({ kind: 'unsupported' });
    expect(classifyDrop(input({}))[0]).toMatchObject({ kind: 'unsupported' });
  });

  it('tells draggable types apart', () => {
    expect(acceptsDrag(['Files'])).toBe(true);
    expect(acceptsDrag([TEMPLATE_MIME])).toBe(true);
    expect(acceptsDrag(['text/html'])).toBe(false);
    expect(looksLikeReference('<liveobjectx/>')).toBe(false);
    expect(looksLikeReference('<liveobject>')).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { startupOpens } from './startup';

describe('startupOpens', () => {
  it('reads reference XML and addresses from ?open=', () => {
    const xml = '<liveobject xmlns="urn:liveobjects:1" version="1"><primitive id="x"/></liveobject>';
    const search = `?token=t&open=${encodeURIComponent(xml)}&open=objects%2Fa.liveobject&open=`;
    expect(startupOpens(search)).toEqual([
      { kind: 'xml', xml },
      { kind: 'url', url: 'objects/a.liveobject' },
    ]);
    expect(startupOpens('?token=t')).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { typeExpr } from '../model/type-expr';
import type { LiveObjectDocument, Reference } from './document';
import { documentsEqual } from './equal';
import { parseLiveObject } from './parse';
import { writeLiveObject, writeReference } from './write';

const registryNote: Reference = {
  kind: 'parameterized',
  template: { kind: 'primitive', id: 'liveobjects.note' },
  params: [
    {
      name: 'channel',
      value: {
        kind: 'reference',
        reference: {
          kind: 'external',
          name: 'note-7f3a9c',
          as: typeExpr('Channel', typeExpr('Bytes')),
          from: {
            kind: 'external',
            name: 'QuickSilver',
            as: typeExpr('Folder', typeExpr('Name'), typeExpr('Channel', typeExpr('Bytes'))),
            from: { kind: 'primitive', id: 'liveobjects.registry' },
          },
        },
      },
    },
  ],
};

describe('writeLiveObject', () => {
  it('writes the canonical form', () => {
    const doc: LiveObjectDocument = {
      meta: { title: 'Release checklist', author: '' },
      types: [
        {
          kind: 'endpointtype',
          name: 'TickerFeed',
          in: [{ event: 'subscribe', types: [typeExpr('String')] }],
          out: [
            { event: 'tick', types: [typeExpr('Name'), typeExpr('Reference', typeExpr('Object'))] },
            { event: 'ping', types: [] },
          ],
          provides: [{ formalism: 'liveobjects.guarantees', text: 'reliable fifo' }],
          requires: [{ formalism: 'liveobjects.count', text: 'at-most 1' }],
        },
        {
          kind: 'objecttype',
          name: 'Ticker',
          endpoints: [{ name: 'feed', type: typeExpr('TickerFeed') }],
          provides: [],
          requires: [],
        },
      ],
      reference: {
        kind: 'composite',
        components: [
          { name: 'note', reference: registryNote },
          {
            name: 'map',
            reference: {
              kind: 'parameterized',
              template: { kind: 'primitive', id: 'liveobjects.map' },
              params: [
                {
                  name: 'gms',
                  value: { kind: 'value', value: { type: 'address', value: { host: '::1', port: 7070 } } },
                },
                { name: 'key', value: { kind: 'value', value: { type: 'bytes', value: new Uint8Array() } } },
                { name: 'T', value: { kind: 'type', type: typeExpr('Channel', typeExpr('Bytes')) } },
              ],
            },
          },
        ],
        connections: [{ a: { component: 'note', endpoint: 'ui' }, b: { component: 'map', endpoint: 'ui' } }],
        exports: [
          { endpoint: { component: 'map', endpoint: 'ui3d' }, as: 'ui3d' },
          { endpoint: { component: 'map', endpoint: 'position' }, as: 'where' },
        ],
      },
    };
    const text = writeLiveObject(doc);
    expect(text).toBe(`<?xml version="1.0" encoding="utf-8"?>
<liveobject xmlns="urn:liveobjects:1" version="1">
  <meta>
    <title>Release checklist</title>
    <author/>
  </meta>
  <types>
    <endpointtype name="TickerFeed">
      <in event="subscribe" type="String"/>
      <out event="tick" type="Name, Reference&lt;Object&gt;"/>
      <out event="ping"/>
      <provides formalism="liveobjects.guarantees">reliable fifo</provides>
      <requires formalism="liveobjects.count">at-most 1</requires>
    </endpointtype>
    <objecttype name="Ticker">
      <endpoint name="feed" type="TickerFeed"/>
    </objecttype>
  </types>
  <composite>
    <component name="note">
      <parameterized>
        <template>
          <primitive id="liveobjects.note"/>
        </template>
        <param name="channel">
          <external name="note-7f3a9c" as="Channel&lt;Bytes&gt;">
            <from>
              <external name="QuickSilver" as="Folder&lt;Name, Channel&lt;Bytes&gt;&gt;">
                <from>
                  <primitive id="liveobjects.registry"/>
                </from>
              </external>
            </from>
          </external>
        </param>
      </parameterized>
    </component>
    <component name="map">
      <parameterized>
        <template>
          <primitive id="liveobjects.map"/>
        </template>
        <param name="gms">
          <value type="address">[::1]:7070</value>
        </param>
        <param name="key">
          <value type="bytes"/>
        </param>
        <param name="T">
          <type>Channel&lt;Bytes&gt;</type>
        </param>
      </parameterized>
    </component>
    <connect a="note.ui" b="map.ui"/>
    <export endpoint="map.ui3d"/>
    <export endpoint="map.position" as="where"/>
  </composite>
</liveobject>
`);
    expect(documentsEqual(parseLiveObject(text), doc)).toBe(true);
  });

  it('escapes markup characters and keeps whitespace in text and attributes', () => {
    const ref: Reference = {
      kind: 'parameterized',
      template: {
        kind: 'external',
        name: 'a "b" & <c>\t\n\r d',
        as: typeExpr('Object'),
        from: { kind: 'primitive', id: 'liveobjects.registry' },
      },
      params: [
        { name: 's', value: { kind: 'value', value: { type: 'string', value: ' x & <y> "z" ]]>\r\n ' } } },
      ],
    };
    const text = writeReference(ref);
    expect(text).toContain('name="a &quot;b&quot; &amp; &lt;c&gt;&#x9;&#xA;&#xD; d"');
    expect(text).toContain('<value type="string"> x &amp; &lt;y&gt; &quot;z&quot; ]]&gt;&#xD;\n </value>');
    const back = parseLiveObject(text).reference;
    expect(back).toMatchObject({ template: { name: 'a "b" & <c>\t\n\r d' } });
    expect(back).toMatchObject({ params: [{ value: { value: { value: ' x & <y> "z" ]]>\r\n ' } } }] });
  });

  it('keeps the sign of a negative zero double', () => {
    const ref: Reference = {
      kind: 'parameterized',
      template: { kind: 'primitive', id: 't' },
      params: [{ name: 'z', value: { kind: 'value', value: { type: 'double', value: -0 } } }],
    };
    expect(writeReference(ref)).toContain('<value type="double">-0</value>');
    const back = parseLiveObject(writeReference(ref)).reference;
    expect(back.kind === 'parameterized' && back.params[0]!.value).toEqual({
      kind: 'value',
      value: { type: 'double', value: -0 },
    });
  });

  it('refuses characters XML cannot carry', () => {
    expect(() =>
      writeReference({ kind: 'external', name: 'a\u0001', as: typeExpr('Object'), from: registryNote }),
    ).toThrow(/U\+0001 cannot be written/);
    expect(() => writeLiveObject({ meta: { title: '\uD800' }, types: [], reference: registryNote })).toThrow(
      /U\+D800/,
    );
  });

  it('writeReference wraps a bare reference in a complete file', () => {
    expect(writeReference({ kind: 'primitive', id: 'liveobjects.registry' })).toBe(
      '<?xml version="1.0" encoding="utf-8"?>\n<liveobject xmlns="urn:liveobjects:1" version="1">\n  <primitive id="liveobjects.registry"/>\n</liveobject>\n',
    );
  });
});

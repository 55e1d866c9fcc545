import { describe, expect, it } from 'vitest';
import { typeExpr } from '../model/type-expr';
import type { LiveObjectDocument } from './document';
import { documentsEqual } from './equal';
import { parseLiveObject } from './parse';
import { file, HEAD, parseError } from './test-helpers';

const P = '<primitive id="a.b"/>';

const SPEC_EXAMPLE = `<?xml version="1.0" encoding="utf-8"?>
<liveobject xmlns="urn:liveobjects:1" version="1">
  <meta><title>Release checklist</title></meta>
  <parameterized>
    <template><primitive id="liveobjects.note"/></template>
    <param name="channel">
      <parameterized>
        <template><primitive id="liveobjects.checkpointed"/></template>
        <param name="channel">
          <external name="note-7f3a9c" as="Channel&lt;Bytes&gt;">
            <from>
              <external name="QuickSilver" as="Folder&lt;Name, Channel&lt;Bytes&gt;&gt;">
                <from><primitive id="liveobjects.registry"/></from>
              </external>
            </from>
          </external>
        </param>
      </parameterized>
    </param>
  </parameterized>
</liveobject>
`;

describe('parseLiveObject: valid files', () => {
  it('reads the spec registry-indirection example into the expected tree', () => {
    const doc = parseLiveObject(SPEC_EXAMPLE);
    const expected: LiveObjectDocument = {
      meta: { title: 'Release checklist' },
      types: [],
      reference: {
        kind: 'parameterized',
        template: { kind: 'primitive', id: 'liveobjects.note' },
        params: [
          {
            name: 'channel',
            value: {
              kind: 'reference',
              reference: {
                kind: 'parameterized',
                template: { kind: 'primitive', id: 'liveobjects.checkpointed' },
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
              },
            },
          },
        ],
      },
    };
    expect(documentsEqual(doc, expected)).toBe(true);
  });

  it('records the position of every node', () => {
    const doc = parseLiveObject(SPEC_EXAMPLE);
    const ref = doc.reference;
    expect(ref.pos).toEqual({ line: 4, column: 3 });
    if (ref.kind !== 'parameterized') throw new Error('kind');
    expect(ref.template.pos).toEqual({ line: 5, column: 15 });
    expect(ref.params[0]!.pos).toEqual({ line: 6, column: 5 });
    const inner = ref.params[0]!.value;
    if (inner.kind !== 'reference' || inner.reference.kind !== 'parameterized') throw new Error('kind');
    const ext = inner.reference.params[0]!.value;
    if (ext.kind !== 'reference' || ext.reference.kind !== 'external') throw new Error('kind');
    expect(ext.reference.pos).toEqual({ line: 10, column: 11 });
    expect(ext.reference.from.pos).toEqual({ line: 12, column: 15 });
  });

  it('reads the spec types example, splitting event type lists at top-level commas', () => {
    const doc = parseLiveObject(
      file(`<types>
  <endpointtype name="TickerFeed">
    <in event="subscribe" type="String"/>
    <out event="tick" type="Bytes"/>
    <out event="item" type="Name, Reference&lt;Folder&lt;Name, Object&gt;&gt;"/>
    <out event="ping"/>
    <provides formalism="liveobjects.guarantees">reliable fifo</provides>
    <requires formalism="liveobjects.count">at-most 1</requires>
  </endpointtype>
  <objecttype name="Ticker">
    <endpoint name="feed" type="TickerFeed"/>
    <provides formalism="liveobjects.guarantees">reliable</provides>
  </objecttype>
</types>
${P}`),
    );
    expect(doc.types).toHaveLength(2);
    const [feed, ticker] = doc.types;
    if (feed?.kind !== 'endpointtype' || ticker?.kind !== 'objecttype') throw new Error('kinds');
    expect(feed.name).toBe('TickerFeed');
    expect(feed.in.map((e) => e.event)).toEqual(['subscribe']);
    expect(feed.out.map((e) => e.event)).toEqual(['tick', 'item', 'ping']);
    expect(feed.out[1]!.types).toEqual([
      typeExpr('Name'),
      typeExpr('Reference', typeExpr('Folder', typeExpr('Name'), typeExpr('Object'))),
    ]);
    expect(feed.out[2]!.types).toEqual([]);
    expect(feed.provides).toMatchObject([{ formalism: 'liveobjects.guarantees', text: 'reliable fifo' }]);
    expect(feed.requires).toMatchObject([{ formalism: 'liveobjects.count', text: 'at-most 1' }]);
    expect(feed.pos).toEqual({ line: 4, column: 3 });
    expect(ticker.endpoints).toMatchObject([
      { name: 'feed', type: typeExpr('TickerFeed'), pos: { line: 13, column: 5 } },
    ]);
  });

  it('reads composites, defaulting an export name to the endpoint name', () => {
    const doc = parseLiveObject(
      file(`<composite>
  <component name="chan"><primitive id="qsm.channel"/></component>
  <component name="note"><primitive id="0123456789abcdefABCDEF0123456789"/></component>
  <connect a="chan.channel" b="note.channel"/>
  <export endpoint="note.ui"/>
  <export endpoint="chan.channel" as="raw"/>
</composite>`),
    );
    expect(doc.reference).toMatchObject({
      kind: 'composite',
      components: [{ name: 'chan' }, { name: 'note', reference: { id: '0123456789abcdefABCDEF0123456789' } }],
      connections: [
        { a: { component: 'chan', endpoint: 'channel' }, b: { component: 'note', endpoint: 'channel' } },
      ],
      exports: [
        { endpoint: { component: 'note', endpoint: 'ui' }, as: 'ui' },
        { endpoint: { component: 'chan', endpoint: 'channel' }, as: 'raw' },
      ],
    });
  });

  it('reads every kind of template argument', () => {
    const doc = parseLiveObject(
      file(`<parameterized>
  <template><primitive id="t.x"/></template>
  <param name="s"><value type="string"> a &amp; b &lt;c&gt; <![CDATA[<d>]]> </value></param>
  <param name="i"><value type="int">
    -42
  </value></param>
  <param name="d"><value type="double">-1.5e-3</value></param>
  <param name="b"><value type="bool">true</value></param>
  <param name="y"><value type="bytes">AAEC/w==</value></param>
  <param name="e"><value type="bytes"/></param>
  <param name="a"><value type="address">10.0.0.5:7070</value></param>
  <param name="v6"><value type="address">[::1]:0</value></param>
  <param name="t"><type> Reference&lt;Channel&lt;Bytes&gt;&gt; </type></param>
  <param name="r"><primitive id="liveobjects.registry"/></param>
</parameterized>`),
    );
    if (doc.reference.kind !== 'parameterized') throw new Error('kind');
    const values = Object.fromEntries(doc.reference.params.map((p) => [p.name, p.value]));
    expect(values).toEqual({
      s: { kind: 'value', value: { type: 'string', value: ' a & b <c> <d> ' } },
      i: { kind: 'value', value: { type: 'int', value: -42 } },
      d: { kind: 'value', value: { type: 'double', value: -0.0015 } },
      b: { kind: 'value', value: { type: 'bool', value: true } },
      y: { kind: 'value', value: { type: 'bytes', value: new Uint8Array([0, 1, 2, 255]) } },
      e: { kind: 'value', value: { type: 'bytes', value: new Uint8Array([]) } },
      a: { kind: 'value', value: { type: 'address', value: { host: '10.0.0.5', port: 7070 } } },
      v6: { kind: 'value', value: { type: 'address', value: { host: '::1', port: 0 } } },
      t: { kind: 'type', type: typeExpr('Reference', typeExpr('Channel', typeExpr('Bytes'))) },
      r: {
        kind: 'reference',
        reference: { kind: 'primitive', id: 'liveobjects.registry', pos: { line: 16, column: 19 } },
      },
    });
  });

  it('accepts comments, a byte order mark, CRLF line ends and a prefixed root', () => {
    const doc = parseLiveObject(
      '\uFEFF<?xml version="1.0"?>\r\n<!-- a note -->\r\n<lo:liveobject xmlns:lo="urn:liveobjects:1" version="1">\r\n' +
        '  <lo:meta><lo:author>Ann</lo:author><!-- x --></lo:meta>\r\n  <lo:primitive id="a.b"/>\r\n</lo:liveobject>\r\n',
    );
    expect(doc.meta).toEqual({ author: 'Ann' });
    expect(doc.reference).toEqual({ kind: 'primitive', id: 'a.b', pos: { line: 5, column: 3 } });
  });

  it('accepts a file of exactly 1 MiB', () => {
    const base = file(P);
    const padding = 1024 * 1024 - base.length - '<!---->'.length;
    const text = `${base}<!--${' '.repeat(padding)}-->`;
    expect(new TextEncoder().encode(text).length).toBe(1024 * 1024);
    expect(parseLiveObject(text).reference).toMatchObject({ id: 'a.b' });
  });

  it('accepts element depth 64', () => {
    // root(1) external(2) from(3) … external(62) from(63) primitive(64)
    let ref = P;
    for (let i = 0; i < 31; i++) ref = `<external name="n" as="Object"><from>${ref}</from></external>`;
    expect(parseLiveObject(file(ref)).reference.kind).toBe('external');
  });
});

interface ErrorCase {
  readonly text: string;
  /** Where the error must point: explicitly, or at the n-th (default first) occurrence of a marker. */
  readonly line?: number;
  readonly column?: number;
  readonly at?: string | readonly [string, number];
  readonly expected: string | RegExp;
  readonly message?: RegExp;
}

const deep = (levels: number): string => {
  let ref = P;
  for (let i = 0; i < levels; i++) ref = `<external name="n" as="Object"><from>${ref}</from></external>`;
  return file(ref);
};

const param = (value: string): string =>
  file(`<parameterized><template>${P}</template><param name="p">${value}</param></parameterized>`);

const value = (type: string, text: string): string => param(`<value type="${type}">${text}</value>`);
/** Line and column of the n-th occurrence of `marker` in `text`. */
function locate(text: string, marker: string, nth = 1): { line: number; column: number } {
  let index = -1;
  for (let i = 0; i < nth; i++) {
    index = text.indexOf(marker, index + 1);
    if (index < 0) throw new Error(`marker ${marker} #${nth} not in test text`);
  }
  const before = text.slice(0, index).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

const ERRORS: Record<string, ErrorCase> = {
  'empty file': { text: '', line: 1, column: 1, expected: '<liveobject>' },
  // Found by fuzzing: each was read as if nothing were wrong, or reported unreadably.
  'two byte order marks (the first is no column)': {
    text: `\uFEFF\uFEFF${file(P)}`,
    line: 1,
    column: 1,
    expected: 'the XML declaration or <liveobject>',
    message: /1:1: a second byte order mark \(U\+FEFF\): a \.liveobject file starts with at most one$/,
  },
  'an XML 1.1 declaration': {
    text: `<?xml version="1.1"?>\n${file(P)}`,
    line: 1,
    column: 16,
    expected: 'version="1.0"',
    message: /XML 1\.1 is not allowed: a \.liveobject file is XML 1\.0/,
  },
  'a 900,000-character attribute name, cut in the message': {
    text: file(`<primitive id="a.b" ${'z'.repeat(900_000)}="1"/>`),
    at: 'zzz',
    expected: /^only the attribute id on <primitive>$/,
    message: new RegExp(`found attribute ${'z'.repeat(80)}… \\(900000 characters\\)$`),
  },
  'a 900,000-character format version, cut in the message': {
    text: file(P).replace('version="1"', `version="${'9'.repeat(900_000)}"`),
    at: '999',
    expected: 'version="1"',
    message: new RegExp(`unsupported format version "${'9'.repeat(80)}… \\(900000 characters\\)"`),
  },
  'child inside connect': {
    text: file(
      `<composite><component name="a">${P}</component><connect a="a.x" b="a.y">${P}</connect></composite>`,
    ),
    at: ['<primitive', 2],
    expected: '</connect>',
  },
  'truncated XML': {
    text: `${HEAD}${P}\n`,
    line: 4,
    column: 1,
    expected: '</liveobject>',
    message: /4:1: expected <\/liveobject> but found end of file/,
  },
  'truncated inside a tag': {
    text: `${HEAD}<primitive id="a`,
    line: 3,
    column: 17,
    expected: '</liveobject>',
  },
  'mismatched end tag': {
    text: file(`<external name="n" as="A"><from>${P}</form></external>`),
    line: 3,
    column: 54,
    expected: '</from>',
    message: /expected <\/from> but found <\/form>/,
  },
  'wrong root element': {
    text: '<liveobjects xmlns="urn:liveobjects:1" version="1"/>',
    line: 1,
    column: 1,
    expected: 'root element <liveobject>',
  },
  'wrong namespace': {
    text: `<liveobject xmlns="urn:liveobjects:2" version="1">${P}</liveobject>`,
    line: 1,
    column: 20,
    expected: 'xmlns="urn:liveobjects:1" on <liveobject>',
    message: /found namespace urn:liveobjects:2/,
  },
  'no namespace': {
    text: `<liveobject version="1">${P}</liveobject>`,
    line: 1,
    column: 1,
    expected: 'xmlns="urn:liveobjects:1" on <liveobject>',
    message: /no namespace/,
  },
  'wrong version': {
    text: `<liveobject xmlns="urn:liveobjects:1" version="2">${P}</liveobject>`,
    line: 1,
    column: 48,
    expected: 'version="1"',
    message: /unsupported format version "2"/,
  },
  'missing version': {
    text: `<liveobject xmlns="urn:liveobjects:1">${P}</liveobject>`,
    line: 1,
    column: 1,
    expected: 'attribute version="…" on <liveobject>',
  },
  DOCTYPE: {
    text: `<?xml version="1.0"?>\n<!DOCTYPE liveobject>\n<liveobject xmlns="urn:liveobjects:1" version="1">${P}</liveobject>`,
    line: 2,
    column: 1,
    expected: 'no DOCTYPE',
  },
  'billion laughs': {
    text:
      '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n  <!ENTITY lol "lol">\n  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n]>\n' +
      '<liveobject xmlns="urn:liveobjects:1" version="1"><meta><title>&lol2;</title></meta>' +
      `${P}</liveobject>`,
    line: 3,
    column: 3,
    expected: 'no entity declarations',
    message: /entity-expansion/,
  },
  'undefined entity': {
    text: file('<primitive id="a&foo;b"/>'),
    line: 3,
    column: 17,
    expected: /predefined entity/,
    message: /undefined entity &foo;/,
  },
  'processing instruction': {
    text: file(`<?xml-stylesheet href="a.css"?>${P}`),
    line: 3,
    column: 1,
    expected: 'no processing instructions other than the XML declaration',
  },
  'non-UTF-8 encoding': {
    text: `<?xml version="1.0" encoding="ISO-8859-1"?><liveobject xmlns="urn:liveobjects:1" version="1">${P}</liveobject>`,
    line: 1,
    column: 31,
    expected: 'encoding="utf-8"',
  },
  'file over 1 MiB (counted in UTF-8 bytes)': {
    // 'é' is two bytes: under 1 MiB in characters, over it in bytes.
    text: file(`<meta><title>${'é'.repeat(600_000)}</title></meta>${P}`),
    line: 1,
    column: 1,
    expected: 'at most 1048576 bytes (1 MiB)',
    message: /file too large: 12001\d\d bytes of UTF-8, the limit is 1048576 bytes/,
  },
  'element depth 65': {
    text: deep(32),
    line: 3,
    column: 32 * '<external name="n" as="Object">'.length + 31 * '<from>'.length + 1,
    expected: 'element depth at most 64',
    message: /found <from> at depth 65/,
  },
  'unknown reference element': {
    text: file('<primitve id="a.b"/>'),
    line: 3,
    column: 1,
    expected:
      /<meta>, <types>, a reference element \(<primitive>, <composite>, <external> or <parameterized>\) inside <liveobject>/,
  },
  'element in a foreign namespace': {
    text: file('<primitive xmlns="urn:other" id="a.b"/>'),
    line: 3,
    column: 1,
    expected: /reference element/,
    message: /in namespace urn:other/,
  },
  'unknown meta element': {
    text: file(`<meta><titel>x</titel></meta>${P}`),
    line: 3,
    column: 7,
    expected: '<title>, <description>, <author> or </meta>',
  },
  'duplicate meta element': {
    text: file(`<meta><title>x</title><title>y</title></meta>${P}`),
    line: 3,
    column: 23,
    expected: 'at most one <title> in <meta>',
  },
  'element inside meta text': {
    text: file(`<meta><title>x<b>y</b></title></meta>${P}`),
    line: 3,
    column: 15,
    expected: 'only text inside <title>',
  },
  'meta after types': {
    text: file(`<types/><meta/>${P}`),
    line: 3,
    column: 9,
    expected: /^a reference element .* inside <liveobject>$/,
  },
  'no reference': { text: file('<meta/>'), line: 4, column: 1, expected: /^a reference element/ },
  'two references': { text: file(`${P}${P}`), line: 3, column: 22, expected: '</liveobject>' },
  'text where none is allowed': {
    text: file(`<composite>\n  oops <component name="a">${P}</component></composite>`),
    line: 4,
    column: 3,
    expected: 'no text inside <composite>',
    message: /found text "oops"/,
  },
  'missing attribute': {
    text: file('<primitive/>'),
    line: 3,
    column: 1,
    expected: 'attribute id="…" on <primitive>',
  },
  'extra attribute': {
    text: file('<primitive id="a.b" kind="x"/>'),
    line: 3,
    column: 21,
    expected: 'only the attribute id on <primitive>',
    message: /found attribute kind/,
  },
  'attribute on an attribute-less element': {
    text: file(`<composite x="1"><component name="a">${P}</component></composite>`),
    line: 3,
    column: 12,
    expected: 'no attributes on <composite>',
  },
  'bad primitive id': {
    text: file('<primitive id="not an id"/>'),
    line: 3,
    column: 16,
    expected: 'a dotted name (such as qsm.channel) or 32 hex digits as id',
  },
  'child inside primitive': {
    text: file(`<primitive id="a.b">${P}</primitive>`),
    line: 3,
    column: 21,
    expected: '</primitive>',
  },
  'empty composite': {
    text: file('<composite></composite>'),
    line: 3,
    column: 12,
    expected: '<component> inside <composite>',
  },
  'duplicate component': {
    text: file(
      `<composite>\n<component name="a">${P}</component>\n<component name="a">${P}</component>\n</composite>`,
    ),
    line: 5,
    column: 18,
    expected: 'a unique component name',
    message: /found 'a' again \(first at 4:18\)/,
  },
  'component without reference': {
    text: file('<composite><component name="a"></component></composite>'),
    line: 3,
    column: 32,
    expected: /^a reference element .* inside <component>$/,
  },
  'component after connect': {
    text: file(
      `<composite><component name="a">${P}</component><connect a="a.x" b="a.y"/><component name="b">${P}</component></composite>`,
    ),
    at: ['<component', 2],
    expected: '<connect>, <export> or </composite>',
  },
  'connect to an unknown component': {
    text: file(`<composite><component name="a">${P}</component><connect a="a.x" b="c.y"/></composite>`),
    at: 'c.y',
    expected: 'a component of this composite (a)',
    message: /found 'c'/,
  },
  'malformed endpoint path': {
    text: file(`<composite><component name="a">${P}</component><connect a="ax" b="a.y"/></composite>`),
    at: 'ax',
    expected: 'Component.endpoint (two names joined by a dot)',
  },
  'endpoint connected twice': {
    text: file(
      `<composite><component name="a">${P}</component><connect a="a.x" b="a.y"/><connect a="a.z" b="a.x"/></composite>`,
    ),
    at: ['a.x', 2],
    expected: /^a unique connection of this endpoint/,
  },
  'export of an unknown component': {
    text: file(`<composite><component name="a">${P}</component><export endpoint="b.ui"/></composite>`),
    at: 'b.ui',
    expected: 'a component of this composite (a)',
  },
  'duplicate export name': {
    text: file(
      `<composite><component name="a">${P}</component><export endpoint="a.ui"/><export endpoint="a.x" as="ui"/></composite>`,
    ),
    at: ['ui"/>', 2],
    expected: 'a unique export name',
  },
  'external without from (misspelt)': {
    text: file(`<external name="n" as="Object"><form>${P}</form></external>`),
    line: 3,
    column: 32,
    expected: '<from> inside <external>',
    message: /test\.liveobject:3:32: expected <from> inside <external> but found <form>/,
  },
  'external with two froms': {
    text: file(`<external name="n" as="Object"><from>${P}</from><from>${P}</from></external>`),
    at: ['<from>', 2],
    expected: '</external>',
  },
  'from with two references': {
    text: file(`<external name="n" as="Object"><from>${P}${P}</from></external>`),
    line: 3,
    column: 59,
    expected: '</from>',
  },
  'external with an empty name': {
    text: file(`<external name="" as="Object"><from>${P}</from></external>`),
    line: 3,
    column: 17,
    expected: 'a non-empty name',
  },
  'bad type expression in an attribute': {
    text: file(`<external name="n" as="Folder&lt;Name Object&gt;"><from>${P}</from></external>`),
    at: 'Object&gt;',
    expected: "',' or '>'",
    message: /expected ',' or '>' but found 'O' in type 'Folder<Name Object>'/,
  },
  'bad type expression in <type>': {
    text: param('<type>\n  Channel&lt;&gt;</type>'),
    at: '&gt;</type>',
    expected: 'a type name',
  },
  'bad type in an event type list': {
    text: file(`<types><endpointtype name="E"><in event="e" type="String, 1x"/></endpointtype></types>${P}`),
    line: 3,
    column: 59,
    expected: 'a type name',
  },
  'parameterized without template': {
    text: file('<parameterized><param name="p"><value type="int">1</value></param></parameterized>'),
    line: 3,
    column: 16,
    expected: '<template> inside <parameterized>',
  },
  'duplicate parameter': {
    text: file(
      `<parameterized><template>${P}</template><param name="p">${P}</param><param name="p">${P}</param></parameterized>`,
    ),
    at: ['p"', 2],
    expected: 'a unique parameter name',
  },
  'parameter without value': {
    text: param(''),
    at: '</param>',
    expected: 'a reference element, <value> or <type> inside <param>',
  },
  'parameter with two values': { text: param(`${P}${P}`), at: ['<primitive', 3], expected: '</param>' },
  'unknown value type': {
    text: param('<value type="float">1</value>'),
    at: 'float',
    expected: 'a value type (string, int, double, bool, bytes, address)',
  },
  'bad int': { text: value('int', '12x'), at: '12x', expected: /^an integer .* in an int value$/ },
  'int out of safe range': { text: value('int', '9007199254740993'), at: '9007', expected: /between/ },
  'bad double': { text: value('double', 'NaN'), at: 'NaN', expected: /decimal number/ },
  'infinite double': { text: value('double', '1e400'), at: '1e400', expected: /finite number/ },
  'bad bool': { text: value('bool', 'yes'), at: 'yes', expected: 'true or false in a bool value' },
  'bad bytes': { text: value('bytes', 'QUJD!A=='), at: '!A==', expected: /^base64/ },
  'non-canonical bytes': { text: value('bytes', 'QR=='), at: 'R==', expected: /^base64/ },
  'bad address (no port)': { text: value('address', 'localhost'), at: '</value>', expected: /host:port/ },
  'bad address (port)': {
    text: value('address', 'h:70000'),
    at: '70000',
    expected: /port number from 0 to 65535/,
  },
  'bad address (bare IPv6)': {
    text: value('address', '::1:80'),
    at: '::1:80',
    expected: /IPv6 goes inside \[ \]/,
  },
  'duplicate declared type': {
    text: file('<types><objecttype name="T"/><endpointtype name="T"/></types>' + P),
    line: 3,
    column: 50,
    expected: 'a unique declared type name',
  },
  'unknown declaration': {
    text: file(`<types><valuetype name="T"/></types>${P}`),
    line: 3,
    column: 8,
    expected: '<endpointtype>, <objecttype> or </types>',
  },
  'in after provides': {
    text: file(
      `<types><endpointtype name="E"><provides formalism="f">x</provides><in event="e"/></endpointtype></types>${P}`,
    ),
    line: 3,
    column: 67,
    expected: '<provides>, <requires> or </endpointtype>',
  },
  'missing formalism': {
    text: file(`<types><objecttype name="T"><requires>x</requires></objecttype></types>${P}`),
    line: 3,
    column: 29,
    expected: 'attribute formalism="…" on <requires>',
  },
  'duplicate endpoint in an object type': {
    text: file(
      `<types><objecttype name="T"><endpoint name="e" type="A"/><endpoint name="e" type="B"/></objecttype></types>${P}`,
    ),
    at: ['e"', 2],
    expected: 'a unique endpoint name',
  },
};

describe('parseLiveObject: errors name the line, the column and what was expected', () => {
  for (const [name, c] of Object.entries(ERRORS)) {
    it(name, () => {
      const e = parseError(c.text);
      if (typeof c.expected === 'string') expect(e.expected).toBe(c.expected);
      else expect(e.expected).toMatch(c.expected);
      const where =
        c.at === undefined
          ? { line: c.line, column: c.column }
          : typeof c.at === 'string'
            ? locate(c.text, c.at)
            : locate(c.text, c.at[0], c.at[1]);
      expect({ line: e.line, column: e.column }).toEqual(where);
      expect(e.message.startsWith(`test.liveobject:${where.line}:${where.column}: `)).toBe(true);
      if (c.message) expect(e.message).toMatch(c.message);
      expect(e.source).toBe('test.liveobject');
    });
  }
});

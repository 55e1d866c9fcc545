// Reads XML text into a small positioned element tree with saxes, enforcing the envelope
// rules of liveobject-format.md that are about XML itself: depth, no DOCTYPE or entity
// declarations (entity-expansion attacks), no processing instructions, XML 1.0 and UTF-8 only.
// Element and attribute meaning is checked later, on the tree.
import { SaxesParser } from 'saxes';
import type { SaxesTagNS } from 'saxes';
import type { SourcePosition } from './document';
import type { FormatError } from './errors';
import { MAX_DEPTH } from './constants';
import { rawIndex } from './source';
import type { SourceText } from './source';

export interface XmlAttribute {
  readonly qname: string;
  readonly local: string;
  readonly prefix: string;
  readonly uri: string;
  readonly value: string;
  /** Position of the attribute name. */
  readonly pos: SourcePosition;
  /** Position of character `index` of the (decoded) value; index = value.length is just past it. */
  valueAt(index: number): SourcePosition;
}

/** One run of character data between two child elements (comments and CDATA merged in). */
export interface XmlText {
  readonly kind: 'text';
  readonly text: string;
  readonly pos: SourcePosition;
  at(index: number): SourcePosition;
}

export interface XmlElement {
  readonly kind: 'element';
  readonly qname: string;
  readonly local: string;
  readonly uri: string;
  readonly attributes: readonly XmlAttribute[];
  readonly children: readonly XmlNode[];
  /** Position of the start tag's `<`. */
  readonly pos: SourcePosition;
  /** Position of the end tag's `<` (the start tag's for an empty element). */
  readonly endPos: SourcePosition;
}

export type XmlNode = XmlElement | XmlText;

interface TextPiece {
  readonly start: number; // offset in the merged decoded text
  readonly rawStart: number;
  readonly raw: string;
  readonly cdata: boolean;
}

class TextBuilder implements XmlText {
  readonly kind = 'text';
  text = '';
  readonly pieces: TextPiece[] = [];
  constructor(
    private readonly src: SourceText,
    readonly pos: SourcePosition,
  ) {}

  add(decoded: string, rawStart: number, raw: string, cdata: boolean): void {
    this.pieces.push({ start: this.text.length, rawStart, raw, cdata });
    this.text += decoded;
  }

  at(index: number): SourcePosition {
    let piece = this.pieces[0]!;
    for (const p of this.pieces) if (p.start <= index) piece = p;
    return this.src.position(piece.rawStart + rawIndex(piece.raw, index - piece.start, piece.cdata));
  }
}

interface ElementBuilder extends XmlElement {
  readonly children: XmlNode[];
  endPos: SourcePosition;
}

// Attributes as written in a start tag; saxes has already checked the tag is well-formed.
const ATTRIBUTE = /([^\s=/<>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

export function readXml(src: SourceText): XmlElement {
  const text = src.text;
  const parser = new SaxesParser({ xmlns: true, position: true });
  const stack: ElementBuilder[] = [];
  let root: ElementBuilder | undefined;
  let tagStart = 0;
  let lastEnd = 0; // end offset of the last markup seen: where the next text run starts

  const here = (): number => parser.position;

  const addText = (decoded: string, rawStart: number, raw: string, cdata: boolean): void => {
    const parent = stack[stack.length - 1];
    if (parent === undefined) return; // whitespace around the root; saxes rejects anything else
    const last = parent.children[parent.children.length - 1];
    let node: TextBuilder;
    if (last instanceof TextBuilder) node = last;
    else {
      node = new TextBuilder(src, src.position(rawStart));
      parent.children.push(node);
    }
    node.add(decoded, rawStart, raw, cdata);
  };

  parser.on('error', (e) => {
    throw translateSaxesError(src, e.message, here());
  });
  parser.on('xmldecl', (decl) => {
    if (decl.version !== undefined && decl.version !== '1.0') {
      const at = text.indexOf(decl.version, text.lastIndexOf('version', here()));
      throw src.error(
        at,
        'version="1.0"',
        `version="${decl.version}"`,
        `XML ${decl.version} is not allowed: a .liveobject file is XML 1.0 (<?xml version="1.0"?>)`,
      );
    }
    if (decl.encoding !== undefined && !/^utf-8$/i.test(decl.encoding)) {
      const at = text.indexOf(decl.encoding, text.lastIndexOf('encoding', here()));
      throw src.error(at, 'encoding="utf-8"', `encoding="${decl.encoding}"`);
    }
    lastEnd = here();
  });
  parser.on('doctype', () => {
    const start = text.lastIndexOf('<!DOCTYPE', here() - 1);
    const entity = text.indexOf('<!ENTITY', start);
    if (entity >= 0 && entity < here()) {
      throw src.error(
        entity,
        'no entity declarations',
        '<!ENTITY',
        'entity declarations are not allowed in a .liveobject file (they enable entity-expansion attacks)',
      );
    }
    throw src.error(
      start,
      'no DOCTYPE',
      '<!DOCTYPE',
      'a .liveobject file must not have a DOCTYPE declaration',
    );
  });
  parser.on('processinginstruction', (pi) => {
    throw src.error(
      text.lastIndexOf('<?', here() - 1),
      'no processing instructions other than the XML declaration',
      `<?${pi.target}?>`,
    );
  });
  parser.on('comment', () => {
    lastEnd = here();
  });
  parser.on('text', (decoded) => {
    let end = text.indexOf('<', lastEnd);
    if (end < 0) end = text.length;
    addText(decoded, lastEnd, text.slice(lastEnd, end), false);
    lastEnd = end;
  });
  parser.on('cdata', (decoded) => {
    const start = text.lastIndexOf('<![CDATA[', here() - 1) + '<![CDATA['.length;
    addText(decoded, start, text.slice(start, here() - ']]>'.length), true);
    lastEnd = here();
  });
  parser.on('opentagstart', (tag) => {
    tagStart = text.lastIndexOf('<', here() - 1);
    if (stack.length >= MAX_DEPTH) {
      throw src.error(
        tagStart,
        `element depth at most ${MAX_DEPTH}`,
        `<${tag.name}> at depth ${stack.length + 1}`,
      );
    }
  });
  parser.on('opentag', (tag) => {
    const el = buildElement(src, tag, tagStart, here());
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(el);
    else root = el;
    stack.push(el);
    lastEnd = here();
  });
  parser.on('closetag', (tag) => {
    const el = stack.pop()!;
    if (!tag.isSelfClosing) {
      const start = text.lastIndexOf('</', here() - 1);
      const name = text.slice(start + 2, text.indexOf('>', start)).trim();
      if (name !== tag.name) throw src.error(start, `</${tag.name}>`, `</${name}>`);
      el.endPos = src.position(start);
    }
    lastEnd = here();
  });

  parser.write(text).close();
  // saxes reports a missing root through the error handler, so root is set here.
  return root!;
}

function buildElement(src: SourceText, tag: SaxesTagNS, start: number, end: number): ElementBuilder {
  const tagText = src.text.slice(start, end);
  const attributes: XmlAttribute[] = [];
  ATTRIBUTE.lastIndex = 1 + tag.name.length;
  for (let m = ATTRIBUTE.exec(tagText); m; m = ATTRIBUTE.exec(tagText)) {
    const qname = m[1]!;
    const raw = m[2] ?? m[3] ?? '';
    const valueStart = start + m.index + m[0].length - 1 - raw.length;
    const info = tag.attributes[qname];
    if (!info) continue;
    attributes.push({
      qname,
      local: info.local,
      prefix: info.prefix,
      uri: info.uri,
      value: info.value,
      pos: src.position(start + m.index),
      valueAt: (index) => src.position(valueStart + rawIndex(raw, index)),
    });
  }
  const pos = src.position(start);
  return {
    kind: 'element',
    qname: tag.name,
    local: tag.local,
    uri: tag.uri,
    attributes,
    children: [],
    pos,
    endPos: pos,
  };
}

function translateSaxesError(src: SourceText, message: string, offset: number): FormatError {
  const msg = message.replace(/^\d+:\d+: /, '').replace(/\.$/, '');
  const end = src.text.length;
  const unclosed = /^unclosed tag: (.*)$/.exec(msg);
  if (unclosed) return src.error(end, `</${unclosed[1]}>`, 'end of file');
  if (msg === 'document must contain a root element') return src.error(end, '<liveobject>', 'end of file');
  if (msg === 'unexpected end') return src.error(end, 'the rest of the markup', 'end of file');
  if (msg === 'undefined entity') {
    const amp = src.text.lastIndexOf('&', offset - 1);
    const semi = src.text.indexOf(';', amp);
    return src.error(
      amp,
      'a predefined entity (&amp; &lt; &gt; &quot; &apos;) or a character reference',
      `undefined entity ${src.text.slice(amp, semi + 1)}`,
    );
  }
  return src.error(Math.max(0, offset - 1), 'well-formed XML', undefined, `malformed XML: ${msg}`);
}

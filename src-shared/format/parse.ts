// Reads a .liveobject file (liveobject-format.md, normative) into a LiveObjectDocument.
// Every violation throws a FormatError naming the line, the column and what was expected.
import type { LiveObjectDocument, Meta, Reference, TypeDecl } from './document';
import { FORMAT_VERSION, MAX_FILE_BYTES, NAMESPACE } from './constants';
import { describeElement, isElement, Reader } from './content';
import { parseReference, isReferenceElement, ANY_REFERENCE } from './parse-reference';
import { parseTypes } from './parse-types';
import { SourceText } from './source';
import { readXml } from './xml-reader';
import type { XmlElement } from './xml-reader';

export interface ParseOptions {
  /** File name or URL to put in front of error positions. */
  readonly source?: string;
}

export function parseLiveObject(text: string, options: ParseOptions = {}): LiveObjectDocument {
  // One byte order mark may open the file: an encoding signature, not a column of line 1.
  const body = text.charCodeAt(0) === BOM ? text.slice(1) : text;
  const src = new SourceText(body, options.source);
  if (body.charCodeAt(0) === BOM) {
    throw src.error(
      0,
      'the XML declaration or <liveobject>',
      'a second byte order mark',
      'a second byte order mark (U+FEFF): a .liveobject file starts with at most one',
    );
  }
  const size = utf8Length(text);
  if (size > MAX_FILE_BYTES) {
    throw src.error(
      { line: 1, column: 1 },
      `at most ${MAX_FILE_BYTES} bytes (1 MiB)`,
      `${size} bytes`,
      `file too large: ${size} bytes of UTF-8, the limit is ${MAX_FILE_BYTES} bytes (1 MiB)`,
    );
  }
  return parseRoot(new Reader(src), readXml(src));
}

const BOM = 0xfeff;

function parseRoot(r: Reader, root: XmlElement): LiveObjectDocument {
  if (root.local !== 'liveobject') throw r.error(root.pos, 'root element <liveobject>', `<${root.qname}>`);
  if (root.uri !== NAMESPACE) {
    const decl = root.attributes.find(
      (a) => a.qname === (root.qname.includes(':') ? `xmlns:${root.qname.split(':')[0]}` : 'xmlns'),
    );
    throw r.error(
      decl ? decl.valueAt(0) : root.pos,
      `xmlns="${NAMESPACE}" on <liveobject>`,
      root.uri === '' ? 'no namespace' : `namespace ${root.uri}`,
    );
  }
  const version = r.attributes(root, ['version']).get('version')!;
  if (version.value !== FORMAT_VERSION) {
    throw r.error(
      version.valueAt(0),
      `version="${FORMAT_VERSION}"`,
      `version="${version.value}"`,
      `unsupported format version "${version.value}"; this reader understands version="${FORMAT_VERSION}"`,
    );
  }

  const cursor = r.children(root);
  const metaEl = cursor.take('meta');
  const meta = metaEl ? parseMeta(r, metaEl) : {};
  const typesEl = cursor.take('types');
  const types: TypeDecl[] = typesEl ? parseTypes(r, typesEl) : [];
  const refEl = cursor.next();
  if (!refEl || !isReferenceElement(refEl)) {
    const expected = [
      ...(metaEl || typesEl ? [] : ['<meta>']),
      ...(typesEl ? [] : ['<types>']),
      ANY_REFERENCE,
    ];
    throw refEl
      ? r.error(refEl.pos, `${expected.join(', ')} inside <liveobject>`, describeElement(refEl))
      : r.error(root.endPos, `${ANY_REFERENCE} inside <liveobject>`, '</liveobject>');
  }
  const reference: Reference = parseReference(r, refEl);
  cursor.end();
  return { meta, types, reference };
}

const META_FIELDS = ['title', 'description', 'author'] as const;

function parseMeta(r: Reader, el: XmlElement): Meta {
  r.attributes(el, []);
  const meta: { -readonly [K in keyof Meta]: Meta[K] } = {};
  for (const child of r.elements(el)) {
    const field = META_FIELDS.find((f) => isElement(child, f));
    if (!field)
      throw r.error(child.pos, '<title>, <description>, <author> or </meta>', describeElement(child));
    if (meta[field] !== undefined)
      throw r.error(child.pos, `at most one <${field}> in <meta>`, `a second <${field}>`);
    r.attributes(child, []);
    meta[field] = r.text(child).text;
  }
  return meta;
}

/** UTF-8 size without encoding: the limit must be checked before anything else touches the text. */
export function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c < 0xdc00 && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

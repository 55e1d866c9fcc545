// Writes the canonical text of a .liveobject file: XML declaration, 2-space indentation,
// attributes in the order of the spec's examples, empty elements self-closed, trailing
// newline. Equal documents give identical bytes, and parseLiveObject reads back the same
// document (positions aside).
import { formatTypeExpr } from '../model/type-expr';
import type {
  LiveObjectDocument,
  Meta,
  ParamValue,
  Reference,
  TypeDecl,
  ConstraintDecl,
  EventDecl,
} from './document';
import { FORMAT_VERSION, NAMESPACE } from './constants';
import { formatValue } from './values';

interface Node {
  readonly name: string;
  /** In output order; undefined values are left out. */
  readonly attrs?: readonly (readonly [string, string | undefined])[];
  readonly children?: readonly Node[];
  readonly text?: string;
}

export function writeLiveObject(doc: LiveObjectDocument): string {
  const children: Node[] = [];
  const meta = metaNode(doc.meta);
  if (meta) children.push(meta);
  if (doc.types.length > 0) children.push({ name: 'types', children: doc.types.map(typeDeclNode) });
  children.push(referenceNode(doc.reference));
  const root: Node = {
    name: 'liveobject',
    attrs: [
      ['xmlns', NAMESPACE],
      ['version', FORMAT_VERSION],
    ],
    children,
  };
  const lines = ['<?xml version="1.0" encoding="utf-8"?>'];
  render(root, '', lines);
  return `${lines.join('\n')}\n`;
}

/** A complete file holding just `ref`. */
export function writeReference(ref: Reference): string {
  return writeLiveObject({ meta: {}, types: [], reference: ref });
}

function metaNode(meta: Meta): Node | undefined {
  const fields = (['title', 'description', 'author'] as const).filter((f) => meta[f] !== undefined);
  if (fields.length === 0) return undefined;
  return { name: 'meta', children: fields.map((f) => ({ name: f, text: meta[f]! })) };
}

function referenceNode(ref: Reference): Node {
  switch (ref.kind) {
    case 'primitive':
      return { name: 'primitive', attrs: [['id', ref.id]] };
    case 'composite':
      return {
        name: 'composite',
        children: [
          ...ref.components.map((c) => ({
            name: 'component',
            attrs: [['name', c.name]] as const,
            children: [referenceNode(c.reference)],
          })),
          ...ref.connections.map((c) => ({
            name: 'connect',
            attrs: [
              ['a', `${c.a.component}.${c.a.endpoint}`],
              ['b', `${c.b.component}.${c.b.endpoint}`],
            ] as const,
          })),
          ...ref.exports.map((e) => ({
            name: 'export',
            attrs: [
              ['endpoint', `${e.endpoint.component}.${e.endpoint.endpoint}`],
              // `as` defaults to the endpoint name; the canonical form leaves the default out.
              ['as', e.as === e.endpoint.endpoint ? undefined : e.as],
            ] as const,
          })),
        ],
      };
    case 'external':
      return {
        name: 'external',
        attrs: [
          ['name', ref.name],
          ['as', formatTypeExpr(ref.as)],
        ],
        children: [{ name: 'from', children: [referenceNode(ref.from)] }],
      };
    case 'parameterized':
      return {
        name: 'parameterized',
        children: [
          { name: 'template', children: [referenceNode(ref.template)] },
          ...ref.params.map((p) => ({
            name: 'param',
            attrs: [['name', p.name]] as const,
            children: [paramValueNode(p.value)],
          })),
        ],
      };
  }
}

function paramValueNode(value: ParamValue): Node {
  switch (value.kind) {
    case 'reference':
      return referenceNode(value.reference);
    case 'value':
      return { name: 'value', attrs: [['type', value.value.type]], text: formatValue(value.value) };
    case 'type':
      return { name: 'type', text: formatTypeExpr(value.type) };
  }
}

function typeDeclNode(decl: TypeDecl): Node {
  const constraints = [
    ...decl.provides.map((c) => constraintNode('provides', c)),
    ...decl.requires.map((c) => constraintNode('requires', c)),
  ];
  if (decl.kind === 'endpointtype') {
    return {
      name: 'endpointtype',
      attrs: [['name', decl.name]],
      children: [
        ...decl.in.map((e) => eventNode('in', e)),
        ...decl.out.map((e) => eventNode('out', e)),
        ...constraints,
      ],
    };
  }
  return {
    name: 'objecttype',
    attrs: [['name', decl.name]],
    children: [
      ...decl.endpoints.map((e) => ({
        name: 'endpoint',
        attrs: [
          ['name', e.name],
          ['type', formatTypeExpr(e.type)],
        ] as const,
      })),
      ...constraints,
    ],
  };
}

function eventNode(name: 'in' | 'out', e: EventDecl): Node {
  const type = e.types.length === 0 ? undefined : e.types.map(formatTypeExpr).join(', ');
  return {
    name,
    attrs: [
      ['event', e.event],
      ['type', type],
    ],
  };
}

function constraintNode(name: 'provides' | 'requires', c: ConstraintDecl): Node {
  return { name, attrs: [['formalism', c.formalism]], text: c.text };
}

function render(node: Node, indent: string, lines: string[]): void {
  let tag = node.name;
  for (const [name, value] of node.attrs ?? [])
    if (value !== undefined) tag += ` ${name}="${escapeAttribute(value)}"`;
  if (node.text !== undefined && node.text !== '') {
    lines.push(`${indent}<${tag}>${escapeText(node.text)}</${node.name}>`);
  } else if (node.children && node.children.length > 0) {
    lines.push(`${indent}<${tag}>`);
    for (const child of node.children) render(child, `${indent}  `, lines);
    lines.push(`${indent}</${node.name}>`);
  } else {
    lines.push(`${indent}<${tag}/>`);
  }
}

// XML 1.0 Char: what cannot be written at all, not even as a character reference.
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

function checkChars(text: string): void {
  const bad = NOT_XML_CHAR.exec(text);
  if (bad) {
    const code = bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    throw new RangeError(`U+${code} cannot be written in a .liveobject file (XML does not allow it)`);
  }
}

const TEXT_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  '\r': '&#xD;',
};
// Attribute values also lose literal tabs and line breaks to whitespace normalisation.
const ATTRIBUTE_ESCAPES: Record<string, string> = { ...TEXT_ESCAPES, '\t': '&#x9;', '\n': '&#xA;' };

function escapeText(text: string): string {
  checkChars(text);
  return text.replace(/[&<>"\r]/g, (c) => TEXT_ESCAPES[c]!);
}

function escapeAttribute(text: string): string {
  checkChars(text);
  return text.replace(/[&<>"\t\n\r]/g, (c) => ATTRIBUTE_ESCAPES[c]!);
}

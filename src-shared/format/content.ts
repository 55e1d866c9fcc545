// Helpers for walking the element tree: attribute sets, element-only and text-only
// content, ordered children, and the wording of "expected X but found Y".
import type { SourcePosition } from './document';
import type { FormatError } from './errors';
import { parseTypeExpr, TypeExprSyntaxError } from '../model/type-expr';
import type { TypeExpr } from '../model/type-expr';
import type { SourceText } from './source';
import type { XmlAttribute, XmlElement, XmlNode } from './xml-reader';

import { NAMESPACE } from './constants';

export function isElement(el: XmlElement | undefined, local: string): boolean {
  return el !== undefined && el.uri === NAMESPACE && el.local === local;
}

export function describeElement(el: XmlElement): string {
  if (el.uri === NAMESPACE) return `<${el.qname}>`;
  return el.uri === '' ? `<${el.qname}> (in no namespace)` : `<${el.qname}> (in namespace ${el.uri})`;
}

function describeText(text: string): string {
  const t = text.trim();
  return `text "${t.length > 24 ? `${t.slice(0, 24)}…` : t}"`;
}

/** Character data with a way to point into it. */
export interface TextContent {
  readonly text: string;
  at(index: number): SourcePosition;
}

export class Reader {
  constructor(readonly src: SourceText) {}

  error(at: SourcePosition, expected: string, found?: string, reason?: string): FormatError {
    return this.src.error(at, expected, found, reason);
  }

  /** Checks the attribute set of `el`; returns the present ones by name. Namespace declarations are ignored. */
  attributes(
    el: XmlElement,
    required: readonly string[],
    optional: readonly string[] = [],
  ): Map<string, XmlAttribute> {
    const allowed = [...required, ...optional];
    const found = new Map<string, XmlAttribute>();
    for (const attr of el.attributes) {
      if (attr.prefix === 'xmlns' || attr.qname === 'xmlns') continue;
      if (attr.uri !== '' || !allowed.includes(attr.local)) {
        const expected =
          allowed.length === 0
            ? `no attributes on <${el.qname}>`
            : `only the attribute${allowed.length > 1 ? 's' : ''} ${allowed.join(', ')} on <${el.qname}>`;
        throw this.error(attr.pos, expected, `attribute ${attr.qname}`);
      }
      found.set(attr.local, attr);
    }
    for (const name of required) {
      if (!found.has(name)) throw this.error(el.pos, `attribute ${name}="…" on <${el.qname}>`, undefined);
    }
    return found;
  }

  /** Child elements of `el`, which may hold only whitespace besides them. */
  elements(el: XmlElement): XmlElement[] {
    const out: XmlElement[] = [];
    for (const node of el.children) {
      if (node.kind === 'element') {
        out.push(node);
        continue;
      }
      const first = node.text.search(/[^ \t\r\n]/);
      if (first >= 0)
        throw this.error(node.at(first), `no text inside <${el.qname}>`, describeText(node.text));
    }
    return out;
  }

  /** Text content of `el`, which may not have child elements. */
  text(el: XmlElement): TextContent {
    const texts: XmlNode[] = [];
    for (const node of el.children) {
      if (node.kind === 'element')
        throw this.error(node.pos, `only text inside <${el.qname}>`, describeElement(node));
      texts.push(node);
    }
    const node = texts[0];
    // Comments and CDATA are merged into one run, so there is at most one text node.
    return node && node.kind === 'text' ? node : { text: '', at: () => el.endPos };
  }

  typeOfAttribute(attr: XmlAttribute): TypeExpr {
    return this.typeExpr(attr.value, (i) => attr.valueAt(i));
  }

  /** Parses a type expression found at `at(0)`; syntax errors point inside it. */
  typeExpr(text: string, at: (index: number) => SourcePosition): TypeExpr {
    try {
      return parseTypeExpr(text);
    } catch (e) {
      if (e instanceof TypeExprSyntaxError) {
        const found = e.offset < text.length ? `'${text[e.offset]}'` : 'end of type';
        throw this.error(
          at(e.offset),
          e.expected,
          undefined,
          `expected ${e.expected} but found ${found} in type '${text.trim()}'`,
        );
      }
      throw e;
    }
  }

  /** Checks `attr.value` against a name syntax. */
  name(attr: XmlAttribute, pattern: RegExp, syntax: string): string {
    if (!pattern.test(attr.value)) throw this.error(attr.valueAt(0), syntax, `${attr.qname}="${attr.value}"`);
    return attr.value;
  }

  children(parent: XmlElement): Cursor {
    return new Cursor(this, parent, this.elements(parent));
  }
}

/** Ordered walk over child elements. */
export class Cursor {
  private i = 0;
  constructor(
    private readonly reader: Reader,
    readonly parent: XmlElement,
    private readonly items: readonly XmlElement[],
  ) {}

  peek(): XmlElement | undefined {
    return this.items[this.i];
  }

  /** Consumes and returns the next element if it is `<local>`. */
  take(local: string): XmlElement | undefined {
    const el = this.peek();
    if (!isElement(el, local)) return undefined;
    this.i++;
    return el;
  }

  /** Consumes the next element whatever it is. */
  next(): XmlElement | undefined {
    const el = this.peek();
    if (el) this.i++;
    return el;
  }

  /** An error at the next element (or the end tag) saying what should have been there. */
  fail(expected: string): FormatError {
    const el = this.peek();
    return el
      ? this.reader.error(el.pos, expected, describeElement(el))
      : this.reader.error(this.parent.endPos, expected, `</${this.parent.qname}>`);
  }

  /** Requires that nothing is left; `alternatives` lists what else could have come here. */
  end(alternatives: readonly string[] = []): void {
    if (this.peek()) throw this.fail(oneOf([...alternatives, `</${this.parent.qname}>`]));
  }
}

/** `a`, `a or b`, `a, b or c`. */
export function oneOf(items: readonly string[]): string {
  return items.length <= 1
    ? (items[0] ?? '')
    : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/** Remembers names and their positions to report duplicates. */
export class UniqueNames {
  private readonly seen = new Map<string, SourcePosition>();
  constructor(
    private readonly reader: Reader,
    private readonly what: string,
  ) {}

  add(name: string, at: SourcePosition): void {
    const first = this.seen.get(name);
    if (first) {
      throw this.reader.error(
        at,
        `a unique ${this.what}`,
        `'${name}' again (first at ${first.line}:${first.column})`,
      );
    }
    this.seen.set(name, at);
  }

  has(name: string): boolean {
    return this.seen.has(name);
  }

  names(): string[] {
    return [...this.seen.keys()];
  }
}

// The `<types>` section: declared endpoint and object types (liveobject-format.md "Types").
import type { TypeExpr } from '../model/type-expr';
import type {
  ConstraintDecl,
  EndpointDecl,
  EndpointTypeDecl,
  EventDecl,
  ObjectTypeDecl,
  SourcePosition,
  TypeDecl,
} from './document';
import { describeElement, isElement, UniqueNames } from './content';
import type { Cursor, Reader } from './content';
import { DOTTED_NAME, DOTTED_NAME_SYNTAX, NAME, NAME_SYNTAX, TYPE_NAME, TYPE_NAME_SYNTAX } from './names';
import type { XmlAttribute, XmlElement } from './xml-reader';

export function parseTypes(r: Reader, el: XmlElement): TypeDecl[] {
  r.attributes(el, []);
  const cursor = r.children(el);
  const names = new UniqueNames(r, 'declared type name');
  const decls: TypeDecl[] = [];
  for (let d = cursor.next(); d; d = cursor.next()) {
    const isEndpoint = isElement(d, 'endpointtype');
    if (!isEndpoint && !isElement(d, 'objecttype')) {
      throw r.error(d.pos, '<endpointtype>, <objecttype> or </types>', describeElement(d));
    }
    const name = r.attributes(d, ['name']).get('name')!;
    names.add(r.name(name, TYPE_NAME, TYPE_NAME_SYNTAX), name.valueAt(0));
    decls.push(isEndpoint ? parseEndpointType(r, d, name.value) : parseObjectType(r, d, name.value));
  }
  return decls;
}

function parseEndpointType(r: Reader, el: XmlElement, name: string): EndpointTypeDecl {
  const cursor = r.children(el);
  const inputs: EventDecl[] = [];
  const outputs: EventDecl[] = [];
  const seen = {
    in: new UniqueNames(r, 'incoming event name'),
    out: new UniqueNames(r, 'outgoing event name'),
  };
  for (let e = cursor.take('in') ?? cursor.take('out'); e; e = cursor.take('in') ?? cursor.take('out')) {
    const attrs = r.attributes(e, ['event'], ['type']);
    const event = attrs.get('event')!;
    seen[e.local === 'in' ? 'in' : 'out'].add(r.name(event, NAME, NAME_SYNTAX), event.valueAt(0));
    r.children(e).end();
    const type = attrs.get('type');
    const decl = { event: event.value, types: type ? typeList(r, type) : [], pos: e.pos };
    (e.local === 'in' ? inputs : outputs).push(decl);
  }
  const { provides, requires } = constraints(r, cursor, ['<in>', '<out>']);
  return { kind: 'endpointtype', name, in: inputs, out: outputs, provides, requires, pos: el.pos };
}

function parseObjectType(r: Reader, el: XmlElement, name: string): ObjectTypeDecl {
  const cursor = r.children(el);
  const seen = new UniqueNames(r, 'endpoint name');
  const endpoints: EndpointDecl[] = [];
  for (let e = cursor.take('endpoint'); e; e = cursor.take('endpoint')) {
    const attrs = r.attributes(e, ['name', 'type']);
    const endpoint = attrs.get('name')!;
    seen.add(r.name(endpoint, NAME, NAME_SYNTAX), endpoint.valueAt(0));
    r.children(e).end();
    endpoints.push({ name: endpoint.value, type: r.typeOfAttribute(attrs.get('type')!), pos: e.pos });
  }
  const { provides, requires } = constraints(r, cursor, ['<endpoint>']);
  return { kind: 'objecttype', name, endpoints, provides, requires, pos: el.pos };
}

/** The trailing `<provides>` / `<requires>` of a declaration; `before` is what may precede them. */
function constraints(
  r: Reader,
  cursor: Cursor,
  before: readonly string[],
): { provides: ConstraintDecl[]; requires: ConstraintDecl[] } {
  const provides: ConstraintDecl[] = [];
  const requires: ConstraintDecl[] = [];
  let any = false;
  for (
    let c = cursor.take('provides') ?? cursor.take('requires');
    c;
    c = cursor.take('provides') ?? cursor.take('requires')
  ) {
    any = true;
    const formalism = r.attributes(c, ['formalism']).get('formalism')!;
    const decl = {
      formalism: r.name(formalism, DOTTED_NAME, DOTTED_NAME_SYNTAX),
      text: r.text(c).text,
      pos: c.pos,
    };
    (c.local === 'provides' ? provides : requires).push(decl);
  }
  cursor.end([...(any ? [] : before), '<provides>', '<requires>']);
  return { provides, requires };
}

/** `type="Name, Reference<Object>"`: type expressions separated by top-level commas. */
function typeList(r: Reader, attr: XmlAttribute): TypeExpr[] {
  const text = attr.value;
  const types: TypeExpr[] = [];
  let depth = 0;
  let start = 0;
  const piece = (end: number): void => {
    const offset = start;
    const at = (i: number): SourcePosition => attr.valueAt(offset + i);
    types.push(r.typeExpr(text.slice(start, end), at));
  };
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '<') depth++;
    else if (text[i] === '>') depth--;
    else if (text[i] === ',' && depth === 0) {
      piece(i);
      start = i + 1;
    }
  }
  piece(text.length);
  return types;
}

// Reference elements (liveobject-format.md "Reference elements") and template arguments.
import type {
  Component,
  CompositeReference,
  Connection,
  EndpointPath,
  Export,
  ExternalReference,
  Param,
  ParamValue,
  ParameterizedReference,
  PrimitiveReference,
  Reference,
} from './document';
import { describeElement, isElement, UniqueNames } from './content';
import type { Cursor, Reader } from './content';
import { isPrimitiveId, NAME, NAME_SYNTAX, PRIMITIVE_ID_SYNTAX } from './names';
import { isValueKind, parseValue, VALUE_KINDS } from './values';
import type { XmlAttribute, XmlElement } from './xml-reader';

export const REFERENCE_ELEMENTS = ['primitive', 'composite', 'external', 'parameterized'] as const;
export const ANY_REFERENCE = 'a reference element (<primitive>, <composite>, <external> or <parameterized>)';

export function isReferenceElement(el: XmlElement): boolean {
  return REFERENCE_ELEMENTS.some((name) => isElement(el, name));
}

export function parseReference(r: Reader, el: XmlElement): Reference {
  switch (isReferenceElement(el) ? el.local : '') {
    case 'primitive':
      return parsePrimitive(r, el);
    case 'composite':
      return parseComposite(r, el);
    case 'external':
      return parseExternal(r, el);
    case 'parameterized':
      return parseParameterized(r, el);
  }
  throw r.error(el.pos, ANY_REFERENCE, describeElement(el));
}

/** The single reference element inside a wrapper such as `<from>` or `<component>`. */
function onlyReference(r: Reader, wrapper: XmlElement): Reference {
  const cursor = r.children(wrapper);
  const el = cursor.next();
  if (!el || !isReferenceElement(el)) {
    throw r.children(wrapper).fail(`${ANY_REFERENCE} inside <${wrapper.qname}>`);
  }
  const ref = parseReference(r, el);
  cursor.end();
  return ref;
}

function parsePrimitive(r: Reader, el: XmlElement): PrimitiveReference {
  const id = r.attributes(el, ['id']).get('id')!;
  r.children(el).end();
  if (!isPrimitiveId(id.value))
    throw r.error(id.valueAt(0), `${PRIMITIVE_ID_SYNTAX} as id`, `id="${id.value}"`);
  return { kind: 'primitive', id: id.value, pos: el.pos };
}

function parseComposite(r: Reader, el: XmlElement): CompositeReference {
  r.attributes(el, []);
  const cursor = r.children(el);
  const names = new UniqueNames(r, 'component name');
  const components: Component[] = [];
  for (let c = cursor.take('component'); c; c = cursor.take('component')) {
    const name = r.attributes(c, ['name']).get('name')!;
    names.add(r.name(name, NAME, NAME_SYNTAX), name.valueAt(0));
    components.push({ name: name.value, reference: onlyReference(r, c), pos: c.pos });
  }
  if (components.length === 0) throw cursor.fail('<component> inside <composite>');

  const connected = new UniqueNames(r, 'connection of this endpoint (each is connected at most once)');
  const connections: Connection[] = [];
  for (let c = cursor.take('connect'); c; c = cursor.take('connect')) {
    const attrs = r.attributes(c, ['a', 'b']);
    r.children(c).end();
    const a = endpointPath(r, attrs.get('a')!, names);
    const b = endpointPath(r, attrs.get('b')!, names);
    connected.add(`${a.component}.${a.endpoint}`, attrs.get('a')!.valueAt(0));
    connected.add(`${b.component}.${b.endpoint}`, attrs.get('b')!.valueAt(0));
    connections.push({ a, b, pos: c.pos });
  }

  const exported = new UniqueNames(r, 'export name');
  const exports: Export[] = [];
  for (let c = cursor.take('export'); c; c = cursor.take('export')) {
    const attrs = r.attributes(c, ['endpoint'], ['as']);
    r.children(c).end();
    const endpoint = endpointPath(r, attrs.get('endpoint')!, names);
    const as = attrs.get('as');
    const name = as ? r.name(as, NAME, NAME_SYNTAX) : endpoint.endpoint;
    exported.add(name, (as ?? attrs.get('endpoint')!).valueAt(0));
    exports.push({ endpoint, as: name, pos: c.pos });
  }
  // Components, then connects, then exports: name what could still have come here.
  cursor.end(
    exports.length > 0
      ? ['<export>']
      : connections.length > 0
        ? ['<connect>', '<export>']
        : ['<component>', '<connect>', '<export>'],
  );
  return { kind: 'composite', components, connections, exports, pos: el.pos };
}

/** `Component.endpoint`, where Component must be a component of the enclosing composite. */
function endpointPath(r: Reader, attr: XmlAttribute, components: UniqueNames): EndpointPath {
  const dot = attr.value.indexOf('.');
  const component = attr.value.slice(0, dot);
  const endpoint = attr.value.slice(dot + 1);
  if (dot < 0 || !NAME.test(component) || !NAME.test(endpoint)) {
    throw r.error(
      attr.valueAt(0),
      'Component.endpoint (two names joined by a dot)',
      `${attr.qname}="${attr.value}"`,
    );
  }
  if (!components.has(component)) {
    throw r.error(
      attr.valueAt(0),
      `a component of this composite (${components.names().join(', ')})`,
      `'${component}'`,
    );
  }
  return { component, endpoint };
}

function parseExternal(r: Reader, el: XmlElement): ExternalReference {
  const attrs = r.attributes(el, ['name', 'as']);
  const name = attrs.get('name')!;
  if (name.value === '') throw r.error(name.valueAt(0), 'a non-empty name', 'name=""');
  const as = r.typeOfAttribute(attrs.get('as')!);
  const cursor = r.children(el);
  const from = cursor.take('from');
  if (!from) throw cursor.fail('<from> inside <external>');
  r.attributes(from, []);
  const ref = onlyReference(r, from);
  cursor.end();
  return { kind: 'external', name: name.value, as, from: ref, pos: el.pos };
}

function parseParameterized(r: Reader, el: XmlElement): ParameterizedReference {
  r.attributes(el, []);
  const cursor = r.children(el);
  const template = cursor.take('template');
  if (!template) throw cursor.fail('<template> inside <parameterized>');
  r.attributes(template, []);
  const ref = onlyReference(r, template);
  const names = new UniqueNames(r, 'parameter name');
  const params: Param[] = [];
  for (let p = cursor.take('param'); p; p = cursor.take('param')) {
    const name = r.attributes(p, ['name']).get('name')!;
    names.add(r.name(name, NAME, NAME_SYNTAX), name.valueAt(0));
    params.push({ name: name.value, value: parseParamValue(r, p), pos: p.pos });
  }
  cursor.end(['<param>']);
  return { kind: 'parameterized', template: ref, params, pos: el.pos };
}

const ANY_VALUE = 'a reference element, <value> or <type>';

function parseParamValue(r: Reader, param: XmlElement): ParamValue {
  const cursor: Cursor = r.children(param);
  const el = cursor.next();
  let value: ParamValue;
  if (!el) throw cursor.fail(`${ANY_VALUE} inside <param>`);
  if (isReferenceElement(el)) value = { kind: 'reference', reference: parseReference(r, el) };
  else if (isElement(el, 'value')) value = parseValueElement(r, el);
  else if (isElement(el, 'type')) {
    r.attributes(el, []);
    const t = r.text(el);
    value = { kind: 'type', type: r.typeExpr(t.text, (i) => t.at(i)) };
  } else throw r.children(param).fail(`${ANY_VALUE} inside <param>`);
  cursor.end();
  return value;
}

function parseValueElement(r: Reader, el: XmlElement): ParamValue {
  const type = r.attributes(el, ['type']).get('type')!;
  if (!isValueKind(type.value))
    throw r.error(type.valueAt(0), `a value type (${VALUE_KINDS.join(', ')})`, `type="${type.value}"`);
  const content = r.text(el);
  let text = content.text;
  let start = 0;
  if (type.value !== 'string') {
    // Surrounding whitespace is layout, except in strings where it is data.
    start = /^[ \t\r\n]*/.exec(text)![0].length;
    text = text.slice(start).replace(/[ \t\r\n]+$/, '');
  }
  const parsed = parseValue(type.value, text);
  if (!parsed.ok) {
    const found = text === '' ? 'nothing' : `"${text.length > 40 ? `${text.slice(0, 40)}…` : text}"`;
    const article = /^[aeiou]/.test(type.value) ? 'an' : 'a';
    throw r.error(
      content.at(start + parsed.error.offset),
      `${parsed.error.expected} in ${article} ${type.value} value`,
      found,
    );
  }
  return { kind: 'value', value: parsed.value };
}

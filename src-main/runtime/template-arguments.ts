// The arguments of a template instantiation, read by the template's code with typed getters.
// Arguments have already been checked against the parameter declarations when these run, so
// a wrong kind here is a bug in the template (it asked for something it did not declare).
import type { Address, ParamValue, Reference, Value } from '../../src-shared/format/document';
import type { TypeExpr } from '../../src-shared/model/type-expr';

export class TemplateArguments {
  constructor(readonly values: ReadonlyMap<string, ParamValue>) {}

  has(name: string): boolean {
    return this.values.has(name);
  }

  private value(name: string, type: Value['type']): unknown {
    const p = this.values.get(name);
    if (p === undefined) return undefined;
    if (p.kind !== 'value' || p.value.type !== type) {
      throw new TypeError(`template parameter '${name}' is not a ${type} value`);
    }
    return p.value.value;
  }

  private required<T>(name: string, v: T | undefined): T {
    if (v === undefined) throw new TypeError(`template parameter '${name}' is missing`);
    return v;
  }

  string(name: string): string {
    return this.required(name, this.value(name, 'string') as string | undefined);
  }
  optionalString(name: string): string | undefined {
    return this.value(name, 'string') as string | undefined;
  }
  int(name: string): number {
    return this.required(name, this.value(name, 'int') as number | undefined);
  }
  /** A Double parameter; an Int argument is accepted as well. */
  double(name: string): number {
    const p = this.values.get(name);
    if (p?.kind === 'value' && p.value.type === 'int') return p.value.value;
    return this.required(name, this.value(name, 'double') as number | undefined);
  }
  bool(name: string): boolean {
    return this.required(name, this.value(name, 'bool') as boolean | undefined);
  }
  bytes(name: string): Uint8Array {
    return this.required(name, this.value(name, 'bytes') as Uint8Array | undefined);
  }
  optionalBytes(name: string): Uint8Array | undefined {
    return this.value(name, 'bytes') as Uint8Array | undefined;
  }
  address(name: string): Address {
    return this.required(name, this.value(name, 'address') as Address | undefined);
  }

  reference(name: string): Reference {
    const p = this.values.get(name);
    if (p?.kind !== 'reference') throw new TypeError(`template parameter '${name}' is not a reference`);
    return p.reference;
  }

  type(name: string): TypeExpr {
    const p = this.values.get(name);
    if (p?.kind !== 'type') throw new TypeError(`template parameter '${name}' is not a type`);
    return p.type;
  }
}

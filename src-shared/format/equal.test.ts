import { describe, expect, it } from 'vitest';
import { typeExpr } from '../model/type-expr';
import type { Reference, Value } from './document';
import { referencesEqual } from './equal';

const withValue = (value: Value): Reference => ({
  kind: 'parameterized',
  template: { kind: 'primitive', id: 't.x', pos: { line: 1, column: 1 } },
  params: [{ name: 'p', value: { kind: 'value', value } }],
});
const bytes = (...b: number[]): Reference => withValue({ type: 'bytes', value: new Uint8Array(b) });
const double = (n: number): Reference => withValue({ type: 'double', value: n });

describe('referencesEqual', () => {
  it('ignores positions', () => {
    const a: Reference = { kind: 'primitive', id: 'a.b', pos: { line: 3, column: 1 } };
    expect(referencesEqual(a, { kind: 'primitive', id: 'a.b' })).toBe(true);
  });

  it('compares bytes by content and numbers exactly', () => {
    expect(referencesEqual(bytes(1, 2), bytes(1, 2))).toBe(true);
    expect(referencesEqual(bytes(1, 2), bytes(1, 3))).toBe(false);
    expect(referencesEqual(bytes(1), bytes(1, 0))).toBe(false);
    expect(referencesEqual(double(0), double(-0))).toBe(false);
    expect(referencesEqual(double(1.5), double(1.5))).toBe(true);
  });

  it('sees differences anywhere in the tree', () => {
    const ext = (arg: string): Reference => ({
      kind: 'external',
      name: 'n',
      as: typeExpr('Channel', typeExpr(arg)),
      from: { kind: 'primitive', id: 'liveobjects.registry' },
    });
    expect(referencesEqual(ext('Bytes'), ext('Bytes'))).toBe(true);
    expect(referencesEqual(ext('Bytes'), ext('String'))).toBe(false);
    expect(referencesEqual(ext('Bytes'), { kind: 'primitive', id: 'liveobjects.registry' })).toBe(false);
  });
});

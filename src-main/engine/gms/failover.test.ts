import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareServices, loopbackMismatch, preferredService, successorOf } from './failover';

describe('successorOf', () => {
  const view = ['10.0.0.7:4000/b', '10.0.0.5:4100/a', '10.0.0.12:4200/c'];

  it('is the lowest id of the last view that is not gone', () => {
    expect(successorOf(view, new Set())).toBe('10.0.0.12:4200/c');
    expect(successorOf(view, new Set(['10.0.0.12:4200/c']))).toBe('10.0.0.5:4100/a');
    expect(successorOf(view, new Set(['10.0.0.12:4200/c', '10.0.0.5:4100/a']))).toBe('10.0.0.7:4000/b');
  });

  it('is undefined when nobody is left', () => {
    expect(successorOf([], new Set())).toBeUndefined();
    expect(successorOf(view, new Set(view))).toBeUndefined();
  });

  it('every survivor computes the same one, whatever order its view lists', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string({ minLength: 1 }), { minLength: 1, maxLength: 12 }),
        fc.nat(),
        (members, seed) => {
          const gone = new Set([members[seed % members.length]!]);
          const k = seed % members.length;
          const shuffled = [...members.slice(k), ...members.slice(0, k)].reverse();
          expect(successorOf(shuffled, gone)).toBe(successorOf(members, gone));
          const expected = members
            .filter((m) => !gone.has(m))
            .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))[0];
          expect(successorOf(members, gone)).toBe(expected);
        },
      ),
    );
  });
});

describe('preferredService', () => {
  it('prefers the numerically lowest address, then the lowest port', () => {
    const a = { host: '10.0.0.10', port: 7070 };
    const b = { host: '10.0.0.9', port: 7071 };
    const c = { host: '10.0.0.9', port: 7070 };
    expect(preferredService([a, b, c])).toBe(c);
    expect(preferredService([a, b])).toBe(b);
    expect(preferredService([a])).toBe(a);
    expect(preferredService([])).toBeUndefined();
  });

  it('puts host names after addresses, ordered by name', () => {
    const named = { host: 'alice.local', port: 7070 };
    const other = { host: 'bob.local', port: 7000 };
    expect(preferredService([named, { host: '192.168.1.200', port: 9000 }])?.host).toBe('192.168.1.200');
    expect(preferredService([other, named])).toBe(named);
  });

  it('every host computes the same winner, whatever order it saw the services in', () => {
    const address = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((p) => p.join('.'));
    const service = fc.record({ host: fc.oneof(address, fc.constant('h.local')), port: fc.nat(65535) });
    fc.assert(
      fc.property(fc.array(service, { minLength: 1, maxLength: 8 }), (services) => {
        const winner = preferredService(services)!;
        expect(preferredService([...services].reverse())).toEqual(winner);
        for (const s of services) expect(compareServices(winner, s)).toBeLessThanOrEqual(0);
      }),
    );
  });
});

describe('loopbackMismatch', () => {
  it('refuses a loopback node for a membership service on another machine', () => {
    expect(loopbackMismatch({ host: '127.0.0.1' }, { host: '10.0.0.5', port: 7070 })).toMatch(
      /127\.0\.0\.1 is loopback, but the membership service at 10\.0\.0\.5:7070 is not/,
    );
  });

  it('accepts loopback with loopback, a LAN address with anything, and host names', () => {
    expect(loopbackMismatch({ host: '127.0.0.1' }, { host: '127.0.0.9', port: 1 })).toBeUndefined();
    expect(loopbackMismatch({ host: '127.0.0.1' }, { host: 'localhost', port: 1 })).toBeUndefined();
    expect(loopbackMismatch({ host: '10.0.0.6' }, { host: '10.0.0.5', port: 1 })).toBeUndefined();
    expect(loopbackMismatch({ host: '10.0.0.6' }, { host: '127.0.0.1', port: 1 })).toBeUndefined();
    expect(loopbackMismatch({ host: '127.0.0.1' }, { host: 'gms.example', port: 1 })).toBeUndefined();
    expect(loopbackMismatch({ host: '127.0.0.1' }, { host: '0.0.0.0', port: 1 })).toBeUndefined();
  });
});

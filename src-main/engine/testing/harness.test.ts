import { describe, expect, it } from 'vitest';
import { DeliveryCheck, payload, writePayload } from './harness';

describe('DeliveryCheck', () => {
  it('accepts payloads in order and counts them per (group, sender)', () => {
    const check = new DeliveryCheck();
    const buf = new Uint8Array(300);
    for (let i = 0; i < 600; i++) check.add('g', 's', new Uint8Array(writePayload(buf, i)));
    for (let i = 0; i < 3; i++) check.add('h', 's', payload(i, 40));
    expect(check.counts.get('g|s')).toBe(600);
    expect(check.counts.get('h|s')).toBe(3);
    expect(check.corrupt + check.fifoViolations + check.duplicates + check.gaps).toBe(0);
  });

  it('flags a changed filler byte as corrupt, and a repeated index as a FIFO violation', () => {
    const check = new DeliveryCheck();
    const bad = payload(0, 64);
    bad[40]! ^= 1;
    check.add('g', 's', bad);
    expect(check.corrupt).toBe(1);
    check.add('g', 's', payload(0, 64));
    check.add('g', 's', payload(0, 64));
    expect(check.duplicates).toBe(1);
    expect(check.fifoViolations).toBe(1);
    check.add('g', 's', payload(5, 64));
    expect(check.gaps).toBe(1);
  });

  it('checks the filler after a prefix the sender overwrote (fillerFrom)', () => {
    const check = new DeliveryCheck();
    const p = payload(0, 64);
    p.fill(0xee, 4, 12);
    check.add('g', 's', p, 12);
    expect(check.corrupt).toBe(0);
    check.add('g', 't', p);
    expect(check.corrupt).toBe(1);
  });

  it('forGroup checks one group like add() does, into the same counts', () => {
    const check = new DeliveryCheck();
    const g = check.forGroup('g');
    for (let i = 0; i < 5; i++) g('s', payload(i, 32));
    g('t', payload(0, 32));
    g('s', payload(3, 32));
    const bad = payload(5, 32);
    bad[20]! ^= 0xff;
    g('s', bad);
    check.add('g', 's', payload(5, 32));
    expect(check.counts.get('g|s')).toBe(7);
    expect(check.counts.get('g|t')).toBe(1);
    expect(check.fifoViolations).toBe(1);
    expect(check.corrupt).toBe(1);
  });
});

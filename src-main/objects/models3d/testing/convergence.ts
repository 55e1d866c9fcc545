// A generic convergence check for replicated models: replicas act at random, the fake
// checkpointed channel delivers in a random per-sender-FIFO order, late joiners arrive from a
// checkpoint of any member; in the end every view must be equal and nothing dropped.
import fc from 'fast-check';
import { expect } from 'vitest';
import { ModelError } from '../../models/model';
import type { ReplicatedModel, Send } from '../../models/model';
import { FakeChannel } from '../../models/testing/fake-channel';

export type Op =
  | { readonly kind: 'act'; readonly r: number; readonly choice: number; readonly args: readonly number[] }
  | { readonly kind: 'deliver'; readonly pick: number }
  | { readonly kind: 'join'; readonly donor: number };

export function opArb(replicas: number): fc.Arbitrary<Op> {
  const act = fc.record({
    kind: fc.constant('act' as const),
    r: fc.nat(replicas + 1),
    choice: fc.nat(),
    args: fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 8, maxLength: 8 }),
  });
  const deliver = fc.record({ kind: fc.constant('deliver' as const), pick: fc.nat() });
  const join = fc.record({ kind: fc.constant('join' as const), donor: fc.nat(replicas - 1) });
  return fc.oneof(
    { arbitrary: act, weight: 3 },
    { arbitrary: deliver, weight: 3 },
    { arbitrary: join, weight: 1 },
  );
}

/** Calls `act`, ignoring refusals (an intent on a removed item is fine in a random walk). */
function attempt(fn: () => void): void {
  try {
    fn();
  } catch (error) {
    if (!(error instanceof ModelError)) throw error;
  }
}

export function runOps<M extends ReplicatedModel<unknown>>(
  make: (self: string, send: Send) => M,
  act: (model: M, choice: number, args: readonly number[]) => void,
  ops: readonly Op[],
  picks: readonly number[],
  replicas = 3,
): M[] {
  const channel = new FakeChannel();
  const all: { id: string; model: M }[] = [];
  for (let i = 0; i < replicas; i += 1) {
    const id = `r${i}`;
    const model = make(id, channel.sender(id));
    channel.add(id, model);
    all.push({ id, model });
  }
  let late = 0;
  for (const op of ops) {
    if (op.kind === 'deliver') channel.deliver(op.pick);
    else if (op.kind === 'join') {
      if (late >= 3) continue;
      const id = `late${late++}`;
      const model = make(id, channel.sender(id));
      channel.join(id, model, (all[op.donor % all.length] as { id: string }).id);
      all.push({ id, model });
    } else {
      const { model } = all[op.r % all.length] as { model: M };
      attempt(() => act(model, op.choice, op.args));
    }
  }
  channel.flush(picks);
  return all.map((r) => r.model);
}

export function expectConverged(models: readonly ReplicatedModel<unknown>[]): void {
  const [first, ...rest] = models;
  for (const m of rest) {
    expect(m.view()).toEqual(first?.view());
    expect(JSON.stringify(m.view())).toBe(JSON.stringify(first?.view()));
  }
  for (const m of models) expect(m.stats.dropped).toBe(0);
}

export function checkConvergence<M extends ReplicatedModel<unknown>>(
  make: (self: string, send: Send) => M,
  act: (model: M, choice: number, args: readonly number[]) => void,
  numRuns = 150,
): void {
  fc.assert(
    fc.property(
      fc.array(opArb(3), { maxLength: 60 }),
      fc.array(fc.nat(), { maxLength: 200 }),
      (ops, picks) => {
        expectConverged(runOps(make, act, ops, picks));
      },
    ),
    { numRuns },
  );
}

import { describe, expect, it } from 'vitest';
import { Lane, QUANTA, Scheduler } from './scheduler';

const turn = (): Promise<void> => new Promise((r) => setImmediate(r));
const LANE_NAMES = ['Control', 'Repair', 'Data'];

function recording(maxDataBytes?: number) {
  const seen: string[] = [];
  const s = new Scheduler(
    (lane, buf) => seen.push(`${LANE_NAMES[lane]}${buf.readUInt16BE(0)}`),
    () => 0,
    maxDataBytes,
  );
  const dg = (n: number, size = 2): Buffer => {
    const b = Buffer.alloc(size);
    b.writeUInt16BE(n, 0);
    return b;
  };
  return { s, seen, dg };
}

describe('Scheduler', () => {
  it('serves control, then repairs, then data, at most a quantum of each per tick', async () => {
    const { s, seen, dg } = recording();
    for (let i = 0; i < 20; i++) s.enqueue(Lane.Data, dg(i));
    for (let i = 0; i < 10; i++) s.enqueue(Lane.Repair, dg(i));
    for (let i = 0; i < 3; i++) s.enqueue(Lane.Control, dg(i));
    await turn();
    const q = QUANTA[Lane.Data];
    expect(seen).toEqual([
      'Control0',
      'Control1',
      'Control2',
      ...Array.from({ length: QUANTA[Lane.Repair] }, (_, i) => `Repair${i}`),
      ...Array.from({ length: q }, (_, i) => `Data${i}`),
    ]);
    expect(s.inboundBacklog()).toBe(30 - QUANTA[Lane.Repair] - q);
    for (let t = 0; t < 10 && s.inboundBacklog() > 0; t++) await turn();
    // Everything, each lane in arrival order.
    expect(seen.filter((x) => x.startsWith('Data'))).toEqual(
      Array.from({ length: 20 }, (_, i) => `Data${i}`),
    );
    expect(seen.filter((x) => x.startsWith('Repair'))).toEqual(
      Array.from({ length: 10 }, (_, i) => `Repair${i}`),
    );
    s.close();
  });

  it('bounds the data backlog in bytes: beyond it new data is dropped and counted, control is not', async () => {
    const { s, seen, dg } = recording(1000);
    s.enqueue(Lane.Data, dg(1, 400));
    s.enqueue(Lane.Data, dg(2, 400));
    s.enqueue(Lane.Data, dg(3, 400));
    s.enqueue(Lane.Control, dg(4, 4000));
    expect(s.overflowDrops).toBe(1);
    await turn();
    expect(seen).toEqual(['Control4', 'Data1', 'Data2']);
    // Processed data frees its room.
    s.enqueue(Lane.Data, dg(5, 900));
    expect(s.overflowDrops).toBe(1);
    await turn();
    expect(seen.at(-1)).toBe('Data5');
    s.close();
  });
});

// NATS publisher for the `receivers` baseline: publishes fixed-size messages (same header as the
// raw UDP datagrams: magic, seq, send time) to a subject, unpaced (batches, then a flush round
// trip so the client's buffer stays bounded) or paced at `rate` msgs/s.
import { connect } from 'nats';
import { performance } from 'node:perf_hooks';
import { HEADER_BYTES, emit, newDatagram, onCommands, pacedPump, stampDatagram } from './control';
import { natsOptions, readOptions, sizeOption } from './options';

const options = readOptions({ ...natsOptions, size: sizeOption });
const { server, subject } = options;
const size = Math.max(HEADER_BYTES, options.size);
const BATCH = 512;

const nc = await connect({ servers: server, noEcho: true });
const buf = newDatagram(size);
let seq = 0;
let errors = 0;
let generation = 0;

function publishOne(): void {
  stampDatagram(buf, seq);
  seq++;
  // publish() copies the bytes into the client's outbound buffer.
  nc.publish(subject, buf);
}

async function pumpMax(gen: number): Promise<void> {
  while (gen === generation) {
    for (let i = 0; i < BATCH; i++) publishOne();
    try {
      await nc.flush();
    } catch {
      errors++;
    }
  }
}

function pumpPaced(gen: number, perSecond: number): void {
  pacedPump(() => gen === generation, perSecond, publishOne);
}

onCommands((cmd) => {
  if (cmd.cmd === 'rate') {
    generation++;
    const rate = typeof cmd.rate === 'number' ? cmd.rate : null;
    if (rate === 0) void pumpMax(generation);
    else if (rate !== null) pumpPaced(generation, rate);
    emit({ type: 'rate', rate });
  } else if (cmd.cmd === 'mark') {
    emit({ type: 'mark', id: cmd.id, t: performance.now(), sent: seq, errors });
  } else if (cmd.cmd === 'stop') {
    generation++;
    void nc.close().then(() => process.exit(0));
  }
});
emit({ type: 'ready', pid: process.pid, size });

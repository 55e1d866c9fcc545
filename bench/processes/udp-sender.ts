// Raw UDP multicast sender: blasts fixed-size datagrams to a group on loopback, either as fast as
// the socket accepts them (`rate` 0) or paced at `rate` datagrams/s. On loopback the kernel
// drops what receivers cannot absorb instead of slowing the sender, hence the paced mode: the
// runner searches for the rate the receivers actually sustain.
import dgram from 'node:dgram';
import { performance } from 'node:perf_hooks';
import { HEADER_BYTES, emit, newDatagram, onCommands, pacedPump, stampDatagram } from './control';
import { readOptions, sizeOption, socketBufferOption, udpOptions } from './options';

const options = readOptions({
  ...udpOptions,
  size: sizeOption,
  sndbuf: socketBufferOption('socket send buffer'),
});
const { group, port, iface, sndbuf } = options;
const size = Math.max(HEADER_BYTES, options.size);

// Buffers rotate so that none is rewritten while still queued in libuv (queue < RING).
const RING = 1024;
const MAX_QUEUED = 256;
const BATCH = 64;
const ring = Array.from({ length: RING }, () => newDatagram(size));

let seq = 0;
let errors = 0;
let lastError = '';
/** null = paused; 0 = as fast as possible; otherwise datagrams per second. */
let rate: number | null = null;
let generation = 0;

const socket = dgram.createSocket({ type: 'udp4', sendBufferSize: sndbuf });
const onSent = (err: Error | null): void => {
  if (err) {
    errors++;
    lastError = err.message;
  }
};

function sendOne(): void {
  const buf = ring[seq % RING] as Buffer;
  stampDatagram(buf, seq);
  seq++;
  // Connected socket: no per-datagram address lookup.
  socket.send(buf, onSent);
}

function pumpMax(gen: number): void {
  if (gen !== generation) return;
  for (let i = 0; i < BATCH && socket.getSendQueueCount() < MAX_QUEUED; i++) sendOne();
  setImmediate(pumpMax, gen);
}

function pumpPaced(gen: number, perSecond: number): void {
  pacedPump(
    () => gen === generation,
    perSecond,
    sendOne,
    () => socket.getSendQueueCount() < MAX_QUEUED,
  );
}

function setRate(next: number | null): void {
  generation++;
  rate = next;
  if (rate === 0) pumpMax(generation);
  else if (rate !== null) pumpPaced(generation, rate);
}

socket.on('error', (err) => {
  emit({ type: 'error', message: err.message });
  process.exit(1);
});

socket.bind(0, iface, () => {
  socket.setMulticastInterface(iface);
  socket.setMulticastLoopback(true);
  socket.setMulticastTTL(1);
  socket.connect(port, group, () => {
    emit({ type: 'ready', pid: process.pid, size, sndbuf: socket.getSendBufferSize() });
  });
});

onCommands((cmd) => {
  if (cmd.cmd === 'rate') {
    setRate(typeof cmd.rate === 'number' ? cmd.rate : null);
    emit({ type: 'rate', rate });
  } else if (cmd.cmd === 'mark') {
    emit({ type: 'mark', id: cmd.id, t: performance.now(), sent: seq, errors, lastError });
  } else if (cmd.cmd === 'stop') {
    setRate(null);
    socket.close();
    process.exit(0);
  }
});

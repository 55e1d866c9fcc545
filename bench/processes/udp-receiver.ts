// Raw UDP multicast receiver: joins a group on loopback and counts datagrams. The runner asks
// for `mark`s at the start and end of its measurement window; rates are computed from the
// difference, on this process's own clock.
import dgram from 'node:dgram';
import { performance } from 'node:perf_hooks';
import { ReceiveCounts, emit, onCommands } from './control';
import { readOptions, socketBufferOption, udpOptions } from './options';

const { group, port, iface, rcvbuf } = readOptions({
  ...udpOptions,
  rcvbuf: socketBufferOption('socket receive buffer'),
});

const counts = new ReceiveCounts();

// reuseAddr lets all receiver processes bind the same port; each gets its own copy.
const socket = dgram.createSocket({ type: 'udp4', reuseAddr: true, recvBufferSize: rcvbuf });
socket.on('message', (buf) => counts.add(buf));
socket.on('error', (err) => {
  emit({ type: 'error', message: err.message });
  process.exit(1);
});

// Binding to the group address (Linux) filters out other multicast traffic on the same port.
socket.bind(port, group, () => {
  socket.addMembership(group, iface);
  emit({ type: 'ready', pid: process.pid, rcvbuf: socket.getRecvBufferSize() });
});

onCommands((cmd) => {
  if (cmd.cmd === 'mark') {
    emit({ type: 'mark', id: cmd.id, t: performance.now(), ...counts.mark() });
  } else if (cmd.cmd === 'stop') {
    socket.close();
    process.exit(0);
  }
});

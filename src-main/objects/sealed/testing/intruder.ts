// An attacker for the sealed-channel tests, in its own process: a workspace member that knows a
// group's name but not the object key. Run with
//   node --import tsx intruder.ts --gms HOST:PORT --group G [--packet-key HEX]
// (--packet-key: the workspace's packet key, 64 hex digits: it is a member of the workspace.)
// It joins G over a real engine node (UDP on loopback) and keeps every message it receives.
// JSON lines on stdin drive it; each answers one JSON line on stdout:
//   {"op":"captured"}                  → {"t":"captured","count":N,"base64":[…]} (messages of others)
//   {"op":"inject","text":S}           → sends S in the clear             → {"t":"done"}
//   {"op":"forge","count":N}           → N random messages shaped like sealed ones
//   {"op":"replay","index":I,"times":N}→ re-sends captured message I, N times, as itself
// It prints {"t":"ready","id":…,"members":N} once it is in the group with the others.
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { EngineGroupChannel, QsmService } from '../../qsm';

function print(line: object): void {
  process.stdout.write(JSON.stringify(line) + '\n');
}

// A test fixture: node:util's parser alone.
const { values } = parseArgs({
  options: {
    gms: { type: 'string', default: '' },
    group: { type: 'string', default: '' },
    'packet-key': { type: 'string' },
  },
});
const [host = '127.0.0.1', port = '0'] = (values.gms ?? '').split(':');
const key = values['packet-key'];
const service = new QsmService({
  tunables: {
    tokenIntervalMs: 50,
    ...(key !== undefined && { packetKey: new Uint8Array(Buffer.from(key, 'hex')) }),
  },
});
const channel = new EngineGroupChannel(await service.lease({ host, port: Number(port) }, values.group ?? ''));
const captured: Uint8Array[] = [];
channel.onMessage((sender, data) => {
  if (sender !== channel.self) captured.push(data);
});
await new Promise<void>((resolve) => {
  if (channel.members.includes(channel.self)) return resolve();
  const off = channel.onView((members) => {
    if (members.includes(channel.self)) {
      off();
      resolve();
    }
  });
});
print({ t: 'ready', id: channel.self, members: channel.members.length });

interface Command {
  readonly op: string;
  readonly text?: string;
  readonly count?: number;
  readonly index?: number;
  readonly times?: number;
}

async function run(command: Command): Promise<object> {
  switch (command.op) {
    case 'captured':
      return {
        t: 'captured',
        count: captured.length,
        base64: captured.map((c) => Buffer.from(c).toString('base64')),
      };
    case 'inject':
      await channel.send(new TextEncoder().encode(command.text ?? ''));
      return { t: 'done' };
    case 'forge':
      for (let i = 0; i < (command.count ?? 1); i++) {
        // Version 1, a random epoch and counter, random ciphertext and tag.
        const forged = randomBytes(25 + 64 + 16);
        forged[0] = 1;
        await channel.send(forged);
      }
      return { t: 'done' };
    case 'replay': {
      const message = captured[command.index ?? 0];
      if (!message) return { t: 'error', message: `no captured message ${command.index}` };
      for (let i = 0; i < (command.times ?? 1); i++) await channel.send(message);
      return { t: 'done' };
    }
    default:
      return { t: 'error', message: `unknown op ${command.op}` };
  }
}

for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim() === '') continue;
  print(await run(JSON.parse(line) as Command));
}
await channel.close();
await service.close();
process.exit(0);

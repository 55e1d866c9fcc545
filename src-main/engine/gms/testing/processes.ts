// Member processes for multi-process GMS tests (member-process.ts), next to the real
// `liveobjects gms` command (startGms). A test's afterEach kills whatever is left (killAll in
// testing/processes.ts), even stopped processes.
import { fileURLToPath } from 'node:url';
import { spawnTsx } from '../../../../testing/liveobjects';
import type { ManagedProcess } from '../../../../testing/processes';
import type { MembershipState } from '../../membership';

const memberScript = fileURLToPath(new URL('./member-process.ts', import.meta.url));

export interface MemberProcess {
  readonly proc: ManagedProcess;
  readonly id: string;
  readonly states: MembershipState[];
  latest(): MembershipState | undefined;
  send(command: string): void;
}

export interface MemberOptions {
  /** Its node id (else one of its own). */
  readonly id?: string;
  /** The packet key of a keyed GMS, which the member then holds. */
  readonly packetKey?: Uint8Array;
}

/** Starts a member in `groups`; resolves once it printed its node id. */
export async function spawnMember(
  gmsPort: number,
  groups: readonly string[],
  { id, packetKey }: MemberOptions = {},
): Promise<MemberProcess> {
  const args = [
    '--gms',
    `127.0.0.1:${gmsPort}`,
    '--groups',
    groups.join(','),
    ...(id ? ['--id', id] : []),
    ...(packetKey ? ['--key', Buffer.from(packetKey).toString('hex')] : []),
  ];
  const proc = spawnTsx('member', memberScript, args, { input: true });
  const states: MembershipState[] = [];
  proc.onJson((event) => {
    if (event['type'] === 'state') states.push(event as unknown as MembershipState);
  });
  const ready = await proc.waitForJson((event) => event['type'] === 'ready', 15_000, 'ready line');
  return {
    proc,
    id: String(ready['id'] ?? ''),
    states,
    latest: () => states[states.length - 1],
    send: (command) => proc.writeLine(command),
  };
}

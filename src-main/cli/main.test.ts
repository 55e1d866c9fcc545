// Argument handling of every `liveobjects` command, in-process (nothing is started: a usage
// error or --help returns before a command does anything).
import { describe, expect, it } from 'vitest';
import { DEFAULTS } from '../engine';
import { captureConsole } from '../../testing/capture-console';
import { parseGmsArgs } from './commands/gms';
import { command as nodeCommand, parseNodeArgs } from './commands/node';
import { main } from './main';

const cli = (...argv: string[]) => captureConsole(() => main(argv));

const COMMANDS = ['check', 'inspect', 'types', 'gms', 'node', 'serve', 'doctor', 'invite', 'join'];

describe('liveobjects', () => {
  it('answers --help of every command with its generated usage, exit 0', async () => {
    for (const name of COMMANDS) {
      const r = await cli(name, '--help');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^Usage: liveobjects ${name}`));
      expect(r.stdout).toMatch(/^ {2}-h, --help +print this help$/m);
      expect(await cli('help', name)).toEqual(r);
    }
  });

  it('rejects an unknown option the same way in every command, exit 2', async () => {
    for (const name of COMMANDS) {
      const r = await cli(name, '--foo');
      expect(r.code).toBe(2);
      expect(r.stderr.split('\n')[0]).toBe(
        `liveobjects ${name}: unknown option --foo; see \`liveobjects ${name} --help\``,
      );
      expect(r.stderr).toMatch(new RegExp(`^Usage: liveobjects ${name}`, 'm'));
    }
  });

  it('names the option and the value it did not take', async () => {
    const r = await cli('node', '--gms', '127.0.0.1:7070', '--send', 'abc');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("liveobjects node: --send expects a non-negative number, got 'abc'");
    expect((await cli('gms', '--listen', '127.0.0.1:0', '--heartbeat-ms=0')).stderr).toContain(
      "--heartbeat-ms expects a positive integer, got '0'",
    );
    expect((await cli('node', '--join', 'a')).stderr).toContain('--gms HOST:PORT is required');
    expect((await cli('inspect')).stderr).toContain('liveobjects inspect: expects one FILE, got 0');
  });

  it('lists the commands on help, exit 2 when given nothing', async () => {
    const help = await cli('help');
    expect(help.code).toBe(0);
    for (const name of COMMANDS) expect(help.stdout).toMatch(new RegExp(`^ {2}${name} `, 'm'));
    expect((await cli()).code).toBe(2);
    const unknown = await cli('frob');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'frob'");
  });
});

describe('liveobjects node arguments', () => {
  it('passes every tunable to the engine, --x=v and --x v alike', () => {
    const argv =
      '--gms=127.0.0.1:7070 --join a,b --bind=127.0.0.2 --iface 127.0.0.3 --fanout --token-ms 50 ' +
      '--token-busy-ms=10 --partition-size 3 --window-bytes 4MiB --packet-bytes=1400 --loss 0.05 ' +
      '--mtu 9000 --probe-ms=250 --multicast-loss 1 --stability-ms 1500';
    const a = parseNodeArgs(argv.split(' '));
    expect(a.gms).toEqual({ host: '127.0.0.1', port: 7070 });
    expect(a.join).toEqual(['a', 'b']);
    expect(a.tun).toEqual({
      host: '127.0.0.2',
      iface: '127.0.0.3',
      fanout: true,
      tokenIntervalMs: 50,
      tokenBusyIntervalMs: 10,
      partitionSize: 3,
      windowBytes: 4 * 2 ** 20,
      packetBytes: 1400,
      mtu: 9000,
      probeIntervalMs: 250,
      stabilityTimeoutMs: 1500,
      faults: { loss: 0.05, multicastLoss: 1 },
    });
  });

  it('has the documented defaults, and leaves the engine its own', () => {
    const a = parseNodeArgs(['--gms', 'localhost:1', '--to', 'g']);
    expect(a).toMatchObject({
      join: ['g'],
      to: 'g',
      rate: 0,
      count: Infinity,
      size: 100,
      waitMembers: 0,
      duration: 0,
      progress: 0,
      groupCount: 1,
      latency: false,
      latencySkip: 0,
      tun: {},
    });
    expect(a.report).toBeUndefined();
    expect(parseNodeArgs(['--gms', 'localhost:1', '--size', '1']).size).toBe(4);
    expect(nodeCommand.usage).toMatch(
      new RegExp(
        `^ {2}--token-ms N +token interval ΔT in ms \\(default: ${DEFAULTS.tokenIntervalMs}\\)$`,
        'm',
      ),
    );
  });

  it('takes one burst syntax, EVERY:LEN', () => {
    expect(parseNodeArgs(['--gms', 'localhost:1', '--burst', '1000:10']).tun.faults).toEqual({
      burstEveryMs: 1000,
      burstMs: 10,
    });
    expect(() => parseNodeArgs(['--gms', 'localhost:1', '--burst', '10/1000'])).toThrow(
      "--burst expects EVERY:LEN in ms, e.g. 1000:10, got '10/1000'",
    );
    expect(() => parseNodeArgs(['--gms', 'localhost:1', '--fault-burst', '10/1000'])).toThrow(
      'unknown option --fault-burst',
    );
    expect(() => parseNodeArgs(['--gms', 'localhost:1', '--loss', '2'])).toThrow(
      "--loss expects a number from 0 to 1, got '2'",
    );
    expect(() => parseNodeArgs(['--gms', 'localhost:1', '--multicast-loss', '1.5'])).toThrow(
      "--multicast-loss expects a number from 0 to 1, got '1.5'",
    );
    expect(() => parseNodeArgs(['--gms', 'localhost:1', '--mtu', '500'])).toThrow(
      "--mtu expects an integer ≥ 576, got '500'",
    );
  });
});

describe('liveobjects gms arguments', () => {
  it('reads the address, the timers and the multicast range', () => {
    expect(parseGmsArgs(['--listen', '[::1]:7070', '--heartbeat-ms=100', '--suspect-ms', '1000'])).toEqual({
      host: '::1',
      port: 7070,
      heartbeatMs: 100,
      suspectMs: 1000,
      multicast: { cidr: '239.255.0.0/16', portMin: 20000, portMax: 29999 },
    });
    expect(
      parseGmsArgs([
        '--listen=127.0.0.1:0',
        '--batch-ms',
        '50',
        '--multicast',
        '239.254.1.0/24',
        '--ports=30000-30500',
      ]),
    ).toEqual({
      host: '127.0.0.1',
      port: 0,
      batchMs: 50,
      multicast: { cidr: '239.254.1.0/24', portMin: 30000, portMax: 30500 },
    });
  });

  it('refuses what the engine would refuse, as a usage error', () => {
    expect(() => parseGmsArgs([])).toThrow('--listen HOST:PORT is required');
    expect(() => parseGmsArgs(['--listen', 'h:1', '--ports', '9-1'])).toThrow(/--multicast\/--ports: .*9-1/);
    expect(() => parseGmsArgs(['--listen', 'h:1', '--multicast', '10.0.0.0/8'])).toThrow(
      /not inside 224\.0\.0\.0\/4/,
    );
    expect(() => parseGmsArgs(['--listen', 'h:1', '--ports', '1000'])).toThrow(
      "--ports expects MIN-MAX, got '1000'",
    );
  });
});

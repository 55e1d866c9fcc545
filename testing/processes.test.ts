import { describe, expect, it } from 'vitest';
import { killAll, ManagedProcess, runCommand } from './processes';
import { WaitTimeoutError } from './wait';

/** A node child running `script`. */
const node = (script: string, input = false): ManagedProcess =>
  new ManagedProcess('child', process.execPath, ['-e', script], { input });

describe('ManagedProcess', () => {
  it('waits for a line on either stream, and for JSON lines, each taken once', async () => {
    const p = node(`
      console.error('listening on 127.0.0.1:4242');
      console.log(JSON.stringify({ t: 'ready', id: 'n1' }));
      console.log(JSON.stringify({ t: 'mark', id: 1 }));
      setTimeout(() => {}, 10_000);
    `);
    const line = await p.waitForLine(/listening on \S+:(\d+)/);
    expect(line[1]).toBe('4242');
    const marks = [
      p.waitForJson((m) => m['t'] === 'mark', 5_000, 'a mark'),
      p.waitForJson((m) => m['t'] === 'mark', 200, 'a second mark'),
    ];
    expect(await marks[0]).toEqual({ t: 'mark', id: 1 });
    await expect(marks[1]).rejects.toBeInstanceOf(WaitTimeoutError);
    expect(await p.waitForJson((m) => m['t'] === 'ready', 5_000, 'ready')).toMatchObject({ id: 'n1' });
    expect((await p.stop()).signal).toBe('SIGTERM');
  });

  it('rejects a wait when the process exits first, with its output', async () => {
    const p = node(`console.error('cannot bind'); process.exit(3);`);
    await expect(p.waitForLine(/never/)).rejects.toThrow(/child exited \(code 3\)[\s\S]*cannot bind/);
    expect(p.running.aborted).toBe(true);
    expect(p.exitStatus).toEqual({ code: 3, signal: null });
  });

  it('talks over stdin and kills on SIGKILL what ignores SIGTERM', async () => {
    const p = node(
      `process.on('SIGTERM', () => {});
       require('node:readline').createInterface({ input: process.stdin })
         .on('line', (l) => console.log(JSON.stringify({ echo: JSON.parse(l).n })));`,
      true,
    );
    p.send({ n: 7 });
    expect(await p.waitForJson((m) => m['echo'] === 7, 5_000, 'the echo')).toEqual({ echo: 7 });
    expect((await p.stop(200)).signal).toBe('SIGKILL');
  });

  it('killAll ends every running child, stopped ones too', async () => {
    const a = node('setTimeout(() => {}, 10_000)');
    const b = node('setTimeout(() => {}, 10_000)');
    b.signal('SIGSTOP');
    await killAll();
    expect(a.hasExited && b.hasExited).toBe(true);
  });
});

describe('runCommand', () => {
  it('returns the exit code and all output of a command run to its end', async () => {
    const r = await runCommand(process.execPath, [
      '-e',
      `console.log('a\\nb'); console.error('e'); process.exitCode = 2`,
    ]);
    expect(r).toEqual({ code: 2, signal: null, stdout: 'a\nb', stderr: 'e' });
  });
});

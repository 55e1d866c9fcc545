// The multi-machine end-to-end tests' fixture: a lab of simulated machines (testing/netns.ts), on
// each a `liveobjects serve` started with exactly the command a user types there, and that
// user's Chromium running on the same machine (the web shell listens on 127.0.0.1 of its own
// machine only). Where namespaces cannot be made (not root, no iproute2) the test is skipped with
// the reason, printed and in the report.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base } from '@playwright/test';
import type { Browser, BrowserContext, BrowserType, Page, TestInfo } from '@playwright/test';
import { CHROMIUM_ARGS, NO_GPU_ARGS } from '../../testing/chromium';
import { spawnCli } from '../../testing/liveobjects';
import { NetLab, whyNoNamespaces } from '../../testing/netns';
import type { Machine } from '../../testing/netns';
import { hostStarted, STOP_GRACE_MS } from './cluster';
import { defaultWorkspaceName, ensureWorkspace } from '../../src-main/host/workspace';
import type { Host } from './cluster';
import { attachLogs, openUser, useThenDispose } from './harness';
import type { User } from './harness';
import { CHROMIUM } from './paths';

export { expect } from '@playwright/test';

/** The machines of every test: one desk each. */
export const DESKS = ['alice', 'bob', 'carol', 'dave'] as const;
export type Desk = (typeof DESKS)[number];

/** The membership service's port when a host serves it (the issue's `--gms ADDRESS:7070`). */
export const GMS_PORT = 7070;

/** A user at a desk: their host, their browser tab, and the machine both run on. */
export interface DeskUser extends User {
  readonly machine: Machine;
}

export class Lan {
  private readonly browsers = new Map<Machine, Promise<Browser>>();
  private readonly contexts = new Map<Page, BrowserContext>();
  private readonly hosts: Array<{ label: string; proc: Host['proc'] }> = [];
  readonly users: DeskUser[] = [];

  private constructor(
    readonly lab: NetLab,
    /** Temporary directory: each machine's home directory, downloads, browser wrappers. */
    readonly dir: string,
    private readonly chromium: BrowserType,
  ) {}

  static async start(chromium: BrowserType): Promise<Lan> {
    const dir = mkdtempSync(join(tmpdir(), 'liveobjects-lan-'));
    try {
      return new Lan(await NetLab.create({ machines: DESKS }), dir, chromium);
    } catch (error) {
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
  }

  machine(desk: Desk): Machine {
    return this.lab.machine(desk);
  }

  /** Where downloads and hand-made files go (one disk for all machines: files travel by hand). */
  get files(): string {
    const dir = join(this.dir, 'files');
    mkdirSync(dir, { recursive: true });
    return dir;
  }

  /** The `--home` of a desk's user (the issue's `~/lo`). */
  home(desk: Desk): string {
    return join(this.dir, desk, 'lo');
  }

  /**
   * Runs `liveobjects serve --home ~/lo --name NAME ARGS` on the desk's machine, as its user would
   * type it, and resolves once it prints its page's URL.
   */
  async host(desk: Desk, name: string, args: readonly string[] = []): Promise<Host> {
    const home = this.home(desk);
    const machine = this.machine(desk);
    const proc = spawnCli(`host ${name}`, ['serve', '--home', home, '--name', name, ...args], {
      via: machine.via,
    });
    this.hosts.push({ label: `${this.hosts.length}-host-${name}-on-${desk}`, proc });
    return hostStarted(name, home, proc);
  }

  /** Starts the desk's host (see `host`) and opens the app in a browser on the same machine. */
  async user(desk: Desk, name: string, args: readonly string[] = []): Promise<DeskUser> {
    return this.open(desk, await this.host(desk, name, args));
  }

  /**
   * Colleagues join the workspace of `from`'s home as users do: `liveobjects invite --home ~/lo >
   * FILE` on `from`'s machine, the file handed over privately, `liveobjects join FILE --home ~/lo`
   * on each of theirs. Returns the invitation file.
   */
  async invite(from: Desk, ...to: Desk[]): Promise<string> {
    const file = join(this.files, `invitation-from-${from}.liveobject`);
    const invite = await this.run(from, ['invite', '--home', this.home(from)]);
    writeFileSync(file, invite.stdout);
    for (const desk of to) await this.run(desk, ['join', file, '--home', this.home(desk)]);
    return file;
  }

  /** The desk's home as its user's first app start leaves it: with a workspace of its own. */
  founded(desk: Desk, name: string): void {
    ensureWorkspace(this.home(desk), defaultWorkspaceName(name));
  }

  /** Runs `liveobjects ARGS` to its end on the desk's machine; a failure throws with its output. */
  private async run(desk: Desk, args: readonly string[]): Promise<{ stdout: string; stderr: string }> {
    const proc = spawnCli(`liveobjects ${args[0] ?? ''} on ${desk}`, args, { via: this.machine(desk).via });
    const status = await proc.closed;
    const output = { stdout: proc.stdout.map((l) => `${l}\n`).join(''), stderr: proc.stderr.join('\n') };
    if (status.code !== 0)
      throw new Error(`liveobjects ${args.join(' ')} on ${desk} failed: ${output.stderr}`);
    return output;
  }

  /** Opens a tab on a running host, in a Chromium running on the desk's machine. */
  async open(desk: Desk, host: Host): Promise<DeskUser> {
    const { user, context } = await openUser(await this.browserOn(this.machine(desk)), host);
    this.contexts.set(user.page, context);
    const deskUser = { ...user, machine: this.machine(desk) };
    this.users.push(deskUser);
    return deskUser;
  }

  /**
   * Whether a process on the desk's machine serves the membership service to the LAN: listens on
   * its port at the machine's address (or all addresses; one on loopback serves only itself).
   */
  async servesMembership(desk: Desk): Promise<boolean> {
    const machine = this.machine(desk);
    const r = await machine.run('ss', ['-H', '-l', '-t', '-n', `sport = :${GMS_PORT}`]);
    if (r.code !== 0) throw new Error(`ss failed on ${desk}: ${r.stderr}`);
    // Columns: State Recv-Q Send-Q Local-Address:Port Peer-Address:Port
    const locals = r.stdout.split('\n').map((line) => line.trim().split(/\s+/)[3] ?? '');
    return locals.some((local) =>
      [machine.address, '0.0.0.0', '*'].includes(local.slice(0, local.lastIndexOf(':'))),
    );
  }

  /** Which of `desks` serve the membership service now. */
  async membershipServers(desks: readonly Desk[] = DESKS): Promise<Desk[]> {
    const serving = await Promise.all(desks.map((d) => this.servesMembership(d)));
    return desks.filter((_, i) => serving[i]);
  }

  /** Closes a user's tab (the host keeps running). */
  async close(user: User): Promise<void> {
    await this.contexts.get(user.page)?.close();
    this.contexts.delete(user.page);
  }

  /** Chromium on `machine`: Playwright launches a wrapper that enters its namespace. */
  private browserOn(machine: Machine): Promise<Browser> {
    let browser = this.browsers.get(machine);
    if (!browser) {
      const wrapper = join(this.dir, `chromium-on-${machine.name}.sh`);
      const command = [...machine.via, CHROMIUM].map((w) => `'${w}'`).join(' ');
      writeFileSync(wrapper, `#!/bin/sh\nexec ${command} "$@"\n`);
      chmodSync(wrapper, 0o755);
      browser = this.chromium.launch({
        executablePath: wrapper,
        args: [...CHROMIUM_ARGS, ...NO_GPU_ARGS],
        slowMo: Number(process.env['E2E_SLOWMO'] ?? 0),
      });
      this.browsers.set(machine, browser);
    }
    return browser;
  }

  attachLogs(testInfo: TestInfo): Promise<void> {
    return attachLogs(testInfo, this.dir, this.hosts, this.users, [
      { name: 'lab.txt', text: this.lab.describe() },
    ]);
  }

  /** Closes the browsers, stops every host (SIGTERM, then SIGKILL), removes the lab and files. */
  async dispose(): Promise<void> {
    const browsers = await Promise.allSettled(this.browsers.values());
    await Promise.all(
      browsers.map((b) => (b.status === 'fulfilled' ? b.value.close().catch(() => undefined) : undefined)),
    );
    await Promise.all(this.hosts.map(({ proc }) => proc.stop(STOP_GRACE_MS)));
    await this.lab.dispose();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export const test = base.extend<{ lan: Lan }>({
  lan: [
    async ({ playwright }, use, testInfo) => {
      const why = await whyNoNamespaces();
      if (why !== undefined) console.log(`e2e: skipping "${testInfo.title}": ${why}`);
      testInfo.skip(why !== undefined, `simulated machines cannot be made here: ${why}`);
      await useThenDispose(await Lan.start(playwright.chromium), use, testInfo);
    },
    { timeout: 90_000 },
  ],
});

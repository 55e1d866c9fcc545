// The processes of one end-to-end test: a private GMS and a `liveobjects serve` host per user,
// all under one temporary directory. Every child is a ManagedProcess (testing/processes.ts):
// tracked, stopped on dispose and SIGKILLed if the test process itself exits.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { privateNetworkArgs, spawnCli, startGms } from '../../testing/liveobjects';
import { joinTeam, writeTeamInvitation } from '../../src-main/host/workspace/testing/team';
import type { GmsProcess } from '../../testing/liveobjects';
import type { ManagedProcess } from '../../testing/processes';

/** Hosts and the GMS get this long for a clean stop before SIGKILL. */
export const STOP_GRACE_MS = 15_000;
const START_TIMEOUT_MS = 60_000;

/** A `liveobjects serve` process for one user. */
export interface Host {
  readonly name: string;
  readonly home: string;
  /** The page URL, token included. */
  readonly url: string;
  readonly proc: ManagedProcess;
  /** SIGTERM: the host leaves its groups and flushes its state. */
  stop(): Promise<void>;
  /** SIGKILL: a crash. */
  kill(): Promise<void>;
}

/** A started `liveobjects serve` process, once it has printed its page's URL. */
export async function hostStarted(name: string, home: string, proc: ManagedProcess): Promise<Host> {
  const match = await proc.waitForLine(
    /^Live Objects at (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)$/,
    START_TIMEOUT_MS,
  );
  return {
    name,
    home,
    url: match[1] ?? '',
    proc,
    stop: async () => {
      await proc.stop(STOP_GRACE_MS);
    },
    kill: async () => {
      await proc.kill();
    },
  };
}

/** A private GMS plus the hosts of one test (or one file of serial tests). */
export class AppCluster {
  private readonly hosts: ManagedProcess[] = [];

  private constructor(
    /** Temporary directory holding homes and downloads. */
    readonly dir: string,
    readonly gms: GmsProcess,
  ) {}

  static async start(): Promise<AppCluster> {
    const dir = mkdtempSync(join(tmpdir(), 'liveobjects-e2e-'));
    try {
      // One workspace for the cluster: the GMS serves it, every home joins it (AppCluster.host).
      const invitation = writeTeamInvitation(dir, 'e2e team');
      return new AppCluster(
        dir,
        await startGms({ args: privateNetworkArgs(), invitation, timeoutMs: START_TIMEOUT_MS }),
      );
    } catch (error) {
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
  }

  /** Starts `liveobjects serve` for `name`; `home` defaults to a fresh directory per name. */
  async host(name: string, options: { home?: string } = {}): Promise<Host> {
    const home = options.home ?? join(this.dir, `home-${name.toLowerCase()}`);
    // As a colleague would (`liveobjects join`): the home joins the cluster's workspace.
    if (this.gms.invitation !== undefined) joinTeam(home, this.gms.invitation);
    const args = ['serve', '--port', '0', '--gms', this.gms.address, '--home', home, '--name', name];
    const proc = spawnCli(`host ${name}`, args);
    this.hosts.push(proc);
    return hostStarted(name, home, proc);
  }

  /** Every process, GMS first, with a file-friendly label, for a failure report. */
  processes(): Array<{ label: string; proc: ManagedProcess }> {
    return [this.gms.proc, ...this.hosts].map((proc, i) => ({
      label: `${i}-${proc.label.replace(/\W+/g, '-')}`,
      proc,
    }));
  }

  /** Stops the hosts (SIGTERM, then SIGKILL), then the GMS, and removes the directory. */
  async dispose(): Promise<void> {
    await Promise.all(this.hosts.map((p) => p.stop(STOP_GRACE_MS)));
    await this.gms.proc.stop(STOP_GRACE_MS);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

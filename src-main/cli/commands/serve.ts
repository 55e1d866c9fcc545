// `liveobjects serve`: the app in a browser. Starts a host and the web shell on 127.0.0.1,
// prints the URL (token included) as the first line of stdout, and runs until SIGINT/SIGTERM.
// The host and the web shell load lazily so that `liveobjects help` stays fast.
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { defaultUserName } from '../../shell/common/user';
import type { Command } from '../main';
import { errorText } from '../../../src-shared/util/error-text';

const usage = `Usage: liveobjects serve [FILE] [options]

Serves the Live Objects app to a browser on this machine (127.0.0.1 only) and prints its
URL, access token included. Builds the renderer first if out/renderer is missing. Runs
until SIGINT or SIGTERM.

Arguments:
  FILE                a .liveobject file to open once the page has loaded

Options:
  --port N            port to listen on (default 0: a free port)
  --gms HOST:PORT     membership service (default: the configured one, else an embedded GMS)
  --home DIR          directory holding this node's state (default: the host's default)
  --name USER         your name as others see it (default: the OS user name)
  --open              open the URL in the default browser`;

class UsageError extends Error {}

export interface ServeArgs {
  readonly file?: string;
  readonly port: number;
  readonly gms?: { readonly host: string; readonly port: number };
  readonly home?: string;
  readonly name?: string;
  readonly open: boolean;
}

function parsePort(text: string, what: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535)
    throw new UsageError(`${what} expects a port 0-65535, got '${text}'`);
  return port;
}

function parseHostPort(text: string): { host: string; port: number } {
  const match = /^\[([^\]]+)\]:(\d+)$/.exec(text) ?? /^([^:]+):(\d+)$/.exec(text);
  if (!match?.[1] || match[2] === undefined) throw new UsageError(`--gms expects HOST:PORT, got '${text}'`);
  return { host: match[1], port: parsePort(match[2], '--gms') };
}

export function parseServeArgs(argv: readonly string[], cwd = process.cwd()): ServeArgs {
  const valued = new Set(['--port', '--gms', '--home', '--name']);
  const values = new Map<string, string>();
  const files: string[] = [];
  let open = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--open') {
      open = true;
      continue;
    }
    if (!arg.startsWith('--') || arg === '-') {
      files.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (!valued.has(name)) throw new UsageError(`unknown option '${arg}'`);
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || value === '') throw new UsageError(`${name} needs a value`);
    values.set(name, value);
  }
  if (files.length > 1) throw new UsageError(`serve opens one FILE, got ${files.length}`);
  const port = values.get('--port');
  const gms = values.get('--gms');
  const home = values.get('--home');
  const file = files[0] === undefined ? undefined : resolve(cwd, files[0]);
  if (file !== undefined && !(existsSync(file) && statSync(file).isFile())) {
    throw new UsageError(`no such file: ${files[0] ?? ''}`);
  }
  return {
    port: port === undefined ? 0 : parsePort(port, '--port'),
    open,
    ...(file !== undefined && { file }),
    ...(gms !== undefined && { gms: parseHostPort(gms) }),
    ...(home !== undefined && { home: resolve(cwd, home) }),
    ...(values.has('--name') && { name: values.get('--name') }),
  };
}

function waitForSignal(): Promise<NodeJS.Signals> {
  return new Promise((done) => {
    const stop = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      // A second signal while shutting down hangs no one: the default handler exits.
      done(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

export const command: Command = {
  summary: 'serve the app to a browser on this machine (127.0.0.1) and print its URL',
  usage,
  async run(argv) {
    let args: ServeArgs;
    try {
      args = parseServeArgs(argv);
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      console.error(`liveobjects serve: ${error.message}\n\n${usage}`);
      return 2;
    }
    const log = (line: string): void => console.error(line);
    const web = await import('../../shell/web');
    try {
      await web.ensureRenderer({ rendererDir: web.DEFAULT_RENDERER_DIR, log });
    } catch (error) {
      console.error(`liveobjects serve: ${errorText(error)}`);
      return 1;
    }

    const { createHost } = await import('../../host/host');
    let host: Awaited<ReturnType<typeof createHost>>;
    try {
      const userName = args.name ?? defaultUserName();
      host = await createHost({
        shell: 'web',
        ...(args.home !== undefined && { home: args.home }),
        ...(args.gms !== undefined && { gms: args.gms }),
        ...(userName !== undefined && { userName }),
      });
    } catch (error) {
      console.error(`liveobjects serve: cannot start the host: ${errorText(error)}`);
      return 1;
    }

    let shell: Awaited<ReturnType<typeof web.startWebShell>>;
    try {
      shell = await web.startWebShell({
        host,
        port: args.port,
        log,
        ...(args.file !== undefined && { openFile: args.file }),
      });
    } catch (error) {
      console.error(`liveobjects serve: cannot listen on 127.0.0.1:${args.port}: ${errorText(error)}`);
      await host.close().catch(() => {});
      return 1;
    }

    // e2e tests and bin/start.js parse this line: keep it first on stdout and keep its shape.
    console.log(`Live Objects at ${shell.url}`);
    log('Open that URL in a browser on this machine (it carries the access token). Ctrl+C stops.');
    if (args.open) web.openBrowser(shell.url, log);

    const signal = await waitForSignal();
    log(`serve: ${signal}; shutting down`);
    let code = 0;
    await shell.close().catch((error: unknown) => {
      log(`serve: closing the web shell failed: ${errorText(error)}`);
      code = 1;
    });
    await host.close().catch((error: unknown) => {
      log(`serve: closing the host failed: ${errorText(error)}`);
      code = 1;
    });
    // Exit even if some library left a handle open; an unref'd timer never delays a clean exit.
    setTimeout(() => process.exit(code), 3000).unref();
    return code;
  },
};

// `liveobjects serve`: the app in a browser. Starts a host and the web shell on 127.0.0.1,
// prints the URL (token included) as the first line of stdout, and runs until SIGINT/SIGTERM.
// The host and the web shell load lazily so that `liveobjects help` stays fast.
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { defaultUserName } from '../../shell/common/user';
import { hostOptions, readHostArgs } from '../../shell/common/host-options';
import type { HostArgs } from '../../shell/common/host-options';
import { defineCommand } from '../command';
import { defineOptions, UsageError } from '../../args/options';
import { port } from '../../args/converters';
import type { Parsed } from '../../args/options';
import { waitForSignal } from '../signals';
import { errorText } from '../../../src-shared/util/error-text';

const options = defineOptions({
  port: {
    type: 'string',
    placeholder: 'N',
    parse: port,
    default: '0',
    description: 'port to listen on; 0 picks a free one',
  },
  ...hostOptions,
  open: { type: 'boolean', description: 'open the URL in the default browser' },
});

export interface ServeArgs extends HostArgs {
  readonly file?: string;
  readonly port: number;
  readonly open: boolean;
}

function readServeArgs({ values, positionals }: Parsed<typeof options>, cwd: string): ServeArgs {
  const [given] = positionals;
  const file = given === undefined ? undefined : resolve(cwd, given);
  if (file !== undefined && !(existsSync(file) && statSync(file).isFile())) {
    throw new UsageError(`no such file: ${given ?? ''}`);
  }
  return {
    port: values.port,
    open: values.open,
    ...(file !== undefined && { file }),
    ...readHostArgs(values, cwd),
  };
}

export const command = defineCommand({
  name: 'serve',
  summary: 'serve the app to a browser on this machine (127.0.0.1) and print its URL',
  synopsis: '[FILE] [options]',
  about:
    'Serves the Live Objects app to a browser on this machine (127.0.0.1 only) and prints its ' +
    'URL, access token included. Builds the renderer first if out/renderer is missing. Runs ' +
    'until SIGINT or SIGTERM. Objects run on the LAN (QuickSilver) unless --platform (or ' +
    'registry.json) names NATS servers the team runs; --bridge is recorded but not yet: the ' +
    'bridge between the LAN and NATS is future work.',
  arguments: { name: 'FILE', description: 'a .liveobject file to open once the page has loaded', max: 1 },
  options,
  read: readServeArgs,
  async run(args) {
    const log = (line: string): void => console.error(line);
    const web = await import('../../shell/web');
    try {
      await web.ensureRenderer({ rendererDir: web.DEFAULT_RENDERER_DIR, log });
    } catch (error) {
      console.error(`liveobjects serve: ${errorText(error)}`);
      return 1;
    }

    const { createHost, UnsavedStateError } = await import('../../host/host');
    let host: Awaited<ReturnType<typeof createHost>>;
    try {
      const userName = args.name ?? defaultUserName();
      host = await createHost({
        shell: 'web',
        ...(args.home !== undefined && { home: args.home }),
        ...(args.platform && { platform: args.platform }),
        ...(args.bridge && { bridge: args.bridge }),
        ...(args.gms !== undefined && { gms: args.gms }),
        ...(args.interface !== undefined && { interface: args.interface }),
        ...(userName !== undefined && { userName }),
        ...(args.allowLibraries && { allowLibraries: args.allowLibraries }),
        ...(args.trustLibraries && { trustLibraries: true }),
        log,
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
      log(
        error instanceof UnsavedStateError
          ? `serve: WARNING: NOT SAVED: ${error.message}`
          : `serve: closing the host failed: ${errorText(error)}`,
      );
      code = 1;
    });
    // Exit even if some library left a handle open; an unref'd timer never delays a clean exit.
    setTimeout(() => process.exit(code), 3000).unref();
    return code;
  },
});

/** argv → serve's arguments (paths resolved against `cwd`), or UsageError. */
export const parseServeArgs = (argv: readonly string[], cwd?: string): ServeArgs => command.parse(argv, cwd);

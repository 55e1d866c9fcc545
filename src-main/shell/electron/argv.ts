// The app's own arguments among Electron's: files to open and the host options (the same as
// `liveobjects serve`'s). Electron and Chromium add switches of their own and the app path, so
// options the table does not know are skipped and only existing .liveobject files count.
import { parseOptions } from '../../args/options';
import { hostOptions, readHostArgs } from '../common/host-options';
import type { HostArgs } from '../common/host-options';
import { liveObjectFiles } from './open-files';

export interface AppArgs {
  readonly files: readonly string[];
  readonly host: HostArgs;
}

/** `argv` without the executable (process.argv.slice(1)); throws UsageError on a bad value. */
export function readAppArgs(argv: readonly string[], cwd: string): AppArgs {
  const { values, positionals } = parseOptions(hostOptions, argv, {
    arguments: { name: 'FILE' },
    allowUnknown: true,
  });
  return { files: liveObjectFiles(positionals, cwd), host: readHostArgs(values, cwd) };
}

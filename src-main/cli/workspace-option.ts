// `--workspace PATH` of the headless commands (`liveobjects node`, `liveobjects gms`): the
// workspace whose key authenticates their traffic, named by an invitation file or by a home that
// joined it. Anything that crosses a network must be authenticated, so off loopback the option is
// required; on loopback it may be left out (development, benchmarks), and traffic then carries
// no authentication at all.
import { resolve } from 'node:path';
import { UsageError } from '../args/options';
import { isLoopbackHost } from '../engine/gms';
import { errorText } from '../../src-shared/util/error-text';
import { packetKey, workspaceAt } from '../host/workspace';

export const workspaceOption = {
  workspace: {
    type: 'string',
    placeholder: 'PATH',
    defaultText: 'none: unauthenticated, loopback only',
    description:
      'an invitation file (liveobjects invite) or a home that joined the workspace: its key ' +
      'authenticates the traffic; required off loopback',
  },
} as const;

/**
 * The packet key of the workspace at `path` (resolved against `cwd`), or undefined without one
 * when every address is loopback. UsageError when the path names no workspace, or when it is
 * missing and an address is off loopback.
 */
export function readWorkspaceOption(
  path: string | undefined,
  cwd: string,
  addresses: readonly { readonly option: string; readonly host: string }[],
): Uint8Array | undefined {
  if (path === undefined) {
    const off = addresses.find((a) => !isLoopbackHost(a.host) && a.host !== '::1');
    if (off) {
      throw new UsageError(
        `${off.option} ${off.host} is not loopback: traffic that crosses a network must be ` +
          'authenticated, so give --workspace PATH (an invitation file written by `liveobjects ' +
          'invite`, or a home that joined the workspace)',
      );
    }
    return undefined;
  }
  try {
    return packetKey(workspaceAt(resolve(cwd, path)));
  } catch (error) {
    throw new UsageError(`--workspace: ${errorText(error)}`);
  }
}

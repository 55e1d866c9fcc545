// Joining a workspace with an invitation, and reading the workspace a headless node is given
// (`--workspace PATH`: an invitation file or a home that has joined one).
import { readFileSync, statSync } from 'node:fs';
import { errorText } from '../../../src-shared/util/error-text';
import { readInvitation } from '../../../src-shared/workspace/invitation';
import { readWorkspace, sameWorkspace, workspacePath, writeWorkspace } from './store';
import type { Workspace } from './store';

export interface Joined {
  readonly workspace: Workspace;
  /** The workspace the home belonged to before, when it was another one. */
  readonly replaced?: Workspace;
  /** The home already belonged to this workspace. */
  readonly already: boolean;
}

/** Makes `home` a member of `workspace`; a different workspace the home had is replaced (the
 * objects' saved state stays: it does not depend on the workspace). */
export function joinWorkspace(home: string, workspace: Workspace): Joined {
  let previous: Workspace | undefined;
  try {
    previous = readWorkspace(home);
  } catch {
    // A broken workspace file is what joining repairs.
    previous = undefined;
  }
  if (previous && sameWorkspace(previous, workspace) && previous.name === workspace.name) {
    return { workspace, already: true };
  }
  writeWorkspace(home, workspace);
  return {
    workspace,
    already: false,
    ...(previous && !sameWorkspace(previous, workspace) && { replaced: previous }),
  };
}

/** The invitation in the file at `path`. */
export function readInvitationFile(path: string): Workspace {
  let xml: string;
  try {
    xml = readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`cannot read the invitation ${path}: ${errorText(e)}`, { cause: e });
  }
  return readInvitation(xml, path);
}

/** Makes `home` a member of the workspace of the invitation file at `path` (`liveobjects join`). */
export function joinInvitationFile(home: string, path: string): Joined {
  return joinWorkspace(home, readInvitationFile(path));
}

/** The workspace `path` names: a home directory's (workspace.json) or an invitation file's. */
export function workspaceAt(path: string): Workspace {
  let directory: boolean;
  try {
    directory = statSync(path).isDirectory();
  } catch (e) {
    throw new Error(`no such invitation file or home directory: ${path} (${errorText(e)})`, { cause: e });
  }
  if (!directory) return readInvitationFile(path);
  const workspace = readWorkspace(path);
  if (!workspace) {
    throw new Error(
      `${path} has no workspace (${workspacePath(path)} is missing): start a host there once, or ` +
        'join one with `liveobjects join INVITATION --home DIR`',
    );
  }
  return workspace;
}

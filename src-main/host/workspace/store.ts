// The workspace of a home (docs/security.md): `workspace.json` beside registry.json, readable by
// its owner only (mode 0600), holding the version, the workspace id, its name and its secret
// key. The first host that starts on a home without one creates it; `liveobjects join` (or
// opening an invitation in the app) replaces it. Objects' saved state does not depend on it.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { errorText } from '../../../src-shared/util/error-text';
import {
  WORKSPACE_ID_BYTES,
  WORKSPACE_KEY_BYTES,
  workspaceIdProblem,
  workspaceKeyProblem,
  workspaceNameProblem,
} from '../../../src-shared/workspace/invitation';
import type { WorkspaceIdentity } from '../../../src-shared/workspace/invitation';

export const WORKSPACE_FILE = 'workspace.json';
export const WORKSPACE_VERSION = 1;
/** Owner read/write only: the file holds the workspace key. */
export const WORKSPACE_FILE_MODE = 0o600;

export type Workspace = WorkspaceIdentity;

export function workspacePath(home: string): string {
  return join(home, WORKSPACE_FILE);
}

/** A new workspace: a random id and key. */
export function newWorkspace(name: string): Workspace {
  const problem = workspaceNameProblem(name);
  if (problem) throw new Error(problem);
  return {
    id: randomBytes(WORKSPACE_ID_BYTES).toString('hex'),
    name: name.trim(),
    key: new Uint8Array(randomBytes(WORKSPACE_KEY_BYTES)),
  };
}

/** The default name of a workspace a host creates: `Alice's workspace`. */
export function defaultWorkspaceName(userName: string | undefined): string {
  const who = userName?.trim();
  return who ? `${who}'s workspace` : 'Live Objects workspace';
}

/** The home's workspace, or undefined when it has none. Throws, naming the file and what is
 * wrong with it, when the file cannot be read or is not a workspace. */
export function readWorkspace(home: string): Workspace | undefined {
  const path = workspacePath(home);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`cannot read ${path}: ${errorText(e)}`, { cause: e });
  }
  return parseWorkspace(text, path);
}

function parseWorkspace(text: string, path: string): Workspace {
  const fail = (what: string): never => {
    throw new Error(
      `${path} is not a valid workspace file: ${what}. Join a workspace again with ` +
        '`liveobjects join INVITATION --home DIR`, or delete the file to start a new workspace',
    );
  };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return fail(`it is not JSON (${errorText(e)})`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    return fail('it is not a JSON object');
  const { version, id, name, key } = data as Record<string, unknown>;
  if (version !== WORKSPACE_VERSION) return fail(`its version must be ${WORKSPACE_VERSION}`);
  const idProblem = workspaceIdProblem(id);
  if (idProblem) return fail(idProblem);
  const nameProblem = workspaceNameProblem(name);
  if (nameProblem) return fail(nameProblem);
  if (typeof key !== 'string' || !/^[A-Za-z0-9_-]+$/.test(key)) return fail('the key must be base64url text');
  const bytes = new Uint8Array(Buffer.from(key, 'base64url'));
  const keyProblem = workspaceKeyProblem(bytes);
  if (keyProblem) return fail(keyProblem);
  return { id: id as string, name: name as string, key: bytes };
}

/** Writes the home's workspace (replacing any; the home is made when missing), mode 0600, atomically: a reader sees the old
 * file or the new one, never a part. */
export function writeWorkspace(home: string, workspace: Workspace): void {
  const path = workspacePath(home);
  const text = `${JSON.stringify(
    {
      version: WORKSPACE_VERSION,
      id: workspace.id,
      name: workspace.name,
      key: Buffer.from(workspace.key).toString('base64url'),
    },
    null,
    2,
  )}\n`;
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    mkdirSync(home, { recursive: true });
    writeFileSync(temporary, text, { mode: WORKSPACE_FILE_MODE });
    // The mode of writeFileSync is filtered by the umask (and kept for an existing file).
    chmodSync(temporary, WORKSPACE_FILE_MODE);
    renameSync(temporary, path);
  } catch (e) {
    throw new Error(`cannot write ${path}: ${errorText(e)}`, { cause: e });
  }
}

/** The home's workspace; a new one (named `name`) written there when it has none. */
export function ensureWorkspace(home: string, name: string): { workspace: Workspace; created: boolean } {
  const existing = readWorkspace(home);
  if (existing) {
    tightenMode(workspacePath(home));
    return { workspace: existing, created: false };
  }
  const workspace = newWorkspace(name);
  writeWorkspace(home, workspace);
  return { workspace, created: true };
}

/** A workspace file others can read (copied by hand, a permissive umask) is made private. */
function tightenMode(path: string): void {
  if (!existsSync(path) || process.platform === 'win32') return;
  if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, WORKSPACE_FILE_MODE);
}

export function sameWorkspace(a: Workspace, b: Workspace): boolean {
  return a.id === b.id && Buffer.from(a.key).equals(Buffer.from(b.key));
}

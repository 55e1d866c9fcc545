import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  defaultWorkspaceName,
  ensureWorkspace,
  joinWorkspace,
  newWorkspace,
  packetKey,
  readWorkspace,
  workspaceAt,
  workspacePath,
  writeWorkspace,
} from '.';
import { writeInvitation } from '../../../src-shared/workspace/invitation';

const home = (): string => mkdtempSync(join(tmpdir(), 'liveobjects-ws-'));
const mode = (path: string): number => statSync(path).mode & 0o777;

describe('the workspace store', () => {
  it('creates a workspace on a home without one (random id and key, mode 0600), then reads it', () => {
    const h = home();
    expect(readWorkspace(h)).toBeUndefined();
    const first = ensureWorkspace(h, defaultWorkspaceName('Alice'));
    expect(first.created).toBe(true);
    expect(first.workspace.name).toBe("Alice's workspace");
    expect(first.workspace.id).toMatch(/^[0-9a-f]{32}$/);
    expect(first.workspace.key).toHaveLength(32);
    expect(mode(workspacePath(h))).toBe(0o600);
    const file = JSON.parse(readFileSync(workspacePath(h), 'utf8')) as Record<string, unknown>;
    expect(file).toEqual({
      version: 1,
      id: first.workspace.id,
      name: "Alice's workspace",
      key: Buffer.from(first.workspace.key).toString('base64url'),
    });
    const again = ensureWorkspace(h, 'ignored');
    expect(again).toEqual({ workspace: first.workspace, created: false });
    expect(newWorkspace('x').id).not.toBe(first.workspace.id);
  });

  it('names the file and what is wrong with a corrupt one', () => {
    const h = home();
    const path = workspacePath(h);
    const wrong = (text: string, what: RegExp): void => {
      writeFileSync(path, text);
      expect(() => readWorkspace(h)).toThrow(what);
      expect(() => readWorkspace(h)).toThrow(`${path} is not a valid workspace file`);
    };
    const good = {
      version: 1,
      id: 'ab'.repeat(16),
      name: 'team',
      key: Buffer.alloc(32, 1).toString('base64url'),
    };
    wrong('{"version": 1', /it is not JSON/);
    wrong('[]', /not a JSON object/);
    wrong(JSON.stringify({ ...good, version: 2 }), /version must be 1/);
    wrong(JSON.stringify({ ...good, id: 'nope' }), /32 lower-case hex digits/);
    wrong(JSON.stringify({ ...good, name: '' }), /name must be a non-empty string/);
    wrong(JSON.stringify({ ...good, key: Buffer.alloc(16).toString('base64url') }), /32 bytes, not 16/);
    wrong(JSON.stringify({ ...good, key: 'a+b/' }), /base64url/);
    expect(() => ensureWorkspace(h, 'x')).toThrow(/not a valid workspace file.*liveobjects join/);
    writeFileSync(path, JSON.stringify(good));
    expect(readWorkspace(h)?.name).toBe('team');
  });

  it('makes the home when it does not exist yet', () => {
    const h = join(home(), 'new', 'lo');
    expect(ensureWorkspace(h, 'team').created).toBe(true);
    expect(mode(workspacePath(h))).toBe(0o600);
  });

  it('makes a workspace file others could read private again', () => {
    const h = home();
    writeWorkspace(h, newWorkspace('team'));
    chmodSync(workspacePath(h), 0o644);
    ensureWorkspace(h, 'team');
    expect(mode(workspacePath(h))).toBe(0o600);
  });

  it('joins: replaces another workspace (saying which) and keeps 0600', () => {
    const h = home();
    const mine = ensureWorkspace(h, 'mine').workspace;
    const team = newWorkspace('team');
    const joined = joinWorkspace(h, team);
    expect(joined).toEqual({ workspace: team, already: false, replaced: mine });
    expect(readWorkspace(h)).toEqual(team);
    expect(mode(workspacePath(h))).toBe(0o600);
    expect(joinWorkspace(h, team)).toEqual({ workspace: team, already: true });
  });

  it('reads the workspace a path names: a home or an invitation file', () => {
    const h = home();
    const team = newWorkspace('team');
    writeWorkspace(h, team);
    const file = join(h, 'team.liveobject');
    writeFileSync(file, writeInvitation(team));
    expect(workspaceAt(h)).toEqual(team);
    expect(workspaceAt(file)).toEqual(team);
    expect(() => workspaceAt(home())).toThrow(/has no workspace .*workspace\.json is missing/);
  });

  it('derives the packet key with HKDF: the same for every member, another per workspace', () => {
    const team = newWorkspace('team');
    const key = packetKey(team);
    expect(key).toHaveLength(32);
    expect(packetKey({ id: team.id, key: new Uint8Array(team.key) })).toEqual(key);
    expect(Buffer.from(key).equals(Buffer.from(team.key))).toBe(false);
    expect(packetKey(newWorkspace('other'))).not.toEqual(key);
    expect(packetKey({ ...team, id: newWorkspace('x').id })).not.toEqual(key);
    // Fixed: hosts of different versions must derive the same key (HKDF-SHA256, salt = the id's
    // bytes, info = 'liveobjects packets v1').
    const fixed = packetKey({ id: '000102030405060708090a0b0c0d0e0f', key: new Uint8Array(32).fill(1) });
    expect(Buffer.from(fixed).toString('hex')).toBe(
      'f4803463ed484982f41567dd2e3315cc29dd6874b61e15a8102deba50a6e2687',
    );
  });
});

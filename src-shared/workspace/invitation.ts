// An invitation to a workspace: a .liveobject file whose reference is the workspace object
// (`liveobjects.workspace` with the workspace's id, name and key). Whoever holds the file holds
// the key: it grants membership, so it travels privately, like a password. It names no address:
// the membership service moves (a takeover), and DNS-SD finds the one of the workspace's id.
// Isomorphic: the renderer recognises an invitation before asking the user; the host and the
// CLI read and write it with the same code.
import { parseLiveObject, writeLiveObject } from '../format';
import type { LiveObjectDocument, Param, Reference, Value } from '../format';

/** The template id of the workspace object an invitation refers to. */
export const WORKSPACE_TEMPLATE_ID = 'liveobjects.workspace';
/** Bytes of a workspace key. */
export const WORKSPACE_KEY_BYTES = 32;
/** Bytes of a workspace id (written as 32 hex digits). */
export const WORKSPACE_ID_BYTES = 16;
export const MAX_WORKSPACE_NAME_LENGTH = 200;

/** What identifies a workspace and lets a host in: the id, a human name and the secret key. */
export interface WorkspaceIdentity {
  /** 32 lower-case hex digits. */
  readonly id: string;
  readonly name: string;
  /** WORKSPACE_KEY_BYTES random bytes. */
  readonly key: Uint8Array;
}

const ID_PATTERN = /^[0-9a-f]{32}$/;

/** Why `id` is not a workspace id, or undefined when it is one. */
export function workspaceIdProblem(id: unknown): string | undefined {
  return typeof id === 'string' && ID_PATTERN.test(id)
    ? undefined
    : `the workspace id must be ${WORKSPACE_ID_BYTES * 2} lower-case hex digits`;
}

/** Why `name` is not a workspace name, or undefined when it is one. */
export function workspaceNameProblem(name: unknown): string | undefined {
  if (typeof name !== 'string' || name.trim() === '') return 'the workspace name must be a non-empty string';
  if (name.length > MAX_WORKSPACE_NAME_LENGTH)
    return `the workspace name must be at most ${MAX_WORKSPACE_NAME_LENGTH} characters`;
  return undefined;
}

/** Why `key` is not a workspace key, or undefined when it is one. */
export function workspaceKeyProblem(key: Uint8Array): string | undefined {
  return key.length === WORKSPACE_KEY_BYTES
    ? undefined
    : `the workspace key must be ${WORKSPACE_KEY_BYTES} bytes, not ${key.length}`;
}

/** The .liveobject text of an invitation to `workspace`. */
export function writeInvitation(workspace: WorkspaceIdentity): string {
  const value = (name: string, v: Value): Param => ({ name, value: { kind: 'value', value: v } });
  const doc: LiveObjectDocument = {
    meta: {
      title: `Invitation to ${workspace.name}`,
      description:
        'Opening this file makes your Live Objects host a member of this workspace. It carries ' +
        "the workspace's secret key: share it privately, like a password.",
    },
    types: [],
    reference: {
      kind: 'parameterized',
      template: { kind: 'primitive', id: WORKSPACE_TEMPLATE_ID },
      params: [
        value('id', { type: 'string', value: workspace.id }),
        value('name', { type: 'string', value: workspace.name }),
        value('key', { type: 'bytes', value: workspace.key }),
      ],
    },
  };
  return writeLiveObject(doc);
}

/** Whether the reference is the workspace object (an invitation), whatever its parameters. */
export function isInvitationReference(reference: Reference): boolean {
  return (
    reference.kind === 'parameterized' &&
    reference.template.kind === 'primitive' &&
    reference.template.id === WORKSPACE_TEMPLATE_ID
  );
}

/** Whether `xml` is an invitation; false for anything else, a malformed file included. */
export function isInvitation(xml: string): boolean {
  try {
    return isInvitationReference(parseLiveObject(xml).reference);
  } catch {
    return false;
  }
}

/**
 * The workspace an invitation carries. Throws an Error naming `source` and what is wrong (not
 * an invitation, a missing or malformed id, name or key) for anything else.
 */
export function readInvitation(xml: string, source = 'the invitation'): WorkspaceIdentity {
  let doc: LiveObjectDocument;
  try {
    doc = parseLiveObject(xml);
  } catch (e) {
    return invalid(source, e instanceof Error ? e.message : String(e));
  }
  return readInvitationDocument(doc, source);
}

function invalid(source: string, what: string): never {
  throw new Error(`${source} is not a valid invitation: ${what}; ask a member for a new one`);
}

/** The workspace a parsed invitation carries; throws as readInvitation does. */
export function readInvitationDocument(
  doc: LiveObjectDocument,
  source = 'the invitation',
): WorkspaceIdentity {
  const fail = (what: string): never => invalid(source, what);
  const ref = doc.reference;
  if (ref.kind !== 'parameterized' || !isInvitationReference(ref)) {
    return fail(`its reference is not the workspace object (${WORKSPACE_TEMPLATE_ID})`);
  }
  const param = (name: string): Value | undefined => {
    const p = ref.params.find((q) => q.name === name);
    if (!p) return undefined;
    if (p.value.kind !== 'value') return fail(`its '${name}' parameter must be a value`);
    return p.value.value;
  };
  const id = param('id');
  const name = param('name');
  const key = param('key');
  if (!id || id.type !== 'string') return fail("it has no 'id' (a string value)");
  if (!name || name.type !== 'string') return fail("it has no 'name' (a string value)");
  if (!key) return fail("it has no 'key'");
  if (key.type !== 'bytes') return fail("its 'key' must be a bytes value");
  const problem =
    workspaceIdProblem(id.value) ?? workspaceNameProblem(name.value) ?? workspaceKeyProblem(key.value);
  if (problem) fail(problem);
  return { id: id.value, name: name.value, key: key.value };
}

// The workspace as the bridge carries it (docs/security.md): which one the host runs in (shown in
// the connection area), an invitation the user opened (the renderer asks before joining) and
// the answer to joining one. Keys never cross the bridge, except inside the invitation's own text
// that the user opened.
import type { Infer } from './zod';
import { z } from './zod';

export const WorkspaceName = z.object({ id: z.string(), name: z.string() });
export type WorkspaceName = Infer<typeof WorkspaceName>;

/** The host's workspace; `joined`: one joined since it started, in effect when it restarts. */
export const WorkspaceStatus = z.object({
  id: z.string(),
  name: z.string(),
  joined: z.optional(WorkspaceName),
});
export type WorkspaceStatus = Infer<typeof WorkspaceStatus>;

/** An invitation the shell opened (command line, file association): the user is asked. */
export const InvitationOffer = z.object({
  /** The invitation's text, for `join` once the user agrees. */
  xml: z.string(),
  source: z.string(),
  workspace: WorkspaceName,
  /** The workspace the host is in now (the one the user would leave). */
  current: WorkspaceName,
});
export type InvitationOffer = Infer<typeof InvitationOffer>;

export const JoinArgs = z.object({ xml: z.string(), source: z.optional(z.string()) });

export interface JoinResult {
  readonly workspace: WorkspaceName;
  /** The workspace the home belonged to, when the invitation was to another one. */
  readonly replaced?: WorkspaceName;
  /** The host must restart to move to the workspace (true unless it was in it already). */
  readonly restartNeeded: boolean;
  /** What to tell the user. */
  readonly message: string;
}

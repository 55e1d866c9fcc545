// A running host's workspace: the one it runs in (its key is the engine's) and one joined since
// it started, which takes effect when the host restarts (the engine's key is fixed for the
// life of its node). Invitations opened in the app join through here.
import type { InvitationOffer, JoinResult, WorkspaceStatus } from '../../../src-shared/bridge/workspace';
import { isInvitation, readInvitation } from '../../../src-shared/workspace/invitation';
import { joinWorkspace } from './join';
import { sameWorkspace } from './store';
import type { Workspace } from './store';

const nameOf = (w: Workspace): { id: string; name: string } => ({ id: w.id, name: w.name });

export class HostWorkspace {
  private joined: Workspace | undefined;
  private readonly listeners = new Set<() => void>();

  constructor(
    readonly home: string,
    /** The workspace the host runs in. */
    readonly current: Workspace,
  ) {}

  status(): WorkspaceStatus {
    return { ...nameOf(this.current), ...(this.joined && { joined: nameOf(this.joined) }) };
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The offer to show for `xml` when it is an invitation; undefined for any other reference.
   * A malformed invitation throws (the shells report it like any file that cannot be opened). */
  invitationIn(xml: string, source: string): InvitationOffer | undefined {
    if (!isInvitation(xml)) return undefined;
    return { xml, source, workspace: nameOf(readInvitation(xml, source)), current: nameOf(this.current) };
  }

  /** Joins the invitation's workspace: the home's workspace.json is replaced; the host moves to
   * it when restarted. */
  join(xml: string, source = 'the invitation'): JoinResult {
    const workspace = readInvitation(xml, source);
    const joined = joinWorkspace(this.home, workspace);
    const inCurrent = sameWorkspace(workspace, this.current);
    this.joined = inCurrent ? undefined : workspace;
    for (const l of [...this.listeners]) l();
    const name = `"${workspace.name}"`;
    const left = !inCurrent ? ` It leaves "${this.current.name}"; the objects saved here stay.` : '';
    return {
      workspace: nameOf(workspace),
      ...(joined.replaced && { replaced: nameOf(joined.replaced) }),
      restartNeeded: !inCurrent,
      message: inCurrent
        ? `This host is a member of ${name}.`
        : `Joined ${name}. Restart the app (quit and start it again) to work in it.${left}`,
    };
  }
}

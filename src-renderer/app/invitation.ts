// Opening an invitation (Open…, a drop, a file the shell was asked to open): the user is asked,
// naming the workspace, before the host joins it; nothing is shown or placed, since placing the
// invitation on a shared desktop would hand its key to everyone who sees that desktop.
import type { WorkspaceName } from '../../src-shared/bridge/workspace';
import { isInvitation, readInvitation } from '../../src-shared/workspace/invitation';
import type { RendererBridge } from '../bridge/types';
import { errorMessage } from '../bridge/errors';
import { attempt } from './attempt';
import { network } from './stores/network';
import { notifications, notifyError } from './stores/notifications';

export { isInvitation };

/** What the user is asked before joining `workspace`. */
export function joinQuestion(offer: {
  readonly workspace: WorkspaceName;
  readonly current?: WorkspaceName | undefined;
}): string {
  const { workspace, current } = offer;
  if (current?.id === workspace.id)
    return `This machine is already a member of "${workspace.name}". Join it again?`;
  const leave = current
    ? ` This machine leaves "${current.name}": its members will no longer see it (the objects saved here stay).`
    : '';
  return (
    `Join the workspace "${workspace.name}"?${leave} The app must be restarted to work in it. ` +
    'Join only with an invitation you expected from a colleague.'
  );
}

/** Asks the user about the invitation in `xml` and joins when they agree. */
export async function offerInvitation(
  bridge: RendererBridge,
  xml: string,
  source: string,
  ask: (question: string) => boolean = (q) => window.confirm(q),
): Promise<void> {
  let workspace: { id: string; name: string };
  try {
    const read = readInvitation(xml, source);
    workspace = { id: read.id, name: read.name };
  } catch (error) {
    notifyError(errorMessage(error));
    return;
  }
  const current = network.getState().status?.workspace;
  if (!ask(joinQuestion({ workspace, current }))) return;
  const joined = await attempt(bridge.call('join', { xml, source }), `Could not join "${workspace.name}"`);
  if (joined) notifications.getState().notify(joined.message, 'info');
}

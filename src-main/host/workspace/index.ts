// The workspace a host belongs to (docs/security.md): kept in its home, joined by invitation,
// and the keys derived from it for the engine.
export {
  WORKSPACE_FILE,
  WORKSPACE_FILE_MODE,
  defaultWorkspaceName,
  ensureWorkspace,
  newWorkspace,
  readWorkspace,
  sameWorkspace,
  workspacePath,
  writeWorkspace,
} from './store';
export type { Workspace } from './store';
export { PACKET_KEY_INFO, packetKey } from './keys';
export { joinInvitationFile, joinWorkspace, readInvitationFile, workspaceAt } from './join';
export type { Joined } from './join';
export { isMembershipRefused, notMemberText } from './refused';

// One workspace for the processes of a test or benchmark run: an invitation file that the GMS
// is given (`--workspace`) and that every host's home joins, as a team's members would.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeInvitation } from '../../../../src-shared/workspace/invitation';
import { joinInvitationFile } from '../join';
import { newWorkspace } from '../store';

/** Writes an invitation to a fresh workspace into `dir` (what `liveobjects invite` prints) and
 * returns its path. */
export function writeTeamInvitation(dir: string, name = 'test team'): string {
  const file = join(dir, 'team.liveobject');
  writeFileSync(file, writeInvitation(newWorkspace(name)));
  return file;
}

/** Makes `home` a member of the invitation's workspace, as `liveobjects join FILE --home HOME`. */
export function joinTeam(home: string, invitation: string): void {
  joinInvitationFile(home, invitation);
}

// `liveobjects invite`: prints an invitation to the home's workspace (a .liveobject file) on
// stdout, for a colleague to `liveobjects join` or open in the app. Works while the host of the
// home runs: it only reads workspace.json.
import { resolve } from 'node:path';
import { writeInvitation } from '../../../src-shared/workspace/invitation';
import { errorText } from '../../../src-shared/util/error-text';
import { defaultHome } from '../../objects/registry';
import { readWorkspace, workspacePath } from '../../host/workspace';
import { defineCommand } from '../command';
import { hostOptions } from '../../shell/common/host-options';

export const command = defineCommand({
  name: 'invite',
  summary: "print an invitation to this home's workspace (a .liveobject file) on stdout",
  synopsis: '[--home DIR] > FILE.liveobject',
  about:
    'Prints an invitation to the workspace of the home (its workspace.json): a .liveobject file ' +
    'that makes whoever opens or joins it a member. It carries the workspace key: share it ' +
    'privately (not on a shared desktop or a public channel). Works while the host runs.',
  options: { home: hostOptions.home },
  notes: 'A colleague joins with `liveobjects join FILE --home DIR`, or opens the file in the app.',
  read: ({ values }, cwd) => resolve(cwd, values.home ?? defaultHome()),
  async run(home) {
    let workspace;
    try {
      workspace = readWorkspace(home);
    } catch (error) {
      console.error(`liveobjects invite: ${errorText(error)}`);
      return 1;
    }
    if (!workspace) {
      console.error(
        `liveobjects invite: ${home} has no workspace yet (${workspacePath(home)} is missing). ` +
          'Start the app once on this home (`npm start -- --home DIR` or `liveobjects serve --home DIR`) ' +
          'to create one, or join one with `liveobjects join INVITATION --home DIR`.',
      );
      return 1;
    }
    process.stdout.write(writeInvitation(workspace));
    console.error(
      `liveobjects invite: this file makes whoever has it a member of "${workspace.name}" (it carries ` +
        'the workspace key): give it privately to the colleague you invite, never to a shared desktop ' +
        'or a public place.',
    );
    return 0;
  },
});

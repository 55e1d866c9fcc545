// `liveobjects join FILE`: makes the home a member of the workspace of an invitation (writes its
// workspace.json). A different workspace the home had is replaced; the objects' saved state stays.
import { resolve } from 'node:path';
import { errorText } from '../../../src-shared/util/error-text';
import { defaultHome } from '../../objects/registry';
import { joinInvitationFile, workspacePath } from '../../host/workspace';
import { defineCommand } from '../command';
import { homeHolder } from '../../host/home-lock';
import { hostOptions } from '../../shell/common/host-options';

export interface JoinArgs {
  readonly invitation: string;
  readonly home: string;
}

export const command = defineCommand({
  name: 'join',
  summary: 'join the workspace of an invitation (written by `liveobjects invite`)',
  synopsis: 'FILE [--home DIR]',
  about:
    'Makes the home a member of the workspace the invitation names: writes its workspace.json ' +
    '(mode 0600). A home that belonged to another workspace leaves it; the objects it saved stay. ' +
    'A host running on the home moves to the new workspace when it is restarted.',
  arguments: { name: 'FILE', description: 'an invitation (.liveobject)', min: 1, max: 1 },
  options: { home: hostOptions.home },
  read: ({ values, positionals }, cwd): JoinArgs => ({
    invitation: resolve(cwd, positionals[0] ?? ''),
    home: resolve(cwd, values.home ?? defaultHome()),
  }),
  async run({ invitation, home }) {
    try {
      const joined = joinInvitationFile(home, invitation);
      const name = `"${joined.workspace.name}"`;
      if (joined.already) {
        console.log(`${home} is already a member of ${name}.`);
        return 0;
      }
      console.log(`${home} joined ${name} (${workspacePath(home)}).`);
      if (joined.replaced) {
        console.log(
          `It left "${joined.replaced.name}": its objects stay saved in the home, but the members of ` +
            `"${joined.replaced.name}" no longer see this host.`,
        );
      }
      const running = homeHolder(home);
      if (running) {
        console.log(
          `The app is running on this home (process ${running.pid}: ${running.command}): quit it and ` +
            `start it again (or restart \`liveobjects serve\`) to move it to ${name}.`,
        );
      }
      return 0;
    } catch (error) {
      console.error(`liveobjects join: ${errorText(error)}`);
      return 1;
    }
  },
});

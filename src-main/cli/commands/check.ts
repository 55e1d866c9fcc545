// `liveobjects check FILE…`: parses and type-checks files without running anything. One line
// per file: `file: ok (TYPE)` on stdout, or `file:line:col: message` on stderr.
import { defineCommand } from '../command';
import { formatObjectTypeName } from '../../../src-shared/model/describe';
import { builtinCatalogue } from '../../objects/builtins';
import { checkDocument } from '../../runtime/static-check';
import { formatPosition } from '../../runtime/errors';
import { readDocument } from '../../runtime/read-document';
import { isInvitationReference, readInvitationDocument } from '../../../src-shared/workspace/invitation';
import { errorText } from '../../../src-shared/util/error-text';

export const command = defineCommand({
  name: 'check',
  summary: 'parse and type-check .liveobject files without running them',
  synopsis: 'FILE…',
  about: 'Exit status 0 when every file parses and type-checks, 1 otherwise.',
  arguments: { name: 'FILE', description: 'a .liveobject file', min: 1 },
  options: {},
  read: ({ positionals }) => positionals,
  async run(files) {
    const catalogue = builtinCatalogue();
    let failed = 0;
    for (const file of files) {
      const read = await readDocument(file);
      if (!read.ok) {
        console.error(read.error);
        failed++;
        continue;
      }
      // An invitation is not an object to run: it is checked as what `join` reads.
      if (isInvitationReference(read.document.reference)) {
        try {
          const workspace = readInvitationDocument(read.document, file);
          console.log(
            `${file}: ok (an invitation to the workspace "${workspace.name}": open it in the app ` +
              `or run \`liveobjects join ${file}\`)`,
          );
        } catch (e) {
          console.error(errorText(e));
          failed++;
        }
        continue;
      }
      const report = checkDocument(read.document, { catalogue });
      if (report.problems.length > 0 || !report.type) {
        const [first, ...rest] = report.problems;
        const more = rest.map((p) => `${formatPosition(p.pos)}: ${p.message}`).join('; ');
        console.error(
          `${file}:${formatPosition(first?.pos)}: ${first?.message ?? 'unknown problem'}${more ? `; also ${more}` : ''}`,
        );
        failed++;
      } else {
        console.log(`${file}: ok (${formatObjectTypeName(report.type)})`);
      }
    }
    return failed > 0 ? 1 : 0;
  },
});

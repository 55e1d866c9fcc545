// `liveobjects check FILE…`: parses and type-checks files without running anything. One line
// per file: `file: ok (TYPE)` on stdout, or `file:line:col: message` on stderr.
import type { Command } from '../main';
import { formatObjectTypeName } from '../../../src-shared/model/describe';
import { builtinCatalogue } from '../../objects/builtins';
import { checkDocument } from '../../runtime/static-check';
import { formatPosition } from '../../runtime/errors';
import { readDocument } from '../../runtime/read-document';

export const command: Command = {
  summary: 'parse and type-check .liveobject files without running them',
  usage:
    'Usage: liveobjects check FILE…\n\nExit status 0 when every file parses and type-checks, 1 otherwise.',
  async run(args) {
    const files = args.filter((a) => !a.startsWith('-'));
    const unknown = args.filter((a) => a.startsWith('-'));
    if (unknown.length || files.length === 0) {
      console.error(
        unknown.length ? `liveobjects check: unknown option ${unknown[0]}\n${this.usage}` : this.usage,
      );
      return 2;
    }
    const catalogue = builtinCatalogue();
    let failed = 0;
    for (const file of files) {
      const read = await readDocument(file);
      if (!read.ok) {
        console.error(read.error);
        failed++;
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
};

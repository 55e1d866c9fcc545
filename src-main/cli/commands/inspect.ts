// `liveobjects inspect FILE`: the reference tree, indented, and the derived object type.
import { defineCommand } from '../command';
import type { Reference } from '../../../src-shared/format/document';
import { formatValue } from '../../../src-shared/format/values';
import { formatTypeExpr } from '../../../src-shared/model/type-expr';
import { describeObjectType } from '../../../src-shared/model/describe';
import { builtinCatalogue } from '../../objects/builtins';
import { checkDocument } from '../../runtime/static-check';
import { formatPosition } from '../../runtime/errors';
import { readDocument } from '../../runtime/read-document';

function at(ref: { pos?: { line: number; column: number } }): string {
  return ref.pos ? `  (${formatPosition(ref.pos)})` : '';
}

/** The reference tree, one node per line, children indented by two spaces. */
export function referenceTree(ref: Reference, indent = ''): string[] {
  const next = `${indent}    `;
  switch (ref.kind) {
    case 'primitive':
      return [`${indent}primitive ${ref.id}${at(ref)}`];
    case 'external':
      return [
        `${indent}external '${ref.name}' as ${formatTypeExpr(ref.as)}${at(ref)}`,
        `${indent}  from:`,
        ...referenceTree(ref.from, next),
      ];
    case 'parameterized':
      return [
        `${indent}parameterized${at(ref)}`,
        `${indent}  template:`,
        ...referenceTree(ref.template, next),
        ...ref.params.flatMap((p) => {
          const v = p.value;
          if (v.kind === 'value')
            return [`${indent}  param ${p.name} = ${v.value.type} ${formatValue(v.value)}`];
          if (v.kind === 'type') return [`${indent}  param ${p.name} = type ${formatTypeExpr(v.type)}`];
          return [`${indent}  param ${p.name}:`, ...referenceTree(v.reference, next)];
        }),
      ];
    case 'composite':
      return [
        `${indent}composite${at(ref)}`,
        ...ref.components.flatMap((c) => [
          `${indent}  component ${c.name}:`,
          ...referenceTree(c.reference, next),
        ]),
        ...ref.connections.map(
          (c) => `${indent}  connect ${c.a.component}.${c.a.endpoint} ↔ ${c.b.component}.${c.b.endpoint}`,
        ),
        ...ref.exports.map(
          (x) => `${indent}  export ${x.endpoint.component}.${x.endpoint.endpoint} as ${x.as}`,
        ),
      ];
  }
}

export const command = defineCommand({
  name: 'inspect',
  summary: 'show the reference tree of a .liveobject file and its object type',
  synopsis: 'FILE',
  arguments: { name: 'FILE', description: 'a .liveobject file', min: 1, max: 1 },
  options: {},
  read: ({ positionals: [file] }) => file ?? '',
  async run(file) {
    const read = await readDocument(file);
    if (!read.ok) {
      console.error(read.error);
      return 1;
    }
    const { document } = read;
    const lines: string[] = [];
    if (document.meta.title) lines.push(`title: ${document.meta.title}`);
    if (document.types.length) lines.push(`declared types: ${document.types.map((t) => t.name).join(', ')}`);
    lines.push('reference:', ...referenceTree(document.reference, '  '), '');
    const report = checkDocument(document, { catalogue: builtinCatalogue() });
    if (report.type) lines.push(describeObjectType(report.type));
    console.log(lines.join('\n'));
    for (const p of report.problems) console.error(`${file}:${formatPosition(p.pos)}: ${p.message}`);
    return report.problems.length > 0 ? 1 : 0;
  },
});

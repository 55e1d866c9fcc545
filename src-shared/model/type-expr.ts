// Type expressions as written in .liveobject files: `Name` or `Name<Arg, Arg…>`.
// Parsing is purely syntactic; resolving names to types is the type environment's job.

export interface TypeExpr {
  readonly name: string;
  readonly args: readonly TypeExpr[];
}

export class TypeExprSyntaxError extends Error {
  constructor(
    message: string,
    /** 0-based offset into the text where the problem was found. */
    readonly offset: number,
    /** What the parser expected at that offset. */
    readonly expected: string,
  ) {
    super(message);
    this.name = 'TypeExprSyntaxError';
  }
}

const NAME = /[A-Za-z_][A-Za-z0-9_.]*/y;

/** Parses `Folder<Name, Channel<Bytes>>`; throws TypeExprSyntaxError with the offset of the fault. */
export function parseTypeExpr(text: string): TypeExpr {
  let pos = 0;
  const skip = (): void => {
    while (pos < text.length && /\s/.test(text[pos]!)) pos++;
  };
  const fail = (expected: string): never => {
    const found = pos < text.length ? `'${text[pos]}'` : 'end of text';
    throw new TypeExprSyntaxError(`expected ${expected} but found ${found} in type '${text}'`, pos, expected);
  };
  const parse = (depth: number): TypeExpr => {
    if (depth > 32) fail('a less deeply nested type');
    skip();
    NAME.lastIndex = pos;
    const m = NAME.exec(text);
    if (!m) return fail('a type name');
    pos += m[0].length;
    skip();
    const args: TypeExpr[] = [];
    if (text[pos] === '<') {
      pos++;
      for (;;) {
        args.push(parse(depth + 1));
        skip();
        if (text[pos] === ',') {
          pos++;
          continue;
        }
        if (text[pos] === '>') {
          pos++;
          break;
        }
        fail("',' or '>'");
      }
    }
    return { name: m[0], args };
  };
  const expr = parse(0);
  skip();
  if (pos !== text.length) fail('end of type');
  return expr;
}

/** Canonical text of a type expression: `Folder<Name, Channel<Bytes>>`. */
export function formatTypeExpr(expr: TypeExpr): string {
  return expr.args.length === 0 ? expr.name : `${expr.name}<${expr.args.map(formatTypeExpr).join(', ')}>`;
}

export function typeExpr(name: string, ...args: TypeExpr[]): TypeExpr {
  return { name, args };
}

// Recursive-descent parser for the mapping language (grammar: README.md). Produces a small AST;
// function names are resolved later by the compiler, which knows the connector's extra functions.
import { MappingSyntaxError } from './errors.ts';
import { tokenize, type Token } from './tokenizer.ts';

/** A path step: a property name or an array index. */
export type Step = string | number;

export type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=';
export type LogicalOp = 'and' | 'or' | '??';

export type Node =
  | { type: 'literal'; value: string | number | boolean | null; pos: number }
  /** `root: 'record'` is `$` (implicit for bare names), `'root'` is `$root`. */
  | { type: 'path'; root: 'record' | 'root'; steps: Step[]; pos: number }
  /** Steps applied to a computed value: `first(list).Name`, `(a ?? b)[0]`. */
  | { type: 'member'; target: Node; steps: Step[]; pos: number }
  | { type: 'call'; name: string; args: Node[]; pos: number }
  | { type: 'object'; entries: { key: string; value: Node; pos: number }[]; pos: number }
  | { type: 'array'; items: Node[]; pos: number }
  | { type: 'not'; arg: Node; pos: number }
  | { type: 'logical'; op: LogicalOp; left: Node; right: Node; pos: number }
  | { type: 'compare'; op: CompareOp; left: Node; right: Node; pos: number };

const COMPARE_OPS = new Set<string>(['=', '!=', '<', '<=', '>', '>=']);
const RESERVED = new Set(['and', 'or', 'not', 'true', 'false', 'null']);
// Deep enough for any real mapping, shallow enough that hostile input cannot overflow the stack.
const MAX_DEPTH = 128;

export function parseExpr(src: string): Node {
  if (typeof src !== 'string') throw new MappingSyntaxError('Expression must be a string', 0);
  const p = new Parser(src, tokenize(src));
  const node = p.expr();
  p.expectEnd();
  return node;
}

/** Parses the path argument of `sum(list, 'a.b')`: the same syntax as a path in an expression. */
export function parsePathText(src: string): Step[] {
  const node = parseExpr(src);
  if (node.type !== 'path' || node.root !== 'record') {
    throw new MappingSyntaxError(`Not a path: ${JSON.stringify(src)}`, 0);
  }
  return node.steps;
}

class Parser {
  private i = 0;
  private depth = 0;
  private readonly src: string;
  private readonly toks: Token[];

  constructor(src: string, toks: Token[]) {
    this.src = src;
    this.toks = toks;
  }

  private peek(): Token {
    return this.toks[this.i];
  }
  private next(): Token {
    return this.toks[this.i++];
  }
  private isPunct(text: string): boolean {
    const t = this.toks[this.i];
    return t.kind === 'punct' && t.text === text;
  }
  private isWord(text: string): boolean {
    const t = this.toks[this.i];
    return t.kind === 'name' && t.text === text;
  }

  unexpected(t: Token): MappingSyntaxError {
    if (t.kind === 'end')
      return new MappingSyntaxError(`Unexpected end of expression at position ${t.pos}`, t.pos);
    const raw = this.src.slice(t.pos, t.end);
    const shown = raw.length > 40 ? raw.slice(0, 37) + '...' : raw;
    return new MappingSyntaxError(`Unexpected ${JSON.stringify(shown)} at position ${t.pos}`, t.pos);
  }

  private expectPunct(text: string): Token {
    const t = this.next();
    if (t.kind !== 'punct' || t.text !== text) throw this.unexpected(t);
    return t;
  }

  expectEnd(): void {
    const t = this.peek();
    if (t.kind !== 'end') throw this.unexpected(t);
  }

  expr(): Node {
    if (++this.depth > MAX_DEPTH) {
      const pos = this.peek().pos;
      throw new MappingSyntaxError(`Expression nested too deeply at position ${pos}`, pos);
    }
    let left = this.or();
    while (this.isPunct('??')) {
      const op = this.next();
      left = { type: 'logical', op: '??', left, right: this.or(), pos: op.pos };
    }
    this.depth--;
    return left;
  }

  private or(): Node {
    let left = this.and();
    while (this.isWord('or')) {
      const op = this.next();
      left = { type: 'logical', op: 'or', left, right: this.and(), pos: op.pos };
    }
    return left;
  }

  private and(): Node {
    let left = this.cmp();
    while (this.isWord('and')) {
      const op = this.next();
      left = { type: 'logical', op: 'and', left, right: this.cmp(), pos: op.pos };
    }
    return left;
  }

  private cmp(): Node {
    const left = this.unary();
    const t = this.peek();
    if (t.kind === 'punct' && COMPARE_OPS.has(t.text)) {
      this.i++;
      return { type: 'compare', op: t.text as CompareOp, left, right: this.unary(), pos: t.pos };
    }
    return left;
  }

  private unary(): Node {
    if (this.isWord('not')) {
      const t = this.next();
      if (++this.depth > MAX_DEPTH) {
        throw new MappingSyntaxError(`Expression nested too deeply at position ${t.pos}`, t.pos);
      }
      const arg = this.unary();
      this.depth--;
      return { type: 'not', arg, pos: t.pos };
    }
    return this.postfix(this.primary());
  }

  private primary(): Node {
    const t = this.next();
    switch (t.kind) {
      case 'string':
        return { type: 'literal', value: t.text, pos: t.pos };
      case 'number':
        return { type: 'literal', value: t.num, pos: t.pos };
      case 'name':
        return this.nameStart(t);
      case 'punct':
        if (t.text === '(') {
          const inner = this.expr();
          this.expectPunct(')');
          return inner;
        }
        if (t.text === '{') return this.object(t);
        if (t.text === '[') return this.array(t);
        throw this.unexpected(t);
      default:
        throw this.unexpected(t);
    }
  }

  private nameStart(t: Token): Node {
    const name = t.text;
    if (name === 'true') return { type: 'literal', value: true, pos: t.pos };
    if (name === 'false') return { type: 'literal', value: false, pos: t.pos };
    if (name === 'null') return { type: 'literal', value: null, pos: t.pos };
    if (RESERVED.has(name)) throw this.unexpected(t);
    if (this.isPunct('(')) {
      this.i++;
      const args: Node[] = [];
      if (!this.isPunct(')')) {
        args.push(this.expr());
        while (this.isPunct(',')) {
          this.i++;
          args.push(this.expr());
        }
      }
      this.expectPunct(')');
      return { type: 'call', name, args, pos: t.pos };
    }
    if (name === '$') return { type: 'path', root: 'record', steps: [], pos: t.pos };
    if (name === '$root') return { type: 'path', root: 'root', steps: [], pos: t.pos };
    return { type: 'path', root: 'record', steps: [name], pos: t.pos };
  }

  /** `.name`, `[0]` and `["odd/name"]` after any primary; paths absorb them, other values get a member node. */
  private postfix(node: Node): Node {
    const steps: Step[] = [];
    for (;;) {
      if (this.isPunct('.')) {
        this.i++;
        const t = this.next();
        // Any name is a field after a dot, keywords included (`$.or`).
        if (t.kind !== 'name') throw this.unexpected(t);
        steps.push(t.text);
      } else if (this.isPunct('[')) {
        this.i++;
        const t = this.next();
        if (t.kind === 'number' && Number.isInteger(t.num) && t.num >= 0 && !t.text.includes('.')) {
          steps.push(t.num);
        } else if (t.kind === 'string') {
          steps.push(t.text);
        } else {
          throw this.unexpected(t);
        }
        this.expectPunct(']');
      } else {
        break;
      }
    }
    if (steps.length === 0) return node;
    if (node.type === 'path') return { ...node, steps: [...node.steps, ...steps] };
    return { type: 'member', target: node, steps, pos: node.pos };
  }

  private object(open: Token): Node {
    const entries: { key: string; value: Node; pos: number }[] = [];
    const seen = new Set<string>();
    if (!this.isPunct('}')) {
      for (;;) {
        const k = this.next();
        // Numeric keys are accepted for `map(int(x), {1: "A"})`; they match the number's text form.
        if (k.kind !== 'string' && k.kind !== 'number') throw this.unexpected(k);
        const key = k.kind === 'string' ? k.text : String(k.num);
        if (seen.has(key)) {
          throw new MappingSyntaxError(`Duplicate key ${JSON.stringify(key)} at position ${k.pos}`, k.pos);
        }
        seen.add(key);
        this.expectPunct(':');
        entries.push({ key, value: this.expr(), pos: k.pos });
        if (!this.isPunct(',')) break;
        this.i++;
      }
    }
    this.expectPunct('}');
    return { type: 'object', entries, pos: open.pos };
  }

  private array(open: Token): Node {
    const items: Node[] = [];
    if (!this.isPunct(']')) {
      items.push(this.expr());
      while (this.isPunct(',')) {
        this.i++;
        items.push(this.expr());
      }
    }
    this.expectPunct(']');
    return { type: 'array', items, pos: open.pos };
  }
}

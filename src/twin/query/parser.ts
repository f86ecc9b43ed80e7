// Recursive-descent parser for the ADT query language: SELECT … FROM … [JOIN …] [WHERE …].
import { ValidationError } from '../../core/errors.js';
import type {
  CompareOp,
  Expr,
  FromClause,
  Join,
  Literal,
  Operand,
  PathRef,
  Projection,
  QueryAst,
  SelectClause,
} from './ast.js';
import { describe, lineColumn, syntaxError, tokenize, type Token } from './lexer.js';

/** Words that cannot name a collection or start a bare property path unless escaped as [[word]]. */
const RESERVED = new Set([
  'SELECT',
  'FROM',
  'WHERE',
  'JOIN',
  'RELATED',
  'AS',
  'AND',
  'OR',
  'NOT',
  'IN',
  'NIN',
  'TOP',
  'COUNT',
  'DIGITALTWINS',
  'RELATIONSHIPS',
  'TRUE',
  'FALSE',
  'NULL',
  'MATCH',
  'ORDER',
  'GROUP',
  'BY',
  'LIMIT',
  'DISTINCT',
]);
/** Recognised ADT and SQL words this implementation does not support: an UNSUPPORTED error, not a syntax one. */
const UNSUPPORTED_WORDS: Record<string, string> = {
  MATCH: 'MATCH is not supported; express the traversal with JOIN … RELATED',
  ORDER: 'ORDER BY is not supported; ADT queries return items in no particular order',
  GROUP: 'GROUP BY is not supported',
  LIMIT: 'LIMIT is not supported; use SELECT TOP(n)',
  DISTINCT: 'DISTINCT is not supported',
};
/** Argument counts [min, max] of the functions this implementation knows. */
const ARITY: Record<string, readonly [number, number]> = {
  IS_OF_MODEL: [1, 3],
  IS_DEFINED: [1, 1],
  IS_NULL: [1, 1],
  IS_BOOL: [1, 1],
  IS_NUMBER: [1, 1],
  IS_STRING: [1, 1],
  IS_PRIMITIVE: [1, 1],
  IS_OBJECT: [1, 1],
  STARTSWITH: [2, 2],
  ENDSWITH: [2, 2],
  CONTAINS: [2, 2],
};
const COMPARE_OPS = new Set(['=', '!=', '<', '>', '<=', '>=']);
export const MAX_JOINS = 5;

export function parseQuery(text: string): QueryAst {
  return new Parser(text).query();
}

/** Deeper nesting or more conditions than this is refused: it would overflow the stack or SQLite's expression depth. */
const MAX_NESTING = 64;
const MAX_CONDITIONS = 256;

class Parser {
  private readonly tokens: Token[];
  private pos = 0;
  private nesting = 0;
  private conditions = 0;

  constructor(private readonly text: string) {
    this.tokens = tokenize(text);
  }

  query(): QueryAst {
    this.expectKeyword('SELECT');
    const select = this.selectClause();
    this.expectKeyword('FROM');
    const from = this.fromClause();
    let where: Expr | undefined;
    if (this.acceptKeyword('WHERE')) where = this.orExpr();
    const next = this.peek();
    if (next.kind !== 'eof') {
      this.rejectUnsupported(next);
      throw this.expected(
        where === undefined ? 'JOIN, WHERE or the end of the query' : 'AND, OR or the end of the query',
      );
    }
    return where === undefined ? { text: this.text, select, from } : { text: this.text, select, from, where };
  }

  // ---- SELECT

  private selectClause(): SelectClause {
    if (this.acceptPunct('*')) return { kind: 'star' };
    if (this.isKeyword(this.peek(), 'COUNT') && this.isPunct(this.peek(1), '(')) {
      this.pos += 2;
      this.expectPunct(')', 'COUNT takes no arguments: expected )');
      return { kind: 'count' };
    }
    let top: number | undefined;
    if (this.isKeyword(this.peek(), 'TOP') && this.isPunct(this.peek(1), '(')) {
      this.pos += 2;
      const n = this.peek();
      if (n.kind !== 'number' || !Number.isInteger(n.number) || n.number! < 1)
        throw this.expected('a whole number of at least 1 in TOP(n)');
      this.pos++;
      top = n.number!;
      this.expectPunct(')');
      if (this.isKeyword(this.peek(), 'FROM')) return { kind: 'star', top };
      if (this.acceptPunct('*')) return { kind: 'star', top };
    }
    const items: Projection[] = [];
    do {
      const path = this.path('a collection name, a property, * or COUNT()');
      if (this.acceptKeyword('AS')) {
        const as = this.name('a name after AS');
        items.push({ path, as });
      } else items.push({ path });
    } while (this.acceptPunct(','));
    return top === undefined ? { kind: 'items', items } : { kind: 'items', top, items };
  }

  // ---- FROM and JOIN

  private fromClause(): FromClause {
    const offset = this.peek().offset;
    let source: FromClause['source'];
    if (this.acceptKeyword('DIGITALTWINS')) source = 'twins';
    else if (this.acceptKeyword('RELATIONSHIPS')) source = 'relationships';
    else {
      this.rejectUnsupported(this.peek());
      if (this.isPunct(this.peek(), '('))
        throw this.unsupported(this.peek(), 'subqueries in FROM are not supported');
      throw this.expected('DIGITALTWINS or RELATIONSHIPS');
    }
    const alias = this.optionalName();
    const joins: Join[] = [];
    while (this.isKeyword(this.peek(), 'JOIN')) {
      const joinToken = this.next();
      if (joins.length === MAX_JOINS)
        throw this.unsupported(joinToken, `at most ${MAX_JOINS} JOINs are allowed in one query`);
      const target = this.name('a collection name after JOIN');
      this.expectKeyword('RELATED');
      const from = this.name('a collection name after RELATED');
      this.expectPunct('.', 'expected . and a relationship name, as in RELATED T.contains');
      const relationship = this.segment('a relationship name');
      const relationshipAlias = this.optionalName();
      joins.push(
        relationshipAlias === undefined
          ? { target, from, relationship, offset: joinToken.offset }
          : { target, from, relationship, relationshipAlias, offset: joinToken.offset },
      );
    }
    return alias === undefined ? { source, joins, offset } : { source, alias, joins, offset };
  }

  // ---- WHERE

  private orExpr(): Expr {
    let left = this.andExpr();
    while (this.acceptKeyword('OR')) left = { kind: 'or', left, right: this.andExpr() };
    return left;
  }

  private andExpr(): Expr {
    let left = this.notExpr();
    while (this.acceptKeyword('AND')) left = { kind: 'and', left, right: this.notExpr() };
    return left;
  }

  private notExpr(): Expr {
    const token = this.peek();
    if (++this.nesting > MAX_NESTING) {
      throw this.unsupported(token, `conditions may nest at most ${MAX_NESTING} deep`);
    }
    try {
      if (this.acceptKeyword('NOT')) return { kind: 'not', expr: this.notExpr() };
      if (this.acceptPunct('(')) {
        const inner = this.orExpr();
        this.expectPunct(')', 'expected ) to close the (');
        return inner;
      }
      if (++this.conditions > MAX_CONDITIONS) {
        throw this.unsupported(token, `a query may have at most ${MAX_CONDITIONS} conditions`);
      }
      return this.predicate();
    } finally {
      this.nesting--;
    }
  }

  private predicate(): Expr {
    const token = this.peek();
    if (token.kind === 'ident' && this.isPunct(this.peek(1), '(')) {
      this.pos += 2;
      const args: Operand[] = [];
      if (!this.acceptPunct(')')) {
        do args.push(this.operand());
        while (this.acceptPunct(','));
        this.expectPunct(')', 'expected , or ) in the argument list');
      }
      const name = token.text.toUpperCase();
      const arity = ARITY[name];
      if (arity === undefined) {
        throw this.unsupported(
          token,
          `the function ${token.text} is not supported; supported: ${Object.keys(ARITY).join(', ')}`,
        );
      }
      if (args.length < arity[0] || args.length > arity[1]) {
        const count = arity[0] === arity[1] ? `${arity[0]}` : `${arity[0]} to ${arity[1]}`;
        throw syntaxError(
          this.text,
          token.offset,
          `${name} takes ${count} argument${arity[1] === 1 ? '' : 's'}, found ${args.length}`,
        );
      }
      return { kind: 'call', name, args, offset: token.offset };
    }
    const left = this.operand();
    const op = this.peek();
    if (op.kind === 'punct' && COMPARE_OPS.has(op.text)) {
      this.pos++;
      return { kind: 'compare', op: op.text as CompareOp, left, right: this.operand() };
    }
    if (this.isKeyword(op, 'IN') || this.isKeyword(op, 'NIN')) {
      this.pos++;
      this.expectPunct('[', `expected [ to start the list after ${op.text.toUpperCase()}`);
      const values: Literal[] = [];
      if (!this.acceptPunct(']')) {
        do {
          const value = this.operand();
          if (value.kind !== 'literal')
            throw syntaxError(
              this.text,
              value.offset,
              'expected a string, number, true, false or null in the list',
            );
          values.push(value);
        } while (this.acceptPunct(','));
        this.expectPunct(']', 'expected , or ] in the list');
      }
      return { kind: 'in', negated: op.text.toUpperCase() === 'NIN', operand: left, values };
    }
    this.rejectUnsupported(op);
    throw this.expected('a comparison (= != < > <= >=), IN or NIN');
  }

  private operand(): Operand {
    const token = this.peek();
    if (token.kind === 'string') {
      this.pos++;
      return { kind: 'literal', value: token.text, offset: token.offset };
    }
    if (token.kind === 'number') {
      this.pos++;
      return { kind: 'literal', value: token.number!, offset: token.offset };
    }
    if (this.isPunct(token, '-') && this.peek(1).kind === 'number') {
      this.pos += 2;
      return { kind: 'literal', value: -this.peek(-1).number!, offset: token.offset };
    }
    if (token.kind === 'ident') {
      const word = token.text.toUpperCase();
      if (word === 'TRUE' || word === 'FALSE' || word === 'NULL') {
        this.pos++;
        return { kind: 'literal', value: word === 'NULL' ? null : word === 'TRUE', offset: token.offset };
      }
    }
    return this.path('a property, a string, a number, true, false or null');
  }

  // ---- Names

  private path(what: string): PathRef {
    const first = this.peek();
    if (!(
      first.kind === 'quoted-ident' ||
      (first.kind === 'ident' && !RESERVED.has(first.text.toUpperCase()))
    )) {
      this.rejectUnsupported(first);
      throw this.expected(what);
    }
    this.pos++;
    const segments = [first.text];
    while (this.acceptPunct('.')) segments.push(this.segment('a property name after .'));
    return { kind: 'path', segments, offset: first.offset };
  }

  /** A property name after a dot: any identifier, reserved or not. */
  private segment(what: string): string {
    const token = this.peek();
    if (token.kind !== 'ident' && token.kind !== 'quoted-ident') throw this.expected(what);
    this.pos++;
    return token.text;
  }

  private name(what: string): string {
    const name = this.optionalName();
    if (name === undefined) {
      this.rejectUnsupported(this.peek());
      throw this.expected(what);
    }
    return name;
  }

  private optionalName(): string | undefined {
    const token = this.peek();
    if (
      token.kind === 'quoted-ident' ||
      (token.kind === 'ident' && !RESERVED.has(token.text.toUpperCase()))
    ) {
      this.pos++;
      return token.text;
    }
    return undefined;
  }

  // ---- Tokens

  private peek(ahead = 0): Token {
    return this.tokens[Math.min(Math.max(this.pos + ahead, 0), this.tokens.length - 1)]!;
  }

  private next(): Token {
    const token = this.peek();
    this.pos++;
    return token;
  }

  private isKeyword(token: Token, word: string): boolean {
    return token.kind === 'ident' && token.text.toUpperCase() === word;
  }

  private isPunct(token: Token, punct: string): boolean {
    return token.kind === 'punct' && token.text === punct;
  }

  private acceptKeyword(word: string): boolean {
    if (!this.isKeyword(this.peek(), word)) return false;
    this.pos++;
    return true;
  }

  private acceptPunct(punct: string): boolean {
    if (!this.isPunct(this.peek(), punct)) return false;
    this.pos++;
    return true;
  }

  private expectKeyword(word: string): void {
    if (!this.acceptKeyword(word)) {
      this.rejectUnsupported(this.peek());
      throw this.expected(word);
    }
  }

  private expectPunct(punct: string, message?: string): void {
    if (this.acceptPunct(punct)) return;
    const token = this.peek();
    throw syntaxError(
      this.text,
      token.offset,
      message === undefined
        ? `expected ${punct} but found ${describe(token)}`
        : `${message}, found ${describe(token)}`,
    );
  }

  private expected(what: string): ValidationError {
    const token = this.peek();
    return syntaxError(this.text, token.offset, `expected ${what} but found ${describe(token)}`);
  }

  private rejectUnsupported(token: Token): void {
    if (token.kind !== 'ident') return;
    const message = UNSUPPORTED_WORDS[token.text.toUpperCase()];
    if (message !== undefined) throw this.unsupported(token, message);
  }

  private unsupported(token: Token, message: string): ValidationError {
    return new ValidationError(
      'IMV_QUERY_UNSUPPORTED',
      `Unsupported at ${lineColumn(this.text, token.offset)}: ${message}`,
      {
        path: `@${token.offset}`,
      },
    );
  }
}

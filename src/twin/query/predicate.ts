// Compiles a WHERE expression to a SQLite expression that is 1 (true), 0 (false) or NULL (ADT's "undefined").
// Comparing values of different types, or a missing property, is undefined, never SQLite's cross-type order;
// SQLite's AND, OR and NOT already treat NULL as ADT treats undefined.
import { modelIdForShortName } from '../../model/ontology/names.js';
import type { QueryContext } from './index.js';
import { FLIP, type CompareOp, type Expr, type Literal, type LiteralValue, type Operand } from './ast.js';
import type { DocValue, Scope, Value } from './scope.js';
import { concat, FALSE, join, placeholders, sql, TRUE, UNDEFINED, unsupported, type Sql } from './sql.js';

const SQL_OP: Record<CompareOp, string> = {
  '=': '=',
  '!=': '<>',
  '<': '<',
  '>': '>',
  '<=': '<=',
  '>=': '>=',
};

type TypeName = 'string' | 'number' | 'boolean' | 'null';
const JSON_TYPES: Record<TypeName, readonly string[]> = {
  string: ['text'],
  number: ['integer', 'real'],
  boolean: ['true', 'false'],
  null: ['null'],
};

export function typeOf(value: LiteralValue): TypeName {
  if (value === null) return 'null';
  return typeof value as 'string' | 'number' | 'boolean';
}

/** A literal as a SQL parameter: booleans are 1/0, as json_extract returns them. */
export function param(value: LiteralValue): string | number | null {
  return typeof value === 'boolean' ? (value ? 1 : 0) : value;
}

/** ADT comparison of two literals: undefined when the types differ. */
export function compareLiterals(op: CompareOp, a: LiteralValue, b: LiteralValue): boolean | undefined {
  if (typeOf(a) !== typeOf(b)) return undefined;
  if (a === null) return op === '=' || op === '<=' || op === '>=';
  const x = typeof a === 'boolean' ? Number(a) : a;
  const y = typeof b === 'boolean' ? Number(b) : (b as string | number);
  switch (op) {
    case '=':
      return x === y;
    case '!=':
      return x !== y;
    case '<':
      return x < y;
    case '>':
      return x > y;
    case '<=':
      return x <= y;
    case '>=':
      return x >= y;
  }
}

function truth(value: boolean | undefined): Sql {
  return value === undefined ? UNDEFINED : value ? TRUE : FALSE;
}

/** `json_type(doc, path) IN ('…')`, false (not NULL) when the property is missing. */
export function docIsType(value: DocValue, types: readonly string[]): Sql {
  return sql(
    `(coalesce(json_type(${value.doc}, ?), '') IN (${types.map((t) => `'${t}'`).join(', ')}))`,
    value.path,
  );
}

export class PredicateCompiler {
  constructor(
    private readonly scope: Scope,
    private readonly ctx: QueryContext,
  ) {}

  expr(e: Expr): Sql {
    switch (e.kind) {
      case 'and':
      case 'or':
        return concat('(', this.expr(e.left), e.kind === 'and' ? ' AND ' : ' OR ', this.expr(e.right), ')');
      case 'not':
        return concat('(NOT ', this.expr(e.expr), ')');
      case 'compare':
        return this.compare(e.op, e.left, e.right);
      case 'in': {
        const inner = this.in(e.operand, e.values);
        return e.negated ? concat('(NOT ', inner, ')') : inner;
      }
      case 'call':
        return this.call(e.name, e.args, e.offset);
    }
  }

  // ---- Comparisons

  compare(op: CompareOp, left: Operand, right: Operand): Sql {
    if (left.kind === 'literal' && right.kind === 'literal')
      return truth(compareLiterals(op, left.value, right.value));
    if (left.kind === 'literal') return this.compare(FLIP[op], right, left);
    const value = this.scope.value(left);
    if (right.kind === 'literal') return this.compareToLiteral(value, op, right.value);
    return this.compareValues(value, op, this.scope.value(right));
  }

  compareToLiteral(value: Value, op: CompareOp, literal: LiteralValue): Sql {
    const type = typeOf(literal);
    if (value.kind === 'column') {
      return typeof literal === 'string' ? sql(`(${value.sql} ${SQL_OP[op]} ?)`, literal) : UNDEFINED;
    }
    if (value.kind === 'twin-ref') {
      if (op === '=' && typeof literal === 'string')
        return sql(`(${value.pkColumn} IN (SELECT pk FROM twins WHERE id = ?))`, literal);
      return this.compareToLiteral(value.doc, op, literal);
    }
    const types = JSON_TYPES[type].map((t) => `'${t}'`).join(', ');
    if (literal === null) {
      const result = compareLiterals(op, null, null) ? 1 : 0;
      return sql(`(CASE WHEN json_type(${value.doc}, ?) = 'null' THEN ${result} END)`, value.path);
    }
    return sql(
      `(CASE WHEN json_type(${value.doc}, ?) IN (${types}) THEN json_extract(${value.doc}, ?) ${SQL_OP[op]} ? END)`,
      value.path,
      value.path,
      param(literal),
    );
  }

  /** Property against property: compared only when both have the same type. */
  private compareValues(a: Value, op: CompareOp, b: Value): Sql {
    const [ta, va] = this.typed(a);
    const [tb, vb] = this.typed(b);
    const nullResult = compareLiterals(op, null, null) ? 1 : 0;
    return concat(
      '(CASE WHEN ',
      ta,
      ' = ',
      tb,
      ` AND `,
      ta,
      ` IN ('n', 's', 'b') THEN `,
      va,
      ` ${SQL_OP[op]} `,
      vb,
      ' WHEN ',
      ta,
      ` = 'z' AND `,
      tb,
      ` = 'z' THEN ${nullResult} END)`,
    );
  }

  /** [type class: n s b z or NULL, SQL value] */
  private typed(value: Value): [Sql, Sql] {
    if (value.kind === 'column') return [sql(`'s'`), sql(value.sql)];
    const doc = value.kind === 'twin-ref' ? value.doc : value;
    return [
      sql(
        `(CASE json_type(${doc.doc}, ?) WHEN 'integer' THEN 'n' WHEN 'real' THEN 'n' WHEN 'text' THEN 's' WHEN 'true' THEN 'b' WHEN 'false' THEN 'b' WHEN 'null' THEN 'z' END)`,
        doc.path,
      ),
      sql(`json_extract(${doc.doc}, ?)`, doc.path),
    ];
  }

  // ---- IN: true when some element equals the value, false when none does, undefined when the value is missing

  in(operand: Operand, values: readonly Literal[]): Sql {
    if (operand.kind === 'literal') {
      return truth(values.some((v) => compareLiterals('=', operand.value, v.value) === true));
    }
    const value = this.scope.value(operand);
    const strings = values.flatMap((v) => (typeof v.value === 'string' ? [v.value] : []));
    if (value.kind === 'column') {
      return strings.length === 0
        ? FALSE
        : sql(`(${value.sql} IN (${placeholders(strings.length)}))`, ...strings);
    }
    if (value.kind === 'twin-ref') {
      return strings.length === 0
        ? FALSE
        : sql(
            `(${value.pkColumn} IN (SELECT pk FROM twins WHERE id IN (${placeholders(strings.length)})))`,
            ...strings,
          );
    }
    const numbers = values.flatMap((v) => (typeof v.value === 'number' ? [v.value] : []));
    const groups: Sql[] = [];
    const extract = `json_extract(${value.doc}, ?)`;
    if (strings.length > 0)
      groups.push(
        concat(
          docIsType(value, ['text']),
          sql(` AND ${extract} IN (${placeholders(strings.length)})`, value.path, ...strings),
        ),
      );
    if (numbers.length > 0)
      groups.push(
        concat(
          docIsType(value, ['integer', 'real']),
          sql(` AND ${extract} IN (${placeholders(numbers.length)})`, value.path, ...numbers),
        ),
      );
    for (const literal of [true, false, null] as const) {
      if (values.some((v) => v.value === literal)) groups.push(docIsType(value, [String(literal)]));
    }
    const any = groups.length === 0 ? FALSE : concat('(', join(groups, ' OR '), ')');
    return concat(
      sql(`(CASE WHEN json_type(${value.doc}, ?) IS NULL THEN NULL ELSE `, value.path),
      any,
      ' END)',
    );
  }

  // ---- Functions

  call(name: string, args: readonly Operand[], offset: number): Sql {
    switch (name) {
      case 'IS_OF_MODEL':
        return this.isOfModel(args, offset);
      case 'IS_DEFINED':
        return this.typeCheck(args[0]!, null);
      case 'IS_NULL':
        return this.typeCheck(args[0]!, ['null']);
      case 'IS_BOOL':
        return this.typeCheck(args[0]!, ['true', 'false']);
      case 'IS_NUMBER':
        return this.typeCheck(args[0]!, ['integer', 'real']);
      case 'IS_STRING':
        return this.typeCheck(args[0]!, ['text']);
      case 'IS_PRIMITIVE':
        return this.typeCheck(args[0]!, ['text', 'integer', 'real', 'true', 'false', 'null']);
      case 'IS_OBJECT':
        return this.typeCheck(args[0]!, ['object']);
      case 'STARTSWITH':
      case 'ENDSWITH':
      case 'CONTAINS':
        return this.stringFunction(name, args[0]!, args[1]!);
      default:
        throw unsupported(this.scope.text, offset, `the function ${name} is not supported`);
    }
  }

  /** IS_DEFINED (types null) and the IS_<type> checks: always true or false, never undefined. */
  private typeCheck(arg: Operand, types: readonly string[] | null): Sql {
    if (arg.kind === 'literal') {
      const jsonType =
        arg.value === null
          ? 'null'
          : typeof arg.value === 'boolean'
            ? String(arg.value)
            : typeof arg.value === 'number'
              ? 'real'
              : 'text';
      return types === null || types.includes(jsonType) || (jsonType === 'real' && types.includes('integer'))
        ? TRUE
        : FALSE;
    }
    if (this.scope.resolve(arg).rest.length === 0)
      return types === null || types.includes('object') ? TRUE : FALSE;
    const value = this.scope.value(arg);
    if (value.kind === 'column') return types === null || types.includes('text') ? TRUE : FALSE;
    const doc = value.kind === 'twin-ref' ? value.doc : value;
    return types === null ? sql(`(json_type(${doc.doc}, ?) IS NOT NULL)`, doc.path) : docIsType(doc, types);
  }

  private stringFunction(
    name: 'STARTSWITH' | 'ENDSWITH' | 'CONTAINS',
    subject: Operand,
    needle: Operand,
  ): Sql {
    if (needle.kind !== 'literal') {
      throw unsupported(
        this.scope.text,
        needle.offset,
        `the second argument of ${name} must be a string literal`,
      );
    }
    if (typeof needle.value !== 'string') return UNDEFINED;
    const s = needle.value;
    if (subject.kind === 'literal') {
      if (typeof subject.value !== 'string') return UNDEFINED;
      const v = subject.value;
      return truth(
        name === 'STARTSWITH' ? v.startsWith(s) : name === 'ENDSWITH' ? v.endsWith(s) : v.includes(s),
      );
    }
    const value = this.scope.value(subject);
    if (value.kind === 'column') {
      if (name === 'STARTSWITH') return prefixRange(value.sql, s);
      return stringTest(name, value.sql, s);
    }
    const doc = value.kind === 'twin-ref' ? value.doc : value;
    return concat(
      sql(`(CASE WHEN json_type(${doc.doc}, ?) = 'text' THEN `, doc.path),
      stringTest(name, `json_extract(${doc.doc}, ?)`, s, doc.path),
      ' END)',
    );
  }

  // ---- IS_OF_MODEL([collection,] 'dtmi' [, exact])

  private isOfModel(args: readonly Operand[], offset: number): Sql {
    const rest = [...args];
    let collection = this.scope.hasJoins ? undefined : this.scope.root;
    const first = rest[0];
    if (
      first?.kind === 'path' &&
      first.segments.length === 1 &&
      this.scope.byName(first.segments[0]!) !== undefined
    ) {
      collection = this.scope.byName(first.segments[0]!);
      rest.shift();
    }
    let exact = false;
    const last = rest[rest.length - 1];
    if (rest.length === 2 && isExact(last)) {
      exact = true;
      rest.pop();
    }
    const model = rest[0];
    if (rest.length !== 1 || model?.kind !== 'literal' || typeof model.value !== 'string') {
      throw unsupported(this.scope.text, offset, "IS_OF_MODEL takes ([collection,] 'model id' [, exact])");
    }
    if (collection === undefined) {
      throw unsupported(
        this.scope.text,
        offset,
        "with JOIN, name the collection: IS_OF_MODEL(T, 'dtmi:…;1')",
      );
    }
    if (collection.kind !== 'twin')
      throw unsupported(this.scope.text, offset, 'IS_OF_MODEL applies to twins, not relationships');
    const id = this.modelId(model.value, offset);
    const models = exact ? [id] : [...new Set(this.ctx.descendantsOf(id))];
    if (models.length === 0) return FALSE;
    return sql(`(${collection.table}.model IN (${placeholders(models.length)}))`, ...models);
  }

  /**
   * The DTMI IS_OF_MODEL means: short names of the built-in ontology work as in plant files
   * ('Machine' is dtmi:imverse:Machine;1); any other name that is not a DTMI is refused rather than
   * silently matching nothing.
   */
  private modelId(name: string, offset: number): string {
    if (name.startsWith('dtmi:')) return name;
    const builtIn = modelIdForShortName(name);
    if (SHORT_MODEL_NAME.test(name) && this.ctx.descendantsOf(builtIn).length > 0) return builtIn;
    throw unsupported(
      this.scope.text,
      offset,
      `IS_OF_MODEL needs a model id such as 'dtmi:acme:Capper;1' or a built-in model's short name such as 'Machine'; '${name}' is neither`,
    );
  }
}

/** A built-in model's short name, as plant files write it ('Station'). */
const SHORT_MODEL_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

function isExact(operand: Operand | undefined): boolean {
  return (
    operand?.kind === 'path' &&
    operand.segments.length === 1 &&
    operand.segments[0]!.toLowerCase() === 'exact'
  );
}

/** Number of characters as SQLite counts them (code points). */
function charLength(s: string): number {
  return [...s].length;
}

function stringTest(
  name: 'STARTSWITH' | 'ENDSWITH' | 'CONTAINS',
  subject: string,
  s: string,
  ...subjectParams: string[]
): Sql {
  if (s === '') return TRUE;
  switch (name) {
    case 'STARTSWITH':
      return sql(`(substr(${subject}, 1, ${charLength(s)}) = ?)`, ...subjectParams, s);
    case 'ENDSWITH':
      return sql(`(substr(${subject}, -${charLength(s)}) = ?)`, ...subjectParams, s);
    case 'CONTAINS':
      return sql(`(instr(${subject}, ?) > 0)`, ...subjectParams, s);
  }
}

/** The first string after every string that starts with prefix, in SQLite's code-point order; undefined if none. */
export function prefixUpperBound(prefix: string): string | undefined {
  const points = [...prefix];
  while (points.length > 0) {
    const last = points.pop()!.codePointAt(0)!;
    let next = last + 1;
    if (next >= 0xd800 && next <= 0xdfff) next = 0xe000;
    if (next <= 0x10ffff) return points.join('') + String.fromCodePoint(next);
  }
  return undefined;
}

/** STARTSWITH on an indexed text column, as a range the index can serve. */
export function prefixRange(column: string, prefix: string): Sql {
  const upper = prefixUpperBound(prefix);
  return upper === undefined
    ? sql(`(${column} >= ?)`, prefix)
    : sql(`(${column} >= ? AND ${column} < ?)`, prefix, upper);
}

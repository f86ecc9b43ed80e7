// The syntax tree of an Azure Digital Twins query, as parsed; names are resolved when compiling.

export interface QueryAst {
  /** The query text, kept so that later errors can name a line and column. */
  readonly text: string;
  readonly select: SelectClause;
  readonly from: FromClause;
  readonly where?: Expr;
}

export type SelectClause =
  | { readonly kind: 'star'; readonly top?: number }
  | { readonly kind: 'count' }
  | { readonly kind: 'items'; readonly top?: number; readonly items: readonly Projection[] };

export interface Projection {
  /** `T`, `T.name`, `T.a.b` or a bare `name` (of the single collection). */
  readonly path: PathRef;
  /** The output name given with AS. */
  readonly as?: string;
}

export interface FromClause {
  readonly source: 'twins' | 'relationships';
  readonly alias?: string;
  readonly joins: readonly Join[];
  readonly offset: number;
}

/** `JOIN target RELATED from.relationship [relationshipAlias]` */
export interface Join {
  readonly target: string;
  readonly from: string;
  readonly relationship: string;
  readonly relationshipAlias?: string;
  readonly offset: number;
}

export interface PathRef {
  readonly kind: 'path';
  readonly segments: readonly string[];
  readonly offset: number;
}

export type LiteralValue = string | number | boolean | null;

export interface Literal {
  readonly kind: 'literal';
  readonly value: LiteralValue;
  readonly offset: number;
}

export type Operand = PathRef | Literal;

export type CompareOp = '=' | '!=' | '<' | '>' | '<=' | '>=';

export type Expr =
  | { readonly kind: 'and' | 'or'; readonly left: Expr; readonly right: Expr }
  | { readonly kind: 'not'; readonly expr: Expr }
  | { readonly kind: 'compare'; readonly op: CompareOp; readonly left: Operand; readonly right: Operand }
  | {
      readonly kind: 'in';
      readonly negated: boolean;
      readonly operand: Operand;
      readonly values: readonly Literal[];
    }
  | {
      readonly kind: 'call';
      readonly name: string;
      readonly args: readonly Operand[];
      readonly offset: number;
    };

/** The comparison with its operands swapped: 5 < x is x > 5. */
export const FLIP: Record<CompareOp, CompareOp> = {
  '=': '=',
  '!=': '!=',
  '<': '>',
  '>': '<',
  '<=': '>=',
  '>=': '<=',
};

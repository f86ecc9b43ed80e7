// Multi-row INSERTs for bulk loads: one statement per N rows cuts the per-statement cost that
// dominates row-at-a-time inserts.
import type Database from 'better-sqlite3';

export class RowBatcher {
  private readonly params: unknown[] = [];
  private readonly statements = new Map<number, Database.Statement>();
  private readonly rowSql: string;

  constructor(
    private readonly db: Database.Database,
    private readonly head: string,
    private readonly columns: number,
    private readonly rowsPerStatement: number,
  ) {
    this.rowSql = `(${Array.from({ length: columns }, () => '?').join(',')})`;
  }

  /** Adds one row (exactly `columns` values); runs a statement when the batch is full. */
  add(...values: unknown[]): void {
    for (const value of values) this.params.push(value);
    if (this.params.length >= this.columns * this.rowsPerStatement) this.flush();
  }

  /** Rows added since the last flush. */
  get size(): number {
    return this.params.length / this.columns;
  }

  /** The rows added since the last flush, as arrays of column values. */
  pending(): unknown[][] {
    const rows: unknown[][] = [];
    for (let i = 0; i < this.params.length; i += this.columns)
      rows.push(this.params.slice(i, i + this.columns));
    return rows;
  }

  flush(): void {
    const rows = this.params.length / this.columns;
    if (rows === 0) return;
    this.statement(rows).run(this.params);
    this.params.length = 0;
  }

  private statement(rows: number): Database.Statement {
    let statement = this.statements.get(rows);
    if (statement === undefined) {
      statement = this.db.prepare(
        `${this.head} ${Array.from({ length: rows }, () => this.rowSql).join(',')}`,
      );
      this.statements.set(rows, statement);
    }
    return statement;
  }
}

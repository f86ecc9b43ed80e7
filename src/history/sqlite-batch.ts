// Multi-row statements for the append hot path: one INSERT of N rows costs about what one row
// costs, so rows go in groups (the twin store does the same in twin/sqlite-batch.ts; this one also
// takes a tail such as an ON CONFLICT clause).
import type Database from 'better-sqlite3';

export class MultiRowStatement {
  private readonly statements = new Map<number, Database.Statement>();
  private readonly rowSql: string;

  constructor(
    private readonly db: Database.Database,
    private readonly head: string,
    private readonly columns: number,
    private readonly tail = '',
    private readonly rowsPerStatement = 200,
  ) {
    this.rowSql = `(${Array.from({ length: columns }, () => '?').join(',')})`;
  }

  /** Runs the statement over `params`, a flat list of rows of `columns` values each, in order. */
  run(params: readonly unknown[]): void {
    const perStatement = this.columns * this.rowsPerStatement;
    for (let offset = 0; offset < params.length; offset += perStatement) {
      const slice = params.slice(offset, offset + perStatement);
      this.statement(slice.length / this.columns).run(slice);
    }
  }

  private statement(rows: number): Database.Statement {
    let statement = this.statements.get(rows);
    if (statement === undefined) {
      const values = Array.from({ length: rows }, () => this.rowSql).join(',');
      statement = this.db.prepare(`${this.head} ${values} ${this.tail}`);
      this.statements.set(rows, statement);
    }
    return statement;
  }
}

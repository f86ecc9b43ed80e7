// Every refusal at the platform's edges, counted by the edge it came through and its stable code,
// so an operator sees on /metrics what is being turned away (and an attack shows as a rising line).
// Bounded by construction: the edges are fixed and codes come from the error registry.

export type Edge = 'http' | 'ws' | 'mqtt';

export interface RefusalCount {
  readonly edge: Edge;
  readonly code: string;
  readonly count: number;
}

export class RefusalCounter {
  readonly #counts = new Map<string, RefusalCount>();

  count(edge: Edge, code: string): void {
    const key = `${edge} ${code}`;
    const previous = this.#counts.get(key);
    this.#counts.set(key, { edge, code, count: (previous?.count ?? 0) + 1 });
  }

  /** How often `code` was refused at `edge` since start. */
  get(edge: Edge, code: string): number {
    return this.#counts.get(`${edge} ${code}`)?.count ?? 0;
  }

  snapshot(): RefusalCount[] {
    return [...this.#counts.values()];
  }
}

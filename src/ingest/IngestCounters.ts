// Per-connector counters: received, accepted, and rejected by reason (every rejection is dead-lettered).

export interface SourceCounters {
  received: number;
  accepted: number;
  rejected: Record<string, number>;
}

export class IngestCounters {
  private readonly bySource = new Map<string, SourceCounters>();

  received(source: string, n: number): void {
    this.of(source).received += n;
  }

  accepted(source: string, n: number): void {
    this.of(source).accepted += n;
  }

  rejected(source: string, code: string): void {
    const counters = this.of(source);
    counters.rejected[code] = (counters.rejected[code] ?? 0) + 1;
  }

  snapshot(): Record<string, SourceCounters> {
    const out: Record<string, SourceCounters> = {};
    for (const [source, counters] of this.bySource) {
      out[source] = { ...counters, rejected: { ...counters.rejected } };
    }
    return out;
  }

  private of(source: string): SourceCounters {
    let counters = this.bySource.get(source);
    if (counters === undefined)
      this.bySource.set(source, (counters = { received: 0, accepted: 0, rejected: {} }));
    return counters;
  }
}

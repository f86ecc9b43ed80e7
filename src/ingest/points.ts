// What every connector (MQTT, OPC UA, HTTP) produces once it has decoded and mapped a message:
// timestamped values for twin fields. The ingest pipeline takes it from there.

/** Quality of a value as the source reported it (OPC UA status, Sparkplug, or the default "good"). */
export type Quality = 'good' | 'uncertain' | 'bad';

export interface Point {
  /** Normalised twin identifier (PREFIX/SUFFIX). */
  readonly twin: string;
  /** A telemetry or property name of the twin's model. */
  readonly field: string;
  /** Source timestamp, milliseconds since the Unix epoch. */
  readonly time: number;
  readonly value: number | string | boolean;
  readonly quality?: Quality;
}

export interface PointBatch {
  /** The connector that produced it, e.g. "mqtt", "http", "opcua:plc-1": for counters and dead letters. */
  readonly source: string;
  readonly points: readonly Point[];
}

export interface Rejection {
  /** Index of the point in the batch; -1 when the whole message was refused. */
  readonly index: number;
  /** Stable code, e.g. IMV_INGEST_TWIN_UNKNOWN. */
  readonly code: string;
  readonly reason: string;
}

export interface IngestResult {
  readonly accepted: number;
  readonly rejected: readonly Rejection[];
}

/** Where connectors deliver. `ingest` resolves once the accepted points are durable. */
export interface IngestSink {
  ingest(batch: PointBatch): Promise<IngestResult>;
  /** A message that could not even be decoded (malformed JSON, oversize…): counted and dead-lettered. */
  reject(source: string, code: string, reason: string, payload: string | Uint8Array, topic?: string): void;
}

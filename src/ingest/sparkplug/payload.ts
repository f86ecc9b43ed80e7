// Sparkplug B protobuf payloads read into plain values. Never throws: bytes that are not a
// Sparkplug payload give a message saying so.
//
// The generated protobuf root of Eclipse Tahu is used rather than its `decodePayload`: that one
// needs a datatype on every metric (DATA messages may leave it to the birth certificate), cannot
// tell a missing value from a null one, and turns 64-bit values into `Long` objects or throws.
import tahu from 'sparkplug-payload/lib/sparkplugPayloadProto.js';

const { Payload } = tahu.org.eclipse.tahu.protobuf;

/** Sparkplug B datatypes (Payload.DataType); 0 is "unknown": the birth certificate says. */
export const DataType = {
  Unknown: 0,
  Int8: 1,
  Int16: 2,
  Int32: 3,
  Int64: 4,
  UInt8: 5,
  UInt16: 6,
  UInt32: 7,
  UInt64: 8,
  Float: 9,
  Double: 10,
  Boolean: 11,
  String: 12,
  DateTime: 13,
  Text: 14,
} as const;

const TYPE_NAMES = [
  'Unknown',
  'Int8',
  'Int16',
  'Int32',
  'Int64',
  'UInt8',
  'UInt16',
  'UInt32',
  'UInt64',
  'Float',
  'Double',
  'Boolean',
  'String',
  'DateTime',
  'Text',
  'UUID',
  'DataSet',
  'Bytes',
  'File',
  'Template',
  'PropertySet',
  'PropertySetList',
];

export function typeName(datatype: number): string {
  return TYPE_NAMES[datatype] ?? `datatype ${datatype}`;
}

/** The value field a metric set, as the wire holds it (integers unsigned, 64-bit ones as bigint). */
export type RawValue =
  | { readonly kind: 'int'; readonly value: number }
  | { readonly kind: 'long'; readonly value: bigint }
  | { readonly kind: 'float' | 'double'; readonly value: number }
  | { readonly kind: 'boolean'; readonly value: boolean }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'other' };

export interface SparkplugMetric {
  readonly name: string | undefined;
  readonly alias: bigint | undefined;
  /** Milliseconds since the epoch, as sent. */
  readonly timestamp: number | undefined;
  /** 0 when the metric does not say. */
  readonly datatype: number;
  readonly isNull: boolean;
  readonly value: RawValue | undefined;
}

export interface SparkplugPayload {
  readonly timestamp: number | undefined;
  readonly seq: bigint | undefined;
  readonly metrics: readonly SparkplugMetric[];
}

/** What protobufjs gives for a uint64: a number, or a Long when the `long` package is present. */
type Wire64 = number | { readonly low: number; readonly high: number };

interface WireMetric {
  name?: string;
  alias?: Wire64;
  timestamp?: Wire64;
  datatype?: number;
  isNull?: boolean;
  intValue?: number | null;
  longValue?: Wire64 | null;
  floatValue?: number | null;
  doubleValue?: number | null;
  booleanValue?: boolean | null;
  stringValue?: string | null;
}

interface WirePayload {
  timestamp?: Wire64;
  seq?: Wire64;
  metrics?: WireMetric[];
}

function toBigInt(v: Wire64): bigint {
  if (typeof v === 'number') return BigInt(Math.trunc(v));
  return (BigInt(v.high >>> 0) << 32n) | BigInt(v.low >>> 0);
}

function has<K extends string>(o: object, key: K): boolean {
  return Object.hasOwn(o, key);
}

function valueOf(m: WireMetric): RawValue | undefined {
  if (has(m, 'intValue') && typeof m.intValue === 'number') return { kind: 'int', value: m.intValue >>> 0 };
  if (has(m, 'longValue') && m.longValue != null) return { kind: 'long', value: toBigInt(m.longValue) };
  if (has(m, 'floatValue') && typeof m.floatValue === 'number') return { kind: 'float', value: m.floatValue };
  if (has(m, 'doubleValue') && typeof m.doubleValue === 'number')
    return { kind: 'double', value: m.doubleValue };
  if (has(m, 'booleanValue') && typeof m.booleanValue === 'boolean')
    return { kind: 'boolean', value: m.booleanValue };
  if (has(m, 'stringValue') && typeof m.stringValue === 'string')
    return { kind: 'string', value: m.stringValue };
  for (const key of ['bytesValue', 'datasetValue', 'templateValue', 'extensionValue']) {
    if (has(m, key)) return { kind: 'other' };
  }
  return undefined;
}

function time(v: Wire64 | undefined): number | undefined {
  return v === undefined ? undefined : Number(toBigInt(v));
}

/** Decodes a Sparkplug B payload, or says why the bytes are not one. */
export function decodeSparkplugPayload(bytes: Uint8Array): SparkplugPayload | { readonly error: string } {
  let wire: WirePayload;
  try {
    wire = Payload.decode(bytes) as unknown as WirePayload;
  } catch (error) {
    // protobufjs throws RangeError/Error on truncated or invalid wire data (and on absurd nesting).
    return {
      error: `payload is not a Sparkplug B protobuf: ${String((error as Error)?.message).slice(0, 200)}`,
    };
  }
  const metrics = (has(wire, 'metrics') ? (wire.metrics ?? []) : []).map((m): SparkplugMetric => ({
    name: has(m, 'name') ? m.name : undefined,
    alias: has(m, 'alias') && m.alias !== undefined ? toBigInt(m.alias) : undefined,
    timestamp: has(m, 'timestamp') ? time(m.timestamp) : undefined,
    datatype: has(m, 'datatype') ? (m.datatype ?? 0) : 0,
    isNull: has(m, 'isNull') && m.isNull === true,
    value: valueOf(m),
  }));
  return {
    timestamp: has(wire, 'timestamp') ? time(wire.timestamp) : undefined,
    seq: has(wire, 'seq') && wire.seq !== undefined ? toBigInt(wire.seq) : undefined,
    metrics,
  };
}

// One OPC UA data change (a DataValue) to one point: the value as a number, string or boolean,
// its source time, and its quality from the status code.
import { DataType, VariantArrayType, type DataValue, type StatusCode } from 'node-opcua';
import { DEFAULT_MAX_FUTURE_MS, DEFAULT_MIN_TIME_MS } from '../json/time.js';
import type { Point, Quality } from '../points.js';
import type { CompiledOpcUaNode } from './config.js';

const MAX_TEXT_LENGTH = 4096;
// OPC UA's "no time" is 1601-01-01; node-opcua may hand it over as that date rather than null.
const OPCUA_MIN_DATE_MS = Date.UTC(1601, 0, 2);

export type Conversion =
  | { readonly kind: 'point'; readonly point: Point }
  /** A status without a value (e.g. BadCommunicationError): nothing to store. */
  | { readonly kind: 'status'; readonly quality: Quality }
  | { readonly kind: 'rejected'; readonly code: string; readonly reason: string };

/** Severity is the top two bits of a status code: 00 good, 01 uncertain, 10 (and 11) bad. */
export function qualityOf(status: StatusCode): Quality {
  const severity = status.value >>> 30;
  return severity === 0 ? 'good' : severity === 1 ? 'uncertain' : 'bad';
}

const NUMERIC = new Set<DataType>([
  DataType.SByte,
  DataType.Byte,
  DataType.Int16,
  DataType.UInt16,
  DataType.Int32,
  DataType.UInt32,
  DataType.Float,
  DataType.Double,
]);

/** A 64-bit integer as node-opcua delivers it, as a number (beyond 2⁵³ with a double's precision). */
export function int64ToNumber(value: unknown, signed: boolean): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  // node-opcua carries 64-bit integers as [high, low] 32-bit words.
  if (Array.isArray(value) && value.length === 2) {
    const bits = (BigInt(Number(value[0]) >>> 0) << 32n) | BigInt(Number(value[1]) >>> 0);
    return Number(signed ? BigInt.asIntN(64, bits) : bits);
  }
  return undefined;
}

function rawValue(dataValue: DataValue): number | string | boolean | { invalid: string } | null {
  const variant = dataValue.value;
  const typeName = DataType[variant.dataType] ?? `type ${variant.dataType}`;
  if (variant.dataType === DataType.Null || variant.value === null || variant.value === undefined)
    return null;
  if (variant.arrayType !== VariantArrayType.Scalar) {
    const shape = variant.arrayType === VariantArrayType.Array ? 'array' : 'matrix';
    return { invalid: `${typeName} ${shape} values are not supported: map a scalar variable` };
  }
  if (NUMERIC.has(variant.dataType)) return variant.value as number;
  switch (variant.dataType) {
    case DataType.Int64:
    case DataType.UInt64:
      return (
        int64ToNumber(variant.value, variant.dataType === DataType.Int64) ?? {
          invalid: `unreadable ${typeName}`,
        }
      );
    case DataType.Boolean:
      return Boolean(variant.value);
    case DataType.String:
      return String(variant.value);
    case DataType.LocalizedText: {
      const text = (variant.value as { text?: string | null }).text;
      return text ?? null;
    }
    default:
      return { invalid: `${typeName} values are not supported: map a number, boolean or string variable` };
  }
}

function timeOf(date: Date | null | undefined): number | undefined {
  if (!date) return undefined;
  const ms = date.getTime();
  return Number.isFinite(ms) && ms > OPCUA_MIN_DATE_MS ? ms : undefined;
}

/**
 * Converts a data change of `node`. The time is the source timestamp, else the server
 * timestamp, else `receivedAt`; a bad or uncertain status is kept as the point's quality.
 */
export function convertDataValue(
  node: CompiledOpcUaNode,
  dataValue: DataValue,
  receivedAt: number,
): Conversion {
  const quality = qualityOf(dataValue.statusCode);
  const raw = rawValue(dataValue);
  if (raw === null) {
    if (quality !== 'good') return { kind: 'status', quality };
    return { kind: 'rejected', code: 'IMV_INGEST_VALUE_INVALID', reason: `${node.nodeId}: no value (null)` };
  }
  if (typeof raw === 'object')
    return { kind: 'rejected', code: 'IMV_INGEST_VALUE_INVALID', reason: `${node.nodeId}: ${raw.invalid}` };
  let value = raw;
  if (typeof value === 'number') {
    value = value * node.scale + node.offset;
    if (!Number.isFinite(value)) {
      return {
        kind: 'rejected',
        code: 'IMV_INGEST_VALUE_INVALID',
        reason: `${node.nodeId}: ${raw} is not a finite number`,
      };
    }
  } else if (typeof value === 'string' && value.length > MAX_TEXT_LENGTH) {
    return {
      kind: 'rejected',
      code: 'IMV_INGEST_VALUE_INVALID',
      reason: `${node.nodeId}: text longer than ${MAX_TEXT_LENGTH} characters`,
    };
  }
  const time = timeOf(dataValue.sourceTimestamp) ?? timeOf(dataValue.serverTimestamp) ?? receivedAt;
  if (time < DEFAULT_MIN_TIME_MS || time > receivedAt + DEFAULT_MAX_FUTURE_MS) {
    return {
      kind: 'rejected',
      code: 'IMV_INGEST_TIMESTAMP_INVALID',
      reason: `${node.nodeId}: timestamp ${new Date(time).toISOString()} is before 2000 or more than 5 minutes ahead: check the server clock`,
    };
  }
  const point: Point = { twin: node.twin, field: node.field, time, value, quality };
  return { kind: 'point', point };
}

import { DataType, DataValue, StatusCodes, Variant, VariantArrayType } from 'node-opcua';
import { describe, expect, it } from 'vitest';
import type { CompiledOpcUaNode } from './config.js';
import { convertDataValue, qualityOf } from './convert.js';

const NODE: CompiledOpcUaNode = { nodeId: 'ns=1;s=T', twin: '88.100.1/a', field: 'f', scale: 1, offset: 0 };
const NOW = Date.UTC(2026, 0, 1, 12);

function dv(
  value: Partial<ConstructorParameters<typeof Variant>[0]>,
  extra: Record<string, unknown> = {},
): DataValue {
  return new DataValue({ value: new Variant(value as never), statusCode: StatusCodes.Good, ...extra });
}

describe('convertDataValue', () => {
  it('maps the status severity to a quality', () => {
    expect(qualityOf(StatusCodes.Good)).toBe('good');
    expect(qualityOf(StatusCodes.UncertainSensorNotAccurate)).toBe('uncertain');
    expect(qualityOf(StatusCodes.BadCommunicationError)).toBe('bad');
  });

  it('takes the source time, then the server time, then the receive time', () => {
    const source = new Date(NOW - 5000);
    const server = new Date(NOW - 1000);
    const of = (extra: Record<string, unknown>) =>
      convertDataValue(NODE, dv({ dataType: DataType.Double, value: 1 }, extra), NOW);
    expect(of({ sourceTimestamp: source, serverTimestamp: server })).toMatchObject({
      point: { time: NOW - 5000 },
    });
    expect(of({ serverTimestamp: server })).toMatchObject({ point: { time: NOW - 1000 } });
    expect(of({})).toMatchObject({ point: { time: NOW } });
    expect(of({ sourceTimestamp: new Date(NOW + 3_600_000) })).toMatchObject({
      kind: 'rejected',
      code: 'IMV_INGEST_TIMESTAMP_INVALID',
    });
  });

  it('scales numbers, converts 64-bit integers, keeps booleans and strings', () => {
    const scaled = { ...NODE, scale: 0.1, offset: -40 };
    expect(convertDataValue(scaled, dv({ dataType: DataType.UInt16, value: 650 }), NOW)).toMatchObject({
      point: { value: 25, quality: 'good' },
    });
    expect(
      convertDataValue(
        NODE,
        dv({ dataType: DataType.Int64, arrayType: VariantArrayType.Scalar, value: [0xffffffff, 0xfffffffe] }),
        NOW,
      ),
    ).toMatchObject({
      point: { value: -2 },
    });
    expect(
      convertDataValue(
        NODE,
        dv({ dataType: DataType.UInt64, arrayType: VariantArrayType.Scalar, value: [1, 0] }),
        NOW,
      ),
    ).toMatchObject({
      point: { value: 2 ** 32 },
    });
    expect(convertDataValue(scaled, dv({ dataType: DataType.Boolean, value: false }), NOW)).toMatchObject({
      point: { value: false },
    });
    expect(convertDataValue(NODE, dv({ dataType: DataType.String, value: 'run' }), NOW)).toMatchObject({
      point: { value: 'run' },
    });
  });

  it('refuses arrays, NaN and unsupported types; a bad status without a value is status only', () => {
    const array = dv({ dataType: DataType.Double, arrayType: VariantArrayType.Array, value: [1, 2] });
    expect(convertDataValue(NODE, array, NOW)).toMatchObject({
      kind: 'rejected',
      code: 'IMV_INGEST_VALUE_INVALID',
    });
    expect(convertDataValue(NODE, dv({ dataType: DataType.Double, value: NaN }), NOW)).toMatchObject({
      kind: 'rejected',
      code: 'IMV_INGEST_VALUE_INVALID',
    });
    expect(
      convertDataValue(NODE, dv({ dataType: DataType.DateTime, value: new Date(NOW) }), NOW),
    ).toMatchObject({
      kind: 'rejected',
      reason: expect.stringContaining('DateTime values are not supported'),
    });
    const noValue = new DataValue({ statusCode: StatusCodes.BadCommunicationError });
    expect(convertDataValue(NODE, noValue, NOW)).toEqual({ kind: 'status', quality: 'bad' });
  });
});

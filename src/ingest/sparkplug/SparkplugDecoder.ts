// Sparkplug B (spBv1.0) messages into points, as a host application reads them: it remembers,
// per edge node and device, the metrics their birth certificates declared (names, aliases,
// datatypes), the node's sequence number and whether each is online. Pure: no I/O, never throws.
import { identifierProblem } from '../../core/id.js';
import type { Point } from '../points.js';
import type { FieldKind, FieldMapping, MappingMatch } from '../mapping/MappingSet.js';
import {
  DEFAULT_MAX_PAYLOAD_BYTES,
  type DecodeOptions,
  type DecodedMessage,
  type ValueRejection,
} from '../json/decode.js';
import { DEFAULT_MAX_FUTURE_MS, DEFAULT_MIN_TIME_MS } from '../json/time.js';
import {
  DataType,
  decodeSparkplugPayload,
  typeName,
  type RawValue,
  type SparkplugMetric,
} from './payload.js';
import type { RebirthNeed } from './rebirth.js';
import { parseSparkplugTopic } from './topic.js';

/** A problem worth recording that does not cost any data (a sequence gap). */
export interface SparkplugWarning {
  readonly code: string;
  readonly reason: string;
}

export interface SparkplugDecoded extends DecodedMessage {
  /** Recorded like rejections (counted, dead-lettered) while the message's points are still kept. */
  readonly warnings: readonly SparkplugWarning[];
  /** Set when Imverse has lost track of the edge node's session and should ask it for a rebirth. */
  readonly rebirth?: RebirthNeed;
}

export const SEQUENCE_GAP = 'IMV_INGEST_SEQUENCE_GAP';
export const STATE_FULL = 'IMV_INGEST_SPARKPLUG_STATE_FULL';

/** How much session state one decoder keeps: a device inventing node or device names cannot grow it. */
export interface SparkplugLimits {
  /** Edge nodes tracked; default 10,000. */
  readonly maxEdgeNodes?: number;
  /** Devices tracked over all edge nodes; default 100,000. */
  readonly maxDevices?: number;
}

export const DEFAULT_SPARKPLUG_LIMITS = { maxEdgeNodes: 10_000, maxDevices: 100_000 } as const;

const MAX_STRING_VALUE = 4096;
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const NUMERIC_TEXT = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

/** What a birth certificate declared: metric datatypes by name, and names by alias. */
interface MetricTable {
  readonly datatypes: Map<string, number>;
  readonly aliases: Map<bigint, string>;
}

interface DeviceState {
  online: boolean;
  /** A DBIRTH arrived in the node's current session: its metrics are known. */
  born: boolean;
  metrics: MetricTable;
}

interface NodeState {
  online: boolean;
  /** The last sequence number seen since the node's birth; undefined: nothing to compare with. */
  seq: number | undefined;
  /** The birth/death sequence number of the current session (NBIRTH's `bdSeq` metric). */
  bdSeq: bigint | undefined;
  metrics: MetricTable;
  readonly devices: Map<string, DeviceState>;
}

function table(): MetricTable {
  return { datatypes: new Map(), aliases: new Map() };
}

/** Metrics of the protocol itself, never plant data. */
function isControlMetric(name: string): boolean {
  return name === 'bdSeq' || name.startsWith('Node Control/') || name.startsWith('Device Control/');
}

function excerpt(m: SparkplugMetric): string {
  const value = m.value && m.value.kind !== 'other' ? m.value.value : undefined;
  return JSON.stringify({
    ...(m.name === undefined ? {} : { name: m.name.slice(0, 100) }),
    ...(m.alias === undefined ? {} : { alias: String(m.alias) }),
    datatype: typeName(m.datatype),
    ...(value === undefined
      ? {}
      : { value: typeof value === 'string' ? value.slice(0, 100) : String(value) }),
  });
}

function refuse(code: string, reason: string, warnings: SparkplugWarning[] = []): SparkplugDecoded {
  return { points: [], rejected: [], refused: { code, reason }, warnings };
}

function render(
  parts: readonly (string | number)[],
  levels: readonly string[],
): string | { problem: string } {
  let text = '';
  for (const part of parts) text += typeof part === 'string' ? part : (levels[part] ?? '');
  const problem = identifierProblem(text);
  if (problem !== undefined) return { problem: `twin "${text}": ${problem}` };
  const slash = text.indexOf('/');
  return text.slice(0, slash).toUpperCase() + text.slice(slash);
}

type Typed = { value: number | string | boolean } | { problem: string };

const INT_BITS: Partial<Record<number, { bits: number; signed: boolean }>> = {
  [DataType.Int8]: { bits: 8, signed: true },
  [DataType.Int16]: { bits: 16, signed: true },
  [DataType.Int32]: { bits: 32, signed: true },
  [DataType.Int64]: { bits: 64, signed: true },
  [DataType.UInt8]: { bits: 8, signed: false },
  [DataType.UInt16]: { bits: 16, signed: false },
  [DataType.UInt32]: { bits: 32, signed: false },
  [DataType.UInt64]: { bits: 64, signed: false },
};

/**
 * The shortest decimal that is the same 32-bit float: a Float metric of 21.3 arrives as
 * 21.299999237060547 once widened to a double, and the device meant 21.3.
 */
function shortestFloat32(value: number): number {
  const f = Math.fround(value);
  for (let digits = 1; digits < 9; digits++) {
    const candidate = Number(f.toPrecision(digits));
    if (Math.fround(candidate) === f) return candidate;
  }
  return f;
}

/** The metric's value as its datatype says to read it (integers travel unsigned, two's complement). */
function typedValue(datatype: number, raw: RawValue | undefined): Typed {
  const declared = typeName(datatype);
  if (raw === undefined) return { problem: `${declared} metric without a value` };
  const int = INT_BITS[datatype];
  const mismatch = (): Typed => ({ problem: `${declared} metric carries a ${raw.kind} value` });
  if (int) {
    if (raw.kind !== 'int' && raw.kind !== 'long') return mismatch();
    const wide = typeof raw.value === 'bigint' ? raw.value : BigInt(raw.value);
    return {
      value: Number(int.signed ? BigInt.asIntN(int.bits, wide) : BigInt.asUintN(int.bits, wide)),
    };
  }
  switch (datatype) {
    case DataType.Float:
      if (raw.kind !== 'float' && raw.kind !== 'double') return mismatch();
      return Number.isFinite(raw.value)
        ? { value: shortestFloat32(raw.value) }
        : { problem: `${raw.value} is not a finite number` };
    case DataType.Double:
      if (raw.kind !== 'float' && raw.kind !== 'double') return mismatch();
      return Number.isFinite(raw.value)
        ? { value: raw.value }
        : { problem: `${raw.value} is not a finite number` };
    case DataType.Boolean:
      return raw.kind === 'boolean' ? { value: raw.value } : mismatch();
    case DataType.String:
    case DataType.Text:
      return raw.kind === 'string' ? { value: raw.value } : mismatch();
    default:
      return {
        problem: `${declared} metrics are not stored: only integers, Float, Double, Boolean, String and Text are`,
      };
  }
}

/** Applies the field mapping (scale, offset, units) and the field's kind, as the JSON decoder does. */
function convert(value: number | string | boolean, fm: FieldMapping, kind: FieldKind | undefined): Typed {
  if (typeof value === 'number') {
    if (kind === 'boolean') {
      return value === 0 || value === 1
        ? { value: value === 1 }
        : { problem: `${value} is not a boolean (0 or 1)` };
    }
    if (kind === 'string') return { problem: `field "${fm.field}" holds text, got the number ${value}` };
    const v = value * fm.scale + fm.offset;
    return Number.isFinite(v) ? { value: v } : { problem: `${value} is not a finite number` };
  }
  if (typeof value === 'string') {
    if (kind === 'number') {
      const v = NUMERIC_TEXT.test(value) ? Number(value) * fm.scale + fm.offset : NaN;
      return Number.isFinite(v)
        ? { value: v }
        : { problem: `field "${fm.field}" is numeric, got "${value.slice(0, 40)}"` };
    }
    if (kind === 'boolean') {
      return value === 'true' || value === 'false'
        ? { value: value === 'true' }
        : { problem: `field "${fm.field}" is boolean, got "${value.slice(0, 40)}"` };
    }
    if (value.length > MAX_STRING_VALUE)
      return { problem: `text longer than ${MAX_STRING_VALUE} characters` };
    return { value };
  }
  if (kind === 'number' || kind === 'string')
    return { problem: `field "${fm.field}" is ${kind}, got ${value}` };
  return { value };
}

export class SparkplugDecoder {
  readonly #nodes = new Map<string, NodeState>();
  readonly #maxEdgeNodes: number;
  readonly #maxDevices: number;
  #devices = 0;

  constructor(limits: SparkplugLimits = {}) {
    this.#maxEdgeNodes = limits.maxEdgeNodes ?? DEFAULT_SPARKPLUG_LIMITS.maxEdgeNodes;
    this.#maxDevices = limits.maxDevices ?? DEFAULT_SPARKPLUG_LIMITS.maxDevices;
  }

  /** Edge nodes and devices whose session state is kept. */
  get tracked(): { readonly edgeNodes: number; readonly devices: number } {
    return { edgeNodes: this.#nodes.size, devices: this.#devices };
  }

  /**
   * Whether an edge node (or one of its devices) is online: true after its birth, false after its
   * death, undefined when Imverse has seen neither.
   */
  online(group: string, edgeNode: string, device?: string): boolean | undefined {
    const node = this.#nodes.get(`${group}/${edgeNode}`);
    if (!node || device === undefined) return node?.online;
    return node.devices.get(device)?.online;
  }

  /** Decodes one message for a topic that matched a `payload: sparkplug` mapping. */
  decode(topic: string, payload: Uint8Array, match: MappingMatch, options: DecodeOptions): SparkplugDecoded {
    const spec = match.mapping.sparkplug;
    if (match.error !== undefined) return refuse('IMV_INGEST_UNMAPPED', match.error);
    if (!spec)
      return refuse(
        'IMV_INGEST_UNMAPPED',
        `the mapping of ${match.mapping.topic} is not a Sparkplug mapping`,
      );
    const max = options.maxBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
    if (payload.byteLength > max) {
      return refuse(
        'IMV_INGEST_PAYLOAD_TOO_LARGE',
        `payload of ${payload.byteLength} bytes exceeds the limit of ${max}`,
      );
    }
    const parsed = parseSparkplugTopic(topic);
    if (typeof parsed === 'string') return refuse('IMV_INGEST_UNMAPPED', parsed);
    if (parsed.kind === 'ignored') return { points: [], rejected: [], warnings: [] };
    const body = decodeSparkplugPayload(payload);
    if ('error' in body) return refuse('IMV_INGEST_PAYLOAD_MALFORMED', body.error);

    const key = `${parsed.group}/${parsed.edgeNode}`;
    let node = this.#nodes.get(key);
    if (!node) {
      if (this.#nodes.size >= this.#maxEdgeNodes && !this.#evictOfflineNode()) {
        return refuse(
          STATE_FULL,
          `edge node ${parsed.edgeNode} of group ${parsed.group} is not tracked: ${this.#maxEdgeNodes} edge nodes are, all online (sparkplugMaxEdgeNodes)`,
        );
      }
      node = { online: false, seq: undefined, bdSeq: undefined, metrics: table(), devices: new Map() };
      this.#nodes.set(key, node);
    }
    if (
      parsed.kind === 'device' &&
      parsed.type === 'DBIRTH' &&
      !node.devices.has(parsed.device) &&
      this.#devices >= this.#maxDevices &&
      !this.#evictOfflineDevice()
    ) {
      return refuse(
        STATE_FULL,
        `device ${parsed.device} of edge node ${parsed.edgeNode} is not tracked: ${this.#maxDevices} devices are, all online (sparkplugMaxDevices)`,
      );
    }
    const warnings: SparkplugWarning[] = [];
    const points: Point[] = [];
    const rejected: ValueRejection[] = [];
    const limits = {
      now: options.receivedAt,
      maxFuture: options.maxFutureMs ?? DEFAULT_MAX_FUTURE_MS,
      min: options.minTimeMs ?? DEFAULT_MIN_TIME_MS,
    };
    const timeProblem = (ms: number): string | undefined => {
      if (!Number.isFinite(ms) || ms > limits.now + limits.maxFuture) {
        return `time ${ms} is more than ${Math.round(limits.maxFuture / 1000)} s in the future (receive time ${limits.now}): check the edge node's clock`;
      }
      if (ms < limits.min)
        return `time ${ms} is before ${new Date(limits.min).toISOString()}: the edge node's clock is probably not set`;
      return undefined;
    };
    const messageTime =
      body.timestamp !== undefined && timeProblem(body.timestamp) === undefined
        ? body.timestamp
        : options.receivedAt;
    const deviceTwin = (device: string) => render(spec.twin, [parsed.group, parsed.edgeNode, device]);
    const twin =
      parsed.kind === 'device'
        ? deviceTwin(parsed.device)
        : spec.nodeTwin && render(spec.nodeTwin, [parsed.group, parsed.edgeNode]);
    const online = (twinId: string | { problem: string } | undefined, value: boolean, time: number): void => {
      if (spec.online !== undefined && typeof twinId === 'string') {
        points.push({ twin: twinId, field: spec.online, time, value });
      }
    };

    // Session state: births declare metrics and reset the sequence, deaths end the session.
    let metrics: MetricTable;
    let rebirth: string | undefined;
    const withRebirth = (decoded: SparkplugDecoded): SparkplugDecoded =>
      rebirth === undefined
        ? decoded
        : { ...decoded, rebirth: { group: parsed.group, edgeNode: parsed.edgeNode, reason: rebirth } };
    if (parsed.type === 'NDEATH') {
      const bdSeq = body.metrics.find((m) => m.name === 'bdSeq')?.value;
      const deathBdSeq =
        bdSeq && (bdSeq.kind === 'long' || bdSeq.kind === 'int') ? BigInt(bdSeq.value) : undefined;
      // The will of an earlier session can arrive after the new birth: it does not end this one.
      if (deathBdSeq !== undefined && node.bdSeq !== undefined && deathBdSeq !== node.bdSeq) {
        return { points: [], rejected: [], warnings: [] };
      }
      node.online = false;
      node.seq = undefined;
      online(twin, false, options.receivedAt);
      for (const [device, state] of node.devices) {
        if (state.online) online(deviceTwin(device), false, options.receivedAt);
        state.online = false;
      }
      return { points, rejected, warnings };
    }
    if (parsed.type === 'NBIRTH') {
      node.online = true;
      node.metrics = metrics = this.#declare(body.metrics);
      // A new session: the devices are born again, possibly with other aliases. They stay online
      // (their DBIRTHs follow at once) until their own or the node's death says otherwise.
      for (const device of node.devices.values()) {
        device.metrics = table();
        device.born = false;
      }
      const bdSeq = body.metrics.find((m) => m.name === 'bdSeq')?.value;
      node.bdSeq = bdSeq && (bdSeq.kind === 'long' || bdSeq.kind === 'int') ? BigInt(bdSeq.value) : undefined;
      node.seq = body.seq !== undefined && body.seq <= 255n ? Number(body.seq) : undefined;
      online(twin, true, messageTime);
    } else {
      if (!node.online && parsed.type !== 'DDEATH') {
        rebirth = `${parsed.type} from edge node ${parsed.edgeNode} of group ${parsed.group}, which has no birth certificate (NBIRTH) in this session`;
      }
      if (this.#checkSequence(node, body.seq, topic, warnings)) {
        rebirth ??= `${topic}: sequence number out of order`;
      }
      if (parsed.kind === 'device') {
        let device = node.devices.get(parsed.device);
        if (parsed.type === 'DDATA' && !device?.born) {
          rebirth ??= `DDATA from device ${parsed.device} of edge node ${parsed.edgeNode}, which has no birth certificate (DBIRTH) in this session`;
        }
        if (parsed.type === 'DBIRTH') {
          if (!node.devices.has(parsed.device)) this.#devices++;
          device = { online: true, born: true, metrics: this.#declare(body.metrics) };
          node.devices.set(parsed.device, device);
          online(twin, true, messageTime);
        } else if (parsed.type === 'DDEATH') {
          if (device) device.online = false;
          online(twin, false, messageTime);
        }
        metrics = device?.metrics ?? table();
      } else metrics = node.metrics;
    }
    if (typeof twin === 'object') return withRebirth(refuse('IMV_INGEST_UNMAPPED', twin.problem, warnings));
    // Node metrics without a node twin: the session state above is all that is kept.
    if (twin === undefined) return withRebirth({ points, rejected, warnings });

    const { fields, keepOthers } = match.mapping;
    body.metrics.forEach((m, index) => {
      const reject = (code: string, reason: string) =>
        rejected.push({ index, code, reason, excerpt: excerpt(m) });
      const name = m.name ?? (m.alias === undefined ? undefined : metrics.aliases.get(m.alias));
      if (name === undefined) {
        if (m.alias === undefined)
          return reject('IMV_INGEST_PAYLOAD_MALFORMED', 'a metric needs a name or an alias');
        rebirth ??= `${topic}: alias ${m.alias} unknown`;
        return reject(
          'IMV_INGEST_UNMAPPED',
          `alias ${m.alias} was not declared by the ${parsed.kind === 'device' ? 'device' : 'edge node'}'s birth certificate: the edge node is asked for a new birth (Node Control/Rebirth)`,
        );
      }
      if (isControlMetric(name) || m.isNull) return;
      let fm = fields?.get(name);
      if (!fm) {
        if (!keepOthers) return;
        const field = name.replaceAll('/', '.');
        if (!FIELD_NAME.test(field)) {
          return reject(
            'IMV_INGEST_VALUE_INVALID',
            `metric "${name.slice(0, 60)}" does not make a field name: map it under "fields"`,
          );
        }
        fm = { key: name, field, kind: undefined, scale: 1, offset: 0 };
      }
      const datatype = m.datatype || metrics.datatypes.get(name) || DataType.Unknown;
      if (datatype === DataType.Unknown) {
        return reject(
          'IMV_INGEST_VALUE_INVALID',
          `metric "${name}" has no datatype, and no birth certificate declared one`,
        );
      }
      const typed = typedValue(datatype, m.value);
      const result =
        'problem' in typed ? typed : convert(typed.value, fm, fm.kind ?? options.fieldKind?.(twin, fm.field));
      if ('problem' in result)
        return reject('IMV_INGEST_VALUE_INVALID', `${name} → ${fm.field}: ${result.problem}`);
      const time = m.timestamp ?? body.timestamp ?? options.receivedAt;
      const problem = timeProblem(time);
      if (problem !== undefined) return reject('IMV_INGEST_TIMESTAMP_INVALID', problem);
      points.push({ twin, field: fm.field, time, value: result.value });
    });
    return withRebirth({ points, rejected, warnings });
  }

  // Only state of what is offline is given up: its next birth rebuilds it. Oldest first (insertion order).
  #evictOfflineNode(): boolean {
    for (const [key, node] of this.#nodes) {
      if (node.online) continue;
      this.#nodes.delete(key);
      this.#devices -= node.devices.size;
      return true;
    }
    return false;
  }

  #evictOfflineDevice(): boolean {
    for (const node of this.#nodes.values()) {
      for (const [name, device] of node.devices) {
        if (device.online) continue;
        node.devices.delete(name);
        this.#devices--;
        return true;
      }
    }
    return false;
  }

  #declare(metrics: readonly SparkplugMetric[]): MetricTable {
    const t = table();
    for (const m of metrics) {
      if (m.name === undefined) continue;
      if (m.datatype !== DataType.Unknown) t.datatypes.set(m.name, m.datatype);
      if (m.alias !== undefined) t.aliases.set(m.alias, m.name);
    }
    return t;
  }

  /** Every message of an edge node after its NBIRTH counts 0…255, then 0 again. True on a gap. */
  #checkSequence(
    node: NodeState,
    seq: bigint | undefined,
    topic: string,
    warnings: SparkplugWarning[],
  ): boolean {
    if (seq === undefined) return false;
    if (seq > 255n) {
      warnings.push({ code: SEQUENCE_GAP, reason: `${topic}: sequence number ${seq} is outside 0–255` });
      node.seq = undefined;
      return true;
    }
    const got = Number(seq);
    if (node.seq !== undefined) {
      const expected = (node.seq + 1) % 256;
      if (got !== expected) {
        const lost = (got - expected + 256) % 256;
        warnings.push({
          code: SEQUENCE_GAP,
          reason: `${topic}: expected sequence number ${expected}, got ${got} (${lost} message${lost === 1 ? '' : 's'} lost, or sent twice or out of order); the data was kept`,
        });
        node.seq = got;
        return true;
      }
    }
    node.seq = got;
    return false;
  }
}

// One MQTT message from receipt to durability: map the topic, decode, dead-letter what is bad,
// ingest the rest. Shared by the embedded broker and the external-broker client.
import type { IngestSink } from '../points.js';
import type { FieldKind, MappingLookup } from '../mapping/MappingSet.js';
import { decodePayload, type DecodeOptions } from '../json/decode.js';
import {
  SparkplugDecoder,
  type SparkplugLimits,
  type SparkplugWarning,
} from '../sparkplug/SparkplugDecoder.js';
import { RebirthLimiter, rebirthCommand, type RebirthNeed } from '../sparkplug/rebirth.js';
import { IngestCounters } from './stats.js';

export interface MessageContext {
  readonly sink: IngestSink;
  readonly mappings: MappingLookup;
  /** PointBatch.source and the dead letters' source, e.g. "mqtt". */
  readonly source: string;
  readonly counters: IngestCounters;
  readonly maxPayloadBytes?: number;
  readonly fieldKind?: (twin: string, field: string) => FieldKind | undefined;
  /** Sparkplug B session state (births, aliases, sequence numbers); default: one per context. */
  readonly sparkplug?: SparkplugDecoder;
  /** Sends a message towards the devices (Sparkplug rebirth requests); without it, none is sent. */
  readonly publish?: (topic: string, payload: Uint8Array) => void;
  /** Paces rebirth requests: at most one per edge node every 5 s. */
  readonly rebirths: RebirthLimiter;
  readonly sparkplugLimits?: SparkplugLimits;
  /** Told of every message refused whole, after it was dead-lettered (the broker counts limits). */
  readonly onRefused?: (code: string, topic: string) => void;
}

/** The context of one connector (broker or client) from its options. */
export function messageContext(options: {
  readonly sink: IngestSink;
  readonly mappings: MappingLookup;
  readonly source?: string;
  readonly maxPayloadBytes?: number;
  readonly fieldKind?: (twin: string, field: string) => FieldKind | undefined;
  readonly publish?: (topic: string, payload: Uint8Array) => void;
  readonly sparkplugLimits?: SparkplugLimits;
  readonly onRefused?: (code: string, topic: string) => void;
}): MessageContext {
  return {
    sink: options.sink,
    mappings: options.mappings,
    source: options.source ?? 'mqtt',
    counters: new IngestCounters(),
    rebirths: new RebirthLimiter(),
    ...(options.publish === undefined ? {} : { publish: options.publish }),
    ...(options.maxPayloadBytes === undefined ? {} : { maxPayloadBytes: options.maxPayloadBytes }),
    ...(options.fieldKind === undefined ? {} : { fieldKind: options.fieldKind }),
    ...(options.sparkplugLimits === undefined ? {} : { sparkplugLimits: options.sparkplugLimits }),
    ...(options.onRefused === undefined ? {} : { onRefused: options.onRefused }),
  };
}

// Sparkplug state lives as long as the connector's context, without the connectors creating it.
const sparkplugDecoders = new WeakMap<MessageContext, SparkplugDecoder>();

function sparkplugDecoder(ctx: MessageContext): SparkplugDecoder {
  if (ctx.sparkplug) return ctx.sparkplug;
  let decoder = sparkplugDecoders.get(ctx);
  if (!decoder) sparkplugDecoders.set(ctx, (decoder = new SparkplugDecoder(ctx.sparkplugLimits)));
  return decoder;
}

/** Asks the edge node for its births again, unless it was asked within the limiter's interval. */
function requestRebirth(ctx: MessageContext, need: RebirthNeed, now: number): void {
  if (!ctx.publish || !ctx.rebirths.allow(need.group, need.edgeNode)) return;
  const command = rebirthCommand(need.group, need.edgeNode, now);
  ctx.counters.rebirthsRequested++;
  ctx.publish(command.topic, command.payload);
}

/**
 * Resolves once the message's accepted points are durable (or it was dead-lettered); rejects only
 * when the sink fails, in which case the message must not be acknowledged.
 */
export async function ingestMessage(
  ctx: MessageContext,
  topic: string,
  payload: Uint8Array,
  receivedAt: number,
): Promise<void> {
  const { sink, source, counters } = ctx;
  counters.messagesReceived++;
  const match = ctx.mappings.match(topic);
  // A command on its way to a device: the broker delivers it, the platform stores nothing.
  if (match?.mapping.payload === 'command') return;
  const options: DecodeOptions = {
    receivedAt,
    ...(ctx.maxPayloadBytes === undefined ? {} : { maxBytes: ctx.maxPayloadBytes }),
    ...(ctx.fieldKind === undefined ? {} : { fieldKind: ctx.fieldKind }),
  };
  let warnings: readonly SparkplugWarning[] = [];
  let decoded;
  if (match?.mapping.payload === 'sparkplug') {
    decoded = sparkplugDecoder(ctx).decode(topic, payload, match, options);
    warnings = decoded.warnings;
    if (decoded.rebirth) requestRebirth(ctx, decoded.rebirth, receivedAt);
  } else if (match) decoded = decodePayload(payload, match, options);
  // Warnings (a Sparkplug sequence gap) are recorded like rejections, but cost no data.
  for (const w of warnings) {
    counters.rejected(w.code);
    sink.reject(source, w.code, w.reason, payload, topic);
  }
  if (!decoded || decoded.refused) {
    const code = decoded?.refused?.code ?? 'IMV_INGEST_UNMAPPED';
    const reason = decoded?.refused?.reason ?? `no mapping matches the topic "${topic}"`;
    counters.messagesRejected++;
    counters.rejected(code);
    sink.reject(source, code, reason, payload, topic);
    ctx.onRefused?.(code, topic);
    return;
  }
  counters.messagesAccepted++;
  for (const r of decoded.rejected) {
    counters.rejected(r.code);
    sink.reject(source, r.code, `value ${r.index}: ${r.reason}`, r.excerpt, topic);
  }
  if (decoded.points.length === 0) return;
  const result = await sink.ingest({ source, points: decoded.points });
  counters.pointsAccepted += result.accepted;
  for (const r of result.rejected) counters.rejected(r.code);
}

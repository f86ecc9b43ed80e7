// What the broker keeps of retained messages, so that they are bounded in count and bytes.
// aedes keeps them in memory: its store is what this budget protects.

export type RetainedRefusal = 'IMV_MQTT_RETAINED_TOO_LARGE' | 'IMV_MQTT_RETAINED_FULL';

export interface RetainedLimits {
  readonly maxMessages: number;
  /** Topics and payloads together. */
  readonly maxBytes: number;
  /** The payload limit of every message: a retained message gets no more room. */
  readonly maxPayloadBytes: number;
}

export class RetainedBudget {
  readonly #limits: RetainedLimits;
  readonly #sizes = new Map<string, number>();
  #bytes = 0;

  constructor(limits: RetainedLimits) {
    this.#limits = limits;
  }

  get messages(): number {
    return this.#sizes.size;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /**
   * Books a retained publish to `topic` (an empty payload clears the topic's retained message),
   * or says why it must not be retained; the message itself is handled as any other.
   */
  admit(topic: string, payloadBytes: number): RetainedRefusal | undefined {
    const previous = this.#sizes.get(topic);
    if (payloadBytes === 0) {
      if (previous !== undefined) {
        this.#sizes.delete(topic);
        this.#bytes -= previous;
      }
      return undefined;
    }
    if (payloadBytes > this.#limits.maxPayloadBytes) return 'IMV_MQTT_RETAINED_TOO_LARGE';
    const size = Buffer.byteLength(topic) + payloadBytes;
    const messages = this.#sizes.size + (previous === undefined ? 1 : 0);
    const bytes = this.#bytes - (previous ?? 0) + size;
    if (messages > this.#limits.maxMessages || bytes > this.#limits.maxBytes) return 'IMV_MQTT_RETAINED_FULL';
    this.#sizes.set(topic, size);
    this.#bytes = bytes;
    return undefined;
  }
}

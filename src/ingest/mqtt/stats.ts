// Counters of one MQTT connector: messages in, points accepted, rejections by code.

export interface IngestStats {
  /** Messages that reached the connector (authorised or not). */
  readonly messagesReceived: number;
  /** Messages decoded and handed to the sink (their points may still be rejected one by one). */
  readonly messagesAccepted: number;
  /** Messages refused whole: forbidden topic, unmapped, malformed, too large. */
  readonly messagesRejected: number;
  /** Points the sink accepted (durable). */
  readonly pointsAccepted: number;
  /** Every rejection, of whole messages and of single values, by stable code. */
  readonly rejectedByCode: Readonly<Record<string, number>>;
  /** Sparkplug B rebirth requests (NCMD `Node Control/Rebirth`) sent to edge nodes. */
  readonly rebirthsRequested: number;
}

export class IngestCounters {
  messagesReceived = 0;
  messagesAccepted = 0;
  messagesRejected = 0;
  pointsAccepted = 0;
  rebirthsRequested = 0;
  readonly #byCode = new Map<string, number>();

  rejected(code: string, count = 1): void {
    this.#byCode.set(code, (this.#byCode.get(code) ?? 0) + count);
  }

  snapshot(): IngestStats {
    return {
      messagesReceived: this.messagesReceived,
      messagesAccepted: this.messagesAccepted,
      messagesRejected: this.messagesRejected,
      pointsAccepted: this.pointsAccepted,
      rejectedByCode: Object.fromEntries(this.#byCode),
      rebirthsRequested: this.rebirthsRequested,
    };
  }
}

// Follows MQTT framing byte by byte to learn each packet's size from its fixed header, so that an
// oversized packet is refused after at most five bytes of it, never after buffering it whole.

/** What the bytes seen so far say. */
export type FrameVerdict =
  | { readonly kind: 'ok'; readonly packetsCompleted: number }
  /** The declared packet (fixed header included) exceeds the limit: it has at least `atLeast` bytes. */
  | { readonly kind: 'too-large'; readonly atLeast: number }
  /** The remaining length is not a valid variable byte integer; the MQTT parser refuses it. */
  | { readonly kind: 'malformed' };

const MAX_LENGTH_BYTES = 4;

export class PacketSizeReader {
  readonly #maxPacketBytes: number;
  /** 'type': the next byte starts a packet; 'length': inside the remaining length; 'body': skipping it. */
  #state: 'type' | 'length' | 'body' | 'stopped' = 'type';
  #length = 0;
  #lengthBytes = 0;
  #multiplier = 1;
  #bodyLeft = 0;
  #completed = 0;

  constructor(maxPacketBytes: number) {
    this.#maxPacketBytes = maxPacketBytes;
  }

  /** Packets received whole so far. */
  get packetsCompleted(): number {
    return this.#completed;
  }

  /** Takes the next bytes of the stream; after a refusal it ignores the rest. */
  push(chunk: Uint8Array): FrameVerdict {
    let i = 0;
    while (i < chunk.length && this.#state !== 'stopped') {
      if (this.#state === 'body') {
        const skip = Math.min(this.#bodyLeft, chunk.length - i);
        this.#bodyLeft -= skip;
        i += skip;
        if (this.#bodyLeft === 0) this.#finishPacket();
        continue;
      }
      const byte = chunk[i++]!;
      if (this.#state === 'type') {
        this.#state = 'length';
        this.#length = 0;
        this.#lengthBytes = 0;
        this.#multiplier = 1;
        continue;
      }
      this.#length += (byte & 0x7f) * this.#multiplier;
      this.#multiplier *= 128;
      this.#lengthBytes++;
      const size = 1 + this.#lengthBytes + this.#length;
      // Even a length still being read can already be too large: refuse without waiting for it.
      if (size > this.#maxPacketBytes) {
        this.#state = 'stopped';
        return { kind: 'too-large', atLeast: size };
      }
      if (byte & 0x80) {
        if (this.#lengthBytes === MAX_LENGTH_BYTES) {
          this.#state = 'stopped';
          return { kind: 'malformed' };
        }
        continue;
      }
      this.#bodyLeft = this.#length;
      if (this.#bodyLeft === 0) this.#finishPacket();
      else this.#state = 'body';
    }
    return { kind: 'ok', packetsCompleted: this.#completed };
  }

  #finishPacket(): void {
    this.#completed++;
    this.#state = 'type';
  }
}

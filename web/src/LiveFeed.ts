// The live WebSocket (/api/v1/live): one subscription for state and value changes, reconnecting with
// back-off. After a reconnect or dropped events the page re-reads state over HTTP (docs/api.md).
import {
  EVENT_TYPES,
  type ImverseEvent,
  type LiveClientMessage,
  type LiveServerMessage,
  type TwinDoc,
  type TwinTelemetryData,
  type TwinUpdatedData,
} from '../../src/core/wire.js';
import { liveUrl } from './api.js';
import { warnOnce } from './warn-once.js';

export interface LiveChange {
  readonly twin: string;
  readonly values: ReadonlyArray<readonly [field: string, value: unknown]>;
}

export interface LiveHandlers {
  onChange(change: LiveChange): void;
  /** The subscription is active (again): live values flow from now on. */
  onSubscribed(): void;
  /** Events may have been missed: re-read what is on screen. */
  onResync(): void;
  /** The connection dropped; it reconnects by itself. */
  onClosed(): void;
}

/** The fields an event changes: device values carry just theirs, an API change the whole twin. */
export function changeOf(event: ImverseEvent): LiveChange | undefined {
  if (event.type === EVENT_TYPES.twinTelemetry) {
    const data = event.data as TwinTelemetryData;
    return { twin: data.twin, values: data.values.map((v) => [v.field, v.value] as const) };
  }
  if (event.type === EVENT_TYPES.twinUpdated) {
    const twin: TwinDoc = (event.data as TwinUpdatedData).twin;
    return { twin: twin.$dtId, values: Object.entries(twin).filter(([field]) => !field.startsWith('$')) };
  }
  return undefined;
}

export class LiveFeed {
  private socket: WebSocket | undefined;
  private retryMs = 1000;
  private connectedBefore = false;

  constructor(private readonly handlers: LiveHandlers) {
    this.connect();
  }

  private connect(): void {
    const socket = new WebSocket(liveUrl());
    this.socket = socket;
    socket.addEventListener('open', () => {
      const subscribe: LiveClientMessage = {
        type: 'subscribe',
        id: 'world',
        filter: { types: [EVENT_TYPES.twinTelemetry, EVENT_TYPES.twinUpdated] },
      };
      socket.send(JSON.stringify(subscribe));
    });
    socket.addEventListener('message', (message) => this.receive(message.data));
    socket.addEventListener('close', () => {
      if (this.socket !== socket) return;
      this.handlers.onClosed();
      setTimeout(() => this.connect(), this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, 15_000);
    });
  }

  private receive(data: unknown): void {
    let message: LiveServerMessage;
    try {
      message = JSON.parse(String(data)) as LiveServerMessage;
    } catch (error) {
      warnOnce('a live message was not JSON', error);
      return;
    }
    if (message.type === 'subscribed') {
      this.retryMs = 1000;
      if (this.connectedBefore) this.handlers.onResync();
      this.connectedBefore = true;
      this.handlers.onSubscribed();
    } else if (message.type === 'error') {
      if (message.code === 'IMV_LIVE_EVENTS_DROPPED') this.handlers.onResync();
      else warnOnce(`live: ${message.code}`, message.message);
    } else if (message.type === 'event') {
      try {
        const change = changeOf(message.event);
        if (change) this.handlers.onChange(change);
      } catch (error) {
        warnOnce(`live: could not apply a ${message.event.type} event`, error);
      }
    }
  }
}

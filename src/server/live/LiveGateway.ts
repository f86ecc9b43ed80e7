// Fans bus events out to WebSocket subscribers, each with its own filters.
import { hideFields } from './hide-fields.js';
import type { WebSocket } from 'ws';
import type { EventBus } from '../../bus/bus.js';
import { ImverseError, ValidationError, isImverseError } from '../../core/errors.js';
import type { RefusalCounter } from '../../core/refusals.js';
import { normalizeIdentifier } from '../../core/id.js';
import {
  EVENT_TYPES,
  type EventType,
  type ImverseEvent,
  type LiveFilter,
  type LiveServerMessage,
} from '../../core/wire.js';
import type { TwinGraph } from '../../twin/TwinGraph.js';
import { CredentialSockets } from '../credential-sockets.js';
import type { Metrics } from '../metrics.js';
import { matches, type ResolvedFilter } from './filter.js';

/** A viewer that cannot keep up loses events rather than holding the server's memory. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;
/**
 * The only events a viewer is sent: changes to twins, relationships and models. Security events
 * (sign-ins, revocations, refusals) travel on the same bus and must never reach a viewer.
 */
const FORWARDED_TYPES: readonly EventType[] = Object.values(EVENT_TYPES);
const KNOWN_TYPES = new Set<string>(FORWARDED_TYPES);

export interface LiveGatewayOptions {
  /** Subscriptions one connection may hold (config `liveMaxSubscriptions`). */
  readonly maxSubscriptions: number;
  readonly refusals?: RefusalCounter;
}

interface Subscription {
  filter: ResolvedFilter;
  readonly request: LiveFilter;
}

interface Connection {
  readonly socket: WebSocket;
  /** The graph as this viewer may see it: its tenants' prefixes. */
  readonly graph: TwinGraph;
  readonly subscriptions: Map<string, Subscription>;
  /**
   * Subscriptions being resolved (a subtree is read from the store): counted against the limit before
   * the first await, so many subscribe messages arriving at once cannot all pass the check.
   */
  readonly pending: Set<string>;
  /** Events skipped since the viewer fell behind; told to it once it catches up. */
  dropped: number;
}

export class LiveGateway {
  private readonly connections = new Set<Connection>();
  private readonly unsubscribe: () => void;
  private readonly credentials: CredentialSockets;

  constructor(
    bus: EventBus,
    private readonly metrics: Metrics,
    private readonly options: LiveGatewayOptions,
  ) {
    this.unsubscribe = bus.subscribe((event) => this.dispatch(event), { types: FORWARDED_TYPES });
    this.credentials = new CredentialSockets(bus, options.refusals);
  }

  /** `credential` is the principal's (`token:ID`): revoking it closes this socket. */
  attach(socket: WebSocket, graph: TwinGraph, credential: string | undefined): void {
    const connection: Connection = {
      socket,
      graph,
      subscriptions: new Map(),
      pending: new Set(),
      dropped: 0,
    };
    this.connections.add(connection);
    this.metrics.liveConnections.inc();
    socket.on('message', (data, isBinary) => {
      // A socket being closed (its credential revoked) is not served any more.
      if (socket.readyState !== socket.OPEN) return;
      void this.receive(connection, isBinary ? '' : data.toString());
    });
    socket.on('close', () => {
      this.connections.delete(connection);
      this.metrics.liveConnections.dec();
    });
    this.credentials.track(socket, credential);
  }

  close(): void {
    this.unsubscribe();
    this.credentials.dispose();
    for (const connection of this.connections) connection.socket.close(1001, 'server shutting down');
  }

  private dispatch(event: ImverseEvent): void {
    // The bus subscription already asks for these types only; a bus adapter that ignored it must not leak.
    if (!KNOWN_TYPES.has(event.type)) return;
    const subtreeChanged =
      event.type === EVENT_TYPES.twinsImported ||
      ((event.type === EVENT_TYPES.relationshipCreated || event.type === EVENT_TYPES.relationshipDeleted) &&
        (event.data as { $relationshipName?: string }).$relationshipName === 'contains');
    for (const connection of this.connections) {
      if (connection.graph.scope.restricted && !visibleTo(event, connection.graph)) continue;
      const rules = connection.graph.scope.fieldRules;
      const shown = rules === undefined ? event : hideFields(event, rules);
      if (shown === undefined) continue;
      for (const [id, subscription] of connection.subscriptions) {
        if (!matches(shown, subscription.filter)) continue;
        if (connection.socket.bufferedAmount > MAX_BUFFERED_BYTES) {
          connection.dropped++;
          this.metrics.liveDropped.inc();
          continue;
        }
        if (connection.dropped > 0) {
          send(connection.socket, {
            type: 'error',
            code: 'IMV_LIVE_EVENTS_DROPPED',
            message: `${connection.dropped} event(s) were dropped while this connection fell behind; re-read the state you show`,
          });
          connection.dropped = 0;
        }
        send(connection.socket, { type: 'event', subscription: id, event: shown });
        this.metrics.liveEvents.inc();
      }
    }
    if (subtreeChanged) void this.refreshSubtrees();
  }

  private async refreshSubtrees(): Promise<void> {
    for (const connection of this.connections) {
      for (const subscription of connection.subscriptions.values()) {
        if (subscription.request.subtree === undefined) continue;
        subscription.filter = await this.resolve(connection.graph, subscription.request).catch(
          () => subscription.filter,
        );
      }
    }
  }

  private async receive(connection: Connection, text: string): Promise<void> {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      send(connection.socket, {
        type: 'error',
        code: 'IMV_REQUEST_INVALID_JSON',
        message: 'Messages are JSON objects',
      });
      return;
    }
    const { type, id, filter } = (message ?? {}) as { type?: unknown; id?: unknown; filter?: unknown };
    try {
      if (type === 'ping') {
        send(connection.socket, { type: 'pong' });
      } else if (type === 'subscribe') {
        const key = subscriptionId(id);
        const request = checkFilter(filter);
        this.reserve(connection, key);
        try {
          const resolved = await this.resolve(connection.graph, request);
          connection.subscriptions.set(key, { request, filter: resolved });
        } finally {
          connection.pending.delete(key);
        }
        send(connection.socket, { type: 'subscribed', id: key });
      } else if (type === 'unsubscribe') {
        const key = subscriptionId(id);
        connection.subscriptions.delete(key);
        send(connection.socket, { type: 'unsubscribed', id: key });
      } else {
        throw new ValidationError('IMV_REQUEST_INVALID', 'type must be subscribe, unsubscribe or ping', {
          path: '/type',
        });
      }
    } catch (error) {
      const code = isImverseError(error) ? error.code : 'IMV_INTERNAL';
      const text = isImverseError(error) ? error.message : 'internal error';
      if (isImverseError(error)) this.options.refusals?.count('ws', code);
      send(connection.socket, {
        type: 'error',
        code,
        message: text,
        ...(typeof id === 'string' ? { id } : {}),
      });
    }
  }

  /** Takes a place for a subscription, synchronously: the check and the reservation are one step. */
  private reserve(connection: Connection, key: string): void {
    const { subscriptions, pending } = connection;
    if (pending.has(key)) {
      throw new ValidationError('IMV_REQUEST_INVALID', `Subscription "${key}" is still being set up`, {
        path: '/id',
      });
    }
    if (!subscriptions.has(key) && subscriptions.size + pending.size >= this.options.maxSubscriptions) {
      throw new ImverseError(
        'IMV_LIVE_SUBSCRIPTION_LIMIT',
        `At most ${this.options.maxSubscriptions} subscriptions per connection`,
        { path: '/id' },
      );
    }
    pending.add(key);
  }

  private async resolve(graph: TwinGraph, request: LiveFilter): Promise<ResolvedFilter> {
    const filter: {
      twins?: Set<string>;
      models?: Set<string>;
      subtree?: Set<string>;
      types?: Set<EventType>;
    } = {};
    if (request.twins !== undefined) {
      filter.twins = new Set(request.twins.map((id, i) => normalizeIdentifier(id, `/filter/twins/${i}`)));
    }
    if (request.models !== undefined) {
      filter.models = new Set(
        request.models.flatMap((model) => {
          graph.getModel(model); // IMV_MODEL_NOT_FOUND for a model nobody uploaded
          return graph.models.descendantsOf(model);
        }),
      );
    }
    if (request.subtree !== undefined) {
      const root = await graph.getTwin(request.subtree);
      const contained = await graph.traverse(root.id, {
        relationship: 'contains',
        direction: 'out',
        maxDepth: 50,
        limit: 100_000,
      });
      filter.subtree = new Set([root.id, ...contained.map((entry) => entry.twin.$dtId)]);
    }
    if (request.types !== undefined) filter.types = new Set(request.types);
    return filter;
  }
}

/** Whether a tenant-scoped viewer may see an event: every twin it names is in its prefixes. */
function visibleTo(event: ImverseEvent, graph: TwinGraph): boolean {
  if (event.subject === undefined) return false;
  const target = (event.data as { $targetId?: unknown } | null)?.$targetId;
  return graph.scope.allows(event.subject) && (typeof target !== 'string' || graph.scope.allows(target));
}

function send(socket: WebSocket, message: LiveServerMessage): void {
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
}

function subscriptionId(id: unknown): string {
  if (typeof id !== 'string' || id.length === 0 || id.length > 64) {
    throw new ValidationError(
      'IMV_REQUEST_INVALID',
      'A subscription needs an "id" string of 1–64 characters',
      {
        path: '/id',
      },
    );
  }
  return id;
}

function checkFilter(value: unknown): LiveFilter {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ValidationError('IMV_REQUEST_INVALID', 'filter must be an object', { path: '/filter' });
  }
  const filter = value as Record<string, unknown>;
  for (const key of Object.keys(filter)) {
    if (!['twins', 'models', 'subtree', 'types'].includes(key)) {
      throw new ValidationError('IMV_REQUEST_INVALID', `Unknown filter field "${key}"`, {
        path: `/filter/${key}`,
      });
    }
  }
  for (const key of ['twins', 'models', 'types'] as const) {
    const list = filter[key];
    if (list !== undefined && (!Array.isArray(list) || !list.every((item) => typeof item === 'string'))) {
      throw new ValidationError('IMV_REQUEST_INVALID', `filter.${key} must be an array of strings`, {
        path: `/filter/${key}`,
      });
    }
  }
  if (filter.subtree !== undefined && typeof filter.subtree !== 'string') {
    throw new ValidationError('IMV_REQUEST_INVALID', 'filter.subtree must be a twin identifier', {
      path: '/filter/subtree',
    });
  }
  (filter.types as string[] | undefined)?.forEach((type, i) => {
    if (!KNOWN_TYPES.has(type)) {
      throw new ValidationError('IMV_REQUEST_INVALID', `Unknown event type "${type}"`, {
        path: `/filter/types/${i}`,
      });
    }
  });
  return filter as LiveFilter;
}

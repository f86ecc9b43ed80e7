// A resource of c identical units (machines, operators, docks) with a priority queue and its statistics.
import { SimModelError, SimParameterError } from './errors.js';
import { SimEvent } from './SimEvent.js';
import type { Simulation } from './Simulation.js';
import type { Tally, TimeWeighted } from './statistics.js';

export type RequestState = 'queued' | 'granted' | 'released' | 'cancelled';

/** A claim on one unit. It triggers (with itself as value) when the unit is granted. */
export class Request extends SimEvent<Request> {
  state: RequestState = 'queued';
  readonly requestedAt: number;
  grantedAt = NaN;

  constructor(
    sim: Simulation,
    readonly resource: Resource,
    /** Lower is served first; equal priorities are first come, first served. */
    readonly priority: number,
    /** @internal Arrival order, the FIFO tie-break. */
    readonly order: number,
  ) {
    super(sim);
    this.requestedAt = sim.now;
  }
}

function before(a: Request, b: Request): boolean {
  return a.priority < b.priority || (a.priority === b.priority && a.order < b.order);
}

/**
 * Usage, from a process: `const req = machine.request(); yield req; yield work; machine.release(req);`
 * or from callbacks: `machine.request().onTrigger((req) => …)`. Waiting requests form a binary
 * heap by (priority, arrival); a cancelled one is left in the heap and skipped when it surfaces.
 */
export class Resource {
  readonly capacity: number;
  /** Units in use, time-weighted: its mean over capacity is the utilisation. */
  readonly busy: TimeWeighted;
  /** Requests waiting, time-weighted: its mean is Lq. */
  readonly queueLength: TimeWeighted;
  /** Time from request to grant, one observation per grant: its mean is Wq. */
  readonly waits: Tally;
  private readonly heap: Request[] = [];
  private inUse = 0;
  private waiting = 0;
  private arrivals = 0;

  constructor(
    readonly sim: Simulation,
    capacity = 1,
    readonly name = 'resource',
  ) {
    if (!(Number.isInteger(capacity) && capacity >= 1)) {
      throw new SimParameterError('capacity', `${name}: capacity must be an integer >= 1, got ${capacity}`);
    }
    this.capacity = capacity;
    this.busy = sim.timeWeighted(0);
    this.queueLength = sim.timeWeighted(0);
    this.waits = sim.tally();
  }

  /** Units in use now. */
  get users(): number {
    return this.inUse;
  }

  /** Requests waiting now. */
  get queued(): number {
    return this.waiting;
  }

  /** Mean fraction of capacity in use since the last statistics reset. */
  get utilisation(): number {
    return this.busy.mean / this.capacity;
  }

  request(priority = 0): Request {
    if (!Number.isFinite(priority)) {
      throw new SimParameterError(
        'priority',
        `${this.name}: priority must be a finite number, got ${priority}`,
      );
    }
    const request = new Request(this.sim, this, priority, this.arrivals++);
    if (this.inUse < this.capacity && this.waiting === 0) {
      this.grant(request);
    } else {
      this.push(request);
      this.waiting++;
      this.queueLength.set(this.waiting);
    }
    return request;
  }

  /** Gives back a granted unit, or withdraws a request still waiting (after an interrupt, a balk). */
  release(request: Request): void {
    if (request.resource !== this) {
      throw new SimModelError(
        'IMV_SIM_REQUEST_INVALID',
        `${this.name}: the request belongs to ${request.resource.name}`,
      );
    }
    if (request.state === 'granted') {
      request.state = 'released';
      this.inUse--;
      this.busy.set(this.inUse);
      this.serveWaiting();
    } else if (request.state === 'queued') {
      request.state = 'cancelled';
      this.waiting--;
      this.queueLength.set(this.waiting);
    } else {
      throw new SimModelError(
        'IMV_SIM_REQUEST_INVALID',
        `${this.name}: the request was already ${request.state}`,
      );
    }
  }

  private serveWaiting(): void {
    while (this.inUse < this.capacity && this.waiting > 0) {
      const next = this.pop();
      if (next.state !== 'queued') continue;
      this.waiting--;
      this.queueLength.set(this.waiting);
      this.grant(next);
    }
  }

  private grant(request: Request): void {
    request.state = 'granted';
    request.grantedAt = this.sim.now;
    this.inUse++;
    this.busy.set(this.inUse);
    this.waits.add(this.sim.now - request.requestedAt);
    request.succeed(request);
  }

  private push(request: Request): void {
    const heap = this.heap;
    let i = heap.length;
    heap.push(request);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent]!;
      if (!before(request, p)) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = request;
  }

  private pop(): Request {
    const heap = this.heap;
    const top = heap[0]!;
    const last = heap.pop()!;
    const n = heap.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        let child = 2 * i + 1;
        if (child >= n) break;
        if (child + 1 < n && before(heap[child + 1]!, heap[child]!)) child++;
        if (!before(heap[child]!, last)) break;
        heap[i] = heap[child]!;
        i = child;
      }
      heap[i] = last;
    }
    return top;
  }
}

// The policies in force: stored ones compiled with the built-in roles into one Authorizer, which
// every decision uses. A change is checked (valid, within the writer's reach, within bounds),
// stored, compiled anew and announced on the bus (the audit log and open sockets listen).
import { Authorizer } from '../../access/authorizer.js';
import { beyondReach } from '../../access/escalation.js';
import { parsePolicy, type Policy } from '../../access/policy.js';
import type { AccessView } from '../../access/access-view.js';
import { AuthError, ImverseError, NotFoundError } from '../../core/errors.js';
import { makeEvent } from '../../core/events.js';
import { SECURITY_EVENT_TYPES, type SecurityEventData } from '../../core/wire.js';
import type { EventBus } from '../../bus/bus.js';
import type { PolicyStore, StoredPolicy } from './policy-store.js';

export interface PolicyWriter {
  readonly name: string;
  readonly view: AccessView;
  /** Limited to no tenant: may write rules for whole roles. */
  readonly unrestricted: boolean;
  readonly source?: string;
}

export class PolicyService {
  #authorizer: Authorizer;

  constructor(
    private readonly store: PolicyStore,
    private readonly bus: EventBus,
    private readonly maxPolicies = 50_000,
  ) {
    this.#authorizer = new Authorizer(store.all().map((stored) => stored.policy));
  }

  /** The decisions in force now. */
  get authorizer(): Authorizer {
    return this.#authorizer;
  }

  list(): StoredPolicy[] {
    return this.store.all();
  }

  get(id: string): StoredPolicy {
    const stored = this.store.get(id);
    if (stored === undefined) throw new NotFoundError('IMV_POLICY_NOT_FOUND', `No policy ${id}`);
    return stored;
  }

  async put(document: unknown, writer: PolicyWriter): Promise<StoredPolicy> {
    const policy: Policy = parsePolicy(document);
    const previous = this.store.get(policy.id);
    // Replacing a policy takes away its old rules too: those must be within reach as well.
    for (const checked of previous === undefined ? [policy] : [policy, previous.policy]) {
      const beyond = beyondReach(writer.view, writer.unrestricted, checked);
      if (beyond !== undefined) {
        throw new AuthError('IMV_POLICY_BEYOND_REACH', `Policy ${policy.id}: ${beyond}`, {
          path: '/entries',
        });
      }
    }
    if (previous === undefined && this.store.count() >= this.maxPolicies) {
      throw new ImverseError(
        'IMV_POLICY_LIMIT',
        `At most ${this.maxPolicies} policies; delete unused ones first`,
      );
    }
    const stored = this.store.put(policy, writer.name);
    this.#recompile();
    await this.#announce(writer, previous === undefined ? 'policy.create' : 'policy.update', policy.id);
    return stored;
  }

  async delete(id: string, writer: PolicyWriter): Promise<void> {
    const previous = this.get(id);
    const beyond = beyondReach(writer.view, writer.unrestricted, previous.policy);
    if (beyond !== undefined) throw new AuthError('IMV_POLICY_BEYOND_REACH', `Policy ${id}: ${beyond}`);
    this.store.delete(id);
    this.#recompile();
    await this.#announce(writer, 'policy.delete', id);
  }

  close(): void {
    this.store.close();
  }

  #recompile(): void {
    this.#authorizer = new Authorizer(this.store.all().map((stored) => stored.policy));
  }

  async #announce(writer: PolicyWriter, action: string, id: string): Promise<void> {
    await this.bus.publish([
      makeEvent<SecurityEventData>(SECURITY_EVENT_TYPES.policyChanged, {
        actor: writer.name,
        action,
        target: id,
        ...(writer.source === undefined ? {} : { source: writer.source }),
        result: 'ok',
      }),
    ]);
  }
}

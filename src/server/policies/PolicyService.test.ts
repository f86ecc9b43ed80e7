import { describe, expect, it } from 'vitest';
import { MemoryBus } from '../../bus/memory-bus.js';
import { Authorizer } from '../../access/authorizer.js';
import { PolicyService } from './PolicyService.js';
import { PolicyStore } from './policy-store.js';

const admin = {
  name: 'admin',
  view: new Authorizer([]).view({ subjects: ['role:admin'] }),
  unrestricted: true,
};
const share = (id: string) => ({
  id,
  entries: { e: { subjects: [`user:${id}`], resources: { 'twin:/88.100.1/line-1': { grant: ['read'] } } } },
});

describe('PolicyService bounds', () => {
  it('refuses a policy past the limit (IMV_POLICY_LIMIT) but still replaces stored ones', async () => {
    const service = new PolicyService(new PolicyStore(':memory:'), new MemoryBus(), 2);
    await service.put(share('a'), admin);
    await service.put(share('b'), admin);
    await expect(service.put(share('c'), admin)).rejects.toMatchObject({ code: 'IMV_POLICY_LIMIT' });
    expect((await service.put(share('a'), admin)).revision).toBe(2);
    expect(service.list()).toHaveLength(2);
    service.close();
  });

  it('refuses a policy with more entries than one policy may hold, naming the path', async () => {
    const service = new PolicyService(new PolicyStore(':memory:'), new MemoryBus());
    const entries = Object.fromEntries(
      Array.from({ length: 201 }, (_, i) => [`e${i}`, share('x').entries.e]),
    );
    await expect(service.put({ id: 'big', entries }, admin)).rejects.toMatchObject({
      code: 'IMV_POLICY_INVALID',
      path: '/entries',
    });
    expect(service.list()).toEqual([]);
    service.close();
  });
});

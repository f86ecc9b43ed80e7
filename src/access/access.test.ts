import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Authorizer } from './authorizer.js';
import { scopeAllows } from './access-view.js';
import { parsePolicy, type Policy, type Subject } from './policy.js';
import { parseResource } from './resource.js';
import { roleNamed } from './roles.js';

const share = (subject: Subject, resources: Policy['entries'][string]['resources']): Policy => ({
  id: `p-${subject.replace(/[^A-Za-z0-9]/g, '-')}`,
  entries: { shared: { subjects: [subject], resources } },
});

describe('decisions', () => {
  it('lets the most specific rule decide, a field before its twin', () => {
    const authorizer = new Authorizer([
      share('group:acme', {
        'twin:/88.100.1/line-2': { grant: ['read'] },
        'twin:/88.100.1/line-2/secret': { revoke: ['read'] },
        'twin:/88.100.1/line-2/secret/open': { grant: ['read'] },
        'twin:/88.100.1/line-2#costPerHour': { revoke: ['read'] },
      }),
    ]);
    const view = authorizer.view({ subjects: ['user:ann', 'group:acme', 'role:partner'] });
    expect(view.can('read', 'twin', '88.100.1/line-2')).toBe(true);
    expect(view.can('read', 'twin', '88.100.1/line-2/press-07')).toBe(true);
    expect(view.can('read', 'twin', '88.100.1/line-20')).toBe(false);
    expect(view.can('read', 'twin', '88.100.1/line-1')).toBe(false);
    expect(view.can('read', 'twin', '88.100.1/line-2/secret/x')).toBe(false);
    expect(view.can('read', 'twin', '88.100.1/line-2/secret/open/x')).toBe(true);
    expect(view.can('write', 'twin', '88.100.1/line-2')).toBe(false);
    expect(view.can('read', 'twin', '88.100.1/line-2/press-07', 'costPerHour')).toBe(false);
    expect(view.can('read', 'twin', '88.100.1/line-2/press-07', 'temperature')).toBe(true);
    expect(view.can('read', 'model')).toBe(true);
    expect(view.can('read', 'studies')).toBe(false);
  });

  it('lets a revoke beat a grant on the same resource, whichever subject states it', () => {
    const authorizer = new Authorizer([share('user:bob', { 'twin:/88.100.1/vault': { revoke: ['write'] } })]);
    const bob = authorizer.view({ subjects: ['user:bob', 'role:engineer'] });
    expect(bob.can('write', 'twin', '88.100.1/line')).toBe(true);
    expect(bob.can('write', 'twin', '88.100.1/vault/door')).toBe(false);
    expect(bob.can('read', 'twin', '88.100.1/vault/door')).toBe(true);
  });

  it("confines a tenant-limited principal's role grants to its tenants, not what is shared with it", () => {
    const authorizer = new Authorizer([
      share('user:eve', { 'twin:/88.200.2/order-42': { grant: ['read'] } }),
    ]);
    const eve = authorizer.view({ subjects: ['user:eve', 'role:viewer'], tenants: ['88.100.1'] });
    expect(eve.can('read', 'twin', '88.100.1/m1')).toBe(true);
    expect(eve.can('read', 'history', '88.100.1/m1')).toBe(true);
    expect(eve.can('read', 'twin', '88.200.2/m1')).toBe(false);
    expect(eve.can('read', 'twin', '88.200.2/order-42/item-1')).toBe(true);
    const tenantAdmin = authorizer.view({ subjects: ['role:admin'], tenants: ['88.100.1'] });
    expect(tenantAdmin.can('write', 'tokens')).toBe(true);
    expect(tenantAdmin.can('read', 'model')).toBe(true);
    expect(tenantAdmin.can('write', 'model')).toBe(false);
    expect(tenantAdmin.can('read', 'audit')).toBe(false);
    expect(tenantAdmin.can('write', 'policies')).toBe(false);
    const none = authorizer.view({ subjects: ['role:admin'], tenants: [] });
    expect(none.can('read', 'twin', '88.100.1/m1')).toBe(false);
    expect(none.canAny('read', 'twin')).toBe(false);
  });

  it('grants roles what their names promise', () => {
    const authorizer = new Authorizer([]);
    const as = (role: string) => authorizer.view({ subjects: [`role:${role}` as Subject] });
    expect(as('viewer').can('write', 'twin', 'A/b')).toBe(false);
    expect(as('operator').can('execute', 'commands', 'A/b')).toBe(true);
    expect(as('operator').can('write', 'twin', 'A/b')).toBe(false);
    expect(as('engineer').can('write', 'twin', 'A/b')).toBe(true);
    expect(as('engineer').can('write', 'policies')).toBe(false);
    expect(as('admin').can('write', 'policies')).toBe(true);
    expect(as('partner').can('read', 'twin', 'A/b')).toBe(false);
    expect(as('customer').canAny('read', 'twin')).toBe(false);
    expect(roleNamed('reader')).toBe('viewer');
    expect(roleNamed('writer')).toBe('engineer');
    expect(roleNamed('root')).toBeUndefined();
  });
});

describe('scopes for store queries', () => {
  const segment = fc.constantFrom('a', 'b', 'c');
  const subtree = fc
    .tuple(fc.constantFrom('P', 'Q'), fc.array(segment, { maxLength: 3 }))
    .map(([prefix, rest]) => [prefix, ...rest].join('/'));
  const id = fc
    .tuple(fc.constantFrom('P', 'Q'), fc.array(segment, { minLength: 1, maxLength: 4 }))
    .map(([prefix, rest]) => [prefix, ...rest].join('/'));
  const rule = fc.record({
    path: fc.oneof(subtree, fc.constant('')),
    effect: fc.constantFrom('grant', 'revoke'),
    subject: fc.constantFrom<Subject>('user:u', 'group:g'),
  });

  it('say yes exactly where the decision says yes', () => {
    fc.assert(
      fc.property(
        fc.array(rule, { maxLength: 8 }),
        fc.array(id, { minLength: 1, maxLength: 20 }),
        (rules, ids) => {
          const policies = rules.map((r, i) => ({
            id: `p${i}`,
            entries: {
              e: { subjects: [r.subject], resources: { [`twin:/${r.path}`]: { [r.effect]: ['read'] } } },
            },
          }));
          const view = new Authorizer(policies).view({ subjects: ['user:u', 'group:g'] });
          const scope = view.scope('read', 'twin');
          for (const twin of ids) expect(scopeAllows(scope, twin)).toBe(view.can('read', 'twin', twin));
        },
      ),
    );
  });
});

describe('policy documents', () => {
  it('name the first mistake with its path', () => {
    const bad = (document: unknown) => {
      try {
        parsePolicy(document);
      } catch (error) {
        return (error as { code: string; path: string }).path;
      }
      return 'accepted';
    };
    expect(
      bad({
        id: 'p',
        entries: { e: { subjects: ['user:a'], resources: { 'twin:/A/b': { grant: ['read'] } } } },
      }),
    ).toBe('accepted');
    expect(bad({ id: '', entries: {} })).toBe('/id');
    expect(bad({ id: 'p', entries: { e: { subjects: ['root'], resources: {} } } })).toBe(
      '/entries/e/subjects/0',
    );
    expect(
      bad({
        id: 'p',
        entries: { e: { subjects: ['user:a'], resources: { 'twin:/A/b': { grant: ['own'] } } } },
      }),
    ).toBe('/entries/e/resources/twin:~1A~1b/grant');
    expect(bad({ id: 'p', entries: { e: { subjects: ['user:a'], resources: { 'studies:/x': {} } } } })).toBe(
      '/entries/e/resources/studies:~1x',
    );
  });

  it('normalise a subtree the way identifiers are normalised', () => {
    expect(parseResource('twin:/88.100.1a/Line-2#cost')).toEqual({
      kind: 'twin',
      subtree: '88.100.1A/Line-2',
      field: 'cost',
    });
    expect(parseResource('history:/')).toEqual({ kind: 'history' });
    expect(() => parseResource('twin:/A/b c')).toThrow(/whitespace/);
  });
});

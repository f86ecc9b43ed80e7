// A small two-tenant plant for the security property test: twins in a hierarchy, relationships
// (two crossing tenants), history, and a pool of principals — every role, some limited to a tenant,
// partners and customers with what policies share with them, and callers with no valid credential.
// Each principal carries the oracle's view of it (access-oracle.ts), built from the same policy
// documents the platform is given.
import type { OraclePrincipal, OracleRule, Role } from './access-oracle.js';
import { startTestPlatform, TEST_MODELS, type TestPlatform } from './platform.js';

export const A = '88.100.1';
export const B = '88.200.2';

const LINE = 'dtmi:test:Line;1';
const MACHINE = 'dtmi:test:Machine;1';
const PRESS = 'dtmi:test:Press;1';

export interface FixtureTwin {
  readonly id: string;
  readonly model: string;
  /** Identifiers that do not exist are asked for too: "not found" must not tell more than "forbidden". */
  readonly exists: boolean;
}

export interface FixtureRelationship {
  readonly source: string;
  readonly id: string;
  readonly name: string;
  readonly target: string;
  readonly rate?: number;
}

export interface Caller {
  readonly name: string;
  /** The bearer token; null for an anonymous caller. */
  readonly token: string | null;
  readonly oracle: OraclePrincipal;
}

export interface SecurityFixture {
  readonly p: TestPlatform;
  readonly admin: Caller;
  readonly callers: readonly Caller[];
  readonly twins: readonly FixtureTwin[];
  readonly relationships: readonly FixtureRelationship[];
  /** The temperature samples ingested, by twin. */
  readonly telemetry: ReadonlyMap<string, ReadonlyArray<{ time: number; value: number }>>;
}

const twin = (id: string, model: string, exists = true): FixtureTwin => ({ id, model, exists });

export const TWINS: readonly FixtureTwin[] = [
  twin(`${A}/line-1`, LINE),
  twin(`${A}/line-1/m1`, MACHINE),
  twin(`${A}/line-2`, LINE),
  twin(`${A}/line-2/m1`, MACHINE),
  twin(`${A}/line-2/m1/spindle`, PRESS),
  twin(`${A}/line-2/vault`, MACHINE),
  // A sibling whose identifier starts like line-2's: a share of line-2 must not reach it.
  twin(`${A}/line-20`, LINE),
  twin(`${A}/line-20/m1`, MACHINE),
  twin(`${B}/line-1`, LINE),
  twin(`${B}/line-1/m1`, MACHINE),
  twin(`${B}/line-2`, LINE),
  twin(`${B}/line-2/m1`, PRESS),
  twin(`${B}/line-2/vault`, MACHINE),
  twin(`${A}/line-2/ghost`, MACHINE, false),
  twin(`${A}/line-9`, LINE, false),
  twin(`${B}/line-3`, LINE, false),
];

const rel = (
  source: string,
  id: string,
  name: string,
  target: string,
  rate?: number,
): FixtureRelationship => ({
  source,
  id,
  name,
  target,
  ...(rate === undefined ? {} : { rate }),
});

export const RELATIONSHIPS: readonly FixtureRelationship[] = [
  rel(`${A}/line-1`, 'c-m1', 'contains', `${A}/line-1/m1`),
  rel(`${A}/line-2`, 'c-m1', 'contains', `${A}/line-2/m1`),
  rel(`${A}/line-2`, 'c-vault', 'contains', `${A}/line-2/vault`),
  rel(`${A}/line-2`, 'c-spindle', 'contains', `${A}/line-2/m1/spindle`),
  rel(`${A}/line-2/m1`, 'f-spindle', 'feeds', `${A}/line-2/m1/spindle`, 6),
  rel(`${A}/line-20`, 'c-m1', 'contains', `${A}/line-20/m1`),
  rel(`${B}/line-1`, 'c-m1', 'contains', `${B}/line-1/m1`),
  rel(`${B}/line-2`, 'c-m1', 'contains', `${B}/line-2/m1`),
  rel(`${B}/line-2`, 'c-vault', 'contains', `${B}/line-2/vault`),
  rel(`${A}/line-2/m1`, 'f-vault', 'feeds', `${A}/line-2/vault`, 1),
  rel(`${A}/line-1/m1`, 'f-l2', 'feeds', `${A}/line-2/m1`, 2),
  // Across tenants, both ways.
  rel(`${A}/line-2/m1`, 'f-b', 'feeds', `${B}/line-1/m1`, 3),
  rel(`${B}/line-1/m1`, 'f-a', 'feeds', `${A}/line-1/m1`, 4),
  rel(`${B}/line-2/m1`, 'f-vault', 'feeds', `${B}/line-2/vault`, 5),
  rel(`${A}/line-2/m1`, 'at', 'locatedIn', `${A}/line-2`),
];

/**
 * Twin property values set at the start; `speed` is the field a policy hides from some. Its values
 * are found in no identifier or time, so an answer can be searched for them.
 */
export const PROPERTIES: Record<string, Record<string, unknown>> = {
  [`${A}/line-2/m1`]: { name: 'A press line', speed: 5.0625, state: 'running' },
  [`${A}/line-2/vault`]: { name: 'Strongroom A', speed: 99.0625 },
  [`${B}/line-1/m1`]: { name: 'Beta mill', speed: 7.0625 },
  [`${B}/line-2/m1`]: { speed: 8.0625, tonnage: 400 },
  [`${A}/line-1`]: { name: 'Alpha line one' },
};

const HISTORY_TWINS = [
  `${A}/line-1/m1`,
  `${A}/line-2/m1`,
  `${A}/line-2/vault`,
  `${B}/line-1/m1`,
  `${B}/line-2/m1`,
];

interface PolicyDocument {
  entries: Record<
    string,
    { subjects: string[]; resources: Record<string, { grant?: string[]; revoke?: string[] }> }
  >;
}

interface CallerSpec {
  readonly name: string;
  readonly role: Role;
  readonly prefixes?: readonly string[];
}

const SPECS: readonly CallerSpec[] = [
  { name: 'admin of A', role: 'admin', prefixes: [A] },
  { name: 'viewer', role: 'viewer' },
  { name: 'viewer of A', role: 'viewer', prefixes: [A] },
  { name: 'viewer of B', role: 'viewer', prefixes: [B] },
  { name: 'operator', role: 'operator' },
  { name: 'operator of B', role: 'operator', prefixes: [B] },
  { name: 'engineer', role: 'engineer' },
  { name: 'engineer of A', role: 'engineer', prefixes: [A] },
  { name: 'engineer of B', role: 'engineer', prefixes: [B] },
  { name: 'partner 1', role: 'partner' },
  { name: 'partner 2', role: 'partner' },
  { name: 'partner 0', role: 'partner' },
  { name: 'customer 1', role: 'customer' },
  { name: 'customer 0', role: 'customer' },
  { name: 'revoked viewer', role: 'viewer' },
];

/** The policies, with `$name` standing for the key of the token of that name. */
const POLICIES: Record<string, PolicyDocument> = {
  'share-line-2-with-partner-1': {
    entries: {
      share: {
        subjects: ['$partner 1'],
        resources: {
          [`twin:/${A}/line-2`]: { grant: ['read'] },
          [`history:/${A}/line-2`]: { grant: ['read'] },
          [`twin:/${A}/line-2/vault`]: { revoke: ['read'] },
          [`history:/${A}/line-2/vault`]: { revoke: ['read'] },
          [`twin:/${A}/line-2/m1#speed`]: { revoke: ['read'] },
        },
      },
    },
  },
  'partner-2-maintains-B-line-1': {
    entries: {
      maintain: {
        subjects: ['$partner 2'],
        resources: { [`twin:/${B}/line-1`]: { grant: ['read', 'write'] } },
      },
    },
  },
  'customer-1-follows-A-line-1': {
    entries: {
      follow: {
        subjects: ['$customer 1'],
        resources: {
          [`twin:/${A}/line-1`]: { grant: ['read'] },
          [`history:/${A}/line-1`]: { grant: ['read'] },
          [`twin:/${A}/line-1#name`]: { revoke: ['read'] },
        },
      },
    },
  },
  // A share that points into another tenant than the one the viewer is limited to.
  'B-viewer-sees-A-machine': {
    entries: {
      look: { subjects: ['$viewer of B'], resources: { [`twin:/${A}/line-1/m1`]: { grant: ['read'] } } },
    },
  },
  // Revokes inside a role's grant, and a deeper grant inside the revoke.
  'engineer-of-A-keeps-off-line-2': {
    entries: {
      limits: {
        subjects: ['$engineer of A'],
        resources: {
          [`twin:/${A}/line-2`]: { revoke: ['write'] },
          [`twin:/${A}/line-2/m1`]: { grant: ['write'] },
          [`twin:/${A}/line-2/vault`]: { revoke: ['read'] },
        },
      },
    },
  },
  // A rule for a whole role: operators do not see vaults, nor speeds in tenant B.
  'operators-no-vault': {
    entries: {
      operators: {
        subjects: ['role:operator'],
        resources: {
          [`twin:/${A}/line-2/vault`]: { revoke: ['read'] },
          [`twin:/${B}/line-2/vault`]: { revoke: ['read'] },
          [`twin:/${B}#speed`]: { revoke: ['read'] },
        },
      },
    },
  },
};

/** Parses `kind:/path#field` as docs/security.md writes resources. */
function oracleRules(resource: string, grant: readonly string[], revoke: readonly string[]): OracleRule[] {
  const colon = resource.indexOf(':/');
  const kind = resource.slice(0, colon);
  let path = resource.slice(colon + 2);
  let field: string | undefined;
  const hash = path.indexOf('#');
  if (hash >= 0) {
    field = path.slice(hash + 1);
    path = path.slice(0, hash);
  }
  const rule = (action: string, effect: 'grant' | 'revoke'): OracleRule => ({
    kind,
    path,
    action: action as OracleRule['action'],
    effect,
    ...(field === undefined ? {} : { field }),
  });
  return [...grant.map((a) => rule(a, 'grant')), ...revoke.map((a) => rule(a, 'revoke'))];
}

async function expectStatus(res: Response, status: number, what: string): Promise<void> {
  if (res.status !== status) throw new Error(`${what}: ${res.status} ${await res.text()}`);
}

export async function startSecurityFixture(): Promise<SecurityFixture> {
  // Refusal records are coalesced per second, so the test sees the audit log's counts soon.
  const p = await startTestPlatform({ auditRefusalWindowSeconds: 1 });
  await expectStatus(await p.api('/api/v1/models', { method: 'POST', json: TEST_MODELS }), 201, 'models');
  const twins = TWINS.filter((t) => t.exists).map((t) => ({
    $dtId: t.id,
    $metadata: { $model: t.model },
    ...PROPERTIES[t.id],
  }));
  const relationships = RELATIONSHIPS.map((r) => ({
    $relationshipId: r.id,
    $sourceId: r.source,
    $relationshipName: r.name,
    $targetId: r.target,
    ...(r.rate === undefined ? {} : { rate: r.rate }),
  }));
  await expectStatus(
    await p.api('/api/v1/import', { method: 'POST', json: { twins, relationships } }),
    200,
    'import',
  );

  const telemetry = new Map<string, Array<{ time: number; value: number }>>();
  const start = Date.now() - 10 * 60_000;
  const points = HISTORY_TWINS.flatMap((id, i) =>
    [0, 1, 2].map((k) => {
      // Values no identifier or timestamp contains, so an answer can be searched for them.
      const sample = { time: start + k * 60_000, value: 1000 * (i + 1) + k + 0.625 };
      telemetry.set(id, [...(telemetry.get(id) ?? []), sample]);
      return { twin: id, field: 'temperature', time: sample.time, value: sample.value };
    }),
  );
  const ingested = await p.api('/api/v1/ingest', { method: 'POST', json: { points } });
  await expectStatus(ingested, 200, 'ingest');
  const accepted = ((await ingested.json()) as { accepted: number }).accepted;
  if (accepted !== points.length) throw new Error(`ingest accepted ${accepted} of ${points.length}`);

  const made = new Map<string, { id: string; token: string; spec: CallerSpec }>();
  for (const spec of SPECS) {
    const res = await p.api('/api/v1/tokens', {
      method: 'POST',
      json: { name: spec.name, role: spec.role, ...(spec.prefixes ? { prefixes: spec.prefixes } : {}) },
    });
    await expectStatus(res, 201, `token ${spec.name}`);
    const { id, token } = (await res.json()) as { id: string; token: string };
    made.set(spec.name, { id, token, spec });
  }

  const rulesOf = new Map<string, OracleRule[]>([...made.keys()].map((name) => [name, []]));
  for (const [policyId, document] of Object.entries(POLICIES)) {
    const entries = Object.values(document.entries).map((entry) => ({
      ...entry,
      subjects: entry.subjects.map((s) => (s.startsWith('$') ? `key:${made.get(s.slice(1))!.id}` : s)),
    }));
    const res = await p.api(`/api/v1/policies/${policyId}`, {
      method: 'PUT',
      json: { entries: Object.fromEntries(entries.map((entry, i) => [`e${i}`, entry])) },
    });
    await expectStatus(res, 201, `policy ${policyId}`);
    for (const entry of Object.values(document.entries)) {
      const named = entry.subjects.flatMap((subject) =>
        subject.startsWith('$')
          ? [subject.slice(1)]
          : [...made.values()].filter((m) => `role:${m.spec.role}` === subject).map((m) => m.spec.name),
      );
      for (const [resource, { grant = [], revoke = [] }] of Object.entries(entry.resources)) {
        for (const name of named) rulesOf.get(name)!.push(...oracleRules(resource, grant, revoke));
      }
    }
  }

  const revoked = made.get('revoked viewer')!;
  await expectStatus(await p.api(`/api/v1/tokens/${revoked.id}`, { method: 'DELETE' }), 204, 'revoke');

  const callers: Caller[] = [...made.values()].map(({ token, spec }) => ({
    name: spec.name,
    token,
    oracle: {
      name: spec.name,
      authenticated: spec.name !== 'revoked viewer',
      role: spec.role,
      ...(spec.prefixes ? { tenants: spec.prefixes } : {}),
      rules: rulesOf.get(spec.name)!,
    },
  }));
  const admin: Caller = {
    name: 'admin',
    token: p.token,
    oracle: { name: 'admin', authenticated: true, role: 'admin', rules: [] },
  };
  callers.push(
    admin,
    { name: 'anonymous', token: null, oracle: { name: 'anonymous', authenticated: false, rules: [] } },
    {
      name: 'bogus',
      token: 'imv_bogus0000000000000000000000000000000000',
      oracle: { name: 'bogus', authenticated: false, rules: [] },
    },
  );
  return { p, admin, callers, twins: TWINS, relationships: RELATIONSHIPS, telemetry };
}

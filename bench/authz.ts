// Policy decisions per second: 10,000 stored policies over 100,000 twins, asked the way the HTTP edge
// asks (the principal's view from the cache, then one decision on one twin or field).
// `npm run bench -- authz [--policies 10000] [--twins 100000] [--seconds 2]`.
import { Authorizer } from '../src/access/authorizer.js';
import type { Policy, Subject } from '../src/access/policy.js';
import { argValue } from './_stats.js';

const POLICIES = Number(argValue('policies', '10000'));
const TWINS = Number(argValue('twins', '100000'));
const SECONDS = Number(argValue('seconds', '2'));
const TENANTS = 50;
const LINES_PER_TENANT = 20;
const PRINCIPALS = 2_000;

// A deterministic generator, so runs are comparable.
let seed = 42;
const random = () => (seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff) / 0x7fffffff;
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;

const tenant = (t: number) => `88.${100 + t}.1`;
const twins: string[] = [];
for (let i = 0; i < TWINS; i++) {
  const t = i % TENANTS;
  const line = Math.floor(i / TENANTS) % LINES_PER_TENANT;
  twins.push(`${tenant(t).toUpperCase()}/line-${line}/station-${i % 97}/sensor-${i}`);
}

// Each policy shares lines of one tenant with one user, revokes part of one, hides one field.
const policies: Policy[] = [];
for (let p = 0; p < POLICIES; p++) {
  const t = tenant(p % TENANTS);
  const line = Math.floor(random() * LINES_PER_TENANT);
  policies.push({
    id: `share-${p}`,
    entries: {
      partner: {
        subjects: [`user:u${p % PRINCIPALS}`, `group:g${p % 37}`],
        resources: {
          [`twin:/${t}/line-${line}`]: { grant: ['read'] },
          [`twin:/${t}/line-${line}/station-${p % 97}`]: { revoke: ['read'] },
          [`twin:/${t}/line-${line}#costPerHour`]: { revoke: ['read'] },
          [`history:/${t}/line-${line}`]: { grant: ['read'] },
        },
      },
    },
  });
}

let started = performance.now();
const authorizer = new Authorizer(policies);
const compileMs = performance.now() - started;

const roles = ['viewer', 'engineer', 'partner', 'customer', 'operator'];
const principals = Array.from({ length: PRINCIPALS }, (_, i) => ({
  subjects: [`user:u${i}`, `group:g${i % 37}`, `role:${roles[i % roles.length]}`] as Subject[],
  ...(i % 3 === 0 ? { tenants: [tenant(i % TENANTS)] } : {}),
}));
started = performance.now();
for (const principal of principals) authorizer.view(principal);
const viewsMs = performance.now() - started;

// The asks, drawn before the clock starts.
const ASKS = 1 << 16;
const asks = Array.from({ length: ASKS }, () => ({
  principal: pick(principals),
  twin: pick(twins),
  field: random() < 0.25 ? 'costPerHour' : undefined,
}));

let decisions = 0;
let allowed = 0;
const deadline = performance.now() + SECONDS * 1000;
started = performance.now();
while (performance.now() < deadline) {
  for (let i = 0; i < ASKS; i++) {
    const ask = asks[i]!;
    if (authorizer.view(ask.principal).can('read', 'twin', ask.twin, ask.field)) allowed++;
  }
  decisions += ASKS;
}
const perSecond = decisions / ((performance.now() - started) / 1000);

console.log(`policies ${POLICIES}, twins ${TWINS}, principals ${PRINCIPALS}`);
console.log(`compile ${compileMs.toFixed(0)} ms; first views of all principals ${viewsMs.toFixed(0)} ms`);
console.log(`allowed ${((allowed / decisions) * 100).toFixed(1)}% of ${decisions} decisions`);
console.log(`authz: ${(perSecond / 1e6).toFixed(2)} M decisions/s (goal ≥ 1 M/s)`);

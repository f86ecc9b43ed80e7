// The administration page (/admin): people, groups, policies and API tokens. It first asks the server
// what the signed-in person may do with each (GET /api/v1/access) and shows only those sections, their
// forms only where the person may change things; someone who may manage nothing is told so.
import './admin.css';
import type { AccessAnswer } from '../../../src/core/wire-admin.js';
import { AuthRequiredError, signInAgain } from '../api.js';
import { t } from '../i18n/admin-page.js';
import { GroupsSection } from './GroupsSection.js';
import type { AdminHook, SectionAccess } from './hook-shape.js';
import { PeopleSection } from './PeopleSection.js';
import { PoliciesSection } from './PoliciesSection.js';
import { describeFailure } from './problem.js';
import { get } from './requests.js';
import { TokensSection } from './TokensSection.js';

declare global {
  interface Window {
    __imverseAdmin?: Readonly<AdminHook>;
  }
}

type Area = 'users' | 'policies' | 'tokens';
const AREAS: readonly Area[] = ['users', 'policies', 'tokens'];

const hook: AdminHook = { ready: false, users: 0, policies: 0, tokens: 0 };
window.__imverseAdmin = hook;

const $ = <T extends HTMLElement = HTMLElement>(selector: string): T => document.querySelector<T>(selector)!;

async function access(area: Area): Promise<SectionAccess> {
  const answer = await get<AccessAnswer>(`/api/v1/access?resource=${encodeURIComponent(`${area}:/`)}`);
  return { read: answer.read, write: answer.write };
}

async function start(): Promise<void> {
  const [users, policies, tokens] = await Promise.all(AREAS.map(access));
  const may = { users: users!, policies: policies!, tokens: tokens! };
  hook.may = may;
  $('#status').hidden = true;
  const readable = AREAS.filter((area) => may[area].read);
  if (readable.length === 0) {
    $('#denied').hidden = false;
    hook.ready = true;
    return;
  }
  for (const area of AREAS) $(`#denied-${area}`).hidden = may[area].read;

  const loads: Array<Promise<void>> = [];
  const groups = may.users.read ? new GroupsSection($('#groups')) : undefined;
  if (may.users.read) {
    $('#people').hidden = false;
    $('#groups').hidden = false;
    const people = new PeopleSection($('#people'), may.users, (list) => {
      hook.users = list.length;
      groups?.showUsers(list);
    });
    loads.push(people.load());
  }
  if (may.policies.read) {
    $('#policies').hidden = false;
    const section = new PoliciesSection($('#policies'), may.policies, (list) => {
      hook.policies = list.length;
      groups?.showPolicies(list);
    });
    loads.push(section.load());
  }
  if (may.tokens.read) {
    $('#tokens').hidden = false;
    const section = new TokensSection($('#tokens'), may.tokens, (list) => void (hook.tokens = list.length));
    loads.push(section.load());
  }
  await Promise.all(loads);
  hook.ready = true;
}

start().catch((error: unknown) => {
  if (error instanceof AuthRequiredError) {
    signInAgain();
    return;
  }
  hook.error = describeFailure(error);
  const status = $('#status');
  status.textContent = t('error.start', { error: hook.error });
  status.classList.add('error');
});

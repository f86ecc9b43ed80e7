// Resolves parsed Interfaces against each other and the registered models: extends (depth, count,
// cycles), inherited contents and their name clashes, Components, and the whole-hierarchy limits.
import type { Issue } from '../../core/errors.js';
import type { ComponentInfo, ContentInfo, ModelInfo } from '../types.js';
import { LIMITS } from './limits.js';
import type { ParsedInterface } from './parse-interface.js';

/** What the resolver needs to know about an already registered model. */
export interface KnownModel {
  readonly info: ModelInfo;
  readonly elementCount: number;
}

export function buildModels(
  parsed: readonly ParsedInterface[],
  known: (id: string) => KnownModel | undefined,
  issues: Issue[],
): Map<string, KnownModel> {
  const byId = new Map(parsed.map((p) => [p.id, p]));
  const built = new Map<string, KnownModel>();
  const failed = new Set<string>();
  const issue = (p: ParsedInterface, path: string, rule: string, message: string): void => {
    issues.push(p.file === undefined ? { path, rule, message } : { file: p.file, path, rule, message });
  };

  const lookup = (id: string): KnownModel | ParsedInterface | undefined => byId.get(id) ?? known(id);
  const isParsed = (x: KnownModel | ParsedInterface): x is ParsedInterface => 'contents' in x;

  function build(p: ParsedInterface, stack: string[]): KnownModel | undefined {
    const done = built.get(p.id);
    if (done !== undefined) return done;
    if (failed.has(p.id)) return undefined;
    if (stack.includes(p.id)) {
      issue(
        p,
        p.path,
        'extends-cycle',
        `Interface "${p.id}" extends or contains itself (${[...stack.slice(stack.indexOf(p.id)), p.id].join(' → ')})`,
      );
      failed.add(p.id);
      return undefined;
    }
    const lim = LIMITS[p.version];
    const here = [...stack, p.id];
    const bases: KnownModel[] = [];
    let ok = true;
    for (const ref of p.extendsRefs) {
      const target = lookup(ref.id);
      if (target === undefined) {
        issue(
          p,
          ref.path,
          'extends-unresolved',
          `base Interface "${ref.id}" is neither in this upload nor registered; upload it first or in the same batch`,
        );
        ok = false;
        continue;
      }
      const base = isParsed(target) ? build(target, here) : target;
      if (base === undefined) ok = false;
      else bases.push(base);
    }
    const components: ComponentInfo[] = p.contents.filter((c): c is ComponentInfo => c.kind === 'Component');
    for (const c of components) {
      const target = lookup(c.schema);
      const at = `${p.contentPaths.get(c.name) ?? p.path}/schema`;
      if (target === undefined) {
        issue(
          p,
          at,
          'component-unresolved',
          `Component schema "${c.schema}" is neither in this upload nor registered; upload it first or in the same batch`,
        );
        ok = false;
        continue;
      }
      const model = isParsed(target) ? build(target, here) : target;
      if (model === undefined) {
        ok = false;
        continue;
      }
      if (model.info.components.size > 0) {
        issue(
          p,
          at,
          'component-nested',
          `Component "${c.name}" uses Interface "${c.schema}", which itself has Components; DTDL does not allow a Component inside a Component`,
        );
        ok = false;
      }
    }
    if (!ok) {
      failed.add(p.id);
      return undefined;
    }

    // Hierarchy limits: depth of extends paths and (v3) the total of extends values.
    const depth = 1 + Math.max(0, ...bases.map((b) => extendsDepth(b.info, known, byId, built)));
    if (p.extendsRefs.length > 0 && depth > lim.extendsDepth) {
      issue(
        p,
        `${p.path}/extends`,
        'extends-depth',
        `the extends hierarchy of "${p.id}" is ${depth} levels deep; at most ${lim.extendsDepth} are allowed`,
      );
    }
    const ancestors: string[] = [];
    for (const b of bases)
      for (const a of [b.info.id, ...b.info.ancestors]) if (!ancestors.includes(a)) ancestors.push(a);
    const extendsTotal =
      p.extendsRefs.length +
      ancestors.reduce(
        (n, a) => n + (built.get(a)?.info.extends.length ?? known(a)?.info.extends.length ?? 0),
        0,
      );
    if (extendsTotal > lim.extendsTotal)
      issue(
        p,
        `${p.path}/extends`,
        'extends-total',
        `the extends hierarchy of "${p.id}" has ${extendsTotal} values; at most ${lim.extendsTotal} are allowed`,
      );

    // Effective contents: own plus inherited; a name may appear once (the same inherited element twice is fine).
    const effective = new Map<string, ContentInfo>();
    for (const b of bases) {
      for (const c of allContents(b.info)) {
        const prior = effective.get(c.name);
        if (prior !== undefined && prior !== c) {
          issue(
            p,
            `${p.path}/extends`,
            'name-unique-inherited',
            `content name "${c.name}" is inherited from both "${prior.definedIn}" and "${c.definedIn}"`,
          );
        }
        effective.set(c.name, c);
      }
    }
    for (const c of p.contents) {
      const prior = effective.get(c.name);
      if (prior !== undefined)
        issue(
          p,
          p.contentPaths.get(c.name) ?? p.path,
          'name-unique-inherited',
          `content name "${c.name}" is already defined by base Interface "${prior.definedIn}"`,
        );
      effective.set(c.name, c);
    }
    if (effective.size > lim.contents)
      issue(
        p,
        `${p.path}/contents`,
        'contents-max',
        `"${p.id}" has ${effective.size} contents including inherited ones; DTDL v${p.version} allows at most ${lim.contents}`,
      );
    const elementCount =
      p.elementCount +
      ancestors.reduce((n, a) => n + (built.get(a)?.elementCount ?? known(a)?.elementCount ?? 0), 0);
    if (elementCount > lim.elements)
      issue(
        p,
        `${p.path}/contents`,
        'elements-max',
        `"${p.id}" has ${elementCount} elements in its contents hierarchy; at most ${lim.elements} are allowed`,
      );

    const info: ModelInfo = {
      id: p.id,
      dtdlVersion: p.version,
      ...(p.descriptive.displayName !== undefined ? { displayName: p.descriptive.displayName } : {}),
      ...(p.descriptive.description !== undefined ? { description: p.descriptive.description } : {}),
      ...(p.descriptive.comment !== undefined ? { comment: p.descriptive.comment } : {}),
      extends: p.extendsRefs.map((r) => r.id),
      ancestors,
      properties: pick(effective, 'Property'),
      telemetry: pick(effective, 'Telemetry'),
      commands: pick(effective, 'Command'),
      relationships: pick(effective, 'Relationship'),
      components: pick(effective, 'Component'),
      extensions: p.extensions,
      ...(p.file !== undefined ? { source: p.file } : {}),
      document: p.document,
    };
    const model = { info, elementCount };
    built.set(p.id, model);
    return model;
  }

  for (const p of parsed) build(p, []);
  return built;
}

function allContents(info: ModelInfo): ContentInfo[] {
  return [
    ...info.properties.values(),
    ...info.telemetry.values(),
    ...info.commands.values(),
    ...info.relationships.values(),
    ...info.components.values(),
  ];
}

function pick<K extends ContentInfo['kind']>(
  all: Map<string, ContentInfo>,
  kind: K,
): Map<string, Extract<ContentInfo, { kind: K }>> {
  const out = new Map<string, Extract<ContentInfo, { kind: K }>>();
  for (const [name, c] of all) if (c.kind === kind) out.set(name, c as Extract<ContentInfo, { kind: K }>);
  return out;
}

/** Longest chain of extends below `info` (0 when it extends nothing). */
function extendsDepth(
  info: ModelInfo,
  known: (id: string) => KnownModel | undefined,
  parsed: Map<string, ParsedInterface>,
  built: Map<string, KnownModel>,
): number {
  const seen = new Map<string, number>();
  const walk = (id: string, guard: number): number => {
    const cached = seen.get(id);
    if (cached !== undefined) return cached;
    if (guard > 64) return guard;
    const m = built.get(id)?.info ?? known(id)?.info;
    const bases = m?.extends ?? parsed.get(id)?.extendsRefs.map((r) => r.id) ?? [];
    const d = bases.length === 0 ? 0 : 1 + Math.max(...bases.map((b) => walk(b, guard + 1)));
    seen.set(id, d);
    return d;
  };
  return walk(info.id, 0);
}

// Checks a bulk import as a whole before anything is written: identifiers, tenants, models,
// property values, relationship names, targets and multiplicities. Reports up to 100 issues at once.
import { ValidationError, type Issue } from '../core/errors.js';
import { identifierProblem, normalizeIdentifier } from '../core/id.js';
import type { ModelRegistry } from '../model/registry.js';
import { validateRelationshipProperties, validateTwinContent } from '../model/validate-value.js';
import { relationshipIdProblem } from './relationship-id.js';
import type { NewRelationship, TwinDraft } from './store.js';
import type { TenantScope } from './TenantScope.js';

export interface ImportInput {
  readonly twins: ReadonlyArray<{ id: string; model: string; properties: Record<string, unknown> }>;
  readonly relationships: ReadonlyArray<NewRelationship>;
}

export interface ImportContext {
  readonly models: ModelRegistry;
  readonly scope: TenantScope;
  /** The lastUpdateTime of every imported field. */
  readonly time: string;
  /** The model of a twin already stored, for relationships from or to it. */
  storedModelOf(id: string): Promise<string | undefined>;
  /** How many `name` relationships a stored twin already has (up to max + 1). */
  countOutgoing(source: string, name: string, max: number): Promise<number>;
}

const MAX_ISSUES = 100;

/** Validates the batch and returns what to store; throws IMV_IMPORT_INVALID listing the issues. */
export async function checkImport(
  input: ImportInput,
  ctx: ImportContext,
): Promise<{ drafts: TwinDraft[]; relationships: NewRelationship[] }> {
  const { time } = ctx;
  const issues: Issue[] = [];
  /** Model of each twin the batch creates or refers to, by normalised identifier. */
  const modelOf = new Map<string, string>();
  const storedModel = async (id: string): Promise<string | undefined> => {
    const model = await ctx.storedModelOf(id);
    if (model !== undefined) modelOf.set(id, model);
    return model;
  };
  const canonical = new Map<string, string>();
  const normal = (id: string, path: string): string | undefined => {
    const known = canonical.get(id);
    if (known !== undefined) return known;
    const problem = identifierProblem(id);
    if (problem !== undefined) {
      issues.push({ path, message: `Malformed identifier "${id}": ${problem}`, rule: 'IMV_ID_MALFORMED' });
      return undefined;
    }
    const normalized = normalizeIdentifier(id);
    if (!ctx.scope.allows(normalized)) {
      issues.push({
        path,
        message: `${normalized} is outside the prefixes this token may use`,
        rule: 'IMV_AUTH_FORBIDDEN',
      });
      return undefined;
    }
    canonical.set(id, normalized);
    return normalized;
  };

  const drafts: TwinDraft[] = [];
  for (let index = 0; index < input.twins.length && issues.length < MAX_ISSUES; index++) {
    const seed = input.twins[index]!;
    const at = `/twins/${index}`;
    const id = normal(seed.id, `${at}/id`);
    if (id === undefined) continue;
    if (!ctx.models.has(seed.model)) {
      issues.push({
        path: `${at}/model`,
        message: `Model ${seed.model} is not known`,
        rule: 'IMV_MODEL_UNKNOWN',
      });
      continue;
    }
    for (const issue of validateTwinContent(ctx.models, seed.model, seed.properties)) {
      issues.push({ ...issue, path: `${at}/properties${issue.path}` });
    }
    modelOf.set(id, seed.model);
    const metadata: TwinDraft['$metadata'] = { $model: seed.model, $lastUpdateTime: time };
    for (const field in seed.properties) metadata[field] = { lastUpdateTime: time };
    drafts.push({ $dtId: id, $metadata: metadata, ...seed.properties });
  }

  const relationships: NewRelationship[] = [];
  const drafted = new Set(modelOf.keys());
  /** Relationships per source and name, for maxMultiplicity. */
  const outgoing = new Map<string, number>();
  for (let index = 0; index < input.relationships.length && issues.length < MAX_ISSUES; index++) {
    const given = input.relationships[index]!;
    const at = `/relationships/${index}`;
    const source = normal(given.source, `${at}/source`);
    const target = normal(given.target, `${at}/target`);
    if (source === undefined || target === undefined) continue;
    const rel: NewRelationship = { ...given, source, target };
    relationships.push(rel);
    const idProblem = relationshipIdProblem(rel.id);
    if (idProblem !== undefined) {
      issues.push({ path: `${at}/id`, message: idProblem, rule: 'IMV_ID_MALFORMED' });
      continue;
    }
    const sourceModel = modelOf.get(source) ?? (await storedModel(source));
    const targetModel = modelOf.get(target) ?? (await storedModel(target));
    if (sourceModel === undefined || targetModel === undefined) {
      const missing = sourceModel === undefined ? source : target;
      issues.push({
        path: `${at}/${sourceModel === undefined ? 'source' : 'target'}`,
        message: `Twin ${missing} is neither in the batch nor stored`,
        rule: 'IMV_RELATIONSHIP_TARGET_MISSING',
      });
      continue;
    }
    const declared = ctx.models.get(sourceModel)?.relationships.get(rel.name);
    if (declared === undefined) {
      issues.push({
        path: `${at}/name`,
        message: `Model ${sourceModel} declares no relationship "${rel.name}"`,
        rule: 'IMV_RELATIONSHIP_INVALID',
      });
      continue;
    }
    if (declared.maxMultiplicity !== undefined) {
      const key = `${source}\n${rel.name}`;
      const count =
        (outgoing.get(key) ??
          (drafted.has(source) ? 0 : await ctx.countOutgoing(source, rel.name, declared.maxMultiplicity))) +
        1;
      outgoing.set(key, count);
      if (count > declared.maxMultiplicity) {
        issues.push({
          path: `${at}/name`,
          message: `Twin ${source} may have at most ${declared.maxMultiplicity} "${rel.name}" relationship(s)`,
          rule: 'IMV_RELATIONSHIP_INVALID',
        });
      }
    }
    if (declared.target !== undefined && !ctx.models.isOfModel(targetModel, declared.target)) {
      issues.push({
        path: `${at}/target`,
        message: `"${rel.name}" must target a ${declared.target}; ${target} is a ${targetModel}`,
        rule: 'IMV_RELATIONSHIP_INVALID',
      });
    }
    for (const issue of validateRelationshipProperties(declared, rel.properties)) {
      issues.push({ ...issue, path: `${at}/properties${issue.path}` });
    }
  }
  if (issues.length > 0) {
    throw new ValidationError(
      'IMV_IMPORT_INVALID',
      `The plant has ${issues.length}${issues.length >= MAX_ISSUES ? '+' : ''} problem(s); first: ${issues[0]!.path}: ${issues[0]!.message}`,
      { issues },
    );
  }
  return { drafts, relationships };
}

// The plant definition file (docs/plant-format.md): a whole plant — twins, their organisational
// tree and their relationships — written by hand in YAML (or JSON) for bulk import.
// This checks the file's shape and its references; model conformance is the importer's job.
import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  Scalar,
  type Document,
  type Node,
} from 'yaml';
import { ValidationError, type Issue } from '../core/errors.js';
import { identifierProblem, joinIdentifier } from '../core/id.js';
import { stripBom } from '../core/user-text.js';
import { yamlNestingProblem } from '../core/nesting.js';
import { modelIdForShortName } from '../model/ontology/names.js';
import { relationshipIdProblem } from './relationship-id.js';
import { isDtmi } from '../model/dtmi.js';

export interface TwinSeed {
  id: string;
  model: string;
  properties: Record<string, unknown>;
}

export interface RelationshipSeed {
  id: string;
  source: string;
  name: string;
  target: string;
  properties: Record<string, unknown>;
}

/** The `simulation:` section as written, for the simulation compiler (src/sim/factory) to check. */
export interface PlantSimulationSection {
  value: unknown;
  /** Line and column (1-based) of the value at a JSON Pointer relative to the section, e.g. `/stations/line-1~1st-01/mtbf`. */
  locate(path: string): { line: number; col: number } | undefined;
}

export interface PlantDefinition {
  prefix: string;
  models: Array<{ source: string; content: unknown }>;
  twins: TwinSeed[];
  relationships: RelationshipSeed[];
  /** Present when the file has a `simulation:` section; its shape is checked only by the simulation compiler. */
  simulation?: PlantSimulationSection;
}

export const PLANT_FORMAT = 'plant/v1';

/** The DTMI a model document of the file's `models` section declares, when it declares one. */
export function declaredModelId(document: { content: unknown }): string | undefined {
  const id = (document.content as { '@id'?: unknown } | null)?.['@id'];
  return typeof id === 'string' ? id : undefined;
}

/** The keys a plant file may have at its top level (docs/plant-format.md lists each). */
export const TOP_KEYS = ['imverse', 'prefix', 'models', 'twins', 'relationships', 'simulation'] as const;
/** Relationships that can be written by nesting the target twins under the source twin. */
export const NESTING_RELATIONSHIPS = ['contains', 'hosts'] as const;
const TWIN_KEYS = ['id', 'model', 'properties', ...NESTING_RELATIONSHIPS, 'relationships'];
const INLINE_RELATIONSHIP_KEYS = ['name', 'to', 'id', 'properties'];
const RELATIONSHIP_KEYS = ['from', ...INLINE_RELATIONSHIP_KEYS];
/** DTDL content names: what a relationship name must look like. */
const DTDL_NAME = /^[A-Za-z](?:[A-Za-z0-9_]*[A-Za-z0-9])?$/;
const SHORT_MODEL_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
const MAX_NESTING = 64;
const MAX_ISSUES = 100;
const MAX_ALIASES = 100;
const MAX_ALIAS_RESOLUTIONS = 10_000;
const MAX_VALUE_DEPTH = 64;
/**
 * YAML nesting read at all: room for MAX_NESTING twins in flow style (`{ contains: [ … ] }`, two levels
 * each) and a value, far below the depth at which the YAML parser's stack gives out (about 800).
 */
const MAX_YAML_NESTING = 4 * MAX_NESTING;

interface Position {
  line: number;
  col: number;
}

interface RelationshipDraft {
  from: string;
  fromNode: Node;
  fromPath: string;
  name: string;
  to: string;
  toNode: Node;
  toPath: string;
  id: string | undefined;
  idPath: string;
  node: Node;
  properties: Record<string, unknown>;
}

/** Parses and checks a plant definition; throws ValidationError IMV_IMPORT_INVALID listing every problem. */
export function parsePlant(text: string, file: string): PlantDefinition {
  return new PlantParser(text, file).parse();
}

class PlantParser {
  private readonly lines = new LineCounter();
  private readonly issues: Issue[] = [];
  private doc!: Document;
  private prefix: string | undefined;
  private prefixOk = false;
  private readonly models: PlantDefinition['models'] = [];
  private readonly twins: TwinSeed[] = [];
  /** Twin suffix as written → where it was declared. */
  private readonly declared = new Map<string, { node: Node; path: string }>();
  private readonly drafts: RelationshipDraft[] = [];
  /** Twin ids already reported as malformed: references to them are not reported again. */
  private readonly reported = new Set<string>();
  /** Collections being walked, to stop on an alias that points back at an ancestor. */
  private readonly active = new Set<unknown>();
  private aliasBudget = MAX_ALIAS_RESOLUTIONS;
  private simulation: PlantSimulationSection | undefined;

  constructor(
    private readonly text: string,
    private readonly file: string,
  ) {}

  parse(): PlantDefinition {
    if (typeof this.text !== 'string') {
      this.fail('', undefined, 'the plant definition must be text');
    } else if (this.readDocument()) {
      this.readTop();
    }
    const relationships = this.resolveRelationships();
    this.throwIfIssues();
    const plant: PlantDefinition = {
      prefix: this.prefix!,
      models: this.models,
      twins: this.twins,
      relationships,
    };
    if (this.simulation !== undefined) plant.simulation = this.simulation;
    return plant;
  }

  // ---- reading ----

  private readDocument(): boolean {
    // Deep nesting exhausts the YAML parser's stack (and can abort the process): refused unread.
    const deep = yamlNestingProblem(this.text, MAX_YAML_NESTING);
    if (deep !== undefined) {
      this.fail('', undefined, `cannot be read: the text ${deep}`, 'yaml');
      return false;
    }
    try {
      this.doc = parseDocument(stripBom(this.text), {
        lineCounter: this.lines,
        prettyErrors: true,
        uniqueKeys: true,
      });
    } catch (error) {
      // The parser itself can give up on pathological input (e.g. nesting deeper than the stack).
      this.fail(
        '',
        undefined,
        `cannot be read as YAML: ${error instanceof Error ? error.message : String(error)}`,
        'yaml',
      );
      return false;
    }
    for (const error of this.doc.errors) {
      const pos = error.linePos?.[0];
      const message = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
      this.issues.push({
        file: this.file,
        path: '',
        message: `${this.file}${pos ? `:${pos.line}:${pos.col}` : ''}: YAML syntax error: ${message}`,
        rule: 'yaml',
      });
    }
    return this.doc.errors.length === 0;
  }

  private readTop(): void {
    const root = this.resolve(this.doc.contents);
    if (!isMap(root)) {
      this.fail(
        '',
        root,
        'a plant definition is a mapping with the keys imverse, prefix, twins (and optionally models, relationships)',
      );
      return;
    }
    const top = this.mapping(root, '', TOP_KEYS);

    const format = top.get('imverse');
    if (format === undefined)
      this.fail('/imverse', root, `"imverse: ${PLANT_FORMAT}" is missing (it names the file format)`);
    else if (this.scalar(format) !== PLANT_FORMAT) {
      this.fail(
        '/imverse',
        format,
        `unsupported format ${JSON.stringify(this.scalar(format))}; this version reads "${PLANT_FORMAT}"`,
      );
    }

    const prefixNode = top.get('prefix');
    if (prefixNode === undefined)
      this.fail(
        '/prefix',
        root,
        'prefix is missing (the identifier prefix of the enterprise, e.g. 88.100.1)',
      );
    else {
      const prefix = this.string(prefixNode, '/prefix', 'prefix');
      if (prefix !== undefined) {
        const problem = identifierProblem(`${prefix}/x`);
        if (problem !== undefined || prefix.includes('/')) {
          this.fail(
            '/prefix',
            prefixNode,
            `prefix "${prefix}" is not a valid identifier prefix (dot-separated segments of letters, digits, "-" or "_", e.g. 88.100.1)`,
            'identifier',
          );
        } else {
          this.prefix = prefix;
          this.prefixOk = true;
        }
      }
    }

    const models = top.get('models');
    if (models !== undefined) this.readModels(models);

    const twins = top.get('twins');
    if (twins === undefined) this.fail('/twins', root, 'twins is missing (the list of twins to create)');
    else {
      const list = this.sequence(twins, '/twins', 'twins');
      list?.forEach((item, i) => this.readTwin(item, `/twins/${i}`, undefined, 0));
    }

    const relationships = top.get('relationships');
    if (relationships !== undefined) {
      const list = this.sequence(relationships, '/relationships', 'relationships');
      list?.forEach((item, i) => this.readRelationship(item, `/relationships/${i}`, undefined, false));
    }

    const simulation = top.get('simulation');
    if (simulation !== undefined) this.readSimulation(simulation);
  }

  private readSimulation(node: Node): void {
    const section = this.resolve(node);
    if (section === undefined) return;
    const value = this.value(section, '/simulation');
    if (value === undefined) return;
    this.simulation = { value, locate: (path) => this.locateIn(section, path) };
  }

  private locateIn(start: Node, path: string): Position | undefined {
    const offset = this.nodeAt(start, path)?.range?.[0];
    return offset === undefined ? undefined : this.lines.linePos(offset);
  }

  /** Follows a JSON Pointer through the YAML nodes; undefined when some token names nothing. */
  private nodeAt(start: Node, path: string): Node | undefined {
    let node: Node | undefined = start;
    const tokens = path === '' ? [] : path.slice(1).split('/');
    for (const raw of tokens) {
      const token = raw.replaceAll('~1', '/').replaceAll('~0', '~');
      node = this.resolve(node);
      if (isMap(node)) {
        const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === token);
        node = pair === undefined ? undefined : (((pair.value ?? pair.key) as Node | null) ?? undefined);
      } else if (isSeq(node) && /^(0|[1-9][0-9]*)$/.test(token)) {
        node = (node.items[Number(token)] as Node | undefined) ?? undefined;
      } else {
        node = undefined;
      }
      if (node === undefined) return undefined;
    }
    return node;
  }

  private readModels(node: Node): void {
    const list = this.sequence(node, '/models', 'models');
    list?.forEach((raw, i) => {
      const path = `/models/${i}`;
      const item = this.resolve(raw);
      if (!isMap(item) && !isSeq(item)) {
        this.fail(
          path,
          item,
          'each model is a DTDL document: a JSON object (an Interface) or an array of them',
        );
        return;
      }
      const content = this.value(item, path);
      if (content !== undefined) this.models.push({ source: `${this.file}#${path}`, content });
    });
  }

  private readTwin(
    raw: unknown,
    path: string,
    parent: { suffix: string; node: Node; relationship: string } | undefined,
    depth: number,
  ): void {
    if (this.aliasBudget <= 0) return;
    const node = this.resolve(raw);
    if (!isMap(node)) {
      this.fail(path, node, 'each twin is a mapping with at least id and model');
      return;
    }
    if (this.active.has(node)) {
      this.fail(path, node, 'this alias refers to a twin that contains it');
      return;
    }
    this.active.add(node);
    try {
      const fields = this.mapping(node, path, TWIN_KEYS);
      const suffix = this.readTwinId(fields.get('id'), node, path);
      const model = this.readModel(fields.get('model'), node, path);
      const properties = this.readProperties(fields.get('properties'), `${path}/properties`);

      if (suffix !== undefined && model !== undefined && properties !== undefined && this.prefixOk) {
        this.twins.push({ id: joinIdentifier(this.prefix!, suffix), model, properties });
      }
      if (suffix !== undefined && parent !== undefined) {
        this.drafts.push({
          from: parent.suffix,
          fromNode: parent.node,
          fromPath: path,
          name: parent.relationship,
          to: suffix,
          toNode: fields.get('id')!,
          toPath: `${path}/id`,
          id: undefined,
          idPath: `${path}/id`,
          node,
          properties: {},
        });
      }

      const inline = fields.get('relationships');
      if (inline !== undefined) {
        const list = this.sequence(inline, `${path}/relationships`, 'relationships');
        list?.forEach((item, i) =>
          this.readRelationship(
            item,
            `${path}/relationships/${i}`,
            suffix === undefined ? undefined : { suffix, node: fields.get('id')! },
            true,
          ),
        );
      }

      for (const relationship of NESTING_RELATIONSHIPS) {
        const children = fields.get(relationship);
        if (children === undefined) continue;
        const list = this.sequence(children, `${path}/${relationship}`, relationship);
        if (list !== undefined && depth >= MAX_NESTING) {
          this.fail(
            `${path}/${relationship}`,
            children,
            `twins are nested deeper than ${MAX_NESTING} levels`,
          );
          continue;
        }
        const self = suffix === undefined ? undefined : { suffix, node: fields.get('id')!, relationship };
        list?.forEach((child, i) => this.readTwin(child, `${path}/${relationship}/${i}`, self, depth + 1));
      }
    } finally {
      this.active.delete(node);
    }
  }

  private readTwinId(node: Node | undefined, entry: Node, path: string): string | undefined {
    if (node === undefined) {
      this.fail(`${path}/id`, entry, 'twin has no id');
      return undefined;
    }
    const suffix = this.string(node, `${path}/id`, 'id');
    if (suffix === undefined) return undefined;
    if (!this.suffixOk(suffix, node, `${path}/id`)) {
      this.reported.add(suffix);
      return undefined;
    }
    const first = this.declared.get(suffix);
    if (first !== undefined) {
      this.fail(
        `${path}/id`,
        node,
        `twin id "${suffix}" is already used at ${this.where(first.node)} (${first.path})`,
        'unique-id',
      );
      return undefined;
    }
    this.declared.set(suffix, { node, path: `${path}/id` });
    return suffix;
  }

  private suffixOk(suffix: string, node: Node, path: string): boolean {
    if (this.prefix !== undefined && suffix.toUpperCase().startsWith(`${this.prefix.toUpperCase()}/`)) {
      this.fail(
        path,
        node,
        `"${suffix}" repeats the prefix: write only the part after "${this.prefix}/"`,
        'identifier',
      );
      return false;
    }
    const problem = identifierProblem(`${this.prefixOk ? this.prefix! : 'X'}/${suffix}`);
    if (problem !== undefined) {
      this.fail(path, node, `"${suffix}" is not a valid identifier suffix: ${problem}`, 'identifier');
      return false;
    }
    return true;
  }

  private readModel(node: Node | undefined, entry: Node, path: string): string | undefined {
    if (node === undefined) {
      this.fail(`${path}/model`, entry, 'twin has no model (a short name such as Station, or a full DTMI)');
      return undefined;
    }
    const model = this.string(node, `${path}/model`, 'model');
    if (model === undefined) return undefined;
    if (SHORT_MODEL_NAME.test(model)) return modelIdForShortName(model);
    if (isDtmi(model)) return model;
    this.fail(
      `${path}/model`,
      node,
      `model "${model}" is neither a short name of the built-in ontology (e.g. Station) nor a DTMI (e.g. dtmi:acme:Press;1)`,
      'model-id',
    );
    return undefined;
  }

  private readProperties(node: Node | undefined, path: string): Record<string, unknown> | undefined {
    if (node === undefined) return {};
    const map = this.resolve(node);
    if (isScalar(map) && map.value === null) return {};
    if (!isMap(map)) {
      this.fail(path, node, 'properties is a mapping of property name to value');
      return undefined;
    }
    let ok = true;
    for (const pair of map.items) {
      const key = isScalar(pair.key) ? pair.key.value : undefined;
      if (typeof key !== 'string' || key.length === 0) {
        this.fail(path, (pair.key as Node | null) ?? map, 'property names are non-empty strings');
        ok = false;
      } else if (key.startsWith('$')) {
        this.fail(
          `${path}/${pointer(key)}`,
          pair.key as Node,
          `"${key}": names starting with "$" are reserved for system fields`,
        );
        ok = false;
      }
    }
    if (!ok) return undefined;
    const value = this.value(map, path);
    return value === undefined ? undefined : (value as Record<string, unknown>);
  }

  private readRelationship(
    raw: unknown,
    path: string,
    source: { suffix: string; node: Node } | undefined,
    inline: boolean,
  ): void {
    if (this.aliasBudget <= 0) return;
    const node = this.resolve(raw);
    if (!isMap(node)) {
      this.fail(
        path,
        node,
        inline
          ? 'each relationship is a mapping { name, to }'
          : 'each relationship is a mapping { from, name, to }',
      );
      return;
    }
    const fields = this.mapping(node, path, inline ? INLINE_RELATIONSHIP_KEYS : RELATIONSHIP_KEYS);
    const need = (key: string): Node | undefined => {
      const value = fields.get(key);
      if (value === undefined) this.fail(`${path}/${key}`, node, `relationship has no ${key}`);
      return value;
    };

    let from: string | undefined = source?.suffix;
    let fromNode: Node | undefined = source?.node;
    let fromPath = path;
    if (!inline) {
      fromNode = need('from');
      fromPath = `${path}/from`;
      from = fromNode === undefined ? undefined : this.string(fromNode, fromPath, 'from');
    }
    const nameNode = need('name');
    let name = nameNode === undefined ? undefined : this.string(nameNode, `${path}/name`, 'name');
    if (name !== undefined && !DTDL_NAME.test(name)) {
      this.fail(
        `${path}/name`,
        nameNode,
        `relationship name "${name}" must start with a letter and contain only letters, digits and "_"`,
        'dtdl-name',
      );
      name = undefined;
    }
    const toNode = need('to');
    const to = toNode === undefined ? undefined : this.string(toNode, `${path}/to`, 'to');
    const idNode = fields.get('id');
    let id = idNode === undefined ? undefined : this.string(idNode, `${path}/id`, 'id');
    if (id !== undefined && relationshipIdProblem(id) !== undefined) {
      this.fail(
        `${path}/id`,
        idNode,
        `relationship id "${id}" must be 1–128 letters, digits or . _ : ~ - @ +`,
        'relationship-id',
      );
      id = undefined;
    }
    const properties = this.readProperties(fields.get('properties'), `${path}/properties`);

    if (inline && source === undefined) return; // the twin's own id is already reported
    if (from === undefined || name === undefined || to === undefined || properties === undefined) return;
    if (idNode !== undefined && id === undefined) return;
    this.drafts.push({
      from,
      fromNode: fromNode!,
      fromPath,
      name,
      to,
      toNode: toNode!,
      toPath: `${path}/to`,
      id,
      idPath: `${path}/id`,
      node,
      properties,
    });
  }

  // ---- references ----

  private resolveRelationships(): RelationshipSeed[] {
    const seeds: RelationshipSeed[] = [];
    /** Source suffix → relationship id → where it was declared. */
    const bySource = new Map<string, Map<string, { draft: RelationshipDraft }>>();
    for (const draft of this.drafts) {
      let ok = true;
      for (const [suffix, node, path] of [
        [draft.from, draft.fromNode, draft.fromPath],
        [draft.to, draft.toNode, draft.toPath],
      ] as const) {
        if (this.reported.has(suffix)) ok = false;
        else if (!this.declared.has(suffix)) {
          const hint = this.closest(suffix);
          this.fail(
            path,
            node,
            `no twin "${suffix}" in this file${hint ? `; did you mean "${hint}"?` : ''}`,
            'dangling',
          );
          ok = false;
        }
      }
      if (!ok) continue;
      let ids = bySource.get(draft.from);
      if (ids === undefined) bySource.set(draft.from, (ids = new Map()));
      let id = draft.id ?? defaultRelationshipId(draft.name, draft.to);
      const clash = ids.get(id);
      if (clash !== undefined) {
        const same = clash.draft.name === draft.name && clash.draft.to === draft.to;
        if (draft.id !== undefined || same) {
          const what = same
            ? `relationship ${draft.name} from "${draft.from}" to "${draft.to}" is declared twice`
            : `relationship id "${id}" of twin "${draft.from}" is used twice`;
          this.fail(
            draft.id !== undefined ? draft.idPath : draft.toPath,
            draft.node,
            `${what} (first at ${this.where(clash.draft.node)})`,
            'unique-relationship',
          );
          continue;
        }
        id = hashedRelationshipId(draft.name, draft.to);
      }
      ids.set(id, { draft });
      if (!this.prefixOk) continue;
      seeds.push({
        id,
        source: joinIdentifier(this.prefix!, draft.from),
        name: draft.name,
        target: joinIdentifier(this.prefix!, draft.to),
        properties: draft.properties,
      });
    }
    return seeds;
  }

  /** The declared id nearest to `suffix`, when it is a likely typo. */
  private closest(suffix: string): string | undefined {
    if (this.issues.length > 10 || this.declared.size > 20_000) return undefined;
    let best: string | undefined;
    let bestDistance = Math.min(3, Math.floor(suffix.length / 3)) + 1;
    for (const candidate of this.declared.keys()) {
      if (Math.abs(candidate.length - suffix.length) >= bestDistance) continue;
      const distance = editDistance(suffix, candidate, bestDistance);
      if (distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    return best;
  }

  // ---- node helpers ----

  private resolve(node: unknown): Node | undefined {
    let current = node;
    while (isAlias(current)) {
      // Aliases to lists of twins could make the walk exponential (a "billion laughs" file).
      if (--this.aliasBudget === 0)
        this.fail('', current, `more than ${MAX_ALIAS_RESOLUTIONS} aliases followed; write the entries out`);
      if (this.aliasBudget <= 0) return undefined;
      current = current.resolve(this.doc);
    }
    return (current ?? undefined) as Node | undefined;
  }

  /** The string-keyed entries of a mapping; reports unknown and non-string keys. */
  private mapping(map: Node, path: string, allowed: readonly string[]): Map<string, Node> {
    const out = new Map<string, Node>();
    if (!isMap(map)) return out;
    for (const pair of map.items) {
      const keyNode = (pair.key ?? undefined) as Node | undefined;
      const key = isScalar(keyNode) ? keyNode.value : undefined;
      if (typeof key !== 'string') {
        this.fail(path, keyNode ?? map, `keys must be strings; allowed here: ${allowed.join(', ')}`);
        continue;
      }
      if (!allowed.includes(key)) {
        this.fail(
          `${path}/${pointer(key)}`,
          keyNode,
          `unknown key "${key}"; allowed here: ${allowed.join(', ')}`,
          'unknown-key',
        );
        continue;
      }
      // `? key` without a value: an empty scalar at the key, so "missing" and "empty" read differently.
      out.set(key, (pair.value as Node | null) ?? emptyAt(keyNode!));
    }
    return out;
  }

  private sequence(node: Node, path: string, what: string): unknown[] | undefined {
    const seq = this.resolve(node);
    if (isSeq(seq)) return seq.items;
    if (isScalar(seq) && seq.value === null) return [];
    this.fail(path, node, `${what} is a list`);
    return undefined;
  }

  private scalar(node: Node): unknown {
    const resolved = this.resolve(node);
    return isScalar(resolved) ? resolved.value : undefined;
  }

  private string(node: Node, path: string, what: string): string | undefined {
    const value = this.scalar(node);
    if (typeof value === 'string' && value.length > 0) return value;
    if (typeof value === 'number' || typeof value === 'boolean') {
      this.fail(path, node, `${what} must be a string; quote it: "${String(value)}"`, 'type');
    } else {
      this.fail(path, node, `${what} must be a non-empty string`, 'type');
    }
    return undefined;
  }

  /** The plain JSON value of a node: no aliases beyond the limit, no cycles, finite numbers only. */
  private value(node: Node, path: string): unknown {
    let value: unknown;
    try {
      value = node.toJS(this.doc, { maxAliasCount: MAX_ALIASES });
    } catch (error) {
      this.fail(path, node, `cannot be read: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
    const problem = jsonProblem(value, '', new Set());
    if (problem !== undefined) {
      // Point at the offending value itself, not at the start of the mapping that holds it.
      const at = this.aliasBudget > 0 ? (this.nodeAt(node, problem.path) ?? node) : node;
      this.fail(`${path}${problem.path}`, at, problem.message, 'type');
      return undefined;
    }
    return value;
  }

  // ---- issues ----

  private throwIfIssues(): void {
    if (this.issues.length === 0) return;
    const [first] = this.issues;
    const more = this.issues.length > 1 ? ` (and ${this.issues.length - 1} more)` : '';
    throw new ValidationError(
      'IMV_IMPORT_INVALID',
      `Plant definition ${this.file} is invalid: ${first!.message}${more}`,
      {
        issues: this.issues,
      },
    );
  }

  private where(node: Node | undefined): string {
    const offset = node?.range?.[0];
    if (offset === undefined) return '1:1';
    const pos: Position = this.lines.linePos(offset);
    return `${pos.line}:${pos.col}`;
  }

  private fail(path: string, node: Node | undefined | null, message: string, rule?: string): void {
    if (this.issues.length >= MAX_ISSUES) return;
    const issue: Issue = {
      file: this.file,
      path,
      message: `${this.file}:${this.where(node ?? undefined)}: ${message}`,
    };
    this.issues.push(rule === undefined ? issue : { ...issue, rule });
  }
}

/**
 * The id of a relationship given without one: `NAME:TARGET`, with "/" in the target suffix written
 * as "." (relationship ids have no "/"), e.g. `feeds:line-1.buf-01`. Stable across imports, so a
 * re-import finds the same relationship.
 */
export function defaultRelationshipId(name: string, targetSuffix: string): string {
  const readable = `${name}:${targetSuffix.replaceAll('/', '.')}`;
  return relationshipIdProblem(readable) === undefined ? readable : hashedRelationshipId(name, targetSuffix);
}

/** For targets whose suffix has characters a relationship id cannot hold, or whose readable id clashes. */
function hashedRelationshipId(name: string, targetSuffix: string): string {
  // FNV-1a, 2 × 32 bits: short, stable, and collisions among one twin's relationships are negligible.
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < targetSuffix.length; i++) {
    const c = targetSuffix.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193 + 2);
  }
  const hex = (n: number): string => (n >>> 0).toString(16).padStart(8, '0');
  return `${name}:~${hex(a)}${hex(b)}`.slice(0, 128);
}

function jsonProblem(
  value: unknown,
  path: string,
  seen: Set<unknown>,
): { path: string; message: string } | undefined {
  if (seen.size > MAX_VALUE_DEPTH)
    return { path, message: `value is nested deeper than ${MAX_VALUE_DEPTH} levels` };
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return undefined;
    case 'number':
      return Number.isFinite(value) ? undefined : { path, message: `${String(value)} is not a JSON number` };
    case 'object': {
      if (value === null) return undefined;
      if (seen.has(value)) return { path, message: 'an alias refers to a value that contains it' };
      seen.add(value);
      try {
        if (Array.isArray(value)) {
          for (let i = 0; i < value.length; i++) {
            const problem = jsonProblem(value[i], `${path}/${i}`, seen);
            if (problem) return problem;
          }
          return undefined;
        }
        if (Object.getPrototypeOf(value) !== Object.prototype)
          return { path, message: 'value is not plain JSON data' };
        for (const [key, item] of Object.entries(value)) {
          const problem = jsonProblem(item, `${path}/${pointer(key)}`, seen);
          if (problem) return problem;
        }
        return undefined;
      } finally {
        seen.delete(value);
      }
    }
    default:
      return { path, message: `a ${typeof value} is not JSON data` };
  }
}

function emptyAt(node: Node): Node {
  const empty = new Scalar(null);
  if (node.range) empty.range = node.range;
  return empty;
}

/** Escapes one JSON Pointer reference token (RFC 6901). */
function pointer(token: string): string {
  return token.replaceAll('~', '~0').replaceAll('/', '~1');
}

/** Levenshtein distance, giving up (returning `limit`) once it cannot be below `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const d = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      current.push(d);
      rowMin = Math.min(rowMin, d);
    }
    if (rowMin >= limit) return limit;
    previous = current;
  }
  return Math.min(previous[b.length]!, limit);
}

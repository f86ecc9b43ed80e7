// The scene of the twin graph as one caller may see it: two bulk reads through the store port
// (the fields the scene needs, the relationships that place twins in the tree), then generateScene.
import type { WorldScene } from '../core/wire.js';
import type { TwinGraph } from '../twin/TwinGraph.js';
import { generateScene, SCENE_FIELDS, SCENE_RELATIONSHIPS, type SceneTwin } from './scene.js';

/**
 * The whole plant within the caller's prefixes, or `root`'s subtree. An unknown root is
 * IMV_TWIN_NOT_FOUND and one outside the prefixes IMV_AUTH_FORBIDDEN, as for a twin read.
 */
export async function loadScene(graph: TwinGraph, root?: string): Promise<WorldScene> {
  // getTwin normalises the identifier and checks the scope before saying whether it exists.
  const rootId = root === undefined ? undefined : (await graph.getTwin(root)).id;
  const [rows, links] = await Promise.all([
    graph.scanFields(SCENE_FIELDS),
    graph.scanRelationships(SCENE_RELATIONSHIPS),
  ]);
  const twins = rows.map((row): SceneTwin => {
    const properties: Record<string, unknown> = {};
    row.values.forEach((value, i) => {
      if (value !== undefined) properties[SCENE_FIELDS[i]!] = value;
    });
    return { id: row.id, model: row.model, properties };
  });
  return generateScene({
    twins,
    links,
    isOfModel: (model, base) => graph.models.isOfModel(model, base),
    ...(rootId === undefined ? {} : { root: rootId }),
  });
}

// Plant files: read from disk (without a byte-order mark) and checked, then imported whole.
import { readUserText } from './user-files.js';
import { declaredModelId, parsePlant, type PlantDefinition } from '../twin/plant.js';
import type { TwinGraph } from '../twin/TwinGraph.js';

export function readPlantFile(file: string | URL): PlantDefinition {
  return parsePlant(readUserText(file), String(file));
}

/**
 * Imports a plant into the graph: its custom models, then its twins, all or nothing — models it
 * added are removed again when the twins are refused.
 */
export async function importPlant(
  graph: TwinGraph,
  plant: PlantDefinition,
  onProgress?: (
    progress: { twins: number; relationships: number },
    total: { twins: number; relationships: number },
  ) => void,
): Promise<{ twins: number; relationships: number }> {
  const newModels = plant.models.filter((model) => {
    const id = declaredModelId(model);
    return id === undefined || !graph.models.has(id);
  });
  const added = newModels.length > 0 ? await graph.addModels(newModels) : [];
  const total = { twins: plant.twins.length, relationships: plant.relationships.length };
  try {
    return await graph.importTwins(
      { twins: plant.twins, relationships: plant.relationships },
      onProgress && ((progress) => onProgress(progress, total)),
    );
  } catch (error) {
    // Models extending others are removed first: the registry refuses to drop a base still in use.
    for (const model of [...added].reverse()) await graph.deleteModel(model.id);
    throw error;
  }
}

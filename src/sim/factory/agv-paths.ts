// Shortest AGV travel distances between named locations: stated link distances and rectilinear layout legs.
import type { PlantSimulation } from './spec.js';

export interface AgvPaths {
  readonly locations: readonly string[];
  /** Row-major, metres; Infinity where no path is known. */
  readonly distance: Float64Array;
}

/**
 * The path graph joins every pair of located points by a rectilinear leg (vehicles follow aisles
 * at right angles) and adds each AGV link's stated `distance`; Floyd–Warshall then gives the
 * shortest path, so a stated short cut also shortens trips that pass through it.
 */
export function agvPaths(plant: Pick<PlantSimulation, 'links' | 'agv' | 'locations'>): AgvPaths {
  const names: string[] = [];
  const index = new Map<string, number>();
  const add = (name: string): void => {
    if (!index.has(name)) {
      index.set(name, names.length);
      names.push(name);
    }
  };
  for (const vehicle of plant.agv?.vehicles ?? []) add(vehicle.home);
  for (const link of plant.links) {
    if (link.transport !== 'agv') continue;
    add(link.from);
    add(link.to);
  }
  const n = names.length;
  const distance = new Float64Array(n * n).fill(Infinity);
  for (let i = 0; i < n; i++) {
    distance[i * n + i] = 0;
    const a = plant.locations[names[i]!];
    if (a === undefined) continue;
    for (let j = 0; j < n; j++) {
      const b = plant.locations[names[j]!];
      if (b !== undefined && i !== j) distance[i * n + j] = Math.abs(a.x - b.x) + Math.abs(a.y - b.y);
    }
  }
  for (const link of plant.links) {
    if (link.transport !== 'agv' || link.distance === undefined) continue;
    const i = index.get(link.from)!;
    const j = index.get(link.to)!;
    // A stated distance is the path length, whatever the layout suggests.
    distance[i * n + j] = link.distance;
    distance[j * n + i] = link.distance;
  }
  for (let k = 0; k < n; k++) {
    for (let i = 0; i < n; i++) {
      const ik = distance[i * n + k]!;
      if (ik === Infinity) continue;
      for (let j = 0; j < n; j++) {
        const through = ik + distance[k * n + j]!;
        if (through < distance[i * n + j]!) distance[i * n + j] = through;
      }
    }
  }
  return { locations: names, distance };
}

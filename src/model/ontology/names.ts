// Names of the built-in ontology's models, without reading the ontology files.
export const ONTOLOGY_PREFIX = 'dtmi:imverse:';

/** 'Station' → 'dtmi:imverse:Station;1'. */
export function modelIdForShortName(name: string): string {
  return `${ONTOLOGY_PREFIX}${name};1`;
}

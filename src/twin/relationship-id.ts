// Relationship identifiers: unique per source twin, safe in a URL path segment.
const RELATIONSHIP_ID = /^[A-Za-z0-9_.:~-][A-Za-z0-9_.:~@+-]{0,127}$/;

/** Why `id` is not a valid relationship id, or undefined. */
export function relationshipIdProblem(id: string): string | undefined {
  return RELATIONSHIP_ID.test(id)
    ? undefined
    : `Relationship id "${id}" must be 1–128 letters, digits or . _ : ~ - @ +`;
}

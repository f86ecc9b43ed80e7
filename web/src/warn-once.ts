// In the frame loop and event handlers a bad object or message is logged once and skipped, never thrown:
// one malformed twin must not stop the world from drawing (three.js does the same with warnOnce).
const seen = new Set<string>();

export function warnOnce(key: string, ...details: unknown[]): void {
  if (seen.has(key)) return;
  seen.add(key);
  console.warn(`[imverse] ${key}`, ...details);
}

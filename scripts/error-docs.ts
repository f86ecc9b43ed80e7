// Writes docs/errors.md from the error registry: `node --import tsx scripts/error-docs.ts`.
import { writeFileSync } from 'node:fs';
import { ERROR_CODES, RETIRED_CODES } from '../src/core/errors.js';

const intro = `# Errors

Every error the API returns is an [RFC 9457](https://www.rfc-editor.org/rfc/rfc9457) \`application/problem+json\` body:

\`\`\`json
{
  "type": "https://imverse.dev/errors/IMV_TWIN_NOT_FOUND",
  "title": "Twin not found",
  "status": 404,
  "detail": "Twin 88.100.1/line-9 not found",
  "code": "IMV_TWIN_NOT_FOUND",
  "hint": "Check the identifier; GET /api/v1/twins lists the twins you may read.",
  "instance": "/requests/req-1f"
}
\`\`\`

- \`code\` is stable: match on it, not on \`detail\`. A code, once published, keeps its meaning; a retired
  code is never reused.
- \`path\` (when present) is a JSON Pointer to the part of the request at fault: \`/query/…\` for a
  query-string parameter, \`/If-Match\` for that header, \`@offset\` for a position in a query.
- \`issues\` (when present) lists every problem found, each with \`path\` and \`message\`, and for models
  and plant files the \`file\` and the \`rule\` broken.
- \`instance\` identifies the request in the server log.
- A twin you may not read answers \`IMV_TWIN_NOT_FOUND\`, exactly as a twin that does not exist.
- A rejected request changes nothing: stored state is as it was.

The CLI prints the same code, message, issues and hint on standard error and exits with status 1.
The live WebSocket answers a bad message with \`{"type":"error","code":…,"message":…}\` and stays open.

## Codes

| code | status | meaning | what to do |
| --- | --- | --- | --- |
`;

const rows = Object.entries(ERROR_CODES)
  .map(
    ([code, spec]) =>
      `| \`${code}\` | ${spec.status} | ${spec.title} | ${spec.hint.replaceAll('|', '\\|')} |`,
  )
  .join('\n');
const retired =
  RETIRED_CODES.length === 0 ? 'None yet.' : RETIRED_CODES.map((code) => `- \`${code}\``).join('\n');
writeFileSync(
  new URL('../docs/errors.md', import.meta.url),
  `${intro}${rows}\n\n## Retired codes\n\n${retired}\n`,
);

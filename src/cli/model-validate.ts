// `imverse model validate FILE…`: checks DTDL files offline; exit 1 when any is invalid.
import type { Issue } from '../core/errors.js';
import { readUserText } from '../server/user-files.js';
import { ModelRegistry } from '../model/registry.js';
import { loadOntology } from '../model/ontology/load.js';

export async function modelValidateCommand(files: string[], options: { json?: boolean }): Promise<number> {
  const registry = new ModelRegistry();
  registry.add(loadOntology());
  const documents: Array<{ source: string; content: unknown }> = [];
  const issues: Issue[] = [];
  for (const file of files) {
    try {
      documents.push({ source: file, content: JSON.parse(readUserText(file)) as unknown });
    } catch (error) {
      issues.push({
        file,
        path: '',
        rule: 'json',
        message: error instanceof Error ? error.message : String(error),
      });
    }
  }
  issues.push(...registry.validate(documents));
  if (options.json) {
    console.log(JSON.stringify({ valid: issues.length === 0, issues }, null, 2));
  } else if (issues.length === 0) {
    console.log(`${files.length} file(s) valid`);
  } else {
    for (const issue of issues) {
      console.error(
        `${issue.file ?? '?'}: ${issue.path || '/'}: ${issue.message}${issue.rule ? ` [${issue.rule}]` : ''}`,
      );
    }
    console.error(`${issues.length} issue(s) in ${new Set(issues.map((issue) => issue.file)).size} file(s)`);
  }
  return issues.length === 0 ? 0 : 1;
}

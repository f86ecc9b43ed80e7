// `imverse opcua browse ENDPOINT`: shows a server's address space (node ids, classes, data types,
// current values) so that an integrator can write the `nodes` of an OPC UA source.
import { readUserText } from '../server/user-files.js';
import { format } from 'node:util';
import { setErrorLogger, setWarningLogger } from 'node-opcua';
import type { ImverseError } from '../core/errors.js';
import { ValidationError } from '../core/errors.js';
import { browseOpcUa, type BrowsedNode, type BrowseResultTree } from '../ingest/opcua/browse.js';
import type { OpcUaSecurityMode, OpcUaSecurityPolicy } from '../ingest/opcua/config.js';

export interface OpcUaBrowseFlags {
  readonly node?: string;
  readonly depth?: number;
  readonly maxNodes?: number;
  readonly user?: string;
  readonly passwordFile?: string;
  readonly securityMode?: string;
  readonly securityPolicy?: string;
  readonly pkiFolder?: string;
  readonly timeout?: number;
  readonly json?: boolean;
}

// Settings problems are reported by the flag the user typed, not by the configuration key.
const FLAGS: Record<string, string> = {
  '/endpointUrl': 'ENDPOINT',
  '/securityMode': '--security-mode',
  '/securityPolicy': '--security-policy',
  '/userName': '--user',
  '/password': '--password-file',
  '/pkiFolder': '--pki-folder',
  '/nodeId': '--node',
  '/depth': '--depth',
  '/maxNodes': '--max-nodes',
  '/timeoutMs': '--timeout',
};

function asFlags(error: ImverseError): ImverseError {
  const issues =
    error.issues.length > 0 ? error.issues : [{ path: error.path ?? '', message: error.message }];
  const named = issues.map((issue) => ({ path: FLAGS[issue.path] ?? issue.path, message: issue.message }));
  const first = named[0]!;
  // One problem is said by the message alone; several are listed below it.
  return new ValidationError(error.code, `${first.path}: ${first.message}`, {
    ...(named.length > 1 ? { issues: named } : { path: first.path }),
    cause: error,
  });
}

function password(file: string | undefined): string | undefined {
  if (file === undefined) return undefined;
  try {
    // The first line: a trailing newline from `echo secret > file` is not part of the password.
    return readUserText(file).split(/\r?\n/)[0] ?? '';
  } catch (error) {
    throw new ValidationError(
      'IMV_CONFIG_INVALID',
      `--password-file: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      { path: '--password-file', cause: error },
    );
  }
}

function line(node: BrowsedNode): string {
  const parts = [node.browseName || node.displayName || '(no name)', node.nodeId, node.nodeClass];
  if (node.dataType !== undefined) parts.push(`${node.dataType}${node.valueRank ? '[]' : ''}`);
  let out = parts.join('  ');
  if (node.status !== undefined) out += `  (${node.status})`;
  else if (node.value !== undefined) out += ` = ${JSON.stringify(node.value)}`;
  return out;
}

export function renderTree(result: BrowseResultTree): string {
  const lines = [line(result.root)];
  const visit = (children: readonly BrowsedNode[], indent: string): void => {
    children.forEach((child, i) => {
      const last = i === children.length - 1;
      lines.push(`${indent}${last ? '└─ ' : '├─ '}${line(child)}`);
      if (child.children) visit(child.children, `${indent}${last ? '   ' : '│  '}`);
    });
  };
  visit(result.root.children ?? [], '');
  lines.push(
    `${result.nodes} node(s), depth ${result.depth}` +
      (result.truncated
        ? ': stopped at --max-nodes; browse a smaller part with --node, or raise --max-nodes'
        : ''),
  );
  return lines.join('\n');
}

// node-opcua prints its own warnings with console.log; on stdout they would corrupt --json.
function nodeOpcUaLogsToStderr(): void {
  const toStderr = (_context: unknown, ...args: unknown[]): void => {
    process.stderr.write(`node-opcua: ${format(...args)}\n`);
  };
  setWarningLogger(toStderr);
  setErrorLogger(toStderr);
}

export async function opcuaBrowseCommand(endpoint: string, flags: OpcUaBrowseFlags): Promise<number> {
  nodeOpcUaLogsToStderr();
  if ((flags.user === undefined) !== (flags.passwordFile === undefined)) {
    throw new ValidationError(
      'IMV_CONFIG_INVALID',
      '--user and --password-file go together: give both, or neither for an anonymous session',
      { path: flags.user === undefined ? '--user' : '--password-file' },
    );
  }
  let result: BrowseResultTree;
  try {
    result = await browseOpcUa(
      {
        endpointUrl: endpoint,
        ...(flags.securityMode === undefined
          ? {}
          : { securityMode: flags.securityMode as OpcUaSecurityMode }),
        ...(flags.securityPolicy === undefined
          ? {}
          : { securityPolicy: flags.securityPolicy as OpcUaSecurityPolicy }),
        ...(flags.user === undefined ? {} : { userName: flags.user }),
        ...(flags.passwordFile === undefined ? {} : { password: password(flags.passwordFile) }),
        ...(flags.pkiFolder === undefined ? {} : { pkiFolder: flags.pkiFolder }),
      },
      {
        ...(flags.node === undefined ? {} : { nodeId: flags.node }),
        ...(flags.depth === undefined ? {} : { depth: flags.depth }),
        ...(flags.maxNodes === undefined ? {} : { maxNodes: flags.maxNodes }),
        ...(flags.timeout === undefined ? {} : { timeoutMs: flags.timeout }),
      },
    );
  } catch (error) {
    throw error instanceof ValidationError && !error.path?.startsWith('-') ? asFlags(error) : error;
  }
  console.log(flags.json ? JSON.stringify(result, null, 2) : renderTree(result));
  return 0;
}

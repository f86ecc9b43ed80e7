#!/usr/bin/env node
// The `imverse` command.
import { Command, InvalidArgumentError } from 'commander';
import { startCommand } from './start.js';
import { modelValidateCommand } from './model-validate.js';
import { twinImportCommand } from './twin-import.js';
import { plantApplyCommand } from './plant-apply.js';
import { queryCommand } from './query.js';
import { tokenCreateCommand, tokenListCommand, tokenRevokeCommand } from './token.js';
import { runCommand } from './run.js';
import { deviceCreateCommand } from './device.js';
import { scheduleCommand } from './schedule.js';
import {
  userAddCommand,
  userDisableCommand,
  userListCommand,
  userRemoveCommand,
  userSetPasswordCommand,
} from './user.js';
import { ROLES } from '../server/auth/roles.js';
import { auditHeadCommand, auditVerifyCommand } from './audit.js';

const program = new Command()
  .name('imverse')
  .description('Imverse: a live, shared 3D digital twin of a factory')
  .version('0.1.0');

const port = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('a port number 0–65535');
  return n;
};
const depth = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 10) throw new InvalidArgumentError('a whole number 0–10');
  return n;
};
const whole = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('a whole number ≥ 0');
  return n;
};
const positive = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('a whole number ≥ 1');
  return n;
};

program
  .command('start')
  .description('Start the platform (API, live stream, start page) on a data directory')
  .option('-d, --data <dir>', 'data directory (default ./data, or IMVERSE_DATA_DIR)')
  .option('-p, --port <port>', 'port to listen on (0: any free port)', port)
  .option('-H, --host <host>', 'address to listen on (default 127.0.0.1)')
  .option(
    '-c, --config <file>',
    'configuration file (default: imverse.yaml in the working directory, if any)',
  )
  .option(
    '--demo',
    'local demo: anonymous access from this machine (read, and edit layout drafts and notes); imports the demo plant into an empty store',
  )
  .option('--log-level <level>', 'fatal, error, warn, info, debug or trace')
  .option('--mqtt-port <port>', 'port of the embedded MQTT broker (default 1883; 0: any free port)', port)
  .option('--no-mqtt', 'do not run the embedded MQTT broker')
  .option('--mappings <file>', 'topic-to-twin mappings (default: mappings.yaml in the data directory)')
  .option('--virtual-plant', 'run the simulated plant (the default with --demo)')
  .option('--no-virtual-plant', 'do not run the simulated plant')
  .option(
    '--sim-speed <factor>',
    'simulated seconds per real second of the simulated plant (default 1)',
    Number,
  )
  .action((options) => runCommand(() => startCommand(options)));

const model = program.command('model').description('DTDL models');
model
  .command('validate')
  .description('Validate DTDL files (v2 or v3); they may use the built-in ontology and each other')
  .argument('<files...>', 'DTDL JSON files, each one interface or an array of them')
  .option('--json', 'print the issues as JSON')
  .action((files: string[], options) => runCommand(() => modelValidateCommand(files, options)));

const twin = program.command('twin').description('Twins');
twin
  .command('import')
  .description('Bulk-import a plant definition (YAML or JSON) into a data directory: all of it or nothing')
  .argument('<file>', 'plant file, e.g. examples/demo-plant.yaml')
  .option('-d, --data <dir>', 'data directory (default ./data)')
  .action((file: string, options) => runCommand(() => twinImportCommand(file, options)));

const plant = program.command('plant').description('Plant files: the declarative description of a plant');
plant
  .command('apply')
  .description(
    'Make the stored plant match a plant file: shows the plan (create, update, delete, relationships ' +
      'added and removed) and applies it in one transaction',
  )
  .argument('<file>', 'plant file, e.g. examples/demo-plant.yaml')
  .option('-d, --data <dir>', 'data directory (default ./data); the platform must not be running on it')
  .option('--url <url>', 'apply through a running platform instead, e.g. http://127.0.0.1:8470')
  .option(
    '--token <token>',
    'API token for --url (default IMVERSE_TOKEN); needs the engineer role (twin:/ write)',
  )
  .option('--dry-run', 'show the plan; change nothing')
  .option(
    '--prune',
    'delete stored twins under the prefix that the file no longer names (never their history)',
  )
  .option('--json', 'print the plan as JSON')
  .action((file: string, options) => runCommand(() => plantApplyCommand(file, options)));

program
  .command('query')
  .description('Run a query (Azure Digital Twins query language) on a data directory and print JSON')
  .argument('<query>', 'e.g. "SELECT * FROM DIGITALTWINS T WHERE IS_OF_MODEL(\'dtmi:imverse:Station;1\')"')
  .option('-d, --data <dir>', 'data directory (default ./data)')
  .option('-n, --page-size <n>', 'items per page', positive, 100)
  .option('--all', 'follow continuation tokens and print every page')
  .action((query: string, options) => runCommand(() => queryCommand(query, options)));

const token = program.command('token').description('API tokens');
token
  .command('create')
  .description('Create a bearer token in a data directory and print it once')
  .requiredOption('-r, --role <role>', 'viewer, operator, engineer, admin, partner or customer')
  .option('-n, --name <name>', 'who or what it is for', 'cli')
  .option(
    '-P, --prefix <prefix>',
    'limit the token to identifiers under this prefix (tenant); repeat for several',
    (value: string, previous: string[] = []) => [...previous, value],
  )
  .option('--expires-in <duration>', 'valid for this long: 90d, 12h, 30m or 3600s (default: no expiry)')
  .option('--expires <time>', 'valid until this ISO 8601 time, e.g. 2027-01-31T00:00:00Z')
  .option('-d, --data <dir>', 'data directory (default ./data)')
  .action((options) => runCommand(() => tokenCreateCommand(options)));
token
  .command('list')
  .description('List the tokens of a data directory: role, prefixes, expiry, last use (never secrets)')
  .option('-d, --data <dir>', 'data directory (default ./data)')
  .action((options) => runCommand(() => tokenListCommand(options)));
token
  .command('revoke')
  .description('Revoke a token; a running platform stops accepting it within a minute')
  .argument('<id>', 'the token id (the part after imv_ up to the next _)')
  .option('-d, --data <dir>', 'data directory (default ./data)')
  .action((id: string, options) => runCommand(() => tokenRevokeCommand(id, options)));

const user = program
  .command('user')
  .description('People who sign in to the pages (docs/people.md); the platform must be stopped');
const dataOption = ['-d, --data <dir>', 'data directory (default ./data)'] as const;
const passwordFileOption = [
  '--password-file <file>',
  'file whose first line is the password (default: the first line of standard input)',
] as const;
const repeated = (value: string, previous: string[] = []): string[] => [...previous, value];
user
  .command('add')
  .description('Create a user who signs in with a password')
  .argument('<name>', 'the sign-in name: letters, digits, ".", "_", "@", "-"')
  .requiredOption('-r, --role <role>', ROLES.join(', '))
  .option('--display-name <text>', 'the name shown on pages (default: the sign-in name)')
  .option(
    '-P, --prefix <prefix>',
    'limit the user to identifiers under this prefix (tenant); repeat for several',
    repeated,
  )
  .option('-g, --group <group>', 'a group the user belongs to; repeat for several', repeated)
  .option(...passwordFileOption)
  .option(...dataOption)
  .action((name: string, options) => runCommand(() => userAddCommand(name, options)));
user
  .command('list')
  .description('List the users')
  .option('--json', 'print them as JSON')
  .option(...dataOption)
  .action((options) => runCommand(() => userListCommand(options)));
user
  .command('set-password')
  .description("Set a user's password; their sessions end")
  .argument('<name>')
  .option(...passwordFileOption)
  .option(...dataOption)
  .action((name: string, options) => runCommand(() => userSetPasswordCommand(name, options)));
user
  .command('disable')
  .description('Stop a user from signing in; their sessions end')
  .argument('<name>')
  .option('--enable', 'let the user sign in again instead')
  .option(...dataOption)
  .action((name: string, options) => runCommand(() => userDisableCommand(name, options)));
user
  .command('remove')
  .description('Delete a user; their sessions end')
  .argument('<name>')
  .option(...dataOption)
  .action((name: string, options) => runCommand(() => userRemoveCommand(name, options)));

const device = program.command('device').description('Devices of the embedded MQTT broker');
device
  .command('create')
  .description('Register a device and print its MQTT password once')
  .argument('<id>', 'the device id, which is also its MQTT user name')
  .requiredOption(
    '-t, --topic <filter>',
    'an MQTT topic filter the device may publish to, e.g. plant/line-1/st-03/#; repeat for several',
    (value: string, previous: string[] = []) => [...previous, value],
  )
  .option('-d, --data <dir>', 'data directory (default ./data)')
  .action((id: string, options) => runCommand(() => deviceCreateCommand(id, options)));

const audit = program.command('audit').description('The audit log: who did what, when, from where');
audit
  .command('verify')
  .description(
    'Check the hash chain of the audit log (read-only; also beside a running platform): names the first changed, inserted or deleted record',
  )
  .option('-d, --data <dir>', 'data directory (default ./data)')
  .option(
    '--anchor <seq:hash>',
    'a head kept elsewhere (from `imverse audit head --json`): also finds records cut off the end or re-hashed up to it',
  )
  .option('--json', 'print the result as JSON')
  .action((options) => runCommand(() => auditVerifyCommand(options)));
audit
  .command('head')
  .description("Print the hash of the audit log's newest record, to anchor it elsewhere")
  .option('-d, --data <dir>', 'data directory (default ./data)')
  .option('--json', 'print the sequence number and hash as JSON')
  .action((options) => runCommand(() => auditHeadCommand(options)));

const opcua = program.command('opcua').description('OPC UA servers');
opcua
  .command('browse')
  .description(
    "Show a server's address space: browse names, node ids, node classes, and the data type and value of each variable",
  )
  .argument('<endpoint>', 'the server, e.g. opc.tcp://plc-1.plant.local:4840')
  .option('-n, --node <nodeId>', 'start from this node (default the Objects folder, ns=0;i=85)')
  .option('--depth <n>', 'levels below the node to show, 0–10 (default 2)', depth)
  .option('--max-nodes <n>', 'stop after this many nodes (default 1000)', positive)
  .option('-u, --user <name>', 'user name of the session (default: anonymous); with --password-file')
  .option('--password-file <file>', 'file whose first line is the password of --user')
  .option('--security-mode <mode>', 'None (default), Sign or SignAndEncrypt')
  .option('--security-policy <policy>', 'e.g. Basic256Sha256 (the default for Sign and SignAndEncrypt)')
  .option('--pki-folder <dir>', "the client's certificates and the server certificates it trusts")
  .option(
    '--timeout <ms>',
    'give up when the server does not answer within this time (default 10000)',
    positive,
  )
  .option('--json', 'print the tree as JSON')
  // node-opcua is large and slow to load: only for this command.
  .action((endpoint: string, options) =>
    runCommand(async () => (await import('./opcua-browse.js')).opcuaBrowseCommand(endpoint, options)),
  );

program
  .command('schedule')
  .description(
    'Schedule a job shop (OR-Library or Taillard format, told apart by content): every dispatching rule, then tabu search from the best',
  )
  .argument(
    '[file]',
    'an instance in OR-Library or Taillard format, e.g. examples/jobshop/ft10.txt or ta01.txt',
  )
  .option('--plant <file>', "a plant file: schedule --orders on its stations, along each variant's route")
  .option('--orders <file>', 'orders (YAML): orders: [{ id, variant, quantity, due?: 8h, release?: 1h }]')
  .option('-r, --rule <rule>', 'only this dispatching rule: FIFO, SPT, EDD, CR or ATC')
  .option('-s, --seconds <n>', 'how long tabu search may run (default 10; 0: dispatching only)', whole)
  .option('--seed <n>', 'seed of the search (default 1): the same seed gives the same schedule', whole)
  .option('--json', 'print the result, with every operation, as JSON')
  .action((file: string | undefined, options) => runCommand(() => scheduleCommand(file, options)));

const sim = program.command('sim').description('Simulation: what-if studies of a plant');
sim
  .command('run')
  .description(
    'Run a what-if study of a plant: replications on every core, KPIs with 95% confidence intervals, scenario comparisons, result.json and report.html',
  )
  .argument('<plant>', 'plant file (YAML), e.g. examples/demo-plant.yaml')
  .option('--horizon <duration>', 'simulated time measured per replication, e.g. 30d, 12h, 90m (default 30d)')
  .option(
    '--warmup <duration>',
    "simulated time run first and not measured (default: the plant file's warmup)",
  )
  .option('--replications <n>', 'replications per scenario (default 20)', positive)
  .option('--seed <n>', 'seed; the same seed gives the same result (default 1)', whole)
  .option(
    '--scenario <name=file>',
    'an alternative scenario: overrides in a YAML file, compared with the base; repeat for several (base=FILE sets the base)',
    (value: string, previous: string[] = []) => [...previous, value],
  )
  .option('--workers <n>', 'worker threads (default: all cores; 0: this thread)', whole)
  .option('--out <dir>', 'where to write result.json and report.html (default ./sim-results/<timestamp>)')
  .option('--json', 'print the result as JSON instead of the table')
  .option('--lang <locale>', "the report's language: en or zh-CN (default: from LANG)")
  .addOption(
    program
      .createOption('--model-module <url>', 'for tests: a model module in place of the plant simulation')
      .hideHelp(),
  )
  .action((file: string, options) =>
    runCommand(async () => (await import('./sim-run.js')).simRunCommand(file, options)),
  );

await program.parseAsync();

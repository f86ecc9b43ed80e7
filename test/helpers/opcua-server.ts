// Starts a real node-opcua server for a test: a free loopback port, its PKI in a temporary
// folder (never in the repository), anonymous and user/password sessions, and a few variables
// in namespace 1 that the test sets: ns=1;s=Temperature (Double), ns=1;s=Running (Boolean),
// ns=1;s=Mode (String), ns=1;s=Count (Int32) and ns=1;s=Profile (Double array).
// `restart()` stops it and starts a new server on the same port, as a PLC reboot would.
import { mkdtempSync, rmSync } from 'node:fs';

import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DataType,
  OPCUACertificateManager,
  OPCUAServer,
  StatusCodes,
  Variant,
  VariantArrayType,
  type StatusCode,
  type UAVariable,
} from 'node-opcua';
import { freePort } from './free-port.js';

export const TEST_USER = 'operator';
export const TEST_PASSWORD = 'secret-42';

export type TestVariable = 'Temperature' | 'Running' | 'Mode' | 'Count' | 'Profile';

const VARIABLES: Record<TestVariable, { dataType: DataType; initial: unknown; array?: true }> = {
  Temperature: { dataType: DataType.Double, initial: 20.5 },
  Running: { dataType: DataType.Boolean, initial: true },
  Mode: { dataType: DataType.String, initial: 'auto' },
  Count: { dataType: DataType.Int32, initial: 7 },
  Profile: { dataType: DataType.Double, initial: [1, 2, 3], array: true },
};

export interface TestOpcUaServer {
  readonly endpointUrl: string;
  readonly port: number;
  /** Sets a variable as a device would: its value, status and source timestamp. */
  set(name: TestVariable, value: unknown, options?: { status?: StatusCode; sourceTimestamp?: Date }): void;
  /** Stops the server (clients see the connection drop). */
  stop(): Promise<void>;
  /** Starts a new server on the same port with the initial values. */
  start(): Promise<void>;
  /** Stops it for good and removes its temporary folder. */
  dispose(): Promise<void>;
}

export async function startOpcUaServer(): Promise<TestOpcUaServer> {
  const dir = mkdtempSync(join(tmpdir(), 'imverse-opcua-server-'));
  const port = await freePort();
  // One PKI for every start: the key and certificate are made once, and restarts are fast.
  const certificateManager = new OPCUACertificateManager({
    rootFolder: join(dir, 'pki'),
    automaticallyAcceptUnknownCertificate: true,
    keySize: 2048,
    disableFileWatchers: true,
  } as ConstructorParameters<typeof OPCUACertificateManager>[0]);
  await certificateManager.initialize();

  let server: OPCUAServer | undefined;
  let variables = new Map<TestVariable, UAVariable>();

  async function start(): Promise<void> {
    const s = new OPCUAServer({
      port,
      hostname: '127.0.0.1',
      serverCertificateManager: certificateManager,
      allowAnonymous: true,
      userManager: {
        isValidUser: (user: string, password: string) => user === TEST_USER && password === TEST_PASSWORD,
      },
      isAuditing: false,
      buildInfo: { productName: 'imverse-test-plc' },
    });
    await s.initialize();
    const addressSpace = s.engine.addressSpace;
    if (!addressSpace) throw new Error('the test OPC UA server has no address space');
    const namespace = addressSpace.getOwnNamespace();
    const device = namespace.addObject({
      organizedBy: addressSpace.rootFolder.objects,
      browseName: 'Press07',
    });
    const made = new Map<TestVariable, UAVariable>();
    for (const [name, spec] of Object.entries(VARIABLES) as [
      TestVariable,
      (typeof VARIABLES)[TestVariable],
    ][]) {
      const variable = namespace.addVariable({
        componentOf: device,
        browseName: name,
        nodeId: `s=${name}`,
        dataType: spec.dataType,
        ...(spec.array ? { valueRank: 1, arrayDimensions: [0] } : {}),
      });
      variable.setValueFromSource(
        new Variant({
          dataType: spec.dataType,
          value: spec.initial,
          ...(spec.array ? { arrayType: VariantArrayType.Array } : {}),
        }),
        StatusCodes.Good,
        new Date(),
      );
      made.set(name, variable);
    }
    await s.start();
    server = s;
    variables = made;
  }

  await start();

  return {
    endpointUrl: `opc.tcp://127.0.0.1:${port}`,
    port,
    set(name, value, options = {}) {
      const variable = variables.get(name);
      const spec = VARIABLES[name];
      if (!variable || !server) throw new Error(`the test OPC UA server is stopped: cannot set ${name}`);
      variable.setValueFromSource(
        new Variant({
          dataType: spec.dataType,
          value,
          ...(spec.array ? { arrayType: VariantArrayType.Array } : {}),
        }),
        options.status ?? StatusCodes.Good,
        options.sourceTimestamp ?? new Date(),
      );
    },
    async stop() {
      const s = server;
      server = undefined;
      variables = new Map();
      await s?.shutdown(0);
    },
    start,
    async dispose() {
      const s = server;
      server = undefined;
      await s?.shutdown(0);
      await certificateManager.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ValidationError } from '../../core/errors.js';
import { compileOpcUaConfig } from './config.js';

const NODE = {
  nodeId: 'ns=3;s=Line1.Press07.Temperature',
  twin: '88.100.1/line-1/press-07',
  field: 'temperature',
};

function issuesOf(value: unknown): { path: string; message: string }[] {
  try {
    compileOpcUaConfig(value, 'plc-1.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).code).toBe('IMV_CONFIG_INVALID');
    expect((error as ValidationError).message).toMatch(/^Invalid OPC UA source in plc-1.yaml at \//);
    return (error as ValidationError).issues.map(({ path, message }) => ({ path, message }));
  }
  throw new Error('expected the configuration to be refused');
}

describe('compileOpcUaConfig', () => {
  it('fills in the defaults', () => {
    const config = compileOpcUaConfig({ endpointUrl: 'opc.tcp://plc-1:4840', nodes: [NODE] });
    expect(config).toMatchObject({
      securityMode: 'None',
      securityPolicy: 'None',
      userName: undefined,
      source: 'opcua',
      samplingIntervalMs: 250,
      publishingIntervalMs: 500,
      nodes: [{ ...NODE, twin: '88.100.1/line-1/press-07', scale: 1, offset: 0 }],
    });
  });

  it('defaults the policy to Basic256Sha256 for a secure mode, and normalises the twin prefix', () => {
    const config = compileOpcUaConfig({
      endpointUrl: 'opc.tcp://plc-1:4840/UA/Server',
      securityMode: 'SignAndEncrypt',
      nodes: [{ ...NODE, twin: 'ab.cd/line-1/press-07' }],
    });
    expect(config.securityPolicy).toBe('Basic256Sha256');
    expect(config.nodes[0]?.twin).toBe('AB.CD/line-1/press-07');
  });

  it('reports every problem with its JSON Pointer', () => {
    expect(
      issuesOf({
        endpointUrl: 'http://plc-1',
        securityMode: 'Encrypt',
        userName: 'operator',
        nodes: [
          { nodeId: 'ns=x;s=', twin: 'press-07', field: '1st', scale: 'big' },
          { ...NODE, feild: 'x' },
          NODE,
        ],
        samplingIntervalMs: -1,
      }),
    ).toEqual([
      { path: '/endpointUrl', message: expect.stringContaining('opc.tcp://') },
      { path: '/securityMode', message: 'expected one of None, Sign, SignAndEncrypt' },
      {
        path: '/password',
        message: 'give both "userName" and "password", or neither for an anonymous session',
      },
      { path: '/nodes/0/nodeId', message: expect.stringContaining('is not an OPC UA node id') },
      { path: '/nodes/0/twin', message: expect.stringContaining('no "/"') },
      { path: '/nodes/0/field', message: expect.stringContaining('twin field name') },
      { path: '/nodes/0/scale', message: 'expected a finite number' },
      { path: '/nodes/1/feild', message: expect.stringContaining('unknown key "feild"') },
      { path: '/nodes/2', message: expect.stringContaining('already fed by /nodes/1') },
      { path: '/samplingIntervalMs', message: 'expected a number of at least 0' },
    ]);
  });

  it('refuses a mode and a policy that do not go together, and an empty node list', () => {
    expect(
      issuesOf({ endpointUrl: 'opc.tcp://plc-1:4840', securityPolicy: 'Basic256Sha256', nodes: [] }),
    ).toEqual([
      {
        path: '/securityPolicy',
        message: expect.stringContaining('needs securityMode "Sign" or "SignAndEncrypt"'),
      },
      { path: '/nodes', message: expect.stringContaining('non-empty list') },
    ]);
    expect(issuesOf(null)).toEqual([{ path: '', message: expect.stringContaining('endpointUrl') }]);
  });
});

describe('docs/connectors.md', () => {
  it('the OPC UA example is a valid configuration', () => {
    const doc = readFileSync(new URL('../../../docs/connectors.md', import.meta.url), 'utf8');
    const blocks = [...doc.matchAll(/```yaml\n(endpointUrl:[\s\S]*?)```/g)].map((m) => m[1]!);
    expect(blocks).toHaveLength(1);
    const config = compileOpcUaConfig(parse(blocks[0]!), 'docs/connectors.md');
    expect(config.nodes.length).toBeGreaterThan(1);
  });
});
